/**
 * The ingest failures that several readers raise, as AppErrors (catalogue: domain/errors.ts). The
 * detail names row, line and column for the message; `facts` carries the same numbers.
 */
import { AppError } from '../domain/errors.js';

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
