import { describe, expect, it } from 'vitest';
import { combine, gbdtWeight } from './combine.js';

describe('combining the methods', () => {
  const f = { naive: 10, ets: 12, gbdt: 16 };
  it('picks or blends by the series method', () => {
    expect(combine('seasonal naive', f, false)).toBe(10);
    expect(combine('ETS', f, false)).toBe(12);
    expect(combine('GBDT', f, false)).toBe(16);
    expect(combine('GBDT + ETS', f, false)).toBe(14);
    expect(gbdtWeight('GBDT + ETS')).toBe(0.5);
  });
  it('falls back when the GBDT has no forecast, and clips counts at zero', () => {
    expect(combine('GBDT', { ...f, gbdt: NaN }, false)).toBe(12);
    expect(combine('ETS', { ...f, ets: -3 }, true)).toBe(0);
    expect(combine('ETS', { ...f, ets: -3 }, false)).toBe(-3);
  });
});
