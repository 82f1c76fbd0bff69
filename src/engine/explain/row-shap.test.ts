/**
 * The one-row TreeSHAP layout (row-shap.ts) against its twins: the per-tree planned kernel (bit for
 * bit: same masks, table rows and order of additions), the recursive algorithm and brute-force
 * Shapley values (to 1e-9).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import type { GbdtModel } from '../boosting/model.js';
import { MODEL_FORMAT_VERSION } from '../boosting/model.js';
import { buildTree, type TreeSpec } from '../testing/tree-builder.js';
import { mixedFeatures, randomModel, randomRows, testParams } from '../testing/random-trees.js';
import { compileForServing } from '../serving.js';
import { TREE_KIND } from './row-shap.js';
import { shapValuesBruteForce } from './tree-shap-naive.js';
import { ROW_LAYOUT_MAX_ROWS, shapValues, shapValuesOfOutput, shapValuesRecursive } from './tree-shap.js';

function expectAllClose(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  for (let j = 0; j < actual.length; j++) {
    const tol = 1e-9 * Math.max(1, Math.abs(expected[j]!));
    if (!(Math.abs(actual[j]! - expected[j]!) <= tol)) expect(actual[j]).toBe(expected[j]);
  }
}

/**
 * Explains `rows` one row per call (the row layout) and all at once, padded past
 * ROW_LAYOUT_MAX_ROWS so that the per-tree planned kernel runs; returns both for output k.
 */
function rowByRowAndBatch(model: GbdtModel, rows: Float64Array, nRows: number, k: number): { single: Float64Array; batch: Float64Array } {
  const F = model.features.length;
  const stride = F + 1;
  const single = new Float64Array(nRows * stride);
  for (let i = 0; i < nRows; i++) single.set(shapValuesOfOutput(model, rows.subarray(i * F, (i + 1) * F), 1, k), i * stride);
  const padded = Math.max(nRows, ROW_LAYOUT_MAX_ROWS + 1);
  const batchRows = new Float64Array(padded * F);
  for (let i = 0; i < padded; i++) batchRows.set(rows.subarray((i % nRows) * F, ((i % nRows) + 1) * F), i * F);
  const batch = shapValuesOfOutput(model, batchRows, padded, k).slice(0, nRows * stride);
  return { single, batch };
}

describe('one-row TreeSHAP layout', () => {
  const cases = [
    { objective: 'binary', nClasses: 2 },
    { objective: 'multiclass', nClasses: 4 },
    { objective: 'regression', nClasses: 0 },
  ] as const;

  for (const { objective, nClasses } of cases) {
    it(`equals the per-tree kernel bit for bit with full, partial and no tables (${objective})`, () => {
      const rng = new Rng(300 + nClasses);
      const features = mixedFeatures(12, [1, 7], 40); // codes past one bitset word, unseen codes
      const model = randomModel(rng, { objective, nClasses, nRounds: 15, features, maxLeaves: 40 });
      const nRows = 40;
      const rows = randomRows(rng, features, nRows, 0.15);
      const full = compileForServing(model, { maxTableBytes: 1 << 30 }).shapPlan;
      // Every route runs: whole-tree tables for small trees, per-leaf work for the others.
      expect(full.tableTrees).toBeGreaterThan(0);
      expect(full.tableTrees).toBeLessThan(model.trees.filter((t) => t.nInternal > 0).length);
      const budgets = [1 << 30, Math.floor(full.tableBytes / 3), 0];
      for (const budget of budgets) {
        const plan = compileForServing(model, { maxTableBytes: budget }).shapPlan;
        if (budget > 0 && budget < 1 << 30) expect(plan.tabledLeafFraction).toBeLessThan(1);
        for (let k = 0; k < model.nOutputs; k++) {
          const { single, batch } = rowByRowAndBatch(model, rows, nRows, k);
          expect(single).toEqual(batch);
        }
        // shapValues of a single row (every output through the layout) against the recursion.
        const F = features.length;
        for (let i = 0; i < 5; i++) {
          const row = rows.subarray(i * F, (i + 1) * F);
          expectAllClose(shapValues(model, row, 1), shapValuesRecursive(model, row, 1));
        }
      }
      compileForServing(model);
    });
  }

  it('matches brute-force Shapley values for single rows', () => {
    const rng = new Rng(77);
    const features = mixedFeatures(6, [3], 9);
    const model = randomModel(rng, { objective: 'multiclass', nClasses: 3, nRounds: 6, features, maxLeaves: 25 });
    const rows = randomRows(rng, features, 10, 0.2);
    for (let i = 0; i < 10; i++) {
      const row = rows.subarray(i * 6, (i + 1) * 6);
      expectAllClose(shapValues(model, row, 1), shapValuesBruteForce(model, row, 1));
    }
  });

  it('leaves out one-leaf trees, and uses the per-tree path for other round counts', () => {
    const rng = new Rng(8);
    const features = mixedFeatures(5);
    const model = randomModel(rng, { objective: 'regression', nRounds: 30, features, maxLeaves: 3 }); // many 1-leaf trees
    const constant = model.trees.filter((t) => t.nInternal === 0).length;
    expect(constant).toBeGreaterThan(0);
    const layout = compileForServing(model).rowShap;
    expect(layout.treeKind.filter((kind) => kind === TREE_KIND.constant).length).toBe(constant);
    expect(layout.outputPlanned[0]).toBe(1);
    const rows = randomRows(rng, features, 6);
    for (let i = 0; i < 6; i++) {
      const row = rows.subarray(i * 5, (i + 1) * 5);
      expectAllClose(shapValuesOfOutput(model, row, 1, 0, undefined, 11), shapValuesBruteForce({ ...model, nRoundsKept: 11 }, row, 1));
    }
  });

  it('is not built when a tree has no plan (more than 30 path features); single rows still get exact values', () => {
    const nFeatures = 34;
    let spec: TreeSpec = { leaf: 1, cover: 3 };
    for (let f = nFeatures - 1; f >= 0; f--) spec = { feature: f, threshold: 0, left: { leaf: f / 10, cover: 2 + (f % 3) }, right: spec };
    const model: GbdtModel = {
      formatVersion: MODEL_FORMAT_VERSION,
      objective: 'regression',
      nClasses: 0,
      nOutputs: 1,
      initScore: Float64Array.of(0.5),
      trees: [buildTree(spec), buildTree({ feature: 2, threshold: 0, left: { leaf: 3, cover: 4 }, right: { leaf: -1, cover: 6 } })],
      features: mixedFeatures(nFeatures),
      params: testParams(),
      nRoundsKept: 2,
      metricName: '',
      history: [],
    };
    expect(compileForServing(model).rowShap.outputPlanned[0]).toBe(0);
    const row = new Float64Array(nFeatures).fill(1);
    row[33] = -1;
    expectAllClose(shapValues(model, row, 1), shapValuesRecursive(model, row, 1));
  });
});
