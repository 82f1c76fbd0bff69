import { describe, expect, it } from 'vitest';
import { Rng } from '../../engine/index.js';
import { HALF_LIFE_SHARE, calibrateBand, conformalQuantile, recencyWeights, seriesScale, weightedConformalQuantile } from './conformal.js';
import type { ScaledResidual } from './conformal.js';
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
      residuals.push({ h, value: Math.abs(gaussian(rng) * h), series: 0, origin: Math.floor(i / 4), late: i >= 2000 });
    }
    const band = calibrateBand(residuals, 1, 4);
    expect(band.heldBackCount).toBe(2000);
    expect(band.heldBackCoverage).toBeGreaterThan(0.87);
    expect(band.heldBackCoverage).toBeLessThan(0.93);
    // |N(0, h²)| has its 90% quantile at 1.645·h.
    band.quantiles.forEach((q, k) => expect(q / (k + 1)).toBeCloseTo(1.645, 0));
    for (let k = 1; k < 4; k++) expect(band.quantiles[k]!).toBeGreaterThanOrEqual(band.quantiles[k - 1]!);
  });

  it('weights the new forecast like the newest origin: equal weights give the (n+1) quantile', () => {
    const r = Array.from({ length: 19 }, (_, i) => 19 - i);
    expect(
      weightedConformalQuantile(
        r,
        r.map(() => 1),
      ),
    ).toBe(18);
    expect(
      weightedConformalQuantile(
        r,
        r.map(() => 1),
      ),
      'same as the unweighted rule',
    ).toBe(conformalQuantile(r));
    // Old residuals that weigh almost nothing leave the quantile to the recent ones.
    const values = [100, 100, 100, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(
      weightedConformalQuantile(
        values,
        values.map((v) => (v === 100 ? 1e-9 : 1)),
      ),
    ).toBe(10);
  });

  it("halves the weight every HALF_LIFE_SHARE of a series' span of origins, per series", () => {
    const rs: ScaledResidual[] = [0, 4, 8, 9].map((origin) => ({ h: 1, value: 1, series: 0, origin, late: false }));
    rs.push({ h: 1, value: 1, series: 1, origin: 500, late: false });
    const w = recencyWeights(rs);
    // Series 0 spans 10 origins.
    const halfLife = HALF_LIFE_SHARE * 10;
    expect(w[3]).toBe(1);
    expect(w[2]).toBeCloseTo(0.5 ** (1 / halfLife));
    expect(w[0]).toBeCloseTo(0.5 ** (9 / halfLife));
    expect(w[4]).toBe(1);
  });

  it('follows residuals that grow late in the calibration, where the plain quantile lags', () => {
    const rng = new Rng(8);
    const rs: ScaledResidual[] = [];
    for (let o = 0; o < 400; o++) rs.push({ h: 1, value: Math.abs(gaussian(rng)) * (o >= 300 ? 2 : 1), series: 0, origin: o, late: false });
    const weighted = calibrateBand(rs, 1, 1).quantiles[0]!;
    const plain = conformalQuantile(rs.map((r) => r.value));
    // |N(0, 2²)| has its 90% quantile at 3.29; the plain quantile mixes in the calm 75%.
    expect(weighted).toBeGreaterThan(plain + 0.2);
  });

  it('pools the nearest steps for a step with few residuals', () => {
    const rs: ScaledResidual[] = [];
    for (let i = 0; i < 600; i++) rs.push({ h: 1 + (i % 3), value: 1 + (i % 3), series: 0, origin: i, late: false });
    rs.push({ h: 4, value: 50, series: 0, origin: 0, late: false });
    const q = calibrateBand(rs, 1, 4).quantiles;
    // Step 4 has one residual: it borrows step 3's (and keeps its own), not step 1's.
    expect(q[3]).toBe(3);
  });

  it('scales by the mean absolute seasonal difference', () => {
    expect(seriesScale(Float64Array.from([1, 2, 4, 3, NaN, 7]), 5, 2)).toBeCloseTo((3 + 1 + 4) / 3);
    expect(seriesScale(Float64Array.from([5, 5, 5]), 2, 1)).toBe(1);
  });
});
