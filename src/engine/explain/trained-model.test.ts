/**
 * End-to-end checks on models grown by the real trainer: prediction, TreeSHAP and serialization
 * agree with each other and with the trainer's own validation scores.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import type { FeatureTable } from '../data/columns.js';
import { toRowMajor } from '../data/columns.js';
import { trainGbdt } from '../boosting/train.js';
import { deserializeModel, serializeModel } from '../boosting/serialize.js';
import { evaluateMetric } from '../metrics/index.js';
import { predictRaw } from '../predict/predict.js';
import { predictRawNaive } from '../predict/predict-naive.js';
import { shapValues } from './tree-shap.js';

/** Two numeric columns (one with NaN) and one categorical column (with missing codes). */
function problem(nRows: number, seed: number, task: 'binary' | 'multiclass' | 'regression') {
  const rng = new Rng(seed);
  const x0 = new Float64Array(nRows);
  const x1 = new Float64Array(nRows);
  const c = new Int32Array(nRows);
  const label = new Float64Array(nRows);
  const catEffect = [1.5, -1, 0.5, -2, 0, 2];
  for (let i = 0; i < nRows; i++) {
    x0[i] = rng.nextFloat() * 4 - 2;
    x1[i] = rng.nextFloat() * 4 - 2;
    c[i] = rng.nextFloat() < 0.05 ? -1 : rng.nextInt(6);
    const score = x0[i]! - (x1[i]! * x1[i]!) / 2 + (c[i]! >= 0 ? catEffect[c[i]!]! : 0) + (rng.nextFloat() - 0.5);
    label[i] = task === 'binary' ? (score > 0 ? 1 : 0) : task === 'multiclass' ? (score < -1 ? 0 : score < 0.5 ? 1 : 2) : score;
    if (rng.nextFloat() < 0.05) x0[i] = NaN;
  }
  const table: FeatureTable = {
    nRows,
    columns: [
      { kind: 'numeric', name: 'x0', values: x0 },
      { kind: 'numeric', name: 'x1', values: x1 },
      { kind: 'categorical', name: 'c', codes: c, nCategories: 6 },
    ],
  };
  return { table, label };
}

describe.each(['binary', 'multiclass', 'regression'] as const)('a trained %s model', (task) => {
  const train = problem(1500, 1, task);
  const valid = problem(400, 2, task);
  const model = trainGbdt(train, { objective: task, nRounds: 25, maxLeaves: 15, minDataInLeaf: 5, earlyStoppingRounds: 5 }, { valid });
  const rows = toRowMajor(valid.table);
  const nRows = valid.table.nRows;

  it("fast prediction equals the naive twin and reproduces the trainer's best validation score", () => {
    const raw = predictRaw(model, rows, nRows);
    expect(raw).toEqual(predictRawNaive(model, rows, nRows));
    const best = model.history[model.nRoundsKept - 1]!.valid!;
    const metric = evaluateMetric(model.metricName, model.objective, valid.label, raw, model.nOutputs);
    expect(metric).toBeCloseTo(best, 12);
  });

  it('SHAP values add up to the raw prediction', () => {
    const raw = predictRaw(model, rows, nRows);
    const shap = shapValues(model, rows, nRows);
    const stride = model.features.length + 1;
    for (let i = 0; i < nRows; i++) {
      for (let k = 0; k < model.nOutputs; k++) {
        let sum = 0;
        for (let f = 0; f < stride; f++) sum += shap[(i * model.nOutputs + k) * stride + f]!;
        expect(Math.abs(sum - raw[i * model.nOutputs + k]!)).toBeLessThan(1e-9 * Math.max(1, Math.abs(sum)));
      }
    }
  });

  it('survives serialization with identical bytes and predictions', () => {
    const text = serializeModel(model);
    const back = deserializeModel(text);
    expect(serializeModel(back)).toBe(text);
    expect(predictRaw(back, rows, nRows)).toEqual(predictRaw(model, rows, nRows));
  });
});
