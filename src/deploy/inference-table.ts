/**
 * The `pr` CSV of an inference request → the typed table the model predicts on, row by row:
 * rows the model cannot read (wrong field count, a value that does not parse as the column's type)
 * are set aside with a reason instead of failing the request; missing model columns become
 * missing values (with a warning); extra columns are ignored (but kept for `ad`).
 */
import { CsvRecordReader, type RecordSink } from '../formats/csv-reader.js';
import { detectDateFormat, parseDate } from '../formats/dates.js';
import { parseNumber } from '../ingest/index.js';
import type { ColumnType, TypedColumn, TypedTable } from '../table/table.js';
import { invalidRequest } from './inference-request.js';

/** DESIGN row 15: header + N rows, N ≤ 10,000 per request. */
export const MAX_INFERENCE_ROWS = 10_000;

export interface ModelInput {
  readonly name: string;
  readonly type: ColumnType;
}

export interface InferenceTableOptions {
  /** The model's input columns (`AutoModelInfo.inputColumns`). */
  readonly inputColumns: readonly ModelInput[];
  /** `pc`: must be a column of the CSV. */
  readonly keyColumn: string | null;
  /** `ad`: keep every row's cells for the output. */
  readonly keepInputCells: boolean;
  readonly maxRows?: number;
  /** Training date format per date column; detected from the request's values when absent. */
  readonly dateFormats?: Readonly<Record<string, string>>;
  /** Current UTC year, for `mmm-yy` dates. */
  readonly referenceYear: number;
}

/** A data row that was not predicted. */
export interface InvalidRow {
  /** 1-based data row number (the first row after the header is 1). */
  readonly rowNumber: number;
  /** The row's `pc` cell, when `pc` was given and the row has it. */
  readonly key: string | null;
  readonly reason: string;
}

export interface InferenceTable {
  /** The CSV's header, BOM removed. */
  readonly header: readonly string[];
  /** Data rows in the CSV. */
  readonly nRows: number;
  /** Predictable rows only, one column per model input, in the model's order. */
  readonly table: TypedTable;
  /** Row number of each predictable row (length `table.nRows`). */
  readonly rowNumbers: Int32Array;
  /** `pc` cell of each predictable row, or null without `pc`. */
  readonly keys: readonly string[] | null;
  /** Cells (header order) of each predictable row when `keepInputCells`, else null. */
  readonly inputCells: readonly (readonly string[])[] | null;
  readonly invalidRows: readonly InvalidRow[];
  /** Request-level notes, e.g. a model column missing from the CSV. */
  readonly warnings: readonly string[];
}

const TOO_MANY_ROWS = Symbol('too many rows');

/** Tab-separated when the header line has a tab and no comma; comma otherwise. */
function sniffDelimiter(text: string): ',' | '\t' {
  const end = text.search(/[\r\n]/);
  const firstLine = end < 0 ? text : text.slice(0, end);
  return !firstLine.includes(',') && firstLine.includes('\t') ? '\t' : ',';
}

/**
 * Collects a CSV's records. A class rather than a closure: closures made per request are named at
 * run time by the TypeScript loader (tsx keeps function names with a defineProperty), which cost
 * more than reading a one-row CSV.
 */
class RecordCollector {
  readonly records: string[][] = [];
  constructor(readonly maxRows: number) {}

  readonly sink: RecordSink = RecordCollector.prototype.add.bind(this);

  add(fields: string[], nFields: number): void {
    if (this.records.length > this.maxRows) throw TOO_MANY_ROWS;
    this.records.push(fields.slice(0, nFields));
  }
}

function readRecords(text: string, maxRows: number): string[][] {
  const collector = new RecordCollector(maxRows);
  const reader = new CsvRecordReader(sniffDelimiter(text));
  try {
    reader.push(text, collector.sink);
    reader.end(collector.sink);
  } catch (err) {
    if (err === TOO_MANY_ROWS) throw invalidRequest(`the CSV has more than ${maxRows} data rows; send at most ${maxRows} per request`);
    throw err;
  }
  const records = collector.records;
  if (records.length > maxRows + 1) throw invalidRequest(`the CSV has more than ${maxRows} data rows; send at most ${maxRows} per request`);
  return records;
}

