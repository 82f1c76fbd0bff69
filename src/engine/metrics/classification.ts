/**
 * Label-level classification metrics: accuracy, error rate and the confusion matrix.
 *
 * These take hard predictions (class indices). Turning scores into classes is the caller's choice
 * (a threshold for binary, argmax for multiclass); `predictedClasses` does the usual one.
 */
import type { LabelArray, WeightArray } from './types.js';

/**
 * Fraction (weighted) of rows whose predicted class equals the label.
 *
 * @param labels     length n, true classes
 * @param predicted  length n, predicted classes
 * @param weights    length n, optional
 */
export function accuracy(labels: LabelArray, predicted: LabelArray, weights?: WeightArray): number {
  const n = labels.length;
  let hit = 0;
  let sumW = 0;
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    if (labels[i] === predicted[i]) hit += w;
    sumW += w;
  }
  return hit / sumW;
}

/** 1 - accuracy: LightGBM's `binary_error` / `multi_error`. */
export function errorRate(labels: LabelArray, predicted: LabelArray, weights?: WeightArray): number {
  return 1 - accuracy(labels, predicted, weights);
}

/**
 * K × K confusion matrix, row-major with rows = true class and columns = predicted class
 * (scikit-learn's convention): cm[trueIdx * nClasses + predIdx].
 *
 *                 predicted 0   predicted 1  ...
 *   true 0      [  cm[0]         cm[1]      ... ]
 *   true 1      [  cm[K]         cm[K+1]    ... ]
 *
 * Unweighted counts are exact integers (Int32Array); with weights the cells are sums (Float64Array).
 *
 * @throws RangeError if a label or prediction is not an integer in [0, nClasses)
 */
export function confusionMatrix(labels: LabelArray, predicted: LabelArray, nClasses: number): Int32Array;
export function confusionMatrix(labels: LabelArray, predicted: LabelArray, nClasses: number, weights: WeightArray): Float64Array;
export function confusionMatrix(labels: LabelArray, predicted: LabelArray, nClasses: number, weights?: WeightArray): Int32Array | Float64Array;
export function confusionMatrix(labels: LabelArray, predicted: LabelArray, nClasses: number, weights?: WeightArray): Int32Array | Float64Array {
  const n = labels.length;
  const cm = weights === undefined ? new Int32Array(nClasses * nClasses) : new Float64Array(nClasses * nClasses);
  for (let i = 0; i < n; i++) {
    const t = labels[i]!;
    const p = predicted[i]!;
    // Cheap per-row check: a non-integer or out-of-range class would silently land in the wrong cell.
    if (!(t >= 0 && t < nClasses && t === Math.floor(t))) {
      throw new RangeError(`confusionMatrix: label ${t} at row ${i} is not a class index in [0, ${nClasses})`);
    }
    if (!(p >= 0 && p < nClasses && p === Math.floor(p))) {
      throw new RangeError(`confusionMatrix: prediction ${p} at row ${i} is not a class index in [0, ${nClasses})`);
    }
    cm[t * nClasses + p]! += weights === undefined ? 1 : weights[i]!;
  }
  return cm;
}

/**
 * Hard class predictions from scores.
 * - nOutputs = 1 (binary): class 1 iff score > threshold (default 0, i.e. raw margin > 0 ⇔ p > 0.5;
 *   pass 0.5 when `scores` are probabilities). A score exactly at the threshold is class 0.
 * - nOutputs = K > 1: argmax of each row of the row-major n × K buffer; ties go to the lower class.
 *
 * @param scores  length n * nOutputs
 * @returns length n, class indices
 */
export function predictedClasses(scores: Float64Array, nOutputs: number, threshold = 0): Int32Array {
  const n = Math.floor(scores.length / nOutputs);
  const out = new Int32Array(n);
  if (nOutputs === 1) {
    for (let i = 0; i < n; i++) out[i] = scores[i]! > threshold ? 1 : 0;
    return out;
  }
  for (let i = 0; i < n; i++) {
    const base = i * nOutputs;
    let best = 0;
    let bestScore = scores[base]!;
    for (let k = 1; k < nOutputs; k++) {
      const s = scores[base + k]!;
      if (s > bestScore) {
        bestScore = s;
        best = k;
      }
    }
    out[i] = best;
  }
  return out;
}
