/**
 * Regression metrics: MSE, RMSE, MAE, median absolute error and R².
 *
 * All take (labels, predictions) of equal length n; weights are optional except for the median,
 * which is unweighted.
 */
import type { WeightArray } from './types.js';

/** (Weighted) mean squared error. */
export function mse(labels: Float64Array, predicted: Float64Array, weights?: WeightArray): number {
  const n = labels.length;
  let sum = 0;
  let sumW = 0;
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    const d = labels[i]! - predicted[i]!;
    sum += w * d * d;
    sumW += w;
  }
  return sum / sumW;
}

/** (Weighted) root mean squared error. */
export function rmse(labels: Float64Array, predicted: Float64Array, weights?: WeightArray): number {
  return Math.sqrt(mse(labels, predicted, weights));
}

/** (Weighted) mean absolute error. */
export function mae(labels: Float64Array, predicted: Float64Array, weights?: WeightArray): number {
  const n = labels.length;
  let sum = 0;
  let sumW = 0;
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    sum += w * Math.abs(labels[i]! - predicted[i]!);
    sumW += w;
  }
  return sum / sumW;
}

/** Median of |label - prediction| (the mean of the two middle values for even n). NaN for n = 0. */
export function medianAbsoluteError(labels: Float64Array, predicted: Float64Array): number {
  const n = labels.length;
  if (n === 0) return NaN;
  const errs = new Float64Array(n);
  for (let i = 0; i < n; i++) errs[i] = Math.abs(labels[i]! - predicted[i]!);
  errs.sort(); // typed-array sort is numeric
  const mid = n >> 1;
  return n % 2 === 1 ? errs[mid]! : 0.5 * (errs[mid - 1]! + errs[mid]!);
}

/**
 * Coefficient of determination R² = 1 - SS_res / SS_tot (weighted mean for SS_tot).
 *
 * A constant target (SS_tot = 0) makes the ratio undefined; like scikit-learn's `force_finite`, the
 * score is then 1 for a perfect prediction and 0 otherwise, so it never poisons an average.
 */
export function r2(labels: Float64Array, predicted: Float64Array, weights?: WeightArray): number {
  const n = labels.length;
  let sumW = 0;
  let sumWy = 0;
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    sumW += w;
    sumWy += w * labels[i]!;
  }
  const mean = sumWy / sumW;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    const y = labels[i]!;
    const r = y - predicted[i]!;
    const t = y - mean;
    ssRes += w * r * r;
    ssTot += w * t * t;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}
