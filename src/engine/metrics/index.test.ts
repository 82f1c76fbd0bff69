import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { sigmoidArray, softmaxRows } from '../predict/transform.js';
import {
  accuracy,
  auc,
  binaryLogLoss,
  defaultMetricFor,
  evaluateMetric,
  getMetric,
  higherIsBetter,
  isImprovement,
  macroF1,
  METRIC_NAMES,
  multiLogLoss,
  predictedClasses,
  rmse,
  r2,
} from './index.js';

function randomRaw(rng: Rng, n: number, k: number): Float64Array {
  const raw = new Float64Array(n * k);
  for (let i = 0; i < raw.length; i++) raw[i] = (rng.nextFloat() - 0.5) * 6;
  return raw;
}

describe('evaluateMetric', () => {
  const rng = new Rng(5);
  const n = 120;

  it('binary metrics on raw margins equal the kernels on probabilities', () => {
    const raw = randomRaw(rng, n, 1);
    const y = new Float64Array(n);
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = rng.nextFloat() < 1 / (1 + Math.exp(-raw[i]!)) ? 1 : 0;
      w[i] = rng.nextFloat() + 0.5;
    }
    const p = sigmoidArray(raw);
    expect(evaluateMetric('logloss', 'binary', y, raw, 1)).toBe(binaryLogLoss(y, p));
    expect(evaluateMetric('', 'binary', y, raw, 1, w)).toBe(binaryLogLoss(y, p, w));
    expect(evaluateMetric('auc', 'binary', y, raw, 1)).toBe(auc(y, p));
    const cls = predictedClasses(p, 1, 0.5);
    expect(evaluateMetric('accuracy', 'binary', y, raw, 1, w)).toBeCloseTo(accuracy(y, cls, w), 15);
    expect(evaluateMetric('error', 'binary', y, raw, 1)).toBeCloseTo(1 - accuracy(y, cls), 15);
    expect(evaluateMetric('macro_f1', 'binary', y, raw, 1)).toBe(macroF1(y, cls, 2));
  });

  it('multiclass metrics on raw margins equal the kernels on softmax probabilities', () => {
    const k = 4;
    const raw = randomRaw(rng, n, k);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) y[i] = rng.nextInt(k);
    const probs = softmaxRows(raw, n, k);
    expect(evaluateMetric('multi_logloss', 'multiclass', y, raw, k)).toBeCloseTo(multiLogLoss(y, probs, k), 14);
    const cls = predictedClasses(probs, k);
    expect(evaluateMetric('accuracy', 'multiclass', y, raw, k)).toBe(accuracy(y, cls));
    expect(evaluateMetric('macro_f1', 'multiclass', y, raw, k)).toBe(macroF1(y, cls, k));
    // Macro one-vs-rest AUC, recomputed here by hand.
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const yc = new Float64Array(n);
      const sc = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        yc[i] = y[i] === c ? 1 : 0;
        sc[i] = probs[i * k + c]!;
      }
      sum += auc(yc, sc);
    }
    expect(evaluateMetric('auc', 'multiclass', y, raw, k)).toBeCloseTo(sum / k, 14);
  });

  it('regression metrics use the raw score as the prediction', () => {
    const raw = randomRaw(rng, n, 1);
    const y = randomRaw(rng, n, 1);
    for (const objective of ['regression', 'huber', 'l1'] as const) {
      expect(evaluateMetric('', objective, y, raw, 1)).toBe(rmse(y, raw));
      expect(evaluateMetric('r2', objective, y, raw, 1)).toBe(r2(y, raw));
    }
  });

  it('rejects unknown names, wrong tasks and short buffers', () => {
    const y = Float64Array.of(0, 1);
    expect(() => evaluateMetric('nope', 'binary', y, Float64Array.of(0, 1), 1)).toThrow(/unknown metric 'nope'/);
    expect(() => evaluateMetric('rmse', 'binary', y, Float64Array.of(0, 1), 1)).toThrow(/does not apply/);
    expect(() => evaluateMetric('multi_logloss', 'binary', y, Float64Array.of(0, 1), 1)).toThrow(RangeError);
    expect(() => evaluateMetric('toString', 'binary', y, Float64Array.of(0, 1), 1)).toThrow(/unknown metric/);
    expect(() => evaluateMetric('auc', 'multiclass', y, Float64Array.of(0, 1, 2), 3)).toThrow(/rawScores/);
  });
});

describe('registry', () => {
  it('knows defaults and directions', () => {
    expect(defaultMetricFor('binary')).toBe('logloss');
    expect(defaultMetricFor('multiclass')).toBe('multi_logloss');
    expect(defaultMetricFor('huber')).toBe('rmse');
    expect(defaultMetricFor('l1')).toBe('rmse');
    expect(higherIsBetter('auc', 'binary')).toBe(true);
    expect(higherIsBetter('', 'multiclass')).toBe(false);
    expect(getMetric('', 'regression').name).toBe('rmse');
    for (const name of ['logloss', 'multi_logloss', 'rmse', 'auc', 'macro_f1', 'accuracy', 'mae', 'error']) {
      expect(METRIC_NAMES).toContain(name);
    }
  });

  it('isImprovement respects direction and NaN', () => {
    expect(isImprovement(true, 0.9, 0.8)).toBe(true);
    expect(isImprovement(false, 0.9, 0.8)).toBe(false);
    expect(isImprovement(true, 0.8, 0.8)).toBe(false);
    expect(isImprovement(true, NaN, 0.8)).toBe(false);
    expect(isImprovement(false, 0.3, NaN)).toBe(true);
  });
});
