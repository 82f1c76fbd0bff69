/**
 * Appends CSV records into typed, growable column buffers (no row objects) and validates the
 * layout rules of spec §8: unique, non-empty header names and the same field count on every row.
 */
import { detectDateFormat, parseDate } from '../formats/dates.js';
import { AppError } from '../domain/errors.js';
import { duplicateColumn, raggedRow } from './errors.js';
import type { ColumnType, TypedColumn, TypedTable } from '../table/table.js';
import { parseNumber } from './values.js';

export interface TableTypesOptions {
  /** Type per column name. Columns of the file not named here are ignored. */
  readonly types: Readonly<Record<string, ColumnType>>;
  /** Date format per date column; detected from the first 1,000 values when absent. */
  readonly dateFormats?: Readonly<Record<string, string>>;
  /** Current year for `mmm-yy` dates; defaults to the clock's UTC year. */
  readonly referenceYear?: number;
}

/** Values a date column collects before it detects its format (the product's detection window). */
const DATE_DETECT_ROWS = 1000;

/**
 * Check a header: no empty or duplicate names, at least `minColumns` columns.
 * Throws `EMPTY_COLUMN_NAME`, `DUPLICATE_COLUMN` or `TOO_FEW_COLUMNS`.
 */
export function validateHeader(header: readonly string[], minColumns: number): void {
  const seen = new Set<string>();
  for (let i = 0; i < header.length; i++) {
    const name = header[i]!;
    if (name.trim() === '') throw new AppError('EMPTY_COLUMN_NAME', `column ${i + 1} of the header has no name`, { line: 1 });
    if (seen.has(name)) throw duplicateColumn(name);
    seen.add(name);
  }
  if (header.length < minColumns) {
    throw new AppError('TOO_FEW_COLUMNS', `the file has ${header.length} column(s); at least ${minColumns} are required`, { line: 1 });
  }
}

/**
 * A copy of `s` that does not pin the chunk it was sliced from. V8 slices of 13+ characters point
 * into their parent string, so keeping one level per 1 MB chunk would keep the whole file alive;
 * shorter slices are copied by V8 already.
 */
function detached(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}

