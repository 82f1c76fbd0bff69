/**
 * Histogram kernels: per-bin sums of gradient, hessian and sample count for one node.
 *
 * A node's histogram is one Float64 buffer with HIST_STRIDE = 3 doubles per bin,
 *
 *     hist[(binOffsets[f] + b) * 3 + 0] = Σ gradient   of the node's samples whose feature f is in bin b
 *     hist[(binOffsets[f] + b) * 3 + 1] = Σ hessian
 *     hist[(binOffsets[f] + b) * 3 + 2] = number of samples
 *
 * Variants are separate functions rather than flags tested per sample: "root" reads every sample in
 * order with the gradients as they are; "indexed" reads the node's slice of the partition together with
 * gradients already gathered into node order ("ordered gradients", so that those reads are sequential);
 * "constant hessian" variants skip the hessian sum and fill it from the count. Loops are unrolled by 4.
 *
 * Kernels do no bounds checking: callers pass consistent lengths.
 */
import type { BinnedDataset } from '../data/binned-dataset.js';
import { HIST_STRIDE } from '../dtypes.js';

/**
 * Root kernel for one feature: all samples 0..nSamples-1.
 *
 * @param bins      binned column block (IN); the feature's column starts at colStart
 * @param gradients length ≥ nSamples (IN)
 * @param hessians  length ≥ nSamples (IN)
 * @param hist      histogram buffer; entries from histStart (a double index) are overwritten (OUT)
 */
export function buildHistogramRoot(
  bins: Uint8Array,
  colStart: number,
  nSamples: number,
  gradients: Float32Array,
  hessians: Float32Array,
  hist: Float64Array,
  histStart: number,
  nBins: number,
): void {
  hist.fill(0, histStart, histStart + nBins * HIST_STRIDE);
  const n4 = nSamples - (nSamples & 3);
  let i = 0;
  for (; i < n4; i += 4) {
    const b0 = histStart + bins[colStart + i]! * 3;
    const b1 = histStart + bins[colStart + i + 1]! * 3;
    const b2 = histStart + bins[colStart + i + 2]! * 3;
    const b3 = histStart + bins[colStart + i + 3]! * 3;
    hist[b0] += gradients[i]!;
    hist[b0 + 1] += hessians[i]!;
    hist[b0 + 2]++;
    hist[b1] += gradients[i + 1]!;
    hist[b1 + 1] += hessians[i + 1]!;
    hist[b1 + 2]++;
    hist[b2] += gradients[i + 2]!;
    hist[b2 + 1] += hessians[i + 2]!;
    hist[b2 + 2]++;
    hist[b3] += gradients[i + 3]!;
    hist[b3 + 1] += hessians[i + 3]!;
    hist[b3 + 2]++;
  }
  for (; i < nSamples; i++) {
    const b = histStart + bins[colStart + i]! * 3;
    hist[b] += gradients[i]!;
    hist[b + 1] += hessians[i]!;
    hist[b + 2]++;
  }
}

/**
 * Indexed kernel for one feature: the samples indices[start .. start + count), with their gradients
 * already gathered in that order into orderedGradients[0 .. count).
 */
export function buildHistogramIndexed(
  bins: Uint8Array,
  colStart: number,
  indices: Uint32Array,
  start: number,
  count: number,
  orderedGradients: Float32Array,
  orderedHessians: Float32Array,
  hist: Float64Array,
  histStart: number,
  nBins: number,
): void {
  hist.fill(0, histStart, histStart + nBins * HIST_STRIDE);
  const n4 = count - (count & 3);
  let j = 0;
  for (; j < n4; j += 4) {
    const b0 = histStart + bins[colStart + indices[start + j]!]! * 3;
    const b1 = histStart + bins[colStart + indices[start + j + 1]!]! * 3;
    const b2 = histStart + bins[colStart + indices[start + j + 2]!]! * 3;
    const b3 = histStart + bins[colStart + indices[start + j + 3]!]! * 3;
    hist[b0] += orderedGradients[j]!;
    hist[b0 + 1] += orderedHessians[j]!;
    hist[b0 + 2]++;
    hist[b1] += orderedGradients[j + 1]!;
    hist[b1 + 1] += orderedHessians[j + 1]!;
    hist[b1 + 2]++;
    hist[b2] += orderedGradients[j + 2]!;
    hist[b2 + 1] += orderedHessians[j + 2]!;
    hist[b2 + 2]++;
    hist[b3] += orderedGradients[j + 3]!;
    hist[b3 + 1] += orderedHessians[j + 3]!;
    hist[b3 + 2]++;
  }
  for (; j < count; j++) {
    const b = histStart + bins[colStart + indices[start + j]!]! * 3;
    hist[b] += orderedGradients[j]!;
    hist[b + 1] += orderedHessians[j]!;
    hist[b + 2]++;
  }
}

