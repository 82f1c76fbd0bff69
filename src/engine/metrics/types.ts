/**
 * Array types shared by the metric kernels.
 *
 * Labels arrive either as Int32 class indices (from the preprocessing plan) or as the Float64 label
 * buffer the trainer keeps (0/1 for binary, 0..K-1 for multiclass, the target for regression); both
 * are accepted so that neither side has to copy. Weights are optional everywhere they are natural:
 * `undefined` means every row weighs 1.
 */

export type LabelArray = Int32Array | Float64Array;
export type WeightArray = Float64Array | Float32Array;

/** The three prediction tasks a metric can apply to. */
export type MetricTask = 'binary' | 'multiclass' | 'regression';