function checkHeader(header: string[]): void {
  if (header.length > 0 && header[0]!.charCodeAt(0) === 0xfeff) header[0] = header[0]!.slice(1);
  const seen = new Set<string>();
  for (let i = 0; i < header.length; i++) {
    const name = header[i]!;
    if (name.trim() === '') throw invalidRequest(`column ${i + 1} of the CSV header has no name`);
    if (seen.has(name)) throw invalidRequest(`the CSV header has the column "${name}" twice`);
    seen.add(name);
  }
}

/** Per model column: where its cells are and how they are read. */
interface CellReader {
  readonly input: ModelInput;
  /** Index in the CSV header, -1 when the column is missing. */
  readonly fieldIdx: number;
  /** Date columns: the format the whole column was read with (null: per cell). */
  readonly dateFormat: string | null;
}

/** Why a cell cannot be read as the reader's column (a row-level reason), or null when it can. */
function cellProblem(reader: CellReader, cell: string, referenceYear: number): string | null {
  if (cell === '') return null;
  const { name, type } = reader.input;
  switch (type) {
    case 'integer':
    case 'float':
      return Number.isFinite(parseNumber(cell)) ? null : `column "${name}": "${cell}" is not a number`;
    case 'date': {
      const format = reader.dateFormat;
      return cellDateFormat(cell, format, name, referenceYear) !== null
        ? null
        : `column "${name}": "${cell}" is not a date${format === null ? '' : ` in the format ${format}`}`;
    }
    default:
      return null;
  }
}

function dateFormatFor(name: string, cells: readonly string[], opts: InferenceTableOptions): string | null {
  const given = opts.dateFormats !== undefined && Object.hasOwn(opts.dateFormats, name) ? opts.dateFormats[name] : undefined;
  if (given !== undefined) return given;
  const detectOpts = { columnName: name, referenceYear: opts.referenceYear };
  const format = detectDateFormat(cells, detectOpts);
  if (format !== null) return format;
  // Some cells are bad or in another format: read the column in its most common format, so that
  // only the odd cells make their rows invalid. Ties go to the format seen first.
  const counts = new Map<string, number>();
  let best: string | null = null;
  for (const cell of cells) {
    if (cell === '') continue;
    const f = detectDateFormat([cell], detectOpts);
    if (f === null) continue;
    const n = (counts.get(f) ?? 0) + 1;
    counts.set(f, n);
    if (best === null || n > counts.get(best)!) best = f;
  }
  return best;
}

/** The format one cell parses with: the column's, else the first that fits the cell alone. */
function cellDateFormat(cell: string, columnFormat: string | null, name: string, referenceYear: number): string | null {
  if (columnFormat !== null) return Number.isNaN(parseDate(cell, columnFormat, { referenceYear })) ? null : columnFormat;
  return detectDateFormat([cell], { columnName: name, referenceYear });
}

/**
 * Read the request CSV against the model's inputs. Throws AppError 4001030104 for what
 * makes the whole request unusable: no header, empty or duplicate column names, no data rows, more
 * than `maxRows` rows, a `pc` column the CSV lacks, or none of the model's columns present.
 * @example
 * const t = readInferenceTable('age,city\n30,Tokyo\nabc,Osaka\n', { inputColumns: [{ name: 'age', type: 'integer' }], keyColumn: null, keepInputCells: false, referenceYear: 2026 });
 * t.table.nRows // → 1; t.invalidRows[0].reason // → 'column "age": "abc" is not a number'
 */
