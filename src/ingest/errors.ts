/**
 * The ingest failures that several readers raise, as AppErrors (catalogue: domain/errors.ts). The
 * detail names row, line and column for the message; `facts` carries the same numbers.
 */
import { AppError } from '../domain/errors.js';
import { CsvRecordTooLong } from '../formats/csv-reader.js';

/** The upload exceeded `maxBytes` (original bytes, before transcoding). */
export function uploadTooLarge(maxBytes: number): AppError {
  return new AppError('UPLOAD_TOO_LARGE', `upload exceeds the limit of ${maxBytes} bytes`, { maxBytes });
}

/** A record whose field count differs from the header's. */
export function raggedRow(line: number, row: number, expectedFields: number, actualFields: number): AppError {
  return new AppError('RAGGED_ROW', `row ${row} (line ${line}) has ${actualFields} fields, the header has ${expectedFields}`, {
    line,
    row,
    expectedFields,
    actualFields,
  });
}

export function duplicateColumn(column: string): AppError {
  return new AppError('DUPLICATE_COLUMN', `duplicate column name "${column}" in the header`, { line: 1, column });
}

export function badColumnInfo(message: string, line: number, value?: string): AppError {
  return new AppError('BAD_COLUMN_INFO', `column_info.csv line ${line}: ${message}`, value === undefined ? { line } : { line, value });
}

/** A record longer than the reader's `maxRecordChars` (MAX_RECORD_CHARS). */
export function recordTooLong(line: number, maxChars: number): AppError {
  return new AppError('RECORD_TOO_LONG', `the record starting at line ${line} is longer than ${maxChars} characters (MAX_RECORD_CHARS)`, { line });
}

/** The CSV reader's own error as an AppError; anything else unchanged. */
export function fromReaderError(err: unknown): unknown {
  return err instanceof CsvRecordTooLong ? recordTooLong(err.line, err.maxChars) : err;
}
