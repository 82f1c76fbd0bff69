/** One-row prediction over the flat forest (row-predict.ts) against predictRaw's batch path and the naive twin, bit for bit. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { mixedFeatures, randomModel, randomRows } from '../testing/random-trees.js';
import { predictRawNaive } from './predict-naive.js';
import { predictRaw } from './predict.js';
import { compileForServing } from '../serving.js';
import { buildRowForest, predictRowRaw, ROW_PREDICT_MAX_ROWS } from './row-predict.js';

describe('predictRowRaw', () => {
  const cases = [
    { objective: 'binary', nClasses: 2 },
    { objective: 'multiclass', nClasses: 3 },
    { objective: 'regression', nClasses: 0 },
  ] as const;

  for (const { objective, nClasses } of cases) {
    it(`equals predictRaw and the naive twin bit for bit (${objective})`, () => {
      const rng = new Rng(50 + nClasses);
      const features = mixedFeatures(9, [0, 5], 40);
      const model = randomModel(rng, { objective, nClasses, nRounds: 25, features, maxLeaves: 30, exoticThresholds: true });
      const nRows = 60;
      const rows = randomRows(rng, features, nRows, 0.2);
      const K = model.nOutputs;
      const batch = predictRaw(model, rows, nRows); // > ROW_PREDICT_MAX_ROWS: the tree-by-tree path
      const naive = predictRawNaive(model, rows, nRows);
      expect(batch).toEqual(naive);
      // The compiled forest lays nodes out in the SHAP plans' order; the tree's own order gives the same.
      const forest = compileForServing(model).forest;
      const inTreeOrder = buildRowForest(model, forest.rounds);
      const out = new Float64Array(K);
      for (let i = 0; i < nRows; i++) {
        predictRowRaw(forest, rows, i * features.length, out, 0);
        expect(out).toEqual(batch.subarray(i * K, (i + 1) * K));
        predictRowRaw(inTreeOrder, rows, i * features.length, out, 0);
        expect(out).toEqual(batch.subarray(i * K, (i + 1) * K));
        // predictRaw on one prepared row takes the forest.
        expect(predictRaw(model, rows.subarray(i * 9, (i + 1) * 9), 1)).toEqual(batch.subarray(i * K, (i + 1) * K));
      }
      expect(predictRaw(model, rows, ROW_PREDICT_MAX_ROWS)).toEqual(batch.subarray(0, ROW_PREDICT_MAX_ROWS * K));
    });
  }

  it('serves other round counts from the trees, not the prepared forest', () => {
    const rng = new Rng(9);
    const features = mixedFeatures(4, [2], 5);
    const model = randomModel(rng, { objective: 'regression', nRounds: 12, features, maxLeaves: 8 });
    compileForServing(model);
    const rows = randomRows(rng, features, 3);
    expect(predictRaw(model, rows, 3, undefined, 5)).toEqual(predictRawNaive({ ...model, nRoundsKept: 5 }, rows, 3));
    expect(buildRowForest(model, 5).rounds).toBe(5);
  });
});