/** Root kernel when every hessian equals `hessian`: sums gradients and counts only. */
export function buildHistogramRootConstHessian(
  bins: Uint8Array,
  colStart: number,
  nSamples: number,
  gradients: Float32Array,
  hessian: number,
  hist: Float64Array,
  histStart: number,
  nBins: number,
): void {
  hist.fill(0, histStart, histStart + nBins * HIST_STRIDE);
  const n4 = nSamples - (nSamples & 3);
  let i = 0;
  for (; i < n4; i += 4) {
    const b0 = histStart + bins[colStart + i]! * 3;
    const b1 = histStart + bins[colStart + i + 1]! * 3;
    const b2 = histStart + bins[colStart + i + 2]! * 3;
    const b3 = histStart + bins[colStart + i + 3]! * 3;
    hist[b0] += gradients[i]!;
    hist[b0 + 2]++;
    hist[b1] += gradients[i + 1]!;
    hist[b1 + 2]++;
    hist[b2] += gradients[i + 2]!;
    hist[b2 + 2]++;
    hist[b3] += gradients[i + 3]!;
    hist[b3 + 2]++;
  }
  for (; i < nSamples; i++) {
    const b = histStart + bins[colStart + i]! * 3;
    hist[b] += gradients[i]!;
    hist[b + 2]++;
  }
  fillConstHessian(hist, histStart, nBins, hessian);
}

/** Indexed kernel when every hessian equals `hessian`. */
export function buildHistogramIndexedConstHessian(
  bins: Uint8Array,
  colStart: number,
  indices: Uint32Array,
  start: number,
  count: number,
  orderedGradients: Float32Array,
  hessian: number,
  hist: Float64Array,
  histStart: number,
  nBins: number,
): void {
  hist.fill(0, histStart, histStart + nBins * HIST_STRIDE);
  const n4 = count - (count & 3);
  let j = 0;
  for (; j < n4; j += 4) {
    const b0 = histStart + bins[colStart + indices[start + j]!]! * 3;
    const b1 = histStart + bins[colStart + indices[start + j + 1]!]! * 3;
    const b2 = histStart + bins[colStart + indices[start + j + 2]!]! * 3;
    const b3 = histStart + bins[colStart + indices[start + j + 3]!]! * 3;
    hist[b0] += orderedGradients[j]!;
    hist[b0 + 2]++;
    hist[b1] += orderedGradients[j + 1]!;
    hist[b1 + 2]++;
    hist[b2] += orderedGradients[j + 2]!;
    hist[b2 + 2]++;
    hist[b3] += orderedGradients[j + 3]!;
    hist[b3 + 2]++;
  }
  for (; j < count; j++) {
    const b = histStart + bins[colStart + indices[start + j]!]! * 3;
    hist[b] += orderedGradients[j]!;
    hist[b + 2]++;
  }
  fillConstHessian(hist, histStart, nBins, hessian);
}

function fillConstHessian(hist: Float64Array, histStart: number, nBins: number, hessian: number): void {
  const end = histStart + nBins * 3;
  for (let b = histStart; b < end; b += 3) hist[b + 1] = hist[b + 2]! * hessian;
}

/** Deliberately slow reference: any subset of samples, any order. Tests compare every kernel to it. */
export function buildHistogramNaive(
  bins: Uint8Array,
  colStart: number,
  sampleIndices: ArrayLike<number>,
  gradients: ArrayLike<number>,
  hessians: ArrayLike<number>,
  nBins: number,
): Float64Array {
  const out = new Float64Array(nBins * HIST_STRIDE);
  for (let j = 0; j < sampleIndices.length; j++) {
    const i = sampleIndices[j]!;
    const b = bins[colStart + i]!;
    out[b * 3] += gradients[i]!;
    out[b * 3 + 1] += hessians[i]!;
    out[b * 3 + 2] += 1;
  }
  return out;
}

