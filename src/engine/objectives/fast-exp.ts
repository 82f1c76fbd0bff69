/**
 * e^x for the training gradients, about 3× faster than `Math.exp` in V8 (which calls out to a C
 * routine, 8 ns a call here: most of a binary gradient's 10 ns per row).
 *
 * x = (k / 64) · ln 2 + t with k the nearest integer to 64 x / ln 2, so |t| ≤ ln 2 / 128; then
 * e^x = 2^(k >> 6) · 2^((k & 63) / 64) · e^t, the first two from tables and e^t from its Taylor
 * polynomial of degree 5 (truncation below 2^-46). Relative error below 1e-13 (tested against
 * Math.exp); rounded to float32, the sigmoids of 1M random logits were identical.
 *
 * Only training uses it: predictions and metrics keep Math.exp.
 */

/** 2^(j / 64) for j in 0..63. */
const FRACTION = Float64Array.from({ length: 64 }, (_, j) => 2 ** (j / 64));
/** 2^e for e in [-1100, 1100), at e + 1100. */
const POWER = Float64Array.from({ length: 2200 }, (_, i) => 2 ** (i - 1100));
const SCALE = 64 * Math.LOG2E;
const STEP = Math.LN2 / 64;
/** Adding and subtracting 1.5 × 2^52 rounds a double below 2^51 to the nearest integer. */
const ROUND = 6755399441055744;
/**
 * Outside [-708, 709] (results near overflow, or subnormal) and for NaN, Math.exp itself answers: the
 * tables do not hold those powers exactly, and such arguments are rare in training.
 */
const MAX_ARG = 709;
const MIN_ARG = -708;

export function fastExp(x: number): number {
  if (!(x <= MAX_ARG && x >= MIN_ARG)) return Math.exp(x);
  const kf = x * SCALE + ROUND - ROUND;
  const t = x - kf * STEP;
  const p = 1 + t * (1 + t * (0.5 + t * (1 / 6 + t * (1 / 24 + t * (1 / 120)))));
  const k = kf | 0;
  return p * FRACTION[k & 63]! * POWER[(k >> 6) + 1100]!;
}
