/**
 * Excel uploads: one sheet of an .xlsx workbook → a UTF-8 CSV on disk, streamed row by row with
 * exceljs (never the `xlsx` package), so the rest of ingest (column-info, training, batch
 * predictions) reads the converted file like any CSV upload.
 *
 * Cell types carry over: numbers and text as they are, dates (cells with a date number format)
 * as ISO dates (`2024-01-05`, or `2024-01-05 13:30:00` when the format shows a time), formulas as
 * their cached value, booleans as TRUE/FALSE, error cells (#N/A …) as missing. The header is the
 * first row with a value; its columns run from its first to its last filled cell. A merged or
 * empty header cell inside that span, and a value outside it, are refused with the cell named.
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { csvEscape } from '../formats/index.js';
import { AppError } from '../domain/errors.js';
import { uploadTooLarge } from './errors.js';
import { badWorkbook, openXlsxPackage, type SheetEntry } from './xlsx-package.js';

export interface XlsxToCsvOptions {
  /** The sheet to read; the first sheet of the workbook (tab order) when absent. */
  readonly sheet?: string;
  /** Limit on the CSV written (the same limit as a CSV upload). */
  readonly maxBytes: number;
  /** Limit on the decompressed XML of the sheet (default: 10 × maxBytes; XML compresses about 10×). */
  readonly maxXmlBytes?: number;
}

export interface XlsxConversion {
  readonly sheet: string;
  /** Every sheet of the workbook, in tab order. */
  readonly sheets: readonly string[];
  readonly columns: number;
  /** Data rows written (blank rows are skipped). */
  readonly rows: number;
  readonly csvBytes: number;
}

type CellValue = ExcelJS.CellValue;

/** Excel's serial day 0 in each date system, as epoch milliseconds. */
const EPOCH_1900_MS = Date.UTC(1899, 11, 30);
const EPOCH_1904_MS = Date.UTC(1904, 0, 1);
const DAY_MS = 86_400_000;
/** Number formats that display a date (same test as exceljs: date letters outside quotes and [..]). */
const DATE_FORMAT = /[ymdhMsb]/;
const TIME_FORMAT = /[hs]|AM\/PM|A\/P/i;

