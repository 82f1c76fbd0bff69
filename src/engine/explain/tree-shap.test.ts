import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import type { GbdtModel } from '../boosting/model.js';
import { MODEL_FORMAT_VERSION } from '../boosting/model.js';
import type { Tree } from '../tree/tree.js';
import { predictRaw } from '../predict/predict.js';
import { buildTree } from '../testing/tree-builder.js';
import { mixedFeatures, randomModel, randomRows, randomTree, testParams } from '../testing/random-trees.js';
import { meanAbsShap, sumOverOutputs } from './importance.js';
import { shapValuesBruteForce } from './tree-shap-naive.js';
import { createShapScratch, expectedValues, maxLeafDepth, shapValues, TreeShapScratch, treeExpectedValue } from './tree-shap.js';

function modelOf(trees: Tree[], nFeatures: number, initScore = 0): GbdtModel {
  return {
    formatVersion: MODEL_FORMAT_VERSION,
    objective: 'regression',
    nClasses: 0,
    nOutputs: 1,
    initScore: Float64Array.of(initScore),
    trees,
    features: mixedFeatures(nFeatures),
    params: testParams(),
    nRoundsKept: trees.length,
    metricName: '',
    history: [],
  };
}

/** |a - b| ≤ 1e-9 relative to the magnitude of the quantities involved. */
function expectClose(actual: number, expected: number, scale = 1): void {
  const tol = 1e-9 * Math.max(1, Math.abs(expected), scale);
  if (!(Math.abs(actual - expected) <= tol)) expect(actual).toBe(expected);
}

/** Σ_f φ + expected = raw prediction for every (row, output). */
function expectAdditive(model: GbdtModel, rows: Float64Array, nRows: number, nRounds?: number): void {
  const nF = model.features.length;
  const raw = predictRaw(model, rows, nRows, undefined, nRounds);
  const shap = shapValues(model, rows, nRows, undefined, nRounds);
  for (let i = 0; i < nRows; i++) {
    for (let k = 0; k < model.nOutputs; k++) {
      const base = (i * model.nOutputs + k) * (nF + 1);
      let sum = 0;
      let abs = 0;
      for (let f = 0; f <= nF; f++) {
        sum += shap[base + f]!;
        abs += Math.abs(shap[base + f]!);
      }
      expectClose(sum, raw[i * model.nOutputs + k]!, abs);
    }
  }
}

