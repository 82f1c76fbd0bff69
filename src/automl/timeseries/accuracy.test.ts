import { describe, expect, it } from 'vitest';
import { accuracyOf } from './accuracy.js';

describe('forecast accuracy', () => {
  it('computes RMSE, MAE and MASE against each forecast’s scale', () => {
    const a = accuracyOf([1, 2, 3], [2, 2, 5], [1, 1, 2]);
    expect(a.rmse).toBeCloseTo(Math.sqrt(5 / 3));
    expect(a.mae).toBeCloseTo(1);
    expect(a.mase).toBeCloseTo((1 + 0 + 1) / 3);
    expect(accuracyOf([], [], []).n).toBe(0);
  });
});
