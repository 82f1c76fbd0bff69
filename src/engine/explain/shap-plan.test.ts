/**
 * The fast planned TreeSHAP against its twins: the per-leaf kernel against a brute-force Shapley sum
 * of the leaf game, tables against the direct kernel (bit for bit), and the whole model against the
 * recursive algorithm and the brute-force enumeration.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import type { GbdtModel } from '../boosting/model.js';
import { MODEL_FORMAT_VERSION } from '../boosting/model.js';
import type { Tree } from '../tree/tree.js';
import { predictRaw } from '../predict/predict.js';
import { buildTree, type TreeSpec } from '../testing/tree-builder.js';
import { mixedFeatures, randomModel, randomRows, testParams } from '../testing/random-trees.js';
import { leafShapley, MAX_LEAF_FEATURES } from './leaf-shapley.js';
import { compileForServing } from '../serving.js';
import { shapValuesBruteForce } from './tree-shap-naive.js';
import { shapValues, shapValuesOfOutput, shapValuesRecursive } from './tree-shap.js';

function expectAllClose(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  for (let j = 0; j < actual.length; j++) {
    const tol = 1e-9 * Math.max(1, Math.abs(expected[j]!));
    if (!(Math.abs(actual[j]! - expected[j]!) <= tol)) expect(actual[j]).toBe(expected[j]); // shows the values
  }
}

function regressionModel(trees: Tree[], nFeatures: number): GbdtModel {
  return {
    formatVersion: MODEL_FORMAT_VERSION,
    objective: 'regression',
    nClasses: 0,
    nOutputs: 1,
    initScore: Float64Array.of(0.25),
    trees,
    features: mixedFeatures(nFeatures),
    params: testParams(),
    nRoundsKept: trees.length,
    metricName: '',
    history: [],
  };
}

describe('leafShapley', () => {
  /** Shapley values of v(S) = c · Π_p (p ∈ S ? o_p : z_p) by enumerating all 2^d coalitions. */
  function bruteForceLeaf(zero: number[], hot: number, value: number): number[] {
    const d = zero.length;
    const v = (mask: number): number => {
      let prod = value;
      for (let p = 0; p < d; p++) prod *= (mask >> p) & 1 ? (hot >> p) & 1 : zero[p]!;
      return prod;
    };
    const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
    const phi: number[] = [];
    for (let p = 0; p < d; p++) {
      let sum = 0;
      for (let mask = 0; mask < 1 << d; mask++) {
        if ((mask >> p) & 1) continue;
        let size = 0;
        for (let q = 0; q < d; q++) size += (mask >> q) & 1;
        sum += ((fact(size) * fact(d - size - 1)) / fact(d)) * (v(mask | (1 << p)) - v(mask));
      }
      phi.push(sum);
    }
    return phi;
  }

  it('equals the brute-force Shapley values of the leaf game, including zero fractions of 0 and 1', () => {
    const rng = new Rng(4);
    const poly = new Float64Array(MAX_LEAF_FEATURES + 1);
    for (let trial = 0; trial < 300; trial++) {
      const d = 1 + rng.nextInt(9);
      const zero: number[] = [];
      for (let p = 0; p < d; p++) {
        const u = rng.nextFloat();
        zero.push(u < 0.1 ? 0 : u < 0.2 ? 1 : rng.nextFloat());
      }
      const hot = rng.nextInt(1 << d);
      const value = rng.nextFloat() * 4 - 2;
      const out = new Float64Array(d + 2).fill(NaN);
      leafShapley(d, Float64Array.from([9, ...zero]), 1, hot | (rng.nextInt(4) << d), value, out, 1, poly);
      const expected = bruteForceLeaf(zero, hot, value);
      expectAllClose(out.subarray(1, d + 1), Float64Array.from(expected));
      expect(out[0]).toBeNaN(); // writes exactly d values
      expect(out[d + 1]).toBeNaN();
      // Efficiency: Σ φ = v(all) − v(∅).
      let sum = 0;
      for (let p = 0; p < d; p++) sum += out[1 + p]!;
      const all = hot === (1 << d) - 1 ? value : 0;
      const none = zero.reduce((a, z) => a * z, value);
      expect(Math.abs(sum - (all - none))).toBeLessThan(1e-12);
    }
  });

  it('handles the largest supported path (30 features) without overflow', () => {
    const d = MAX_LEAF_FEATURES;
    const zero = new Float64Array(d).fill(0.5);
    const out = new Float64Array(d);
    leafShapley(d, zero, 0, (1 << d) - 1, 1, out, 0, new Float64Array(d + 1));
    // All hot, equal fractions: symmetric, sum = 1 − 0.5^30.
    let sum = 0;
    for (let p = 0; p < d; p++) {
      expect(out[p]).toBeCloseTo(out[0]!, 15);
      sum += out[p]!;
    }
    expect(sum).toBeCloseTo(1 - 0.5 ** 30, 14);
  });
});

