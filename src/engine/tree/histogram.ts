/**
 * Histogram kernels: per-bin sums of gradient and hessian for one node.
 *
 * A node's histogram is one Float64 buffer with HIST_STRIDE = 2 doubles per bin,
 *
 *     hist[(binOffsets[f] + b) * 2 + 0] = Σ gradient of the node's samples whose feature f is in bin b
 *     hist[(binOffsets[f] + b) * 2 + 1] = Σ hessian
 *
 * There is no per-bin sample count: keeping one cost a third of the kernels' time. Split finding
 * estimates counts from the hessian, as LightGBM does (split-info.ts `countPerHessian`); with a
 * constant hessian that estimate is exact.
 *
 * Variants are separate functions rather than flags tested per sample: "root" reads every sample in
 * order; "indexed" reads the node's slice of the partition and each row's gradient by its index;
 * "constant hessian" variants count samples in the hessian slot and scale the count by the constant
 * at the end. The one-feature kernels here are unrolled by 4 rows; builds use the four-feature
 * kernels of histogram-four.ts where they can. A build walks rows in cache blocks, and a large node
 * is built in row chunks whose partial histograms are added in order (HISTOGRAM_CHUNK_ROWS). Builds
 * from quantized gradients (quantize.ts) use the kernels of histogram-packed.ts and sum into one double
 * per bin, unpacked into this layout at the end.
 *
 * Kernels do no bounds checking: callers pass consistent lengths.
 */
import type { BinnedDataset } from '../data/binned-dataset.js';
import { HIST_STRIDE } from '../dtypes.js';
import { accumulateIndexed4, accumulateIndexedConstHessian4, accumulateRoot4, accumulateRootConstHessian4 } from './histogram-four.js';
import {
  accumulatePackedIndexed,
  accumulatePackedIndexed4,
  accumulatePackedIndexed8,
  accumulatePackedRoot,
  accumulatePackedRoot4,
  accumulatePackedRoot8,
} from './histogram-packed.js';
import type { GradientQuantization } from './quantize.js';
import { unpackHistogram } from './quantize.js';

/**
 * Rows per cache block of a histogram build. A build walks the node's rows in blocks of this many and,
 * within a block, builds every feature of its group, so the block's gradients, hessians and indices
 * (about 200 KB) stay in the core's cache instead of being read from memory again for every feature.
 * Each feature's sums still run over the rows in order, so blocking changes no result.
 */
export const HISTOGRAM_BLOCK_ROWS = 16_384;

/**
 * Root kernel for one feature: adds samples from .. to-1 (sample order) into the feature's histogram.
 *
 * @param bins      binned column block (IN); the feature's column starts at colStart
 * @param gradients length ≥ to (IN)
 * @param hessians  length ≥ to (IN)
 * @param hist      histogram buffer; the feature's entries start at histStart (a double index) (IN/OUT)
 */
export function accumulateRoot(
  bins: Uint8Array,
  colStart: number,
  from: number,
  to: number,
  gradients: Float32Array,
  hessians: Float32Array,
  hist: Float64Array,
  histStart: number,
): void {
  const to4 = to - ((to - from) & 3);
  let i = from;
  for (; i < to4; i += 4) {
    const b0 = histStart + bins[colStart + i]! * 2;
    const b1 = histStart + bins[colStart + i + 1]! * 2;
    const b2 = histStart + bins[colStart + i + 2]! * 2;
    const b3 = histStart + bins[colStart + i + 3]! * 2;
    hist[b0]! += gradients[i]!;
    hist[b0 + 1]! += hessians[i]!;
    hist[b1]! += gradients[i + 1]!;
    hist[b1 + 1]! += hessians[i + 1]!;
    hist[b2]! += gradients[i + 2]!;
    hist[b2 + 1]! += hessians[i + 2]!;
    hist[b3]! += gradients[i + 3]!;
    hist[b3 + 1]! += hessians[i + 3]!;
  }
  for (; i < to; i++) {
    const b = histStart + bins[colStart + i]! * 2;
    hist[b]! += gradients[i]!;
    hist[b + 1]! += hessians[i]!;
  }
}

