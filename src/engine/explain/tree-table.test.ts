/**
 * Whole-tree SHAP tables (tree-table.ts) against their twins: for single small trees, the table row
 * a row's decisions pick equals the recursive TreeSHAP and brute-force Shapley values of that tree.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import type { GbdtModel } from '../boosting/model.js';
import { MODEL_FORMAT_VERSION } from '../boosting/model.js';
import { goesLeft } from '../predict/decision.js';
import { mixedFeatures, randomRows, randomTree, testParams } from '../testing/random-trees.js';
import type { Tree } from '../tree/tree.js';
import { compileForServing } from '../serving.js';
import { MAX_TREE_TABLE_DOUBLES, treeTableFeatures } from './tree-table.js';
import { shapValuesBruteForce } from './tree-shap-naive.js';
import { shapValuesRecursive } from './tree-shap.js';

function oneTreeModel(tree: Tree, nFeatures: number, categorical: number[]): GbdtModel {
  return {
    formatVersion: MODEL_FORMAT_VERSION,
    objective: 'regression',
    nClasses: 0,
    nOutputs: 1,
    initScore: Float64Array.of(0),
    trees: [tree],
    features: mixedFeatures(nFeatures, categorical, 40),
    params: testParams(),
    nRoundsKept: 1,
    metricName: '',
    history: [],
  };
}

describe('whole-tree SHAP tables', () => {
  it('pick, for every row, the exact Shapley values of the tree', () => {
    const rng = new Rng(61);
    const nFeatures = 7;
    const categorical = [2, 5];
    const features = mixedFeatures(nFeatures, categorical, 40);
    let tabled = 0;
    for (let trial = 0; trial < 60; trial++) {
      const tree = randomTree(rng, { features, nLeaves: 2 + rng.nextInt(9) });
      const model = oneTreeModel(tree, nFeatures, categorical);
      const plan = compileForServing(model).shapPlan.plans[0]!;
      const treeFeatures = treeTableFeatures(tree);
      if (treeFeatures === null) {
        expect(plan.treeFeatures.length).toBe(0);
        continue;
      }
      tabled++;
      expect(plan.treeFeatures).toEqual(treeFeatures);
      expect((1 << tree.nInternal) * treeFeatures.length).toBeLessThanOrEqual(MAX_TREE_TABLE_DOUBLES);
      const rows = randomRows(rng, features, 12, 0.2);
      const recursive = shapValuesRecursive(model, rows, 12);
      const brute = shapValuesBruteForce(model, rows, 12);
      for (let i = 0; i < 12; i++) {
        // The row's decisions, bit t for the t-th node of the plan's parents-first order.
        let decisions = 0;
        for (let t = 0; t < tree.nInternal; t++)
          if (goesLeft(tree, plan.order[t]!, rows[i * nFeatures + tree.splitFeature[plan.order[t]!]!]!)) decisions |= 1 << t;
        const k = treeFeatures.length;
        const fromTable = new Float64Array(nFeatures);
        for (let j = 0; j < k; j++) fromTable[treeFeatures[j]!] = plan.treeTable[decisions * k + j]!;
        for (let f = 0; f < nFeatures; f++) {
          const expected = recursive[i * (nFeatures + 1) + f]!;
          expect(Math.abs(fromTable[f]! - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
          expect(Math.abs(fromTable[f]! - brute[i * (nFeatures + 1) + f]!)).toBeLessThanOrEqual(1e-9);
        }
      }
    }
    expect(tabled).toBeGreaterThan(20);
  });

  it('are left out for trees whose table would exceed the size limit', () => {
    const rng = new Rng(5);
    const features = mixedFeatures(12);
    const big = randomTree(rng, { features, nLeaves: 40 });
    expect(treeTableFeatures(big)).toBeNull();
    expect(compileForServing(oneTreeModel(big, 12, [])).shapPlan.tableTrees).toBe(0);
  });
});
