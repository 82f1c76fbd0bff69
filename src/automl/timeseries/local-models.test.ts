import { describe, expect, it } from 'vitest';
import { etsForecasts, fitEts, seasonalNaive } from './local-models.js';

const seasonal = (n: number, m: number, trend = 0): Float64Array => Float64Array.from({ length: n }, (_, i) => 10 + 3 * Math.sin((2 * Math.PI * i) / m) + trend * i);

describe('seasonal naive', () => {
  it('repeats the last season and skips missing cells', () => {
    const y = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(seasonalNaive(y, 7, 1, 4)).toBe(5);
    expect(seasonalNaive(y, 7, 5, 4)).toBe(5); // two seasons back (position 4): never after the origin
    expect(seasonalNaive(y, 7, 2, 4)).toBe(6);
    y[4] = NaN;
    expect(seasonalNaive(y, 7, 1, 4)).toBe(1);
    expect(seasonalNaive(Float64Array.from([3, NaN]), 1, 1, 1)).toBe(3);
  });
});

describe('ETS (Holt-Winters, additive, damped)', () => {
  it('forecasts a noiseless seasonal series almost exactly', () => {
    const y = seasonal(140, 7);
    const p = fitEts(y, 139, 7);
    expect(p.season).toBe(7);
    const truth = seasonal(147, 7);
    const f = etsForecasts(y, p, [139], 7);
    for (let h = 1; h <= 7; h++) expect(Math.abs(f[h - 1]! - truth[139 + h]!)).toBeLessThan(0.2);
  });

  it('follows a trend and runs through gaps on its own forecast', () => {
    const y = seasonal(140, 7, 0.5);
    for (const g of [50, 51, 90]) y[g] = NaN;
    const p = fitEts(y, 139, 7);
    const f = etsForecasts(y, p, [139], 3);
    expect(Number.isFinite(f[0]!)).toBe(true);
    expect(Math.abs(f[2]! - seasonal(143, 7, 0.5)[142]!)).toBeLessThan(2);
  });

  it('drops the season when fewer than two seasons are observed', () => {
    expect(fitEts(seasonal(10, 7), 9, 7).season).toBe(1);
  });

  it('reads nothing after each origin', () => {
    const y = seasonal(100, 7);
    const p = fitEts(y, 99, 7);
    const a = etsForecasts(y, p, [60, 80], 5);
    const z = Float64Array.from(y);
    for (let i = 81; i < 100; i++) z[i] = 1e6;
    const b = etsForecasts(z, p, [60, 80], 5);
    expect(Array.from(b)).toEqual(Array.from(a));
  });
});
