/**
 * Link functions from raw margins to probabilities: a numerically stable sigmoid and softmax.
 *
 * Both are written so that no intermediate overflows: `exp` is only ever taken of a non-positive
 * number, so raw margins of ±1000 give exact 0/1 probabilities instead of NaN.
 */

/** Logistic function 1 / (1 + e^-x), stable for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  // For x < 0, e^-x could overflow; rewrite as e^x / (1 + e^x) where e^x <= 1.
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * Applies `sigmoid` elementwise. `out` may alias `raw` (in place).
 *
 * @param raw  length n, raw margins
 * @param out  length n, probabilities of the positive class (OUT)
 */
export function sigmoidArray(raw: Float64Array, out: Float64Array = new Float64Array(raw.length)): Float64Array {
  const n = raw.length;
  for (let i = 0; i < n; i++) out[i] = sigmoid(raw[i]!);
  return out;
}

/**
 * Softmax of `values[offset .. offset + k)` in place. Subtracting the maximum first keeps every
 * exponent ≤ 0, so the largest term is exactly 1 and the sum never overflows or vanishes.
 */
export function softmaxInPlace(values: Float64Array, offset: number, k: number): void {
  let max = -Infinity;
  for (let j = 0; j < k; j++) {
    const v = values[offset + j]!;
    if (v > max) max = v;
  }
  let sum = 0;
  for (let j = 0; j < k; j++) {
    const e = Math.exp(values[offset + j]! - max);
    values[offset + j] = e;
    sum += e;
  }
  const inv = 1 / sum;
  for (let j = 0; j < k; j++) values[offset + j] = values[offset + j]! * inv;
}

/**
 * Row-wise softmax of a row-major nRows × k buffer. `out` may alias `raw` (in place).
 *
 * @param raw  length nRows * k, raw margins, row-major
 * @param out  length nRows * k, probabilities, row-major (OUT)
 */
export function softmaxRows(raw: Float64Array, nRows: number, k: number, out: Float64Array = new Float64Array(nRows * k)): Float64Array {
  if (out !== raw) out.set(raw.subarray(0, nRows * k));
  for (let i = 0; i < nRows; i++) softmaxInPlace(out, i * k, k);
  return out;
}
