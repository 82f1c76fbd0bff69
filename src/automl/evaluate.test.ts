import { describe, expect, it } from 'vitest';
import { bestFThreshold, evaluate, expectedCalibrationError, modelStars } from './evaluate.js';

describe('modelStars', () => {
  it('maps the headline metric to 1–5 stars at the documented thresholds', () => {
    expect([0.95, 0.9, 0.85, 0.7, 0.65, 0.2, NaN].map((v) => modelStars('binary_classification', v))).toEqual([5, 5, 4, 3, 2, 1, 1]);
    expect([0.65, 0.64, 0.5].map((v) => modelStars('multi_classification', v))).toEqual([3, 2, 2]);
    expect([0.75, 0.74, 0.25, -3].map((v) => modelStars('regression', v))).toEqual([4, 3, 2, 1]);
  });
});

describe('bestFThreshold', () => {
  it('picks the probability with the highest F-score, positive iff p ≥ threshold', () => {
    // Sorted by p: 0.9 (1), 0.8 (1), 0.6 (0), 0.4 (1), 0.1 (0). F at 0.8: 2·2/(2+3)=0.8; at 0.4: 2·3/(4+3)=0.857.
    const y = Float64Array.of(1, 1, 0, 1, 0);
    const p = Float64Array.of(0.9, 0.8, 0.6, 0.4, 0.1);
    expect(bestFThreshold(y, p)).toBe(0.4);
  });

  it('treats tied probabilities as one cut and falls back to 0.5 without positives', () => {
    expect(bestFThreshold(Float64Array.of(1, 0, 0), Float64Array.of(0.7, 0.7, 0.2))).toBe(0.7);
    expect(bestFThreshold(Float64Array.of(0, 0), Float64Array.of(0.3, 0.9))).toBe(0.5);
  });
});

describe('expectedCalibrationError', () => {
  it('is 0 when each probability band comes true that often, and the gap otherwise', () => {
    // Four rows at p = 0.25, one positive: calibrated. Two rows at 0.95, one positive: gap 0.45.
    const y = Float64Array.of(1, 0, 0, 0, 1, 0);
    const p1 = [0.25, 0.25, 0.25, 0.25, 0.95, 0.95];
    const probs = Float64Array.from(p1.flatMap((p) => [1 - p, p]));
    expect(expectedCalibrationError('binary_classification', 2, y.subarray(0, 4), probs.subarray(0, 8))).toBeCloseTo(0, 12);
    expect(expectedCalibrationError('binary_classification', 2, y, probs)).toBeCloseTo((2 * 0.45) / 6, 12);
  });

  it('multi-class: the top class confidence against how often the top class is right', () => {
    const y = Float64Array.of(0, 1);
    const probs = Float64Array.of(0.7, 0.2, 0.1, 0.7, 0.2, 0.1);
    expect(expectedCalibrationError('multi_classification', 3, y, probs)).toBeCloseTo(0.2, 12);
  });
});

describe('evaluate', () => {
  it('binary: confusion, accuracy, precision / recall / F of the positive class, AUC and log loss', () => {
    const y = Float64Array.of(1, 0, 1, 0);
    const p1 = [0.8, 0.3, 0.4, 0.6];
    const probs = Float64Array.from(p1.flatMap((p) => [1 - p, p]));
    const ev = evaluate('binary_classification', 2, y, probs, null, 0.5);
    expect(ev.confusion).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(ev.metrics.accuracy).toBe(0.5);
    expect(ev.metrics.precision).toBe(0.5);
    expect(ev.metrics.recall).toBe(0.5);
    expect(ev.metrics.auc).toBe(0.75);
    expect(ev.metrics.logloss).toBeCloseTo(-(Math.log(0.8) + Math.log(0.7) + Math.log(0.4) + Math.log(0.4)) / 4, 12);
    expect(ev.binary!.distribution[1].reduce((a, b) => a + b, 0)).toBe(2);
    expect(ev.binary!.topN[0]).toEqual({ percent: 10, rows: 1, hitRate: 1 });
  });

  it('multi-class: macro averages over the classes present, per-class support', () => {
    const y = Float64Array.of(0, 0, 1, 1);
    // Predicts 0, 0, 0, 1: class 0 P=2/3 R=1, class 1 P=1 R=1/2, class 2 absent everywhere.
    const probs = Float64Array.of(0.8, 0.1, 0.1, 0.7, 0.2, 0.1, 0.5, 0.4, 0.1, 0.2, 0.7, 0.1);
    const ev = evaluate('multi_classification', 3, y, probs, null, 0.5);
    expect(ev.perClass!.map((c) => c.support)).toEqual([2, 2, 0]);
    expect(ev.metrics.average_precision).toBeCloseTo((2 / 3 + 1) / 2, 12);
    expect(ev.metrics.average_recall).toBeCloseTo(0.75, 12);
    expect(ev.metrics.accuracy).toBe(0.75);
  });

  it('regression: MAE, RMSE, R², medians (actual 0 skipped in the ratio), error histogram', () => {
    const y = Float64Array.of(0, 2, 4, 6);
    const pred = Float64Array.of(1, 2, 5, 4);
    const ev = evaluate('regression', 0, y, null, pred, 0.5);
    expect(ev.metrics.mae).toBe(1);
    expect(ev.metrics.rmse).toBeCloseTo(Math.sqrt(6 / 4), 12);
    expect(ev.metrics.r2).toBeCloseTo(1 - 6 / 20, 12);
    expect(ev.metrics.median_absolute_error).toBe(1);
    expect(ev.metrics.median_absolute_error_ratio).toBeCloseTo(0.25, 12);
    expect(ev.regression!.errorCounts.reduce((a, b) => a + b, 0)).toBe(4);
    expect(ev.confusion).toBeNull();
  });
});
