import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { leafIndexOf } from '../tree/tree.js';
import { buildTree } from '../testing/tree-builder.js';
import { mixedFeatures, randomModel, randomRows, randomTree } from '../testing/random-trees.js';
import type { GbdtModel } from '../boosting/model.js';
import { MODEL_FORMAT_VERSION } from '../boosting/model.js';
import { testParams } from '../testing/random-trees.js';
import { predictProba, predictRaw } from './predict.js';
import { leafIndexNaive, predictRawNaive } from './predict-naive.js';
import { sigmoid, softmaxInPlace, softmaxRows } from './transform.js';

const features = mixedFeatures(5, [1, 3], 40); // 40 codes → two bitset words
const objectives = [
  { objective: 'binary', nClasses: 2 },
  { objective: 'multiclass', nClasses: 4 },
  { objective: 'regression', nClasses: 0 },
] as const;

/** A one-tree regression model around a hand-made tree. */
function singleTreeModel(tree: ReturnType<typeof buildTree>, nFeatures: number): GbdtModel {
  return {
    formatVersion: MODEL_FORMAT_VERSION,
    objective: 'regression',
    nClasses: 0,
    nOutputs: 1,
    initScore: Float64Array.of(0),
    trees: [tree],
    features: mixedFeatures(nFeatures),
    params: testParams(),
    nRoundsKept: 1,
    metricName: '',
    history: [],
  };
}

describe('predictRaw on a hand-made tree', () => {
  // x0 <= 0.5 (missing → right) ? (x1 in {2, 33} (missing → left) ? 1 : 2) : 3
  const tree = buildTree({
    feature: 0,
    threshold: 0.5,
    left: { feature: 1, categories: [2, 33], missingGoesLeft: true, left: { leaf: 1 }, right: { leaf: 2 } },
    right: { leaf: 3 },
  });
  const model = singleTreeModel(tree, 2);

  it.each([
    [0.5, 2, 1], // threshold tie goes left; code 2 in the set
    [0.4, 33, 1], // code in the second bitset word
    [0.4, 3, 2], // code not in the set
    [0.4, 1000, 2], // code beyond the bitset (never seen)
    [0.4, 2 ** 32 + 2, 2], // would alias onto code 2 through >>> wrap-around
    [0.4, 2.5, 2], // not an integer code
    [0.4, -1, 2],
    [0.4, NaN, 1], // missing categorical goes left here
    [NaN, 2, 3], // missing numeric goes right here
    [0.6, 2, 3],
    [-Infinity, 3, 2],
  ])('x0=%s x1=%s → %s', (x0, x1, expected) => {
    expect(predictRaw(model, Float64Array.of(x0, x1), 1)[0]).toBe(expected);
  });

  it('single-leaf trees add their constant', () => {
    const m = singleTreeModel(buildTree({ leaf: 2.5 }), 2);
    expect(Array.from(predictRaw(m, Float64Array.of(1, 1, NaN, NaN), 2))).toEqual([2.5, 2.5]);
  });
});

describe('predictRaw fast path vs naive twin', () => {
  for (const { objective, nClasses } of objectives) {
    it(`agrees exactly on random ${objective} models, rows with NaN and unseen codes`, () => {
      const rng = new Rng(101 + nClasses);
      for (let t = 0; t < 5; t++) {
        const model = randomModel(rng, { objective, nClasses, nRounds: 12, features, maxLeaves: 16 });
        const nRows = 300;
        const rows = randomRows(rng, features, nRows, 0.15);
        expect(predictRaw(model, rows, nRows)).toEqual(predictRawNaive(model, rows, nRows));
        // Fewer rounds, and an `out` full of garbage that must be overwritten.
        const out = new Float64Array(nRows * model.nOutputs).fill(123);
        expect(predictRaw(model, rows, nRows, out, 5)).toBe(out);
        expect(out).toEqual(predictRawNaive(model, rows, nRows, 5));
      }
    });
  }

  it('nRounds = 0 gives the init score', () => {
    const rng = new Rng(9);
    const model = randomModel(rng, { objective: 'multiclass', nClasses: 3, nRounds: 4, features, maxLeaves: 8 });
    const raw = predictRaw(model, randomRows(rng, features, 2), 2, undefined, 0);
    expect(Array.from(raw)).toEqual([...model.initScore, ...model.initScore]);
  });

  it('the naive decision agrees with tree.ts leafIndexOf on in-range integer codes', () => {
    const rng = new Rng(17);
    for (let t = 0; t < 20; t++) {
      const tree = randomTree(rng, { features, nLeaves: 1 + rng.nextInt(30) });
      const rows = randomRows(rng, features, 100, 0.2);
      for (let i = 0; i < 100; i++) expect(leafIndexNaive(tree, rows, i * 5)).toBe(leafIndexOf(tree, rows, i * 5));
    }
  });

  it('rejects short buffers and bad nRounds', () => {
    const rng = new Rng(1);
    const model = randomModel(rng, { objective: 'binary', nRounds: 3, features, maxLeaves: 4 });
    expect(() => predictRaw(model, new Float64Array(9), 2)).toThrow(/rows has length 9/);
    expect(() => predictRaw(model, new Float64Array(10), 2, new Float64Array(1))).toThrow(/out has length 1/);
    expect(() => predictRaw(model, new Float64Array(10), 2, undefined, 4)).toThrow(/nRounds must be an integer in \[0, 3\]/);
  });
});

describe('predictProba', () => {
  const rng = new Rng(23);
  const nRows = 50;
  const rows = randomRows(rng, features, nRows);

  it('binary: [1 - p, p] with p = sigmoid(raw)', () => {
    const model = randomModel(rng, { objective: 'binary', nRounds: 6, features, maxLeaves: 8 });
    const raw = predictRaw(model, rows, nRows);
    const proba = predictProba(model, rows, nRows);
    expect(proba.length).toBe(2 * nRows);
    for (let i = 0; i < nRows; i++) {
      expect(proba[2 * i + 1]).toBe(sigmoid(raw[i]!));
      expect(proba[2 * i]! + proba[2 * i + 1]!).toBeCloseTo(1, 15);
    }
  });

  it('multiclass: softmax of the raw margins', () => {
    const model = randomModel(rng, { objective: 'multiclass', nClasses: 5, nRounds: 6, features, maxLeaves: 8 });
    const expected = softmaxRows(predictRaw(model, rows, nRows), nRows, 5);
    expect(predictProba(model, rows, nRows)).toEqual(expected);
  });

  it('regression has no probabilities', () => {
    const model = randomModel(rng, { objective: 'huber', nRounds: 2, features, maxLeaves: 4 });
    expect(() => predictProba(model, rows, nRows)).toThrow(/'huber' is not a classification objective/);
  });
});

describe('transform', () => {
  it('sigmoid is stable and symmetric', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(-745.2)).toBeGreaterThanOrEqual(0);
    for (const x of [0.1, 2, 7.5, 30]) expect(sigmoid(x) + sigmoid(-x)).toBeCloseTo(1, 15);
  });

  it('softmax is stable for huge margins and sums to 1', () => {
    const v = Float64Array.of(1000, 1001, 999, -Infinity);
    softmaxInPlace(v, 0, 4);
    const e = [Math.exp(-1), 1, Math.exp(-2)];
    const s = e[0]! + e[1]! + e[2]!;
    expect(v[0]).toBeCloseTo(e[0]! / s, 15);
    expect(v[1]).toBeCloseTo(1 / s, 15);
    expect(v[3]).toBe(0);
    expect(v[0]! + v[1]! + v[2]! + v[3]!).toBeCloseTo(1, 15);
  });
});