/**
 * Indexed kernel for one feature: adds the node's samples indices[start + j] for j in [from, to),
 * reading their gradients by sample index (the node's indices ascend, so those reads move forward).
 */
export function accumulateIndexed(
  bins: Uint8Array,
  colStart: number,
  indices: Uint32Array,
  start: number,
  from: number,
  to: number,
  gradients: Float32Array,
  hessians: Float32Array,
  hist: Float64Array,
  histStart: number,
): void {
  const to4 = to - ((to - from) & 3);
  let j = from;
  for (; j < to4; j += 4) {
    const i0 = indices[start + j]!;
    const i1 = indices[start + j + 1]!;
    const i2 = indices[start + j + 2]!;
    const i3 = indices[start + j + 3]!;
    const b0 = histStart + bins[colStart + i0]! * 2;
    const b1 = histStart + bins[colStart + i1]! * 2;
    const b2 = histStart + bins[colStart + i2]! * 2;
    const b3 = histStart + bins[colStart + i3]! * 2;
    hist[b0]! += gradients[i0]!;
    hist[b0 + 1]! += hessians[i0]!;
    hist[b1]! += gradients[i1]!;
    hist[b1 + 1]! += hessians[i1]!;
    hist[b2]! += gradients[i2]!;
    hist[b2 + 1]! += hessians[i2]!;
    hist[b3]! += gradients[i3]!;
    hist[b3 + 1]! += hessians[i3]!;
  }
  for (; j < to; j++) {
    const i = indices[start + j]!;
    const b = histStart + bins[colStart + i]! * 2;
    hist[b]! += gradients[i]!;
    hist[b + 1]! += hessians[i]!;
  }
}

/** Root kernel when every hessian is the same: sums gradients and counts samples in the hessian slot. */
export function accumulateRootConstHessian(
  bins: Uint8Array,
  colStart: number,
  from: number,
  to: number,
  gradients: Float32Array,
  hist: Float64Array,
  histStart: number,
): void {
  const to4 = to - ((to - from) & 3);
  let i = from;
  for (; i < to4; i += 4) {
    const b0 = histStart + bins[colStart + i]! * 2;
    const b1 = histStart + bins[colStart + i + 1]! * 2;
    const b2 = histStart + bins[colStart + i + 2]! * 2;
    const b3 = histStart + bins[colStart + i + 3]! * 2;
    hist[b0]! += gradients[i]!;
    hist[b0 + 1]!++;
    hist[b1]! += gradients[i + 1]!;
    hist[b1 + 1]!++;
    hist[b2]! += gradients[i + 2]!;
    hist[b2 + 1]!++;
    hist[b3]! += gradients[i + 3]!;
    hist[b3 + 1]!++;
  }
  for (; i < to; i++) {
    const b = histStart + bins[colStart + i]! * 2;
    hist[b]! += gradients[i]!;
    hist[b + 1]!++;
  }
}

/** Indexed kernel when every hessian is the same: sums gradients and counts samples in the hessian slot. */
export function accumulateIndexedConstHessian(
  bins: Uint8Array,
  colStart: number,
  indices: Uint32Array,
  start: number,
  from: number,
  to: number,
  gradients: Float32Array,
  hist: Float64Array,
  histStart: number,
): void {
  const to4 = to - ((to - from) & 3);
  let j = from;
  for (; j < to4; j += 4) {
    const i0 = indices[start + j]!;
    const i1 = indices[start + j + 1]!;
    const i2 = indices[start + j + 2]!;
    const i3 = indices[start + j + 3]!;
    const b0 = histStart + bins[colStart + i0]! * 2;
    const b1 = histStart + bins[colStart + i1]! * 2;
    const b2 = histStart + bins[colStart + i2]! * 2;
    const b3 = histStart + bins[colStart + i3]! * 2;
    hist[b0]! += gradients[i0]!;
    hist[b0 + 1]!++;
    hist[b1]! += gradients[i1]!;
    hist[b1 + 1]!++;
    hist[b2]! += gradients[i2]!;
    hist[b2 + 1]!++;
    hist[b3]! += gradients[i3]!;
    hist[b3 + 1]!++;
  }
  for (; j < to; j++) {
    const i = indices[start + j]!;
    const b = histStart + bins[colStart + i]! * 2;
    hist[b]! += gradients[i]!;
    hist[b + 1]!++;
  }
}

