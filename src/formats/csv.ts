/** CSV writing helpers (RFC 4180 quoting, `\n` line ends) for result files. */

const NEEDS_QUOTES = /[",\r\n\t]|^\s|\s$/;

/**
 * Quote one field if it contains a comma, quote, tab, line break or leading/trailing space.
 * @example csvEscape('a,"b"') // → '"a,""b"""'
 */
export function csvEscape(field: string | number | boolean | null | undefined): string {
  if (field === null || field === undefined) return '';
  const s = typeof field === 'string' ? field : String(field);
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
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