function formatBody(numFmt: string | undefined): string {
  return (numFmt ?? '').replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '');
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Wall-clock fields of an exceljs date (it builds them in UTC), as an ISO date or date-time. */
export function isoDateText(d: Date, withTime: boolean): string {
  const t = new Date(Math.round(d.getTime() / 1000) * 1000);
  const date = `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  return withTime ? `${date} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}` : date;
}

/** One cell as CSV text ('' = missing). `numFmt` is the cell's number format, `date1904` the workbook's date system. */
export function cellText(value: CellValue, numFmt: string | undefined, date1904: boolean): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  const body = formatBody(numFmt);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    return String(value);
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : isoDateText(value, TIME_FORMAT.test(body));
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('error' in value) return '';
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    // Formula results are not converted by the reader: a serial number under a date format is a date.
    if (typeof result === 'number' && Number.isFinite(result) && DATE_FORMAT.test(body)) {
      const date = new Date((date1904 ? EPOCH_1904_MS : EPOCH_1900_MS) + result * DAY_MS);
      return isoDateText(date, TIME_FORMAT.test(body));
    }
    return result === undefined || result === null || typeof result === 'object'
      ? result instanceof Date
        ? isoDateText(result, TIME_FORMAT.test(body))
        : ''
      : cellText(result as CellValue, numFmt, date1904);
  }
  if ('text' in value) return String((value as { text: unknown }).text ?? '');
  return '';
}

/** `A` for 1, `AB` for 28. */
export function columnLetters(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** The merged range (`B1:C1`) that covers `row`/`col` without starting there, if any. */
function coveringMerge(ranges: readonly string[], row: number, col: number): string | undefined {
  return ranges.find((r) => {
    const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(r);
    if (m === null) return false;
    const [c0, r0, c1, r1] = [columnNumber(m[1]!), Number(m[2]), columnNumber(m[3]!), Number(m[4])];
    return row >= r0 && row <= r1 && col >= c0 && col <= c1;
  });
}

function pickSheet(sheets: readonly SheetEntry[], name: string | undefined): SheetEntry {
  const names = sheets.map((s) => JSON.stringify(s.name)).join(', ');
  if (sheets.length === 0) throw badWorkbook('the workbook has no sheets');
  if (name === undefined) return sheets[0]!;
  const hit = sheets.find((s) => s.name === name) ?? sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  if (hit === undefined) throw badWorkbook(`sheet=${JSON.stringify(name)}: the workbook has no such sheet; it has ${names}`);
  return hit;
}

class CsvFile {
  bytes = 0;
  #pending: string[] = [];
  #pendingChars = 0;
  constructor(
    readonly fh: FileHandle,
    readonly maxBytes: number,
  ) {}
  async line(fields: readonly string[]): Promise<void> {
    let line = '';
    for (let i = 0; i < fields.length; i++) line += (i > 0 ? ',' : '') + csvEscape(fields[i]);
    line += '\n';
    this.bytes += Buffer.byteLength(line, 'utf8');
    if (this.bytes > this.maxBytes) throw uploadTooLarge(this.maxBytes);
    this.#pending.push(line);
    this.#pendingChars += line.length;
    if (this.#pendingChars >= 1 << 20) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const text = this.#pending.join('');
    this.#pending = [];
    this.#pendingChars = 0;
    await this.fh.write(text, null, 'utf8');
  }
}

interface HeaderProblem {
  readonly row: number;
  readonly col: number;
}

/**
 * Converts one sheet of the workbook at `srcPath` to `destPath` (UTF-8 CSV, no BOM, `\n`), written
 * atomically (`dest.partial`, fsync, rename). Throws AppError `BAD_WORKBOOK` (not a workbook,
 * no such sheet, bad header, values outside the header) or `UPLOAD_TOO_LARGE`.
 * @example const c = await convertXlsxToCsv('/tmp/up.xlsx', '/tmp/learn.csv', { maxBytes: 1 << 30 });
 */
export async function convertXlsxToCsv(srcPath: string, destPath: string, opts: XlsxToCsvOptions): Promise<XlsxConversion> {
  const pkg = await openXlsxPackage(srcPath);
  const partial = `${destPath}.partial`;
  let fh: FileHandle | null = null;
  try {
    const sheet = pickSheet(pkg.sheets, opts.sheet);
    const { stream, mergedRanges, failed } = pkg.open(sheet, opts.maxXmlBytes ?? opts.maxBytes * 10);
    fh = await open(partial, 'w');
    const out = new CsvFile(fh, opts.maxBytes);
    const where = `sheet ${JSON.stringify(sheet.name)}`;
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      entries: 'ignore',
    });
    let first = 0;
    let last = 0;
    let rows = 0;
    let headerRow = 0;
    let headerProblem: HeaderProblem | null = null;
    const readRows = async (): Promise<void> => {
      for await (const worksheet of reader) {
        for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
          const texts = new Map<number, string>();
          row.eachCell({ includeEmpty: false }, (cell, col) => {
            // `cell.value` of a formula drops falsy results (0, FALSE): read `cell.result` instead.
            const value = cell.type === ExcelJS.ValueType.Formula ? ({ formula: '', result: cell.result } as CellValue) : cell.value;
            const t = cellText(value, cell.numFmt, pkg.date1904);
            if (t !== '') texts.set(col, t);
          });
          if (texts.size === 0 || headerProblem !== null) continue;
          const cols = [...texts.keys()];
          if (first === 0) {
            headerRow = row.number;
            first = Math.min(...cols);
            last = Math.max(...cols);
            const header: string[] = [];
            for (let c = first; c <= last; c++) {
              if (!texts.has(c)) headerProblem ??= { row: row.number, col: c };
              header.push(texts.get(c) ?? '');
            }
            // Read on to the end anyway: merged ranges are listed after the rows.
            if (headerProblem === null) await out.line(header);
            continue;
          }
          const outside = cols.find((c) => c < first || c > last);
          if (outside !== undefined) {
            throw badWorkbook(
              `${where}: cell ${columnLetters(outside)}${row.number} has a value, but the header (row ${headerRow}) spans only columns ${columnLetters(first)} to ${columnLetters(last)}; give that column a header or clear the cell`,
            );
          }
          const fields: string[] = [];
          for (let c = first; c <= last; c++) fields.push(texts.get(c) ?? '');
          await out.line(fields);
          rows++;
        }
        break; // the package holds just this sheet
      }
    };
    try {
      const reading = readRows();
      reading.catch(() => undefined); // after a failure the reader winds down on its own
      await Promise.race([reading, failed]);
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw badWorkbook(`${where} cannot be read: ${(err as Error).message}`);
    }
    const problem = headerProblem as HeaderProblem | null;
    if (problem !== null) {
      const cell = `${columnLetters(problem.col)}${problem.row}`;
      const merge = coveringMerge(mergedRanges, problem.row, problem.col);
      throw badWorkbook(
        merge !== undefined
          ? `${where}: header cells ${merge} are merged; unmerge them and give each column its own name in row ${problem.row}`
          : `${where}: header cell ${cell} is empty; every column between ${columnLetters(first)} and ${columnLetters(last)} needs a name in row ${problem.row}`,
      );
    }
    if (first === 0) throw badWorkbook(`${where} is empty`);
    await out.flush();
    await fh.sync();
    await fh.close();
    fh = null;
    await rename(partial, destPath);
    return { sheet: sheet.name, sheets: pkg.sheets.map((s) => s.name), columns: last - first + 1, rows, csvBytes: out.bytes };
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  } finally {
    await fh?.close().catch(() => undefined);
    pkg.close();
  }
}
