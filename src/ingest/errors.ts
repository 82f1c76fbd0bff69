/** Typed ingest errors: a stable `code` per failure so the API layer can map each to a documented error. */
import { CsvRecordTooLong } from '../formats/csv-reader.js';

export const INGEST_ERROR_CODES = [
  'UPLOAD_TOO_LARGE',
  'BAD_ENCODING',
  'RAGGED_ROW',
  'DUPLICATE_COLUMN',
  'EMPTY_COLUMN_NAME',
  'TOO_FEW_COLUMNS',
  'EMPTY_FILE',
  'BAD_COLUMN_INFO',
  'UNKNOWN_COLUMN',
  'MISSING_COLUMN',
  'MALFORMED_CSV',
  'RECORD_TOO_LONG',
  'TOO_MANY_COLUMNS',
  'PROFILE_MEMORY_EXCEEDED',
] as const;
export type IngestErrorCode = (typeof INGEST_ERROR_CODES)[number];

/** Row/line facts attached to an error; every field optional. */
export interface IngestErrorDetails {
  /** 1-based physical line where the offending record starts (the header is line 1). */
  readonly line?: number;
  /** 1-based data row (the first row after the header is row 1). */
  readonly row?: number;
  readonly expectedFields?: number;
  readonly actualFields?: number;
  readonly column?: string;
  readonly maxBytes?: number;
  readonly byteOffset?: number;
  readonly value?: string;
}

export class IngestError extends Error {
  override readonly name = 'IngestError';
  constructor(
    readonly code: IngestErrorCode,
    message: string,
    readonly details: IngestErrorDetails = {},
  ) {
    super(message);
  }
}

/** The upload exceeded `maxBytes` (original bytes, before transcoding). */
export class UploadTooLarge extends IngestError {
  constructor(maxBytes: number) {
    super('UPLOAD_TOO_LARGE', `upload exceeds the limit of ${maxBytes} bytes`, { maxBytes });
  }
}

/** A record whose field count differs from the header's. */
export class RaggedRow extends IngestError {
  constructor(line: number, row: number, expectedFields: number, actualFields: number) {
    super('RAGGED_ROW', `row ${row} (line ${line}) has ${actualFields} fields, the header has ${expectedFields}`, {
      line,
      row,
      expectedFields,
      actualFields,
    });
  }
}

export class DuplicateColumn extends IngestError {
  constructor(column: string) {
    super('DUPLICATE_COLUMN', `duplicate column name "${column}" in the header`, { line: 1, column });
  }
}

export class BadColumnInfo extends IngestError {
  constructor(message: string, line: number, value?: string) {
    super('BAD_COLUMN_INFO', `column_info.csv line ${line}: ${message}`, value === undefined ? { line } : { line, value });
  }
}

/** A record longer than the reader's `maxRecordChars` (MAX_RECORD_CHARS). */
export class RecordTooLong extends IngestError {
  constructor(line: number, maxChars: number) {
    super('RECORD_TOO_LONG', `the record starting at line ${line} is longer than ${maxChars} characters (MAX_RECORD_CHARS)`, { line });
  }
}

/** The CSV reader's own error as an IngestError; anything else unchanged. */
export function fromReaderError(err: unknown): unknown {
  return err instanceof CsvRecordTooLong ? new RecordTooLong(err.line, err.maxChars) : err;
}