export function readInferenceTable(csvText: string, opts: InferenceTableOptions): InferenceTable {
  const maxRows = opts.maxRows ?? MAX_INFERENCE_ROWS;
  const records = readRecords(csvText, maxRows);
  if (records.length === 0) throw invalidRequest('the CSV is empty; it needs a header row and at least one data row');
  const header = records[0]!;
  checkHeader(header);
  const nRows = records.length - 1;
  if (nRows === 0) throw invalidRequest('the CSV has a header but no data rows');
  const fieldIdxByName = new Map(header.map((name, i) => [name, i] as const));
  const keyIdx = opts.keyColumn === null ? -1 : (fieldIdxByName.get(opts.keyColumn) ?? -2);
  if (keyIdx === -2) throw invalidRequest(`pc: the column "${opts.keyColumn}" is not in the CSV header`);

  const warnings: string[] = [];
  const used = opts.inputColumns.filter((c) => c.type !== 'ignore');
  const missing = used.filter((c) => !fieldIdxByName.has(c.name));
  if (used.length > 0 && missing.length === used.length) {
    throw invalidRequest(
      `the CSV has none of the model's columns (${used
        .slice(0, 5)
        .map((c) => `"${c.name}"`)
        .join(', ')}${used.length > 5 ? ', ...' : ''})`,
    );
  }
  for (const c of missing) warnings.push(`column "${c.name}" is missing from the CSV; it was read as missing in every row`);

  const width = header.length;
  const readers: CellReader[] = opts.inputColumns.map((input) => {
    const fieldIdx = fieldIdxByName.get(input.name) ?? -1;
    if (input.type !== 'date') return { input, fieldIdx, dateFormat: null };
    const cells: string[] = [];
    if (fieldIdx >= 0) for (let r = 1; r < records.length; r++) if (records[r]!.length === width) cells.push(records[r]![fieldIdx]!);
    return { input, fieldIdx, dateFormat: dateFormatFor(input.name, cells, opts) };
  });

  const validRows: string[][] = [];
  const rowNumbers: number[] = [];
  const invalidRows: InvalidRow[] = [];
  for (let r = 1; r < records.length; r++) {
    const fields = records[r]!;
    const key = keyIdx >= 0 && keyIdx < fields.length ? fields[keyIdx]! : null;
    if (fields.length !== width) {
      invalidRows.push({ rowNumber: r, key, reason: `the row has ${fields.length} fields, the header has ${width}` });
      continue;
    }
    let problems: string[] | null = null;
    for (const reader of readers) {
      if (reader.fieldIdx < 0) continue;
      const problem = cellProblem(reader, fields[reader.fieldIdx]!, opts.referenceYear);
      if (problem !== null) (problems ??= []).push(problem);
    }
    if (problems !== null) {
      invalidRows.push({ rowNumber: r, key, reason: problems.join('; ') });
      continue;
    }
    validRows.push(fields);
    rowNumbers.push(r);
  }

  const columns = readers.map((reader) => buildColumn(reader, validRows, opts));
  return {
    header,
    nRows,
    table: { nRows: validRows.length, columns },
    rowNumbers: Int32Array.from(rowNumbers),
    keys: keyIdx >= 0 ? validRows.map((fields) => fields[keyIdx]!) : null,
    inputCells: opts.keepInputCells ? validRows : null,
    invalidRows,
    warnings,
  };
}

/** Cell `idx` of row r ('' for a column missing from the CSV: idx < 0). */
function cellAt(rows: readonly string[][], r: number, idx: number): string {
  return idx < 0 ? '' : rows[r]![idx]!;
}

/** One typed column over the valid rows; a missing column is all missing. */
function buildColumn(reader: CellReader, rows: readonly string[][], opts: InferenceTableOptions): TypedColumn {
  const { name, type } = reader.input;
  const idx = reader.fieldIdx;
  const n = rows.length;
  switch (type) {
    case 'integer':
    case 'float': {
      const values = new Float64Array(n);
      for (let r = 0; r < n; r++) values[r] = parseNumber(cellAt(rows, r, idx));
      return { name, type, values };
    }
    case 'string': {
      const codes = new Int32Array(n);
      const levels: string[] = [];
      const codeByLevel = new Map<string, number>();
      for (let r = 0; r < n; r++) {
        const c = cellAt(rows, r, idx);
        if (c === '') {
          codes[r] = -1;
          continue;
        }
        let code = codeByLevel.get(c);
        if (code === undefined) {
          code = levels.length;
          levels.push(c);
          codeByLevel.set(c, code);
        }
        codes[r] = code;
      }
      return { name, type, codes, levels };
    }
    case 'text': {
      const values: string[] = [];
      for (let r = 0; r < n; r++) values.push(cellAt(rows, r, idx));
      return { name, type, values };
    }
    case 'date': {
      const values = new Float64Array(n);
      const columnFormat = reader.dateFormat;
      for (let r = 0; r < n; r++) {
        const c = cellAt(rows, r, idx);
        const format = c === '' ? null : cellDateFormat(c, columnFormat, name, opts.referenceYear);
        values[r] = format === null ? NaN : parseDate(c, format, { referenceYear: opts.referenceYear });
      }
      return { name, type, values, format: columnFormat ?? '' };
    }
    case 'ignore':
      return { name, type };
  }
}