/** After a constant-hessian build the hessian slot holds a sample count: scale it to Σ hessian. */
function scaleCountsToHessian(hist: Float64Array, histStart: number, nBins: number, hessian: number): void {
  const end = histStart + nBins * HIST_STRIDE;
  for (let b = histStart; b < end; b += HIST_STRIDE) hist[b + 1] = hist[b + 1]! * hessian;
}

/** One feature's whole histogram from the root kernel (fills, accumulates all samples, scales). */
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
  accumulateRoot(bins, colStart, 0, nSamples, gradients, hessians, hist, histStart);
}

/** One feature's whole histogram from the indexed kernel over indices[start .. start + count). */
export function buildHistogramIndexed(
  bins: Uint8Array,
  colStart: number,
  indices: Uint32Array,
  start: number,
  count: number,
  gradients: Float32Array,
  hessians: Float32Array,
  hist: Float64Array,
  histStart: number,
  nBins: number,
): void {
  hist.fill(0, histStart, histStart + nBins * HIST_STRIDE);
  accumulateIndexed(bins, colStart, indices, start, 0, count, gradients, hessians, hist, histStart);
}

/** `buildHistogramRoot` when every hessian equals `hessian`. */
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
  accumulateRootConstHessian(bins, colStart, 0, nSamples, gradients, hist, histStart);
  scaleCountsToHessian(hist, histStart, nBins, hessian);
}

