/**
 * Ranking metrics for binary scores: area under the ROC curve and the ROC curve itself.
 *
 * Both sort the rows once by score (descending) and sweep the groups of tied scores. A group of
 * tied scores moves the curve diagonally in one step, which is what gives a tied positive/negative
 * pair half a point of credit: AUC equals the (weighted) Mann–Whitney probability
 * P(score⁺ > score⁻) + ½ P(score⁺ = score⁻).
 *
 * Scores must not be NaN (the sort order of NaN is undefined); labels are 1 for positive, anything
 * else for negative.
 */
import type { LabelArray, WeightArray } from './types.js';

/** Row indices ordered by descending score; ties keep row order so the result is deterministic. */
function orderByScoreDesc(scores: Float64Array): Uint32Array {
  const n = scores.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => {
    // Comparisons, not subtraction: Infinity - Infinity would be NaN.
    const sa = scores[a]!;
    const sb = scores[b]!;
    return sa > sb ? -1 : sa < sb ? 1 : a - b;
  });
  return order;
}

/**
 * Area under the ROC curve, ties handled by the trapezoid rule (half credit).
 *
 * @param labels01  length n, 1 = positive class, anything else = negative
 * @param scores    length n, higher = more likely positive (raw margins or probabilities)
 * @param weights   length n, optional row weights
 * @returns the AUC in [0, 1], or NaN when only one class is present (the AUC is undefined)
 *
 * @example
 * auc(Float64Array.of(0, 0, 1, 1), Float64Array.of(0.1, 0.4, 0.35, 0.8)); // 0.75
 */
export function auc(labels01: LabelArray, scores: Float64Array, weights?: WeightArray): number {
  const order = orderByScoreDesc(scores);
  const n = order.length;
  let tp = 0; // weight of positives ranked strictly above the current group
  let fp = 0;
  let area = 0; // Σ over groups of fpInGroup * (tp above + half the tp inside)
  let i = 0;
  while (i < n) {
    const s = scores[order[i]!]!;
    let tpGroup = 0;
    let fpGroup = 0;
    // Sweep a run of tied scores as a single step of the curve.
    while (i < n && scores[order[i]!] === s) {
      const row = order[i]!;
      const w = weights === undefined ? 1 : weights[row]!;
      if (labels01[row] === 1) tpGroup += w;
      else fpGroup += w;
      i++;
    }
    area += fpGroup * (tp + 0.5 * tpGroup);
    tp += tpGroup;
    fp += fpGroup;
  }
  if (tp <= 0 || fp <= 0) return NaN;
  return area / (tp * fp);
}

/** ROC curve points, from (0, 0) at threshold +Infinity to (1, 1) at the lowest score. */
export interface RocCurve {
  /** False positive rate at each threshold, non-decreasing. */
  readonly fpr: Float64Array;
  /** True positive rate at each threshold, non-decreasing. */
  readonly tpr: Float64Array;
  /** Decreasing thresholds: a row is called positive iff score >= threshold. thresholds[0] = +Infinity. */
  readonly thresholds: Float64Array;
}

export interface RocCurveOptions {
  /**
   * Drop points that lie on a straight horizontal or vertical run of the curve (they do not change
   * its shape or area). Default true: a 1M-row validation set then gives a curve a report can plot.
   */
  readonly dropIntermediate?: boolean;
}

/**
 * ROC curve at every distinct score. The area under the returned points (trapezoids) equals `auc`.
 *
 * @param labels01  length n, 1 = positive class
 * @param scores    length n, higher = more likely positive
 * @param weights   length n, optional row weights
 * @returns fpr/tpr are NaN when the corresponding class is absent
 */
export function rocCurve(labels01: LabelArray, scores: Float64Array, weights?: WeightArray, options: RocCurveOptions = {}): RocCurve {
  const order = orderByScoreDesc(scores);
  const n = order.length;
  // One point per distinct score, plus the (0, 0) origin at +Infinity.
  const tps = new Float64Array(n + 1);
  const fps = new Float64Array(n + 1);
  const thr = new Float64Array(n + 1);
  thr[0] = Infinity;
  let nPoints = 1;
  let tp = 0;
  let fp = 0;
  let i = 0;
  while (i < n) {
    const s = scores[order[i]!]!;
    while (i < n && scores[order[i]!] === s) {
      const row = order[i]!;
      const w = weights === undefined ? 1 : weights[row]!;
      if (labels01[row] === 1) tp += w;
      else fp += w;
      i++;
    }
    tps[nPoints] = tp;
    fps[nPoints] = fp;
    thr[nPoints] = s;
    nPoints++;
  }

  // Keep the first and last points and every point where the curve changes direction.
  const keep = new Uint8Array(nPoints);
  const dropIntermediate = options.dropIntermediate ?? true;
  let nKept = 0;
  for (let p = 0; p < nPoints; p++) {
    const isEnd = p === 0 || p === nPoints - 1;
    const bends = isEnd || fps[p - 1]! - 2 * fps[p]! + fps[p + 1]! !== 0 || tps[p - 1]! - 2 * tps[p]! + tps[p + 1]! !== 0;
    if (!dropIntermediate || bends) {
      keep[p] = 1;
      nKept++;
    }
  }

  const fpr = new Float64Array(nKept);
  const tpr = new Float64Array(nKept);
  const thresholds = new Float64Array(nKept);
  let q = 0;
  for (let p = 0; p < nPoints; p++) {
    if (keep[p] === 0) continue;
    fpr[q] = fps[p]! / fp;
    tpr[q] = tps[p]! / tp;
    thresholds[q] = thr[p]!;
    q++;
  }
  return { fpr, tpr, thresholds };
}

/** Area under a piecewise-linear curve given by its points (x non-decreasing), trapezoid rule. */
export function trapezoidArea(x: Float64Array, y: Float64Array): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += (x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!) * 0.5;
  return area;
}
