import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';
import { mixedFeatures, randomModel, randomRows } from './testing/random-trees.js';
import { shapValues, shapValuesOfOutput } from './explain/tree-shap.js';
import { predictRaw } from './predict/predict.js';
import { compiledFormOf, compileForServing, servingModelOf } from './serving.js';

describe('compileForServing', () => {
  it('is built once per model and found by the model', () => {
    const model = randomModel(new Rng(3), { objective: 'binary', nClasses: 2, nRounds: 8, features: mixedFeatures(5), maxLeaves: 9 });
    expect(compiledFormOf(model)).toBeUndefined();
    const serving = compileForServing(model);
    expect(servingModelOf(model)).toBe(serving);
    expect(compiledFormOf(model)).toBe(serving);
    expect(serving.forest.rounds).toBe(serving.rounds);
  });

  it('counts its bytes exactly: the leaf tables are the whole difference between two budgets', () => {
    const features = mixedFeatures(10, [2], 12);
    const model = randomModel(new Rng(11), { objective: 'multiclass', nClasses: 3, nRounds: 10, features, maxLeaves: 30 });
    const withTables = compileForServing(model, { maxTableBytes: 1 << 30 });
    const without = compileForServing(model, { maxTableBytes: 0 });
    expect(withTables.shapPlan.tableBytes).toBeGreaterThan(0);
    expect(withTables.byteSize - without.byteSize).toBe(withTables.shapPlan.tableBytes);
    // At least the forest's nodes and leaves and the tree tables.
    const forestBytes = without.forest.nodeThreshold.byteLength + without.forest.leafValue.byteLength;
    expect(without.byteSize).toBeGreaterThan(forestBytes + without.shapPlan.treeTableBytes);
  });

  it('gives the same predictions and reasons whatever the table budget', () => {
    const features = mixedFeatures(8, [1], 20);
    const model = randomModel(new Rng(5), { objective: 'regression', nRounds: 12, features, maxLeaves: 20 });
    const rows = randomRows(new Rng(6), features, 4, 0.1);
    compileForServing(model, { maxTableBytes: 0 });
    const raw0 = predictRaw(model, rows, 4);
    const shap0 = shapValues(model, rows, 4);
    const one0 = shapValuesOfOutput(model, rows, 1, 0);
    compileForServing(model);
    expect(predictRaw(model, rows, 4)).toEqual(raw0);
    expect(shapValues(model, rows, 4)).toEqual(shap0);
    expect(shapValuesOfOutput(model, rows, 1, 0)).toEqual(one0);
  });
});