describe('TreeSHAP on hand-worked trees', () => {
  // x0 <= 0 ? (x1 <= 0 ? 10 [cover 20] : 20 [cover 30]) : 30 [cover 50]
  const tree = buildTree({
    feature: 0,
    threshold: 0,
    left: { feature: 1, threshold: 0, left: { leaf: 10, cover: 20 }, right: { leaf: 20, cover: 30 } },
    right: { leaf: 30, cover: 50 },
  });

  it('two features: matches the Shapley values worked out by hand', () => {
    // Row (-1, 1) reaches the leaf 20.
    // v(∅) = .5(.4·10 + .6·20) + .5·30 = 23;  v({0}) = 16;  v({1}) = .5·20 + .5·30 = 25;  v({0,1}) = 20
    // φ0 = ½(16 − 23) + ½(20 − 25) = −6;   φ1 = ½(25 − 23) + ½(20 − 16) = 3;   −6 + 3 + 23 = 20
    const shap = shapValues(modelOf([tree], 2, 0.5), Float64Array.of(-1, 1), 1);
    expect(shap[0]).toBeCloseTo(-6, 14);
    expect(shap[1]).toBeCloseTo(3, 14);
    expect(shap[2]).toBeCloseTo(23.5, 14); // expected value includes initScore 0.5
    expect(treeExpectedValue(tree)).toBeCloseTo(23, 14);
  });

  it('missing values follow the default direction', () => {
    // x0 missing → right by default (leaf 30). v(∅) = 23, v({0}) = 30, v({1}) = 25, v({0,1}) = 30.
    // x1 still gets credit: without x0 the row might have gone left, where x1 matters.
    // φ0 = ½(30 − 23) + ½(30 − 25) = 6;   φ1 = ½(25 − 23) + ½(30 − 30) = 1;   6 + 1 + 23 = 30
    const shap = shapValues(modelOf([tree], 2), Float64Array.of(NaN, 1), 1);
    expect(shap[0]).toBeCloseTo(6, 14);
    expect(shap[1]).toBeCloseTo(1, 14);
  });

  it('a feature repeated along the path is one player', () => {
    // x0 <= 0 ? (x0 <= -1 ? 1 [10] : 2 [30]) : 3 [60]; one feature gets the whole difference.
    const t = buildTree({
      feature: 0,
      threshold: 0,
      left: { feature: 0, threshold: -1, left: { leaf: 1, cover: 10 }, right: { leaf: 2, cover: 30 } },
      right: { leaf: 3, cover: 60 },
    });
    const expected = (1 * 10 + 2 * 30 + 3 * 60) / 100;
    for (const [x, f] of [
      [-2, 1],
      [-0.5, 2],
      [4, 3],
    ] as const) {
      const shap = shapValues(modelOf([t], 2), Float64Array.of(x, 7), 1);
      expect(shap[0]).toBeCloseTo(f - expected, 14);
      expect(shap[1]).toBe(0);
      expect(shap[2]).toBeCloseTo(expected, 14);
    }
  });

  it('categorical splits use the bitset; unseen codes go right', () => {
    const t = buildTree({
      feature: 1,
      categories: [1, 3],
      left: { leaf: 5, cover: 25 },
      right: { feature: 0, threshold: 2, left: { leaf: -1, cover: 25 }, right: { leaf: 1, cover: 50 } },
    });
    const model = modelOf([t], 2);
    const rows = Float64Array.of(0, 3, 0, 99, 5, 2, 5, NaN);
    const fast = shapValues(model, rows, 4);
    const brute = shapValuesBruteForce(model, rows, 4);
    for (let j = 0; j < fast.length; j++) expectClose(fast[j]!, brute[j]!);
    expectAdditive(model, rows, 4);
  });

  it('a zero-cover leaf gives finite, exact values', () => {
    const t = buildTree({
      feature: 0,
      threshold: 0,
      left: { feature: 1, threshold: 0, left: { leaf: 10, cover: 0 }, right: { leaf: 20, cover: 30 } },
      right: { feature: 1, threshold: 1, left: { leaf: 3, cover: 50 }, right: { leaf: 4, cover: 0 } },
    });
    const model = modelOf([t], 2);
    const rows = Float64Array.of(-1, -1, -1, 1, 1, 0, 1, 2);
    const fast = shapValues(model, rows, 4);
    const brute = shapValuesBruteForce(model, rows, 4);
    for (let j = 0; j < fast.length; j++) {
      expect(Number.isFinite(fast[j])).toBe(true);
      expectClose(fast[j]!, brute[j]!);
    }
    expectAdditive(model, rows, 4);
  });

  it('single-leaf trees only move the expected value', () => {
    const model = modelOf([buildTree({ leaf: 4 }), tree], 2);
    const shap = shapValues(model, Float64Array.of(-1, 1), 1);
    expect(shap[0]).toBeCloseTo(-6, 14);
    expect(shap[2]).toBeCloseTo(27, 14);
  });
});

describe('TreeSHAP vs brute-force Shapley values (≤ 6 features)', () => {
  it('agrees on random single trees, numeric and categorical, with repeated features', () => {
    const rng = new Rng(2024);
    for (let t = 0; t < 40; t++) {
      const nFeatures = 1 + rng.nextInt(6);
      const features = mixedFeatures(nFeatures, rng.nextFloat() < 0.5 ? [0] : [], 5);
      const tree = randomTree(rng, { features, nLeaves: 1 + rng.nextInt(24) });
      const model = modelOf([tree], nFeatures, rng.nextFloat());
      const rows = randomRows(rng, features, 10, 0.2);
      const fast = shapValues(model, rows, 10);
      const brute = shapValuesBruteForce(model, rows, 10);
      for (let j = 0; j < fast.length; j++) expectClose(fast[j]!, brute[j]!);
    }
  });

  for (const objective of ['binary', 'multiclass', 'regression'] as const) {
    it(`agrees on random ${objective} models`, () => {
      const rng = new Rng(77);
      const features = mixedFeatures(5, [2], 8);
      const model = randomModel(rng, { objective, nClasses: 3, nRounds: 4, features, maxLeaves: 12 });
      const rows = randomRows(rng, features, 15, 0.15);
      const fast = shapValues(model, rows, 15);
      const brute = shapValuesBruteForce(model, rows, 15);
      for (let j = 0; j < fast.length; j++) expectClose(fast[j]!, brute[j]!);
    });
  }
});

