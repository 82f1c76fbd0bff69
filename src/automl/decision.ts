/**
 * The decision rule from probabilities to a label: binary — positive iff p ≥ threshold; multi-class
 * — the argmax of probability × class weight. The class weights are chosen on out-of-sample
 * predictions to raise macro F1 (the multi-class headline: a rare class whose probabilities are
 * rarely the largest is otherwise never predicted), and kept only when they raise it on rows they
 * were not chosen on. Probabilities themselves are untouched (log loss does not change).
 */
import type { TaskType } from './types.js';
import { macroF1 } from '../engine/index.js';

/** Multipliers tried for each class weight (coordinate ascent, a few passes). */
const WEIGHT_GRID = [0.25, 0.35, 0.5, 0.7, 0.85, 1, 1.2, 1.4, 2, 2.8, 4, 5.6, 8, 12];
const PASSES = 3;
/** Class weights are kept when they raise the cross-fitted macro F1 by at least this much. */
const MIN_MACRO_F1_GAIN = 0.003;

/** Predicted class of row i. */
export function predictClass(task: TaskType, probs: Float64Array, nClasses: number, i: number, threshold: number, classWeights?: ArrayLike<number>): number {
  if (task === 'binary_classification') return probs[2 * i + 1]! >= threshold ? 1 : 0;
  let best = 0;
  let bestScore = -Infinity;
  for (let k = 0; k < nClasses; k++) {
    const s = probs[i * nClasses + k]! * (classWeights?.[k] ?? 1);
    if (s > bestScore) {
      bestScore = s;
      best = k;
    }
  }
  return best;
}

function labelsOf(probs: Float64Array, K: number, rows: Int32Array, w: Float64Array): Int32Array {
  return Int32Array.from(rows, (i) => predictClass('multi_classification', probs, K, i, 0.5, w));
}

function fitOn(probs: Float64Array, y: Float64Array, K: number, rows: Int32Array): Float64Array {
  const truth = Int32Array.from(rows, (i) => y[i]!);
  const w = new Float64Array(K).fill(1);
  let best = macroF1(truth, labelsOf(probs, K, rows, w), K);
  for (let pass = 0; pass < PASSES; pass++) {
    let changed = false;
    for (let k = 0; k < K; k++) {
      const keep = w[k]!;
      let bestM = keep;
      for (const m of WEIGHT_GRID) {
        if (m === keep) continue;
        w[k] = m;
        const f = macroF1(truth, labelsOf(probs, K, rows, w), K);
        // Strictly better, or as good and closer to 1 (a smaller change).
        if (f > best + 1e-12 || (Math.abs(f - best) <= 1e-12 && Math.abs(Math.log(m)) < Math.abs(Math.log(bestM)))) {
          if (f > best + 1e-12) changed = true;
          best = Math.max(best, f);
          bestM = m;
        }
      }
      w[k] = bestM;
    }
    if (!changed) break;
  }
  return w;
}

/**
 * Class weights for macro F1 on out-of-sample probabilities (rows × K, row i ↔ y[i]), or null when
 * plain argmax does as well on rows the weights were not chosen on (weights fitted on alternate
 * halves, each scored on the other half).
 */
export function fitClassWeights(probs: Float64Array, y: Float64Array, K: number): number[] | null {
  const n = y.length;
  if (n < 40) return null;
  const halves = [0, 1].map((h) => Int32Array.from({ length: Math.floor((n + 1 - h) / 2) }, (_, j) => 2 * j + h));
  const ones = new Float64Array(K).fill(1);
  let gain = 0;
  for (let h = 0; h < 2; h++) {
    const w = fitOn(probs, y, K, halves[h]!);
    const other = halves[1 - h]!;
    const truth = Int32Array.from(other, (i) => y[i]!);
    gain += macroF1(truth, labelsOf(probs, K, other, w), K) - macroF1(truth, labelsOf(probs, K, other, ones), K);
  }
  if (gain / 2 < MIN_MACRO_F1_GAIN) return null;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  return Array.from(fitOn(probs, y, K, all));
}
