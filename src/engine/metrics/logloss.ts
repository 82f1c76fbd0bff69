/**
 * Log-loss (cross-entropy) of predicted probabilities, binary and multi-class.
 *
 * Probabilities are clipped to [LOGLOSS_EPS, 1 - LOGLOSS_EPS] before the log, as scikit-learn and
 * LightGBM do, so one confidently wrong row costs about 34.5 rather than Infinity and the mean
 * stays usable for early stopping.
 */
import type { LabelArray, WeightArray } from './types.js';

/** Probability clip for log-loss: -log(1e-15) ≈ 34.5 is the largest loss one row can add. */
export const LOGLOSS_EPS = 1e-15;

/** -log(p) with p clipped into [LOGLOSS_EPS, 1 - LOGLOSS_EPS]. */
export function clippedNegLog(p: number): number {
  const q = p < LOGLOSS_EPS ? LOGLOSS_EPS : p > 1 - LOGLOSS_EPS ? 1 - LOGLOSS_EPS : p;
  return -Math.log(q);
}

/**
 * Mean binary log-loss.
 *
 * @param labels01  length n, 1 = positive, anything else = negative
 * @param p1        length n, predicted probability of the positive class
 * @param weights   length n, optional; the mean is weighted
 */
export function binaryLogLoss(labels01: LabelArray, p1: Float64Array, weights?: WeightArray): number {
  const n = labels01.length;
  let sum = 0;
  let sumW = 0;
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    const p = p1[i]!;
    sum += w * (labels01[i] === 1 ? clippedNegLog(p) : clippedNegLog(1 - p));
    sumW += w;
  }
  return sum / sumW;
}

/**
 * Mean multi-class log-loss: -log of the probability given to the true class.
 *
 * @param labels    length n, true class index 0..nClasses-1
 * @param probs     length n * nClasses, row-major probabilities (each row sums to 1)
 * @param weights   length n, optional; the mean is weighted
 */
export function multiLogLoss(labels: LabelArray, probs: Float64Array, nClasses: number, weights?: WeightArray): number {
  const n = labels.length;
  let sum = 0;
  let sumW = 0;
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    sum += w * clippedNegLog(probs[i * nClasses + labels[i]!]!);
    sumW += w;
  }
  return sum / sumW;
}
