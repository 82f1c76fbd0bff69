/** Every ingest error code maps to a catalogued API error that keeps ingest's message. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import { INGEST_ERROR_CODES, IngestError } from '../../src/ingest/index.js';
import { toAppError } from '../../src/services/ingest-errors.js';

describe('toAppError', () => {
  it('maps each ingest code', () => {
    const expected: Record<string, number> = {
      UPLOAD_TOO_LARGE: 4131000601,
      BAD_ENCODING: 4001000330,
      TOO_FEW_COLUMNS: 4001000312,
      BAD_COLUMN_INFO: 4001000332,
      UNKNOWN_COLUMN: 4001000332,
      MISSING_COLUMN: 4001000313,
      BAD_WORKBOOK: 4001000333,
    };
    for (const code of INGEST_ERROR_CODES) {
      const mapped = toAppError(new IngestError(code, `why ${code}`), 'learn file');
      expect(mapped).toBeInstanceOf(AppError);
      expect((mapped as AppError).code).toBe(expected[code] ?? 4001000331);
      expect((mapped as AppError).message).toMatch(new RegExp(`: learn file: why ${code}$`));
    }
  });

  it('passes other errors through', () => {
    const err = new Error('disk full');
    expect(toAppError(err)).toBe(err);
  });
});
