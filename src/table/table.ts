/**
 * Typed tables, the data model every layer shares: what ingest produces from a CSV/TSV file (or
 * an inference request's CSV text) once every column has a type, and what the AutoML plan consumes
 * at training and at prediction time. Pure types and constants: table/ imports nothing.
 *
 * Column-major, one typed array per column, so that 1M rows × 50 columns stays within memory:
 * numbers as Float64 (NaN = missing), strings dictionary-encoded (Int32 codes into `levels`,
 * -1 = missing), dates as epoch seconds UTC (NaN = missing), text as JS strings ('' = missing).
 */

/** Column types of `column_info.csv` and of the column analysis. */
export const COLUMN_TYPES = ['integer', 'float', 'string', 'text', 'date', 'ignore'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** Numeric type codes of `initial_data_type` / `available_data_types` (DESIGN.md §1 row 8). */
export const COLUMN_TYPE_CODE: Readonly<Record<ColumnType, number>> = {
  ignore: 0,
  integer: 1,
  float: 2,
  string: 3,
  text: 4,
  date: 5,
};

export interface NumberColumn {
  readonly name: string;
  readonly type: 'integer' | 'float';
  readonly values: Float64Array;
}

export interface StringColumn {
  readonly name: string;
  readonly type: 'string';
  /** Index into `levels`; -1 = missing (empty cell). */
  readonly codes: Int32Array;
  /** Distinct non-empty values, in order of first appearance. */
  readonly levels: readonly string[];
}

export interface TextColumn {
  readonly name: string;
  readonly type: 'text';
  /** '' = missing. */
  readonly values: readonly string[];
}

export interface DateColumn {
  readonly name: string;
  readonly type: 'date';
  /** Seconds since 1970-01-01T00:00:00Z (the file's wall-clock time read as UTC); NaN = missing or unparsable. */
  readonly values: Float64Array;
  /** The detected format, e.g. 'yyyy-MM-dd HH:mm:ss' (see ingest/dates). */
  readonly format: string;
}

export interface IgnoredColumn {
  readonly name: string;
  readonly type: 'ignore';
}

export type TypedColumn = NumberColumn | StringColumn | TextColumn | DateColumn | IgnoredColumn;

export interface TypedTable {
  readonly nRows: number;
  readonly columns: readonly TypedColumn[];
}
