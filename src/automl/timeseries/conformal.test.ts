import { describe, expect, it } from 'vitest';
import { Rng } from '../../engine/index.js';
import { calibrateBand, conformalQuantile, seriesScale } from './conformal.js';
import { gaussian } from './fixtures.js';

describe('split-conformal band', () => {
  it('takes the ⌈(n+1)·0.9⌉-th smallest residual', () => {
    const r = Array.from({ length: 19 }, (_, i) => i + 1);
    expect(conformalQuantile(r)).toBe(18);
    expect(conformalQuantile([1, 2])).toBe(2);
    expect(conformalQuantile([])).toBe(Infinity);
  });

  it('covers about 90% of new residuals from the same noise, per step, widening with the step', () => {
    const rng = new Rng(4);
    const residuals = [];
    for (let i = 0; i < 4000; i++) {
      const h = 1 + (i % 4);
      residuals.push({ h, value: Math.abs(gaussian(rng) * h), late: i >= 2000 });
    }
    const band = calibrateBand(residuals, 1, 4);
    expect(band.heldBackCount).toBe(2000);
    expect(band.heldBackCoverage).toBeGreaterThan(0.87);
    expect(band.heldBackCoverage).toBeLessThan(0.93);
    // |N(0, h²)| has its 90% quantile at 1.645·h.
    band.quantiles.forEach((q, k) => expect(q / (k + 1)).toBeCloseTo(1.645, 0));
    for (let k = 1; k < 4; k++) expect(band.quantiles[k]!).toBeGreaterThanOrEqual(band.quantiles[k - 1]!);
  });

  it('scales by the mean absolute seasonal difference', () => {
    expect(seriesScale(Float64Array.from([1, 2, 4, 3, NaN, 7]), 5, 2)).toBeCloseTo((3 + 1 + 4) / 3);
    expect(seriesScale(Float64Array.from([5, 5, 5]), 2, 1)).toBe(1);
  });
});