/**
 * out = parent − child over the first `length` doubles (out may alias parent): the sibling's histogram.
 */
export function subtractHistograms(parent: Float64Array, child: Float64Array, out: Float64Array, length: number): void {
  for (let k = 0; k < length; k++) out[k] = parent[k]! - child[k]!;
}

/**
 * What one histogram build needs: a feature list and either the root (indices = null, gradients in
 * sample order) or a partition slice with ordered gradients.
 */
export interface HistogramTask {
  /** Features to build, in ascending order; the first nTaskFeatures entries are used. */
  readonly features: Int32Array;
  readonly nTaskFeatures: number;
  /** null = root (all samples 0..nSamples-1 in order). */
  readonly indices: Uint32Array | null;
  readonly start: number;
  readonly count: number;
  /** Root: length nSamples, sample order. Indexed: length ≥ count, node order. */
  readonly gradients: Float32Array;
  /** null when the hessian is the constant `constantHessian`. */
  readonly hessians: Float32Array | null;
  readonly constantHessian: number;
  /** Whole-node histogram buffer, length ≥ totalBins * HIST_STRIDE (OUT). */
  readonly hist: Float64Array;
}

/** Builds the task's features numbered j ≡ part (mod nParts) of its feature list. */
export function buildHistogramsPart(data: BinnedDataset, task: HistogramTask, part: number, nParts: number): void {
  for (let j = part; j < task.nTaskFeatures; j += nParts) buildHistogramOfTaskFeature(data, task, j);
}

/**
 * Builds entry j of the task's feature list. A feature's sums always run over the samples in the same
 * order, whichever thread calls this, so threads may take features in any order (e.g. work stealing).
 */
export function buildHistogramOfTaskFeature(data: BinnedDataset, task: HistogramTask, j: number): void {
  const { features, indices, start, count, gradients, hessians, constantHessian, hist } = task;
  const offsets = data.binOffsets;
  const nSamples = data.nSamples;
  const f = features[j]!;
  const colStart = f * nSamples;
  const histStart = offsets[f]! * HIST_STRIDE;
  const nBins = offsets[f + 1]! - offsets[f]!;
  if (indices === null) {
    if (hessians === null) buildHistogramRootConstHessian(data.bins, colStart, nSamples, gradients, constantHessian, hist, histStart, nBins);
    else buildHistogramRoot(data.bins, colStart, nSamples, gradients, hessians, hist, histStart, nBins);
  } else if (hessians === null) {
    buildHistogramIndexedConstHessian(data.bins, colStart, indices, start, count, gradients, constantHessian, hist, histStart, nBins);
  } else {
    buildHistogramIndexed(data.bins, colStart, indices, start, count, gradients, hessians, hist, histStart, nBins);
  }
}

/**
 * Builds histograms across threads. Implementations (src/compute/) must make every feature's sums in
 * the same order as `buildHistogramsPart(data, task, 0, 1)`, so the model does not depend on the
 * thread count. Arrays passed to `buildHistograms` must come from this object's allocators.
 */
export interface HistogramParallelism {
  readonly nThreads: number;
  allocUint8(length: number): Uint8Array;
  allocUint32(length: number): Uint32Array;
  allocInt32(length: number): Int32Array;
  allocFloat32(length: number): Float32Array;
  allocFloat64(length: number): Float64Array;
  /** Called once per training run, after binning, before any build. */
  attach(data: BinnedDataset): void;
  /** Synchronous: returns when every feature of the task is built. */
  buildHistograms(task: HistogramTask): void;
  /** Called when training ends (success or error); frees buffers registered since attach. */
  detach(): void;
}

/** The single-threaded builder with plain allocations. */
export function serialHistograms(): HistogramParallelism {
  let data: BinnedDataset | null = null;
  return {
    nThreads: 1,
    allocUint8: (n) => new Uint8Array(n),
    allocUint32: (n) => new Uint32Array(n),
    allocInt32: (n) => new Int32Array(n),
    allocFloat32: (n) => new Float32Array(n),
    allocFloat64: (n) => new Float64Array(n),
    attach(d) {
      data = d;
    },
    buildHistograms(task) {
      buildHistogramsPart(data!, task, 0, 1);
    },
    detach() {
      data = null;
    },
  };
}
