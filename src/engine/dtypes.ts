/**
 * The engine's dtype table: which typed array holds which quantity, decided once.
 *
 * Why these choices:
 * - Raw features are Float64 so that thresholds learned on them reproduce exactly at predict time;
 *   NaN means missing. Categorical codes travel in the same Float64 row-major buffers at predict
 *   time (code as a number, NaN = missing) so one predictor walks both kinds.
 * - Bins are Uint8 (≤ 256 bins incl. the missing bin): a 1M × 20 problem is 20 MB of bins.
 * - Gradients and hessians are Float32 (half the memory traffic of Float64 in the histogram kernel);
 *   histogram sums are Float64 so summing a million float32 values does not lose precision.
 * - Sample indices are Uint32 (a single permutation for the whole tree).
 */

export type FeatureValues = Float64Array;
export type CategoryCodes = Int32Array;
export type BinnedColumn = Uint8Array;
export type GradientArray = Float32Array;
export type HessianArray = Float32Array;
export type HistogramBuffer = Float64Array;
export type SampleIndices = Uint32Array;
export type RawScores = Float64Array;

/** Upper bound on the number of non-missing bins per feature; one more bin holds missing values. */
export const MAX_BINS = 255;

/** Histogram entries are interleaved `[sumGradient, sumHessian]` per bin (no count: see tree/histogram.ts). */
export const HIST_STRIDE = 2;

/** Category code that marks a missing categorical value in `CategoryCodes`. */
export const MISSING_CATEGORY = -1;

export const newGradients = (n: number): GradientArray => new Float32Array(n);
export const newHessians = (n: number): HessianArray => new Float32Array(n);
export const newRawScores = (n: number): RawScores => new Float64Array(n);
export const newSampleIndices = (n: number): SampleIndices => new Uint32Array(n);
