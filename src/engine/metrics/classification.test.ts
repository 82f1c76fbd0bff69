import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { accuracy, confusionMatrix, errorRate, predictedClasses } from './classification.js';
import { binaryLogLoss, multiLogLoss, LOGLOSS_EPS } from './logloss.js';
import { binaryPrecisionRecallF, macroAverages, macroF1, perClassPrecisionRecallF } from './precision-recall.js';

describe('accuracy and error', () => {
  it('counts hits, weighted', () => {
    const y = Int32Array.of(0, 1, 2, 1);
    const p = Int32Array.of(0, 2, 2, 1);
    expect(accuracy(y, p)).toBe(0.75);
    expect(errorRate(y, p)).toBe(0.25);
    expect(accuracy(y, p, Float64Array.of(1, 3, 1, 1))).toBe(0.5);
  });
});

describe('confusionMatrix', () => {
  it('puts true classes in rows and predictions in columns', () => {
    const cm = confusionMatrix(Int32Array.of(0, 0, 1, 2, 2, 2), Int32Array.of(0, 1, 1, 2, 0, 2), 3);
    expect(cm).toBeInstanceOf(Int32Array);
    expect(Array.from(cm)).toEqual([1, 1, 0, 0, 1, 0, 1, 0, 2]);
  });

  it('sums weights into a Float64Array', () => {
    const cm = confusionMatrix(Float64Array.of(0, 1, 1), Float64Array.of(0, 0, 1), 2, Float64Array.of(0.5, 2, 1));
    expect(cm).toBeInstanceOf(Float64Array);
    expect(Array.from(cm)).toEqual([0.5, 0, 2, 1]);
  });

  it('rejects labels outside [0, nClasses)', () => {
    expect(() => confusionMatrix(Int32Array.of(0, 3), Int32Array.of(0, 0), 3)).toThrow(RangeError);
    expect(() => confusionMatrix(Float64Array.of(0, 0.5), Float64Array.of(0, 0), 3)).toThrow(/label 0.5/);
  });
});

describe('predictedClasses', () => {
  it('thresholds binary scores (strictly above) and takes the first argmax for K outputs', () => {
    expect(Array.from(predictedClasses(Float64Array.of(-1, 0, 0.1), 1))).toEqual([0, 0, 1]);
    expect(Array.from(predictedClasses(Float64Array.of(0.4, 0.5, 0.6), 1, 0.5))).toEqual([0, 0, 1]);
    expect(Array.from(predictedClasses(Float64Array.of(1, 3, 2, 5, 5, 0), 3))).toEqual([1, 0]);
  });
});

describe('precision / recall / F', () => {
  it('binary example by hand', () => {
    // tp = 2, fp = 1, fn = 1
    const r = binaryPrecisionRecallF(Int32Array.of(1, 1, 1, 0, 0), Int32Array.of(1, 1, 0, 1, 0));
    expect(r.precision).toBeCloseTo(2 / 3, 15);
    expect(r.recall).toBeCloseTo(2 / 3, 15);
    expect(r.fScore).toBeCloseTo(2 / 3, 15);
    expect(r.support).toBe(3);
    // F2 weighs recall more: (1 + 4)·P·R / (4P + R) with P = 1, R = 0.5 → 2.5 / 4.5
    const r2 = binaryPrecisionRecallF(Int32Array.of(1, 1, 0), Int32Array.of(1, 0, 0), 1, undefined, 2);
    expect(r2.fScore).toBeCloseTo(2.5 / 4.5, 15);
  });

  it('uses the given positive class and defines 0/0 as 0', () => {
    const r = binaryPrecisionRecallF(Int32Array.of(1, 1, 0, 0), Int32Array.of(1, 1, 0, 1), 0);
    expect(r.precision).toBe(1);
    expect(r.recall).toBe(0.5);
    const none = binaryPrecisionRecallF(Int32Array.of(0, 0), Int32Array.of(0, 0));
    expect(none).toEqual({ precision: 0, recall: 0, fScore: 0, support: 0 });
  });

  it('per-class values and the macro average by hand', () => {
    const y = Int32Array.of(0, 0, 1, 2, 2, 2);
    const p = Int32Array.of(0, 1, 1, 2, 0, 2);
    const pc = perClassPrecisionRecallF(y, p, 3);
    expect(Array.from(pc.precision)).toEqual([0.5, 0.5, 1]);
    expect(Array.from(pc.recall)).toEqual([0.5, 1, 2 / 3]);
    expect(Array.from(pc.support)).toEqual([2, 1, 3]);
    const f = [0.5, 2 / 3, 0.8];
    expect(pc.fScore[0]).toBeCloseTo(f[0]!, 15);
    expect(pc.fScore[1]).toBeCloseTo(f[1]!, 15);
    expect(pc.fScore[2]).toBeCloseTo(f[2]!, 15);
    expect(macroF1(y, p, 3)).toBeCloseTo((f[0]! + f[1]! + f[2]!) / 3, 15);
  });

  it('macro averages skip classes absent from both labels and predictions', () => {
    const y = Int32Array.of(0, 1, 1);
    const p = Int32Array.of(0, 1, 0);
    const m3 = macroAverages(y, p, 3);
    const m2 = macroAverages(y, p, 2);
    expect(m3).toEqual(m2);
    expect(m3.nClassesAveraged).toBe(2);
  });

  it('binary F1 of class 1 equals the per-class F1 of class 1 (random, weighted)', () => {
    const rng = new Rng(3);
    const n = 200;
    const y = new Int32Array(n);
    const p = new Int32Array(n);
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = rng.nextInt(2);
      p[i] = rng.nextFloat() < 0.7 ? y[i]! : 1 - y[i]!;
      w[i] = rng.nextFloat() + 0.1;
    }
    expect(binaryPrecisionRecallF(y, p, 1, w).fScore).toBeCloseTo(perClassPrecisionRecallF(y, p, 2, w).fScore[1]!, 14);
  });
});

describe('log-loss', () => {
  it('binary by hand, with clipping', () => {
    const y = Float64Array.of(1, 0);
    expect(binaryLogLoss(y, Float64Array.of(0.8, 0.4))).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 15);
    expect(binaryLogLoss(Float64Array.of(1), Float64Array.of(0))).toBeCloseTo(-Math.log(LOGLOSS_EPS), 12);
    expect(binaryLogLoss(y, Float64Array.of(0.8, 0.4), Float64Array.of(3, 1))).toBeCloseTo(-(3 * Math.log(0.8) + Math.log(0.6)) / 4, 15);
  });

  it('multi-class by hand', () => {
    const probs = Float64Array.of(0.7, 0.2, 0.1, 0.1, 0.1, 0.8);
    expect(multiLogLoss(Int32Array.of(0, 2), probs, 3)).toBeCloseTo(-(Math.log(0.7) + Math.log(0.8)) / 2, 15);
  });
});
