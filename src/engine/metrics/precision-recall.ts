/**
 * Precision, recall and F-scores: for one positive class, per class, and macro-averaged.
 *
 * Everything is derived from the confusion matrix, so the weighted and unweighted versions share
 * one code path. A ratio whose denominator is 0 (no predicted / no actual members of a class) is
 * defined as 0, scikit-learn's `zero_division=0`.
 */
import { confusionMatrix } from './classification.js';
import type { LabelArray, WeightArray } from './types.js';

export interface PrecisionRecallF {
  readonly precision: number;
  readonly recall: number;
  /** F-beta score: (1 + β²)·P·R / (β²·P + R). */
  readonly fScore: number;
  /** Total (weighted) number of rows whose true class is the positive class. */
  readonly support: number;
}

export interface PerClassPrecisionRecallF {
  /** Length nClasses. */
  readonly precision: Float64Array;
  readonly recall: Float64Array;
  readonly fScore: Float64Array;
  /** (Weighted) count of true members per class. */
  readonly support: Float64Array;
  /** (Weighted) count of predicted members per class. */
  readonly predictedCount: Float64Array;
}

export interface MacroAverages {
  readonly precision: number;
  readonly recall: number;
  readonly fScore: number;
  /** Number of classes averaged over (those present in the labels or the predictions). */
  readonly nClassesAveraged: number;
}

function ratio(num: number, den: number): number {
  return den > 0 ? num / den : 0;
}

function fBeta(precision: number, recall: number, beta: number): number {
  const b2 = beta * beta;
  const den = b2 * precision + recall;
  return den > 0 ? ((1 + b2) * precision * recall) / den : 0;
}

/**
 * Per-class precision/recall/F-beta from a K × K confusion matrix (rows = true, columns = predicted).
 */
export function perClassFromConfusion(cm: Int32Array | Float64Array, nClasses: number, beta = 1): PerClassPrecisionRecallF {
  const precision = new Float64Array(nClasses);
  const recall = new Float64Array(nClasses);
  const fScore = new Float64Array(nClasses);
  const support = new Float64Array(nClasses);
  const predictedCount = new Float64Array(nClasses);
  for (let t = 0; t < nClasses; t++) {
    for (let p = 0; p < nClasses; p++) {
      const c = cm[t * nClasses + p]!;
      support[t]! += c;
      predictedCount[p]! += c;
    }
  }
  for (let k = 0; k < nClasses; k++) {
    const tp = cm[k * nClasses + k]!;
    precision[k] = ratio(tp, predictedCount[k]!);
    recall[k] = ratio(tp, support[k]!);
    fScore[k] = fBeta(precision[k]!, recall[k]!, beta);
  }
  return { precision, recall, fScore, support, predictedCount };
}

/**
 * Per-class precision/recall/F-beta.
 *
 * @param labels     length n, true class indices 0..nClasses-1
 * @param predicted  length n, predicted class indices
 */
export function perClassPrecisionRecallF(
  labels: LabelArray,
  predicted: LabelArray,
  nClasses: number,
  weights?: WeightArray,
  beta = 1,
): PerClassPrecisionRecallF {
  return perClassFromConfusion(confusionMatrix(labels, predicted, nClasses, weights), nClasses, beta);
}

/**
 * Precision/recall/F-beta of one positive class, everything else negative.
 *
 * @param labels         length n, class values (e.g. 0/1)
 * @param predicted      length n, predicted class values
 * @param positiveClass  the value that counts as positive (default 1)
 *
 * @example
 * binaryPrecisionRecallF(Int32Array.of(1, 1, 0, 0), Int32Array.of(1, 0, 1, 0));
 * // { precision: 0.5, recall: 0.5, fScore: 0.5, support: 2 }
 */
export function binaryPrecisionRecallF(labels: LabelArray, predicted: LabelArray, positiveClass = 1, weights?: WeightArray, beta = 1): PrecisionRecallF {
  const n = labels.length;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    const isPos = labels[i] === positiveClass;
    const predPos = predicted[i] === positiveClass;
    if (isPos && predPos) tp += w;
    else if (predPos) fp += w;
    else if (isPos) fn += w;
  }
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return { precision, recall, fScore: fBeta(precision, recall, beta), support: tp + fn };
}

/**
 * Unweighted mean over classes of the per-class values (scikit-learn `average='macro'`).
 *
 * Only classes that occur in the labels or the predictions are averaged, as scikit-learn does when
 * it infers the label set: a class absent from a validation fold altogether says nothing about the
 * model and must not drag the average to 0.
 */
export function macroFromPerClass(perClass: PerClassPrecisionRecallF): MacroAverages {
  const k = perClass.precision.length;
  let p = 0;
  let r = 0;
  let f = 0;
  let m = 0;
  for (let c = 0; c < k; c++) {
    if (perClass.support[c]! <= 0 && perClass.predictedCount[c]! <= 0) continue;
    p += perClass.precision[c]!;
    r += perClass.recall[c]!;
    f += perClass.fScore[c]!;
    m++;
  }
  if (m === 0) return { precision: NaN, recall: NaN, fScore: NaN, nClassesAveraged: 0 };
  return { precision: p / m, recall: r / m, fScore: f / m, nClassesAveraged: m };
}

/** Macro-averaged precision, recall and F-beta. */
export function macroAverages(labels: LabelArray, predicted: LabelArray, nClasses: number, weights?: WeightArray, beta = 1): MacroAverages {
  return macroFromPerClass(perClassPrecisionRecallF(labels, predicted, nClasses, weights, beta));
}

/** Macro-averaged F1 score. */
export function macroF1(labels: LabelArray, predicted: LabelArray, nClasses: number, weights?: WeightArray): number {
  return macroAverages(labels, predicted, nClasses, weights, 1).fScore;
}
