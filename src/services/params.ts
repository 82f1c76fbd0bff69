/** Parameter coercion shared by services: query strings and JSON values → typed values, or INVALID_PARAMETER. */
import { AppError } from '../domain/errors.js';

/** An integer from a number or a decimal string, at least `min`. */
export function parseIntParam(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
    throw new AppError('INVALID_PARAMETER', `${name}: got ${JSON.stringify(value)}; allowed: ${range}`);
  }
  return n;
}

/** offset/limit of the list endpoints (spec §8: defaults 0 and 30). */
export function parsePage(offset: unknown, limit: unknown): { offset: number; limit: number } {
  return {
    offset: offset === undefined || offset === '' ? 0 : parseIntParam('offset', offset, 0),
    limit: limit === undefined || limit === '' ? 30 : parseIntParam('limit', limit, 1, 1000),
  };
}

export function requireString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new AppError('INVALID_PARAMETER', `${name}: got ${JSON.stringify(value ?? null)}; allowed: a non-empty string`);
  }
  return value;
}
