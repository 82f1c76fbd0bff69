/**
 * The objective interface: initial scores, gradients and hessians written into preallocated buffers.
 *
 * Layouts (n = number of training rows, K = nOutputs):
 *   rawScores, gradOut, hessOut: output-major, value of output k for row i at [k * n + i], so that the
 *   tree of output k reads a contiguous `subarray(k * n, (k + 1) * n)`.
 *   labels: length n (0/1, class index 0..K-1, or the regression target).
 *   weights: length n, or undefined when every row weighs 1.
 */
import type { GradientArray, HessianArray, RawScores } from '../dtypes.js';
import type { ObjectiveName } from '../boosting/model.js';

export interface Objective {
  readonly name: ObjectiveName;
  /** Trees per boosting round. */
  readonly nOutputs: number;
  /** True when every hessian is the same constant (squared error without weights). */
  readonly hessiansAreConstant: boolean;
  /** Throws RangeError if a label is not valid for this objective. */
  checkLabels(labels: Float64Array): void;
  /** The boosting starting point from the target prior; length nOutputs. */
  initScore(labels: Float64Array, weights: Float64Array | undefined): Float64Array;
  /**
   * Fills gradOut/hessOut (length n * nOutputs) of rows from .. to-1 from the current raw scores. Rows
   * are independent, so threads may fill disjoint ranges.
   */
  gradients(
    rawScores: RawScores,
    labels: Float64Array,
    weights: Float64Array | undefined,
    gradOut: GradientArray,
    hessOut: HessianArray,
    from: number,
    to: number,
  ): void;
  /**
   * Optional: recomputes a leaf's (unshrunk) output from the rows it holds, e.g. the median residual
   * for L1. `indices[start .. start + count)` are the leaf's rows; rawScores is output 0's slice.
   */
  renewLeafOutput?(indices: Uint32Array, start: number, count: number, labels: Float64Array, rawScores: RawScores, weights: Float64Array | undefined): number;
}

/** Weighted quantile q of values[0..n) (sorted copy; ties resolved by cumulative weight). */
export function weightedQuantile(values: Float64Array, weights: Float64Array | undefined, q: number): number {
  const n = values.length;
  if (n === 0) return 0;
  if (weights === undefined) {
    const sorted = Float64Array.from(values).sort();
    const pos = q * (n - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, n - 1);
    return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a]! - values[b]! || a - b);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i]!;
  const target = q * total;
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += weights[order[i]!]!;
    if (acc >= target) return values[order[i]!]!;
  }
  return values[order[n - 1]!]!;
}
