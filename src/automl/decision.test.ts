import { describe, expect, it } from 'vitest';
import { macroF1 } from '../engine/metrics/index.js';
import { Rng } from '../engine/rng.js';
import { fitClassWeights, predictClass } from './decision.js';

/** Three classes; class 2 (rare) is right where its probability is merely high, never the largest. */
function underPredictedRareClass(n: number, seed: number): { probs: Float64Array; y: Float64Array } {
  const rng = new Rng(seed);
  const probs = new Float64Array(n * 3);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = rng.nextFloat() < 0.1 ? 2 : rng.nextFloat() < 0.5 ? 0 : 1;
    y[i] = k;
    const p2 = k === 2 ? 0.3 + 0.1 * rng.nextFloat() : 0.05 + 0.1 * rng.nextFloat();
    const p0 = k === 0 ? 0.6 : k === 1 ? 0.3 : 0.35;
    probs.set([p0 * (1 - p2), (1 - p0) * (1 - p2), p2], i * 3);
  }
  return { probs, y };
}

const labels = (probs: Float64Array, n: number, w?: number[]): Int32Array =>
  Int32Array.from({ length: n }, (_, i) => predictClass('multi_classification', probs, 3, i, 0.5, w));

describe('class weights for macro F1', () => {
  it('lift a rare class that argmax never predicts, and the gain holds on other rows', () => {
    const fit = underPredictedRareClass(2000, 1);
    const w = fitClassWeights(fit.probs, fit.y, 3);
    expect(w).not.toBeNull();
    // The rare class is predicted now.
    const predicted = labels(fit.probs, 2000, w!);
    expect(predicted.filter((k, i) => k === 2 && fit.y[i] === 2).length).toBeGreaterThan(0.8 * fit.y.filter((k) => k === 2).length);
    const test = underPredictedRareClass(2000, 2);
    const truth = Int32Array.from(test.y);
    expect(macroF1(truth, labels(test.probs, 2000, w!), 3)).toBeGreaterThan(macroF1(truth, labels(test.probs, 2000), 3) + 0.05);
  });

  it('are not used when the argmax is already as good', () => {
    const n = 600;
    const y = Float64Array.from({ length: n }, (_, i) => i % 3);
    const probs = Float64Array.from({ length: n * 3 }, (_, e) => (Math.floor(e / 3) % 3 === e % 3 ? 0.8 : 0.1));
    expect(fitClassWeights(probs, y, 3)).toBeNull();
  });

  it('binary decisions use the threshold, multi-class the weighted argmax', () => {
    expect(predictClass('binary_classification', Float64Array.of(0.6, 0.4), 2, 0, 0.35)).toBe(1);
    expect(predictClass('multi_classification', Float64Array.of(0.5, 0.3, 0.2), 3, 0, 0.5)).toBe(0);
    expect(predictClass('multi_classification', Float64Array.of(0.5, 0.3, 0.2), 3, 0, 0.5, [1, 1, 3])).toBe(2);
  });
});