class GrowableF64 {
  #buf = new Float64Array(1024);
  #n = 0;
  push(v: number): void {
    if (this.#n === this.#buf.length) {
      const next = new Float64Array(this.#buf.length * 2);
      next.set(this.#buf);
      this.#buf = next;
    }
    this.#buf[this.#n++] = v;
  }
  finish(): Float64Array {
    return this.#buf.slice(0, this.#n);
  }
}

class GrowableI32 {
  #buf = new Int32Array(1024);
  #n = 0;
  push(v: number): void {
    if (this.#n === this.#buf.length) {
      const next = new Int32Array(this.#buf.length * 2);
      next.set(this.#buf);
      this.#buf = next;
    }
    this.#buf[this.#n++] = v;
  }
  finish(): Int32Array {
    return this.#buf.slice(0, this.#n);
  }
}

interface ColumnBuilder {
  push(cell: string): void;
  finish(): TypedColumn;
}

class NumberBuilder implements ColumnBuilder {
  readonly #values = new GrowableF64();
  constructor(
    readonly name: string,
    readonly type: 'integer' | 'float',
  ) {}
  push(cell: string): void {
    this.#values.push(parseNumber(cell));
  }
  finish(): TypedColumn {
    return { name: this.name, type: this.type, values: this.#values.finish() };
  }
}

class StringBuilder implements ColumnBuilder {
  readonly #codes = new GrowableI32();
  readonly #codeByLevel = new Map<string, number>();
  readonly #levels: string[] = [];
  constructor(readonly name: string) {}
  push(cell: string): void {
    if (cell === '') {
      this.#codes.push(-1);
      return;
    }
    let code = this.#codeByLevel.get(cell);
    if (code === undefined) {
      code = this.#levels.length;
      const level = detached(cell);
      this.#levels.push(level);
      this.#codeByLevel.set(level, code);
    }
    this.#codes.push(code);
  }
  finish(): TypedColumn {
    return { name: this.name, type: 'string', codes: this.#codes.finish(), levels: this.#levels };
  }
}

class TextBuilder implements ColumnBuilder {
  readonly #values: string[] = [];
  constructor(readonly name: string) {}
  push(cell: string): void {
    this.#values.push(detached(cell));
  }
  finish(): TypedColumn {
    return { name: this.name, type: 'text', values: this.#values };
  }
}

/** Parses dates once the format is known; without one, buffers the first values and detects it. */
class DateBuilder implements ColumnBuilder {
  readonly #values = new GrowableF64();
  #format: string | null;
  #pending: string[] | null;
  constructor(
    readonly name: string,
    format: string | undefined,
    readonly referenceYear: number,
  ) {
    this.#format = format ?? null;
    this.#pending = format === undefined ? [] : null;
  }
  push(cell: string): void {
    if (this.#pending !== null) {
      this.#pending.push(cell);
      if (this.#pending.length >= DATE_DETECT_ROWS) this.#flushPending();
      return;
    }
    this.#values.push(this.#parse(cell));
  }
  #parse(cell: string): number {
    if (cell === '' || this.#format === null) return NaN;
    return parseDate(cell, this.#format, { referenceYear: this.referenceYear });
  }
  #flushPending(): void {
    const pending = this.#pending!;
    this.#pending = null;
    this.#format = detectDateFormat(pending, { columnName: this.name, referenceYear: this.referenceYear });
    for (const cell of pending) this.#values.push(this.#parse(cell));
  }
  finish(): TypedColumn {
    if (this.#pending !== null) this.#flushPending();
    return { name: this.name, type: 'date', values: this.#values.finish(), format: this.#format ?? '' };
  }
}

/** Consumes the header and then one record at a time. */
export class TableBuilder {
  readonly #header: readonly string[];
  readonly #builders: (ColumnBuilder | null)[];
  #nRows = 0;

  constructor(header: readonly string[], opts: TableTypesOptions, minColumns: number) {
    validateHeader(header, minColumns);
    this.#header = header;
    const headerSet = new Set(header);
    for (const [name, type] of Object.entries(opts.types)) {
      if (type !== 'ignore' && !headerSet.has(name)) {
        throw new AppError('MISSING_COLUMN', `the data has no column ${JSON.stringify(name)}`, { column: name });
      }
    }
    const referenceYear = opts.referenceYear ?? new Date().getUTCFullYear();
    this.#builders = header.map((name) => {
      const type = Object.hasOwn(opts.types, name) ? opts.types[name]! : 'ignore';
      switch (type) {
        case 'integer':
        case 'float':
          return new NumberBuilder(name, type);
        case 'string':
          return new StringBuilder(name);
        case 'text':
          return new TextBuilder(name);
        case 'date':
          return new DateBuilder(
            name,
            opts.dateFormats !== undefined && Object.hasOwn(opts.dateFormats, name) ? opts.dateFormats[name] : undefined,
            referenceYear,
          );
        case 'ignore':
          return null;
      }
    });
  }

  get nRows(): number {
    return this.#nRows;
  }

  /** Append one record; `line` is its physical line (for errors). */
  add(fields: readonly string[], nFields: number, line: number): void {
    const builders = this.#builders;
    const nColumns = builders.length;
    if (nFields !== nColumns) throw raggedRow(line, this.#nRows + 1, nColumns, nFields);
    for (let i = 0; i < nColumns; i++) {
      const builder = builders[i];
      if (builder !== null) builder!.push(fields[i]!);
    }
    this.#nRows++;
  }

  finish(): TypedTable {
    const columns = this.#builders.map((b, i): TypedColumn => (b === null ? { name: this.#header[i]!, type: 'ignore' } : b.finish()));
    return { nRows: this.#nRows, columns };
  }
}
