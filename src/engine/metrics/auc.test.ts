import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { auc, rocCurve, trapezoidArea } from './auc.js';

/** Naive twin: weighted Mann–Whitney over all positive/negative pairs, ties count ½. O(n²). */
function aucPairwise(labels: Float64Array, scores: Float64Array, weights?: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < labels.length; j++) {
      if (labels[j] === 1) continue;
      const w = weights === undefined ? 1 : weights[i]! * weights[j]!;
      den += w;
      if (scores[i]! > scores[j]!) num += w;
      else if (scores[i] === scores[j]) num += 0.5 * w;
    }
  }
  return den > 0 ? num / den : NaN;
}

function randomCase(rng: Rng, n: number, nDistinct: number) {
  const labels = new Float64Array(n);
  const scores = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = rng.nextFloat() < 0.4 ? 1 : 0;
    // Few distinct values → many ties; shift positives up a little so the AUC is not ~0.5.
    scores[i] = rng.nextInt(nDistinct) + (labels[i] === 1 ? rng.nextInt(3) : 0);
    weights[i] = 0.1 + rng.nextFloat() * 3;
  }
  return { labels, scores, weights };
}

describe('auc', () => {
  it('matches a hand-computed value', () => {
    expect(auc(Float64Array.of(0, 0, 1, 1), Float64Array.of(0.1, 0.4, 0.35, 0.8))).toBe(0.75);
  });

  it('gives half credit to ties', () => {
    expect(auc(Float64Array.of(0, 1), Float64Array.of(0.5, 0.5))).toBe(0.5);
    // pos {2, 1}, neg {1, 0}: pairs (2>1)(2>0)(1=1)(1>0) = 3.5 / 4
    expect(auc(Float64Array.of(1, 1, 0, 0), Float64Array.of(2, 1, 1, 0))).toBe(0.875);
  });

  it('is 1 for a perfect ranking, 0 for a reversed one and NaN with one class', () => {
    expect(auc(Float64Array.of(0, 0, 1), Float64Array.of(1, 2, 3))).toBe(1);
    expect(auc(Float64Array.of(1, 0, 0), Float64Array.of(3, 1, 2))).toBe(1);
    expect(auc(Float64Array.of(1, 0), Float64Array.of(0, 1))).toBe(0);
    expect(auc(Float64Array.of(1, 1), Float64Array.of(0, 1))).toBeNaN();
  });

  it('handles infinite scores', () => {
    expect(auc(Float64Array.of(1, 0, 1, 0), Float64Array.of(Infinity, Infinity, 0, -Infinity))).toBe(0.625);
  });

  it('agrees with the pairwise naive twin on random tied data, weighted and not', () => {
    const rng = new Rng(7);
    for (let t = 0; t < 20; t++) {
      const { labels, scores, weights } = randomCase(rng, 50 + rng.nextInt(150), 2 + rng.nextInt(20));
      expect(auc(labels, scores)).toBeCloseTo(aucPairwise(labels, scores), 12);
      expect(auc(labels, scores, weights)).toBeCloseTo(aucPairwise(labels, scores, weights), 12);
    }
  });

  it('accepts Int32 labels', () => {
    expect(auc(Int32Array.of(0, 0, 1, 1), Float64Array.of(0.1, 0.4, 0.35, 0.8))).toBe(0.75);
  });
});

describe('rocCurve', () => {
  it('lists every distinct threshold when dropIntermediate is off', () => {
    const roc = rocCurve(Float64Array.of(0, 0, 1, 1), Float64Array.of(0.1, 0.4, 0.35, 0.8), undefined, {
      dropIntermediate: false,
    });
    expect(Array.from(roc.thresholds)).toEqual([Infinity, 0.8, 0.4, 0.35, 0.1]);
    expect(Array.from(roc.tpr)).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(Array.from(roc.fpr)).toEqual([0, 0, 0.5, 0.5, 1]);
  });

  it('drops collinear points but keeps the corners and ends', () => {
    // Scores 4,3,2,1 all positive then 0 negative: the curve goes straight up, then right.
    const roc = rocCurve(Float64Array.of(1, 1, 1, 1, 0), Float64Array.of(4, 3, 2, 1, 0));
    expect(Array.from(roc.tpr)).toEqual([0, 1, 1]);
    expect(Array.from(roc.fpr)).toEqual([0, 0, 1]);
    expect(Array.from(roc.thresholds)).toEqual([Infinity, 1, 0]);
  });

  it('has area equal to the AUC, with and without dropping points', () => {
    const rng = new Rng(11);
    for (let t = 0; t < 10; t++) {
      const { labels, scores, weights } = randomCase(rng, 300, 30);
      for (const dropIntermediate of [true, false]) {
        const roc = rocCurve(labels, scores, weights, { dropIntermediate });
        expect(trapezoidArea(roc.fpr, roc.tpr)).toBeCloseTo(auc(labels, scores, weights), 12);
        expect(roc.fpr[0]).toBe(0);
        expect(roc.tpr[roc.tpr.length - 1]).toBeCloseTo(1, 12);
        for (let i = 1; i < roc.fpr.length; i++) {
          expect(roc.fpr[i]).toBeGreaterThanOrEqual(roc.fpr[i - 1]!);
          expect(roc.tpr[i]).toBeGreaterThanOrEqual(roc.tpr[i - 1]!);
          expect(roc.thresholds[i]).toBeLessThan(roc.thresholds[i - 1]!);
        }
      }
    }
  });
});
