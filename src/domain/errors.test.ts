import { describe, expect, it } from 'vitest';
import { AppError, CATALOGUE, failureText, fromWire, httpStatusOf, toWire, withContext } from './errors.js';

describe('AppError', () => {
  it('appends the detail to the catalogue message, except for the fixed documented messages', () => {
    expect(new AppError('INVALID_CONFIG', 'cv: got 1').message).toBe('Invalid config: cv: got 1');
    expect(new AppError('INVALID_CONFIG').message).toBe('Invalid config');
    const denied = new AppError('INFERENCE_IP_NOT_ALLOWED', 'source 10.0.0.1');
    expect([denied.message, denied.detail, denied.status]).toEqual(['Not allowed source ip', 'source 10.0.0.1', 403]);
  });

  it('takes its status from the first three digits of every code', () => {
    for (const spec of Object.values(CATALOGUE)) expect(httpStatusOf(spec.code)).toBe(Math.floor(spec.code / 10_000_000));
  });

  it('puts a context before the detail and keeps the facts', () => {
    const err = withContext(new AppError('RAGGED_ROW', 'row 2 (line 3) has 1 fields, the header has 2', { row: 2, line: 3 }), 'learn file') as AppError;
    expect([err.kind, err.detail, err.facts]).toEqual(['RAGGED_ROW', 'learn file: row 2 (line 3) has 1 fields, the header has 2', { row: 2, line: 3 }]);
    expect(failureText(err)).toBe(err.detail);
    expect(failureText(new AppError('MODEL_DELETED'))).toBe('This model may be deleted.');
  });
});

describe('errors across threads', () => {
  it('keep kind, detail and facts of a user-facing error as plain data', () => {
    const wire = toWire(new AppError('TOO_FEW_ROWS', 'at least 11 rows with a target are needed, got 7', { row: 7 }));
    const copy = structuredClone(wire); // what postMessage does
    const back = fromWire(copy);
    expect(back).toBeInstanceOf(AppError);
    expect([(back as AppError).kind, (back as AppError).detail, (back as AppError).facts, back.message]).toEqual([
      'TOO_FEW_ROWS',
      'at least 11 rows with a target are needed, got 7',
      { row: 7 },
      'Too few rows: at least 11 rows with a target are needed, got 7',
    ]);
  });

  it('turn any other error into an internal one that keeps only its message', () => {
    const back = fromWire(structuredClone(toWire(new RangeError('index out of range'))));
    expect(back).not.toBeInstanceOf(AppError);
    expect(back.message).toBe('index out of range');
    expect(fromWire(toWire('thrown text')).message).toBe('thrown text');
  });
});
