import { describe, expect, it } from 'vitest';
import { mae, medianAbsoluteError, mse, r2, rmse } from './regression.js';

describe('regression metrics', () => {
  const y = Float64Array.of(3, -0.5, 2, 7);
  const p = Float64Array.of(2.5, 0, 2, 8);

  it('match hand-computed values (scikit-learn documentation example)', () => {
    expect(mse(y, p)).toBeCloseTo(0.375, 15);
    expect(rmse(y, p)).toBeCloseTo(Math.sqrt(0.375), 15);
    expect(mae(y, p)).toBeCloseTo(0.5, 15);
    expect(medianAbsoluteError(y, p)).toBe(0.5);
    expect(r2(y, p)).toBeCloseTo(0.9486081370449679, 14);
  });

  it('weights act like repeated rows', () => {
    const w = Float64Array.of(2, 1, 1, 3);
    const yr = Float64Array.of(3, 3, -0.5, 2, 7, 7, 7);
    const pr = Float64Array.of(2.5, 2.5, 0, 2, 8, 8, 8);
    expect(mse(y, p, w)).toBeCloseTo(mse(yr, pr), 14);
    expect(mae(y, p, w)).toBeCloseTo(mae(yr, pr), 14);
    expect(r2(y, p, w)).toBeCloseTo(r2(yr, pr), 14);
  });

  it('median of odd n and R² on a constant target', () => {
    expect(medianAbsoluteError(Float64Array.of(1, 2, 3), Float64Array.of(1, 0, 6))).toBe(2);
    expect(medianAbsoluteError(new Float64Array(0), new Float64Array(0))).toBeNaN();
    expect(r2(Float64Array.of(1, 1), Float64Array.of(1, 1))).toBe(1);
    expect(r2(Float64Array.of(1, 1), Float64Array.of(1, 2))).toBe(0);
  });
});
