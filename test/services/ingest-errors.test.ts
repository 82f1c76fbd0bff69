/** Every ingest failure answers a catalogued API error that keeps ingest's detail (row, line, column). */
import { describe, expect, it } from 'vitest';
import { AppError, withContext, type ErrorName } from '../../src/domain/errors.js';

describe('ingest errors', () => {
  it('answer the catalogued code of each ingest kind, with the file named before the detail', () => {
    const expected: Partial<Record<ErrorName, number>> = {
      UPLOAD_TOO_LARGE: 4131000601,
      BAD_ENCODING: 4001000330,
      TOO_FEW_COLUMNS: 4001000312,
      BAD_COLUMN_INFO: 4001000332,
      UNKNOWN_COLUMN: 4001000332,
      MISSING_COLUMN: 4001000313,
    };
    const kinds: ErrorName[] = [
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
    ];
    for (const kind of kinds) {
      const mapped = withContext(new AppError(kind, `why ${kind}`, { row: 3 }), 'learn file');
      expect(mapped).toBeInstanceOf(AppError);
      expect((mapped as AppError).code).toBe(expected[kind] ?? 4001000331);
      expect((mapped as AppError).message).toMatch(new RegExp(`: learn file: why ${kind}$`));
      expect((mapped as AppError).facts).toEqual({ row: 3 });
    }
  });

  it('passes other errors through', () => {
    const err = new Error('disk full');
    expect(withContext(err, 'learn file')).toBe(err);
  });
});
