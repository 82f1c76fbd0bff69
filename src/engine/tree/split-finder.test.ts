import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { emptySplit } from './split-info.js';
import type { SplitParams } from './split-info.js';
import { findBestNumericSplit, findBestNumericSplitNaive } from './split-finder.js';
import { findBestCategoricalSplit } from './categorical-split.js';

const PARAMS: SplitParams = {
  minDataInLeaf: 1,
  minSumHessian: 0,
  lambdaL2: 0,
  maxCatThreshold: 32,
  catSmooth: 0,
  catL2: 0,
  minDataPerGroup: 1,
};

/**
 * Histogram from per-bin [g, h, count] triples. The histogram keeps [g, h]; the count only enters the
 * node's total, from which the finders estimate side counts (exact here, as every h is count × const).
 */
function hist(entries: [number, number, number][]): { h: Float64Array; sumGrad: number; sumHess: number; count: number } {
  // biome-ignore lint/complexity/noFlatMapIdentity: keeps two of each entry's three numbers (the count is not in the histogram)
  const h = Float64Array.from(entries.flatMap(([g, hh]) => [g, hh]));
  let sumGrad = 0;
  let sumHess = 0;
  let count = 0;
  for (const [g, hh, c] of entries) {
    sumGrad += g;
    sumHess += hh;
    count += c;
  }
  return { h, sumGrad, sumHess, count };
}

describe('numeric split finder', () => {
  it('agrees with the brute-force search on random histograms', () => {
    const rng = new Rng(9);
    for (let trial = 0; trial < 200; trial++) {
      const nBins = 2 + rng.nextInt(12);
      const entries: [number, number, number][] = [];
      for (let b = 0; b < nBins; b++) {
        const c = rng.nextInt(4) === 0 ? 0 : 1 + rng.nextInt(30);
        entries.push([c === 0 ? 0 : (rng.nextFloat() - 0.5) * c, c * 0.25, c]);
      }
      const { h, ...node } = hist(entries);
      const params = { ...PARAMS, minDataInLeaf: 1 + rng.nextInt(10), lambdaL2: rng.nextInt(3) };
      const best = emptySplit();
      findBestNumericSplit(h, 0, nBins, 0, node, params, best);
      const naive = findBestNumericSplitNaive(h, 0, nBins, node, params);
      if (naive.gain === -Infinity) {
        expect(best.gain).toBe(-Infinity);
        continue;
      }
      expect(best.gain).toBeCloseTo(naive.gain, 9);
      expect(best.leftCount + best.rightCount).toBe(node.count);
    }
  });

  it('learns the missing direction: missing rows like the low values go left', () => {
    // bins: 0 (g=-10), 1 (g=-10), 2 (g=+10), 3 (g=+10), missing (g=-10)
    const { h, ...node } = hist([
      [-10, 10, 10],
      [-10, 10, 10],
      [10, 10, 10],
      [10, 10, 10],
      [-10, 10, 10],
    ]);
    const best = emptySplit();
    findBestNumericSplit(h, 0, 5, 3, node, PARAMS, best);
    expect(best.feature).toBe(3);
    expect(best.thresholdBin).toBe(1);
    expect(best.missingGoesLeft).toBe(true);
    expect(best.leftCount).toBe(30);
    // gain = 30²/30 + 20²/20 − 10²/50
    expect(best.gain).toBeCloseTo(30 + 20 - 2, 12);
  });

  it('can split missing values from all present ones', () => {
    const { h, ...node } = hist([
      [5, 10, 10],
      [5, 10, 10],
      [-10, 10, 10],
    ]);
    const best = emptySplit();
    findBestNumericSplit(h, 0, 3, 0, node, PARAMS, best);
    expect(best.thresholdBin).toBe(1);
    expect(best.missingGoesLeft).toBe(false);
    expect(best.rightCount).toBe(10);
  });

  it('respects minDataInLeaf', () => {
    const { h, ...node } = hist([
      [-10, 1, 1],
      [1, 1, 10],
      [1, 1, 10],
      [0, 0, 0],
    ]);
    const best = emptySplit();
    findBestNumericSplit(h, 0, 4, 0, node, { ...PARAMS, minDataInLeaf: 5 }, best);
    expect(best.leftCount).toBeGreaterThanOrEqual(5);
    expect(best.rightCount).toBeGreaterThanOrEqual(5);
  });
});

describe('categorical split finder', () => {
  it('uses one-vs-rest for few categories', () => {
    // 3 categories + the missing/other bin; category 1 is the odd one out.
    const { h, ...node } = hist([
      [1, 5, 5],
      [-9, 5, 5],
      [1, 5, 5],
      [0, 0, 0],
    ]);
    const best = emptySplit();
    findBestCategoricalSplit(h, 0, 4, 2, node, PARAMS, best);
    expect(best.isCategorical).toBe(true);
    expect(best.leftBins).toEqual([1]);
    expect(best.missingGoesLeft).toBe(false);
    // 81/5 + 4/10 − 49/15
    expect(best.gain).toBeCloseTo(81 / 5 + 4 / 10 - 49 / 15, 12);
  });

  it('sorts many categories by gradient ratio and groups the negative ones (hand-worked)', () => {
    // 6 categories, scores g/(h+catSmooth) with catSmooth 0: [+1, −1, +1, −1, +0.5, −0.5]
    const { h, ...node } = hist([
      [10, 10, 10],
      [-10, 10, 10],
      [10, 10, 10],
      [-10, 10, 10],
      [5, 10, 10],
      [-5, 10, 10],
      [0, 0, 0],
    ]);
    const best = emptySplit();
    findBestCategoricalSplit(h, 0, 7, 0, node, PARAMS, best);
    // Sorted ascending: bins 1, 3 (−1), 5 (−0.5), 4 (+0.5), 0, 2 (+1). maxNumCat = 3.
    // Prefix {1, 3, 5}: G_L = −25, H_L = 30; G_R = 25, H_R = 30 → gain 625/30·2 = 41.67 (parent G = 0).
    expect(best.leftBins).toEqual([1, 3, 5]);
    expect(best.gain).toBeCloseTo((2 * 625) / 30, 9);
  });

  it('caps the left side at maxCatThreshold categories and applies catL2', () => {
    const { h, ...node } = hist([
      [10, 10, 10],
      [-10, 10, 10],
      [10, 10, 10],
      [-10, 10, 10],
      [5, 10, 10],
      [-5, 10, 10],
      [0, 0, 0],
    ]);
    const best = emptySplit();
    findBestCategoricalSplit(h, 0, 7, 0, node, { ...PARAMS, maxCatThreshold: 1, catL2: 10 }, best);
    expect(best.leftBins.length).toBe(1);
    // {1} (or {2} from the other end, same gain; the forward scan wins ties): 100/20 + 100/60 − 0
    expect(best.leftBins).toEqual([1]);
    expect(best.gain).toBeCloseTo(100 / 20 + 100 / 60, 9);
  });

  it('ignores categories with fewer than catSmooth samples', () => {
    const { h, ...node } = hist([
      [-50, 2, 2],
      [10, 10, 10],
      [-10, 10, 10],
      [10, 10, 10],
      [-10, 10, 10],
      [0, 10, 10],
      [0, 0, 0],
    ]);
    const best = emptySplit();
    findBestCategoricalSplit(h, 0, 7, 0, node, { ...PARAMS, catSmooth: 5 }, best);
    expect(best.leftBins).not.toContain(0);
  });
});