/** `buildHistogramIndexed` when every hessian equals `hessian`. */
export function buildHistogramIndexedConstHessian(
  bins: Uint8Array,
  colStart: number,
  indices: Uint32Array,
  start: number,
  count: number,
  gradients: Float32Array,
  hessian: number,
  hist: Float64Array,
  histStart: number,
  nBins: number,
): void {
  hist.fill(0, histStart, histStart + nBins * HIST_STRIDE);
  accumulateIndexedConstHessian(bins, colStart, indices, start, 0, count, gradients, hist, histStart);
  scaleCountsToHessian(hist, histStart, nBins, hessian);
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
    out[b * HIST_STRIDE]! += gradients[i]!;
    out[b * HIST_STRIDE + 1]! += hessians[i]!;
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
 * What one histogram build needs: a feature list, the gradients, and either the root (indices = null:
 * all samples in order) or a slice of the partition.
 */
export interface HistogramTask {
  /** Features to build, in ascending order; the first nTaskFeatures entries are used. */
  readonly features: Int32Array;
  readonly nTaskFeatures: number;
  /** null = root (all samples 0..nSamples-1 in order). */
  readonly indices: Uint32Array | null;
  readonly start: number;
  readonly count: number;
  /** Length nSamples, in sample order (indexed builds read them through `indices`). */
  readonly gradients: Float32Array;
  /** null when the hessian is the constant `constantHessian`. */
  readonly hessians: Float32Array | null;
  readonly constantHessian: number;
  /** Whole-node histogram buffer, length ≥ totalBins * HIST_STRIDE (OUT). */
  readonly hist: Float64Array;
  /** Doubles per histogram (totalBins * HIST_STRIDE). */
  readonly histLength: number;
  /**
   * Scratch for the partial histograms of chunks 1.. of a large node: (histogramChunkCount - 1) ×
   * histLength doubles (see HISTOGRAM_CHUNK_ROWS); packed builds use totalBins doubles per chunk.
   */
  readonly partials: Float64Array;
  /**
   * Packed quantized gradients (quantize.ts), one Int32 per sample in sample order, or null to build from
   * `gradients` and `hessians`. A packed build sums into `packedSums` and unpacks into `hist`.
   */
  readonly packed: Int32Array | null;
  /** The scales of `packed` (unused when it is null). */
  readonly quantization: GradientQuantization;
  /** Packed builds: the node's packed sums, totalBins doubles (scratch). */
  readonly packedSums: Float64Array;
}

/**
 * Rows per chunk of a large node's histogram build. A node of more than one chunk is built chunk by
 * chunk, each chunk's sums into a partial histogram of its own, and the partials are then added in
 * chunk order; threads take chunks (or, when there are few, parts of a chunk's features), which
 * balances them better than features alone do. The chunking depends only on the node's row count,
 * never on the thread count, so the sums (and the model) are the same for any number of threads.
 */
export const HISTOGRAM_CHUNK_ROWS = 65_536;

/** Chunks of a build over nRows rows (1 = built whole). */
export function histogramChunkCount(nRows: number): number {
  return Math.max(1, Math.ceil(nRows / HISTOGRAM_CHUNK_ROWS));
}

/**
 * Adds rows [rowFrom, rowTo) of the node (positions in its slice of the partition, or samples for the
 * root) into entries j0 .. j1-1 of the task's feature list in `hist`, walking the rows in cache blocks
 * of HISTOGRAM_BLOCK_ROWS. Every feature's sums run over the rows in order.
 */
function accumulateFeatures(data: BinnedDataset, task: HistogramTask, j0: number, j1: number, rowFrom: number, rowTo: number, hist: Float64Array): void {
  const { features, indices, start, gradients, hessians } = task;
  const offsets = data.binOffsets;
  const nSamples = data.nSamples;
  const bins = data.bins;
  // Features four at a time (histogram-four.ts), then the remaining ones singly.
  const j4 = j1 - ((j1 - j0) & 3);
  if (task.packed !== null) {
    accumulatePackedFeatures(data, task.packed, task.quantization.shift, features, indices, start, j0, j1, rowFrom, rowTo, hist);
    return;
  }
  for (let from = rowFrom; from < rowTo; from += HISTOGRAM_BLOCK_ROWS) {
    const to = Math.min(rowTo, from + HISTOGRAM_BLOCK_ROWS);
    for (let j = j0; j < j4; j += 4) {
      const f0 = features[j]!;
      const f1 = features[j + 1]!;
      const f2 = features[j + 2]!;
      const f3 = features[j + 3]!;
      const c0 = f0 * nSamples;
      const c1 = f1 * nSamples;
      const c2 = f2 * nSamples;
      const c3 = f3 * nSamples;
      const h0 = offsets[f0]! * HIST_STRIDE;
      const h1 = offsets[f1]! * HIST_STRIDE;
      const h2 = offsets[f2]! * HIST_STRIDE;
      const h3 = offsets[f3]! * HIST_STRIDE;
      if (indices === null) {
        if (hessians === null) accumulateRootConstHessian4(bins, c0, c1, c2, c3, from, to, gradients, hist, h0, h1, h2, h3);
        else accumulateRoot4(bins, c0, c1, c2, c3, from, to, gradients, hessians, hist, h0, h1, h2, h3);
      } else if (hessians === null) {
        accumulateIndexedConstHessian4(bins, c0, c1, c2, c3, indices, start, from, to, gradients, hist, h0, h1, h2, h3);
      } else {
        accumulateIndexed4(bins, c0, c1, c2, c3, indices, start, from, to, gradients, hessians, hist, h0, h1, h2, h3);
      }
    }
    for (let j = j4; j < j1; j++) {
      const f = features[j]!;
      const colStart = f * nSamples;
      const histStart = offsets[f]! * HIST_STRIDE;
      if (indices === null) {
        if (hessians === null) accumulateRootConstHessian(bins, colStart, from, to, gradients, hist, histStart);
        else accumulateRoot(bins, colStart, from, to, gradients, hessians, hist, histStart);
      } else if (hessians === null) {
        accumulateIndexedConstHessian(bins, colStart, indices, start, from, to, gradients, hist, histStart);
      } else {
        accumulateIndexed(bins, colStart, indices, start, from, to, gradients, hessians, hist, histStart);
      }
    }
  }
}

/** Column and histogram starts of an eight-feature pass (scratch: one build at a time per thread). */
const EIGHT_COLUMNS = new Int32Array(8);
const EIGHT_HISTS = new Int32Array(8);

/**
 * accumulateFeatures over packed gradients: histogram entries are single doubles at binOffsets[f] + bin.
 * Features eight at a time, then four, then singly.
 */
function accumulatePackedFeatures(
  data: BinnedDataset,
  packed: Int32Array,
  shift: number,
  features: Int32Array,
  indices: Uint32Array | null,
  start: number,
  j0: number,
  j1: number,
  rowFrom: number,
  rowTo: number,
  hist: Float64Array,
): void {
  const offsets = data.binOffsets;
  const nSamples = data.nSamples;
  const bins = data.bins;
  const j8 = j0 + ((j1 - j0) & ~7);
  const j4 = j8 + ((j1 - j8) & ~3);
  for (let from = rowFrom; from < rowTo; from += HISTOGRAM_BLOCK_ROWS) {
    const to = Math.min(rowTo, from + HISTOGRAM_BLOCK_ROWS);
    for (let j = j0; j < j8; j += 8) {
      for (let k = 0; k < 8; k++) {
        const f = features[j + k]!;
        EIGHT_COLUMNS[k] = f * nSamples;
        EIGHT_HISTS[k] = offsets[f]!;
      }
      if (indices === null) accumulatePackedRoot8(bins, EIGHT_COLUMNS, from, to, packed, shift, hist, EIGHT_HISTS);
      else accumulatePackedIndexed8(bins, EIGHT_COLUMNS, indices, start, from, to, packed, shift, hist, EIGHT_HISTS);
    }
    for (let j = j8; j < j4; j += 4) {
      const f0 = features[j]!;
      const f1 = features[j + 1]!;
      const f2 = features[j + 2]!;
      const f3 = features[j + 3]!;
      if (indices === null) {
        accumulatePackedRoot4(
          bins,
          f0 * nSamples,
          f1 * nSamples,
          f2 * nSamples,
          f3 * nSamples,
          from,
          to,
          packed,
          shift,
          hist,
          offsets[f0]!,
          offsets[f1]!,
          offsets[f2]!,
          offsets[f3]!,
        );
      } else {
        accumulatePackedIndexed4(
          bins,
          f0 * nSamples,
          f1 * nSamples,
          f2 * nSamples,
          f3 * nSamples,
          indices,
          start,
          from,
          to,
          packed,
          shift,
          hist,
          offsets[f0]!,
          offsets[f1]!,
          offsets[f2]!,
          offsets[f3]!,
        );
      }
    }
    for (let j = j4; j < j1; j++) {
      const f = features[j]!;
      if (indices === null) accumulatePackedRoot(bins, f * nSamples, from, to, packed, shift, hist, offsets[f]!);
      else accumulatePackedIndexed(bins, f * nSamples, indices, start, from, to, packed, shift, hist, offsets[f]!);
    }
  }
}

/** Doubles per histogram bin of the task's sums: 1 for packed builds, else HIST_STRIDE. */
function sumStride(task: HistogramTask): number {
  return task.packed === null ? HIST_STRIDE : 1;
}

/** Doubles per partial histogram of a chunk. */
function partialLength(data: BinnedDataset, task: HistogramTask): number {
  return data.totalBins * sumStride(task);
}

/** Where the task's sums go before finishFeatures: the histogram, or the packed sums. */
function sumsOf(task: HistogramTask): Float64Array {
  return task.packed === null ? task.hist : task.packedSums;
}

function zeroFeatures(data: BinnedDataset, task: HistogramTask, j0: number, j1: number, sums: Float64Array): void {
  const offsets = data.binOffsets;
  const stride = sumStride(task);
  for (let j = j0; j < j1; j++) {
    const f = task.features[j]!;
    sums.fill(0, offsets[f]! * stride, offsets[f + 1]! * stride);
  }
}

/**
 * Makes entries j0 .. j1-1 of the histogram final: packed sums are unpacked into it; with constant
 * hessians its hessian slots hold counts until this scales them.
 */
function finishFeatures(data: BinnedDataset, task: HistogramTask, j0: number, j1: number): void {
  const offsets = data.binOffsets;
  if (task.packed !== null) {
    for (let j = j0; j < j1; j++) {
      const f = task.features[j]!;
      unpackHistogram(task.packedSums, offsets[f]!, offsets[f + 1]!, task.quantization, task.hist);
    }
    return;
  }
  if (task.hessians !== null) return;
  for (let j = j0; j < j1; j++) {
    const f = task.features[j]!;
    scaleCountsToHessian(task.hist, offsets[f]! * HIST_STRIDE, offsets[f + 1]! - offsets[f]!, task.constantHessian);
  }
}

function taskRows(data: BinnedDataset, task: HistogramTask): number {
  return task.indices === null ? data.nSamples : task.count;
}

/**
 * Builds entries j0 .. j1-1 of the feature list of a task of one chunk (histogramChunkCount = 1),
 * whole. Threads may take groups of features in any order.
 */
export function buildHistogramsOfFeatures(data: BinnedDataset, task: HistogramTask, j0: number, j1: number): void {
  const sums = sumsOf(task);
  zeroFeatures(data, task, j0, j1, sums);
  accumulateFeatures(data, task, j0, j1, 0, taskRows(data, task), sums);
  finishFeatures(data, task, j0, j1);
}

/**
 * Chunk c of a task of several chunks: all its features over the chunk's rows, into the task's
 * histogram for chunk 0 and into partial c - 1 otherwise. Threads may take chunks in any order.
 */
export function buildHistogramChunk(data: BinnedDataset, task: HistogramTask, c: number): void {
  buildHistogramPart(data, task, c, 0, task.nTaskFeatures);
}

/**
 * Entries j0 .. j1-1 of the feature list over the rows of chunk c (of histogramChunkCount): the whole
 * build of those features when the task has one chunk, else their part of chunk c (into the task's
 * histogram for chunk 0 and into partial c - 1 otherwise; reduceHistogramChunks adds them up). Threads
 * may take (chunk, features) parts in any order; each part's sums are the same whoever computes them.
 */
export function buildHistogramPart(data: BinnedDataset, task: HistogramTask, c: number, j0: number, j1: number): void {
  const nRows = taskRows(data, task);
  if (nRows <= HISTOGRAM_CHUNK_ROWS) {
    buildHistogramsOfFeatures(data, task, j0, j1);
    return;
  }
  const length = partialLength(data, task);
  const out = c === 0 ? sumsOf(task) : task.partials.subarray((c - 1) * length, c * length);
  zeroFeatures(data, task, j0, j1, out);
  accumulateFeatures(data, task, j0, j1, c * HISTOGRAM_CHUNK_ROWS, Math.min(nRows, (c + 1) * HISTOGRAM_CHUNK_ROWS), out);
}

/**
 * After every chunk is built: adds the partials into the task's histogram in chunk order (for
 * entries j0 .. j1-1 of the feature list, so that threads may share the work) and finishes them.
 */
export function reduceHistogramChunks(data: BinnedDataset, task: HistogramTask, j0: number, j1: number): void {
  const nChunks = histogramChunkCount(taskRows(data, task));
  const { partials } = task;
  const hist = sumsOf(task);
  const length = partialLength(data, task);
  const stride = sumStride(task);
  const offsets = data.binOffsets;
  for (let j = j0; j < j1; j++) {
    const f = task.features[j]!;
    const from = offsets[f]! * stride;
    const to = offsets[f + 1]! * stride;
    for (let c = 1; c < nChunks; c++) {
      const base = (c - 1) * length;
      for (let k = from; k < to; k++) hist[k]! += partials[base + k]!;
    }
  }
  finishFeatures(data, task, j0, j1);
}

/** Builds every feature of the task on the calling thread. */
export function buildHistogramsSerial(data: BinnedDataset, task: HistogramTask): void {
  const nChunks = histogramChunkCount(taskRows(data, task));
  if (nChunks === 1) {
    buildHistogramsOfFeatures(data, task, 0, task.nTaskFeatures);
    return;
  }
  for (let c = 0; c < nChunks; c++) buildHistogramChunk(data, task, c);
  reduceHistogramChunks(data, task, 0, task.nTaskFeatures);
}
