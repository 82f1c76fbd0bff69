/**
 * CSV writing helpers (RFC 4180 quoting, `\n` line ends) for result files. Every file written
 * here is one a user may open in Excel, so text cells that Excel would run as a formula are
 * neutralised (OWASP "CSV injection"): see `csvEscape`.
 */
import { isNumberText } from './number-text.js';

const NEEDS_QUOTES = /[",\r\n\t]|^\s|\s$/;

/** First characters that make a spreadsheet read a cell as a formula (OWASP's list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Whether a text cell would be run as a formula by a spreadsheet. Plain numbers such as `-1.5`
 * or `+3e2` are not (they stay numbers).
 */
export function isFormulaLike(s: string): boolean {
  return FORMULA_START.test(s) && !isNumberText(s);
}

/**
 * One field: quoted if it contains a comma, quote, tab, line break or leading/trailing space.
 * A text that starts with `=`, `+`, `-`, `@`, a tab or a CR and is not a plain number is
 * prefixed with `'` and quoted, so Excel shows it as text instead of evaluating it.
 * @example csvEscape('a,"b"') // → '"a,""b"""'
 * @example csvEscape('=HYPERLINK("x")') // → `"'=HYPERLINK(""x"")"`
 * @example csvEscape('-1.5') // → '-1.5'
 */
export function csvEscape(field: string | number | boolean | null | undefined): string {
  if (field === null || field === undefined) return '';
  if (typeof field !== 'string') return String(field);
  if (isFormulaLike(field)) return `"'${field.replace(/"/g, '""')}"`;
  return NEEDS_QUOTES.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/** One CSV line without its line end. */
export function toCsvLine(fields: readonly (string | number | boolean | null | undefined)[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) line += ',';
    line += csvEscape(fields[i]);
  }
  return line;
}

export interface WriteCsvOptions {
  /** Prefix a UTF-8 BOM so that Excel opens the file as UTF-8 (the product's result files do). */
  readonly bom?: boolean;
}

/** A whole CSV document: header and rows, each line ended by `\n`. */
export function writeCsv(
  header: readonly string[],
  rows: Iterable<readonly (string | number | boolean | null | undefined)[]>,
  opts: WriteCsvOptions = {},
): string {
  const parts: string[] = [(opts.bom ? '\uFEFF' : '') + toCsvLine(header)];
  for (const row of rows) parts.push(toCsvLine(row));
  return parts.join('\n') + '\n';
}

/**
 * The same document line by line (each with its `\n`), for streaming big result files to disk.
 * @example for (const line of csvLines(['id'], rows, { bom: true })) out.write(line);
 */
export function* csvLines(
  header: readonly string[],
  rows: Iterable<readonly (string | number | boolean | null | undefined)[]>,
  opts: WriteCsvOptions = {},
): Generator<string> {
  yield (opts.bom ? '\uFEFF' : '') + toCsvLine(header) + '\n';
  for (const row of rows) yield toCsvLine(row) + '\n';
}