describe('TreeSHAP additivity on larger random models', () => {
  for (const { objective, nClasses } of [
    { objective: 'binary', nClasses: 2 },
    { objective: 'multiclass', nClasses: 4 },
    { objective: 'regression', nClasses: 0 },
    { objective: 'huber', nClasses: 0 },
  ] as const) {
    it(`Σ φ + expected = raw prediction (${objective})`, () => {
      const rng = new Rng(500 + nClasses);
      const features = mixedFeatures(12, [3, 7], 40);
      const model = randomModel(rng, { objective, nClasses, nRounds: 15, features, maxLeaves: 40 });
      const rows = randomRows(rng, features, 60, 0.1);
      expectAdditive(model, rows, 60);
      expectAdditive(model, rows, 60, 6);
    });
  }

  it('per-class outputs are independent: output k only sees trees of class k', () => {
    const rng = new Rng(8);
    const features = mixedFeatures(4);
    const model = randomModel(rng, { objective: 'multiclass', nClasses: 3, nRounds: 3, features, maxLeaves: 6 });
    const rows = randomRows(rng, features, 5);
    const shap = shapValues(model, rows, 5);
    // Drop class 1's trees: classes 0 and 2 must be unchanged.
    const trees = model.trees.map((t, idx) => (idx % 3 === 1 ? buildTree({ leaf: 0 }) : t));
    const shap2 = shapValues({ ...model, trees }, rows, 5);
    for (let i = 0; i < 5; i++) {
      for (const k of [0, 2]) {
        for (let f = 0; f <= 4; f++) expect(shap2[(i * 3 + k) * 5 + f]).toBe(shap[(i * 3 + k) * 5 + f]);
      }
    }
  });
});

describe('shapValues plumbing', () => {
  const rng = new Rng(31);
  const features = mixedFeatures(6, [1], 10);
  const model = randomModel(rng, { objective: 'binary', nRounds: 8, features, maxLeaves: 20 });
  const rows = randomRows(rng, features, 20);

  it('overwrites `out`, reuses a scratch and rejects a shallow one', () => {
    const expected = shapValues(model, rows, 20);
    const out = new Float64Array(expected.length).fill(9);
    const scratch = createShapScratch(model);
    expect(shapValues(model, rows, 20, out, undefined, scratch)).toBe(out);
    expect(out).toEqual(expected);
    expect(shapValues(model, rows, 20, undefined, undefined, scratch)).toEqual(expected);
    expect(() => shapValues(model, rows, 20, undefined, undefined, new TreeShapScratch(0))).toThrow(/scratch depth 0/);
  });

  it('the last slot is the expected value and matches expectedValues', () => {
    const shap = shapValues(model, rows, 20);
    const ev = expectedValues(model);
    for (let i = 0; i < 20; i++) expect(shap[i * 7 + 6]).toBe(ev[0]);
  });

  it('treeExpectedValue is the cover-weighted mean of the leaves when covers are consistent', () => {
    for (let t = 0; t < 10; t++) {
      const tree = randomTree(rng, { features, nLeaves: 1 + rng.nextInt(30) });
      let sum = 0;
      let cover = 0;
      for (let l = 0; l < tree.nLeaves; l++) {
        sum += tree.leafValue[l]! * tree.leafCover[l]!;
        cover += tree.leafCover[l]!;
      }
      expectClose(treeExpectedValue(tree), sum / cover);
    }
  });

  it('maxLeafDepth counts edges to the deepest leaf', () => {
    expect(maxLeafDepth(buildTree({ leaf: 1 }))).toBe(0);
    const chain = buildTree({
      feature: 0,
      threshold: 0,
      left: { leaf: 1 },
      right: { feature: 0, threshold: 1, left: { leaf: 2 }, right: { feature: 1, threshold: 0, left: { leaf: 3 }, right: { leaf: 4 } } },
    });
    expect(maxLeafDepth(chain)).toBe(3);
  });
});

describe('meanAbsShap', () => {
  it('averages |φ| per output and feature, ignoring the expected slot', () => {
    // 2 rows × 2 outputs × (2 features + expected)
    const shap = Float64Array.of(1, -2, 100, 3, 0, 100, -3, 4, 100, 1, -2, 100);
    const imp = meanAbsShap(shap, 2, 2, 2);
    expect(Array.from(imp)).toEqual([2, 3, 2, 1]);
    expect(Array.from(sumOverOutputs(imp, 2, 2))).toEqual([4, 4]);
    expect(Array.from(meanAbsShap(shap, 2, 2, 2, Float64Array.of(3, 1)))).toEqual([1.5, 2.5, 2.5, 0.5]);
  });
});
