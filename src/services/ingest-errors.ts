/** Maps ingest's typed errors to API errors, keeping ingest's message (it names row, line, column). */
import { AppError, type ErrorName } from '../domain/errors.js';
import { IngestError, type IngestErrorCode } from '../ingest/index.js';

const KIND_BY_CODE: Readonly<Record<IngestErrorCode, ErrorName>> = {
  UPLOAD_TOO_LARGE: 'UPLOAD_TOO_LARGE',
  BAD_ENCODING: 'BAD_ENCODING',
  RAGGED_ROW: 'MALFORMED_FILE',
  DUPLICATE_COLUMN: 'MALFORMED_FILE',
  EMPTY_COLUMN_NAME: 'MALFORMED_FILE',
  TOO_FEW_COLUMNS: 'COLUMN_COUNT_INVALID',
  EMPTY_FILE: 'MALFORMED_FILE',
  MALFORMED_CSV: 'MALFORMED_FILE',
  BAD_COLUMN_INFO: 'BAD_COLUMN_INFO',
  UNKNOWN_COLUMN: 'BAD_COLUMN_INFO',
  MISSING_COLUMN: 'EVAL_COLUMNS_MISMATCH',
  RECORD_TOO_LONG: 'RECORD_TOO_LONG',
  TOO_MANY_COLUMNS: 'COLUMN_COUNT_INVALID',
  PROFILE_MEMORY_EXCEEDED: 'PROFILE_MEMORY_EXCEEDED',
};

/** Rethrows an IngestError as the matching AppError; other errors pass through unchanged. */
export function toAppError(err: unknown, fileLabel?: string): unknown {
  if (!(err instanceof IngestError)) return err;
  const kind = KIND_BY_CODE[err.code] ?? 'MALFORMED_FILE';
  return new AppError(kind, fileLabel === undefined ? err.message : `${fileLabel}: ${err.message}`);
}