describe('planned TreeSHAP', () => {
  const cases = [
    { objective: 'binary', nClasses: 2 },
    { objective: 'multiclass', nClasses: 4 },
    { objective: 'regression', nClasses: 0 },
  ] as const;

  for (const { objective, nClasses } of cases) {
    it(`tables and the direct kernel agree bit for bit, and match the recursion (${objective})`, () => {
      const rng = new Rng(900 + nClasses);
      const features = mixedFeatures(14, [2, 9], 40);
      const model = randomModel(rng, { objective, nClasses, nRounds: 12, features, maxLeaves: 60 });
      const rows = randomRows(rng, features, 80, 0.15);
      const withTables = compileForServing(model).shapPlan;
      expect(withTables.maxTableFeatures).toBeGreaterThan(0);
      const tabled = Float64Array.from(shapValues(model, rows, 80));
      const noTables = compileForServing(model, { maxTableBytes: 0 }).shapPlan;
      expect(noTables.tableBytes).toBe(0);
      expect(shapValues(model, rows, 80)).toEqual(tabled);
      expectAllClose(tabled, shapValuesRecursive(model, rows, 80));
      compileForServing(model); // leave the default behind for other tests
    });
  }

  it('a budget between table sizes keeps only the small leaves', () => {
    const rng = new Rng(12);
    const features = mixedFeatures(10);
    const model = randomModel(rng, { objective: 'regression', nRounds: 10, features, maxLeaves: 40 });
    const full = compileForServing(model, { maxTableBytes: 1 << 30 }).shapPlan;
    expect(full.tabledLeafFraction).toBe(1);
    const half = compileForServing(model, { maxTableBytes: Math.floor(full.tableBytes / 2) }).shapPlan;
    expect(half.tableBytes).toBeLessThanOrEqual(full.tableBytes / 2);
    expect(half.maxTableFeatures).toBeLessThan(full.maxTableFeatures);
    expect(half.tabledLeafFraction).toBeLessThan(1);
    const rows = randomRows(rng, features, 30);
    expectAllClose(shapValues(model, rows, 30), shapValuesRecursive(model, rows, 30));
    compileForServing(model);
  });

  it('matches brute-force Shapley values with all rounds and with fewer rounds', () => {
    const rng = new Rng(5);
    const features = mixedFeatures(6, [4], 7);
    const model = randomModel(rng, { objective: 'multiclass', nClasses: 3, nRounds: 5, features, maxLeaves: 30 });
    const rows = randomRows(rng, features, 12, 0.2);
    expectAllClose(shapValues(model, rows, 12), shapValuesBruteForce(model, rows, 12));
    expectAllClose(shapValuesRecursive(model, rows, 12), shapValuesBruteForce(model, rows, 12));
    const rounds2 = { ...model, nRoundsKept: 2 };
    expectAllClose(shapValues(model, rows, 12, undefined, 2), shapValuesBruteForce(rounds2, rows, 12));
  });

  it('trees with more than 30 distinct features on a path fall back to the recursion', () => {
    // A chain over 34 features: every leaf below depth 30 has more path features than a mask holds.
    const nFeatures = 34;
    let spec: TreeSpec = { leaf: 1, cover: 3 };
    for (let f = nFeatures - 1; f >= 0; f--) spec = { feature: f, threshold: 0, left: { leaf: f / 10, cover: 2 + (f % 3) }, right: spec };
    const chain = buildTree(spec);
    const shallow = buildTree({ feature: 1, threshold: 0, left: { leaf: 3, cover: 4 }, right: { leaf: -1, cover: 6 } });
    const model = regressionModel([chain, shallow], nFeatures);
    expect(compileForServing(model).shapPlan.recursiveTrees).toBe(1);
    const rng = new Rng(3);
    const nRows = 20;
    const rows = new Float64Array(nRows * nFeatures);
    for (let j = 0; j < rows.length; j++) rows[j] = rng.nextFloat() < 0.85 ? 1 : -1; // mostly right: deep leaves
    const fast = shapValues(model, rows, nRows);
    expectAllClose(fast, shapValuesRecursive(model, rows, nRows));
    const raw = predictRaw(model, rows, nRows);
    for (let i = 0; i < nRows; i++) {
      let sum = 0;
      for (let f = 0; f <= nFeatures; f++) sum += fast[i * (nFeatures + 1) + f]!;
      expect(Math.abs(sum - raw[i]!)).toBeLessThan(1e-9);
    }
  });
});

describe('shapValuesOfOutput', () => {
  it('equals the matching slice of shapValues, and overwrites `out`', () => {
    const rng = new Rng(21);
    const features = mixedFeatures(8, [0], 12);
    const model = randomModel(rng, { objective: 'multiclass', nClasses: 5, nRounds: 6, features, maxLeaves: 25 });
    const nRows = 17;
    const rows = randomRows(rng, features, nRows);
    const all = shapValues(model, rows, nRows);
    const stride = 9;
    const out = new Float64Array(nRows * stride).fill(7);
    for (let k = 0; k < 5; k++) {
      expect(shapValuesOfOutput(model, rows, nRows, k, out)).toBe(out);
      for (let i = 0; i < nRows; i++) {
        for (let f = 0; f < stride; f++) expect(out[i * stride + f]).toBe(all[(i * 5 + k) * stride + f]);
      }
    }
    const three = shapValuesOfOutput(model, rows, nRows, 3, undefined, 2);
    const allThree = shapValues(model, rows, nRows, undefined, 2);
    for (let f = 0; f < stride; f++) expect(three[stride + f]).toBe(allThree[(5 + 3) * stride + f]);
  });

  it('rejects a bad output index', () => {
    const rng = new Rng(2);
    const model = randomModel(rng, { objective: 'binary', nRounds: 2, features: mixedFeatures(3), maxLeaves: 4 });
    expect(() => shapValuesOfOutput(model, new Float64Array(3), 1, 1)).toThrow(/output must be an integer in \[0, 0\], got 1/);
    expect(() => shapValuesOfOutput(model, new Float64Array(3), 1, 0, new Float64Array(2))).toThrow(/out has length 2/);
  });
});
