/**
 * Quantized gradients for histogram builds (after LightGBM's quantized training, Shi et al. 2022).
 *
 * Each row's gradient and hessian become small integers gq ∈ [-levels, levels] and hq ∈ [0, levels]
 * (hq = 1 for constant hessians), rounded stochastically so that the rounding is unbiased, stored as one
 * Int32 per row (gq << 16 | hq: 4 bytes, half of the float gradient and hessian, which keeps large
 * datasets' working set in the last-level cache). A histogram build adds, per row and feature, the one
 * double
 *
 *     gq · SHIFT + hq
 *
 * and bins hold the sums of those: exact integer sums as long as they stay below 2^53, which decode back
 * into (Σgq, Σhq) because 0 ≤ Σhq < SHIFT. An update is then one addition instead of two and a bin one
 * double instead of two: builds of large nodes take about a third less time. The sums being exact
 * integers, their order never changes them.
 *
 * `levels` is chosen from the row count so that |Σ| < 2^53 holds for any node: levels · nRows < 2^26.
 * Small datasets get thousands of levels (practically the float gradients); 1M rows get 67; past about
 * 16M rows there would be fewer than 4 and quantization is not used.
 *
 * Split finding reads histograms decoded to gradient and hessian sums; leaf values come from the same
 * decoded sums.
 */

/** Quantization is not used when the rows allow fewer levels than this. */
export const MIN_QUANTIZATION_LEVELS = 4;

/** The most levels: gq and hq must fit 16 bits each. */
export const MAX_QUANTIZATION_LEVELS = 32_767;

/** Levels of a quantization over `nRows` rows (0 = do not quantize). */
export function quantizationLevels(nRows: number): number {
  const levels = Math.floor((2 ** 26 - 1) / Math.max(1, nRows));
  return levels >= MIN_QUANTIZATION_LEVELS ? Math.min(levels, MAX_QUANTIZATION_LEVELS) : 0;
}

/** The scales and layout of one tree's packed gradients (see the module comment). */
export interface GradientQuantization {
  /** Gradient units per integer step. */
  readonly gradientScale: number;
  /** Hessian units per integer step (the constant hessian itself for constant hessians). */
  readonly hessianScale: number;
  /** 2^k > levels · nRows: the packing multiplier of the integer gradient. */
  readonly shift: number;
}

/** Placeholder scales of a histogram task without packed gradients. */
export const NO_QUANTIZATION: GradientQuantization = Object.freeze({ gradientScale: 1, hessianScale: 1, shift: 1 });

/**
 * Largest |gradient| and largest hessian of rows from .. to-1, into out[at] and out[at + 1] (hessians
 * null: out[at + 1] = 0).
 */
export function gradientBounds(gradients: Float32Array, hessians: Float32Array | null, from: number, to: number, out: Float64Array, at = 0): void {
  let g = 0;
  let h = 0;
  for (let i = from; i < to; i++) {
    const a = Math.abs(gradients[i]!);
    if (a > g) g = a;
  }
  if (hessians !== null) {
    for (let i = from; i < to; i++) {
      const b = hessians[i]!;
      if (b > h) h = b;
    }
  }
  out[at] = g;
  out[at + 1] = h;
}

/**
 * The quantization of a tree over nRows rows with the given bounds (from gradientBounds over every row).
 *
 * @param constantHessian the hessian of every row when hessians are constant, else NaN
 */
export function gradientQuantization(levels: number, nRows: number, maxAbsGradient: number, maxHessian: number, constantHessian: number): GradientQuantization {
  const hessianSteps = Number.isNaN(constantHessian) ? levels : 1;
  return {
    gradientScale: maxAbsGradient > 0 ? maxAbsGradient / levels : 1,
    hessianScale: Number.isNaN(constantHessian) ? (maxHessian > 0 ? maxHessian / levels : 1) : constantHessian,
    shift: 2 ** Math.ceil(Math.log2(hessianSteps * nRows + 1)),
  };
}

/** A uniform number in [0, 1) from a row number and a key: a 32-bit integer hash (murmur3's finalizer). */
function uniform(row: number, key: number): number {
  let x = (row ^ key) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  x ^= x >>> 16;
  return (x >>> 0) / 4294967296;
}

/**
 * Packs rows from .. to-1. Rounding is stochastic and unbiased: a value v steps becomes ⌊v⌋ + 1 with
 * probability v − ⌊v⌋. The random numbers are a hash of (row, key), so any split of the rows among
 * threads packs the same values.
 *
 * @param key       a different 32-bit integer per tree (the hessian uses key + 1's stream)
 * @param hessians  null for constant hessians (hq = 1)
 */
export function packGradients(
  gradients: Float32Array,
  hessians: Float32Array | null,
  q: GradientQuantization,
  key: number,
  from: number,
  to: number,
  packed: Int32Array,
): void {
  const gInv = 1 / q.gradientScale;
  const gKey = key | 0;
  if (hessians === null) {
    for (let i = from; i < to; i++) packed[i] = (Math.floor(gradients[i]! * gInv + uniform(i, gKey)) << 16) | 1;
    return;
  }
  const hInv = 1 / q.hessianScale;
  const hKey = Math.imul(gKey ^ 0x5bd1e995, 0x27d4eb2d);
  for (let i = from; i < to; i++) {
    const gq = Math.floor(gradients[i]! * gInv + uniform(i, gKey));
    const hq = Math.floor(hessians[i]! * hInv + uniform(i, hKey));
    packed[i] = (gq << 16) | hq;
  }
}

/** The double a packed row adds to a histogram bin: gq · shift + hq. */
export function packedValue(v: number, shift: number): number {
  return (v >> 16) * shift + (v & 0xffff);
}

/**
 * Decodes packed sums scratch[from .. to) into a stride-2 histogram: hist[2b] = Σg, hist[2b + 1] = Σh
 * for b in [from, to).
 */
export function unpackHistogram(scratch: Float64Array, from: number, to: number, q: GradientQuantization, hist: Float64Array): void {
  const shift = q.shift;
  const invShift = 1 / shift;
  const gs = q.gradientScale;
  const hs = q.hessianScale;
  for (let b = from; b < to; b++) {
    const p = scratch[b]!;
    // Exact: p is an integer below 2^53 and shift a power of two.
    const gq = Math.floor(p * invShift);
    hist[2 * b] = gq * gs;
    hist[2 * b + 1] = (p - gq * shift) * hs;
  }
}
