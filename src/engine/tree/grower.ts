/**
 * Leaf-wise (best-first) tree growth over a binned dataset.
 *
 * Each round: take the leaf whose best split gains most, partition its slice of the single index array,
 * build the histogram of the smaller child only, and get the larger child's by subtracting it from the
 * parent's (in the parent's buffer). Leaves that cannot split give their buffer back to the pool.
 * The output is the flat `Tree` (thresholds as raw values) plus each leaf's slice of the partition, which
 * the booster uses to update training scores without walking the tree.
 */
import type { BinnedDataset } from '../data/binned-dataset.js';
import { HIST_STRIDE } from '../dtypes.js';
import type { Tree } from './tree.js';
import type { TrainingParallelism } from './parallelism.js';
import { HistogramPool } from './histogram-pool.js';
import { histogramChunkCount } from './histogram.js';
import type { PartitionBuffers } from './partition.js';
import { emptySplit } from './split-info.js';
import type { SplitInfo, SplitParams } from './split-info.js';
import { leafOutput } from './split-finder.js';
import type { SplitSearchTask } from './split-search.js';
import type { GradientQuantization } from './quantize.js';
import { NO_QUANTIZATION } from './quantize.js';

/** Gains at or below this are float noise, not an improvement. */
const MIN_GAIN = 1e-15;

export interface GrowerParams extends SplitParams {
  readonly maxLeaves: number;
  readonly maxDepth: number;
  readonly minGainToSplit: number;
  readonly learningRate: number;
}

/**
 * Buffers reused across trees. All arrays that histogram builds read come from `parallel`'s allocators.
 */
export class GrowerWorkspace {
  readonly data: BinnedDataset;
  readonly parallel: TrainingParallelism;
  /** The partition: a permutation of the rows in the tree (bagged rows first). Length nSamples. */
  readonly indices: Uint32Array;
  /** `indices` with the scratch that partitions write through. */
  readonly partitionBuffers: PartitionBuffers;
  /** The tree's sampled features, ascending; first nTreeFeatures entries used. */
  readonly features: Int32Array;
  nTreeFeatures: number;
  readonly pool: HistogramPool;
  /** Doubles per histogram. */
  readonly histLength: number;
  /** Partial histograms of a large node's chunks (see histogram.ts HISTOGRAM_CHUNK_ROWS). */
  readonly histPartials: Float64Array;
  /** A packed build's sums (quantize.ts), totalBins doubles. */
  readonly packedSums: Float64Array;
  readonly goesLeft = new Uint8Array(256);

  constructor(data: BinnedDataset, parallel: TrainingParallelism) {
    this.data = data;
    this.parallel = parallel;
    const n = data.nSamples;
    this.partitionBuffers = parallel.allocPartitionBuffers(n);
    this.indices = this.partitionBuffers.indices;
    this.features = parallel.allocInt32(data.nFeatures);
    this.nTreeFeatures = data.nFeatures;
    for (let f = 0; f < data.nFeatures; f++) this.features[f] = f;
    this.histLength = data.totalBins * HIST_STRIDE;
    this.pool = new HistogramPool(this.histLength, (len) => parallel.allocFloat64(len));
    this.histPartials = parallel.allocFloat64((histogramChunkCount(n) - 1) * this.histLength);
    this.packedSums = parallel.allocFloat64(data.totalBins);
  }
}

interface LeafState {
  start: number;
  count: number;
  sumGrad: number;
  sumHess: number;
  depth: number;
  hist: Float64Array | null;
  split: SplitInfo | null;
  /** Internal node whose child pointer refers to this leaf (-1 for the root leaf) and which side. */
  parent: number;
  isLeft: boolean;
}

export interface GrownTree {
  readonly tree: Tree;
  /** Length nLeaves: each leaf's slice [leafStart, leafStart + leafCount) of workspace.indices. */
  readonly leafStart: Int32Array;
  readonly leafCount: Int32Array;
  /** Per internal node: which bins of its feature go left (routes out-of-bag rows on bins). */
  readonly nodeGoesLeft: readonly Uint8Array[];
}

export interface GrowInput {
  /** Gradients of this output in sample order, length nSamples. */
  readonly gradients: Float32Array;
  /** null when every hessian equals constantHessian. */
  readonly hessians: Float32Array | null;
  readonly constantHessian: number;
  /** Rows in the tree: workspace.indices[0 .. nRows) (all rows when nRows = nSamples, in order). */
  readonly nRows: number;
  /** Sample weights (cover) or undefined for counts. */
  readonly weights: Float64Array | undefined;
  /**
   * Packed quantized gradients of this output (quantize.ts) for the histogram builds, or null to build
   * from the float ones. Split search and leaf values then use the quantized sums.
   */
  readonly quantized: { readonly packed: Int32Array; readonly quantization: GradientQuantization } | null;
  /** Optional leaf output override (unshrunk), e.g. the L1 median. */
  readonly renewLeaf?: (indices: Uint32Array, start: number, count: number) => number;
}

/**
 * Grows one tree. The caller has filled workspace.indices[0 .. nRows) and workspace.features.
 */
export function growTree(ws: GrowerWorkspace, params: GrowerParams, input: GrowInput): GrownTree {
  const { data, parallel, indices, pool } = ws;
  const { gradients, hessians, constantHessian, nRows, quantized } = input;
  const isRoot = nRows === data.nSamples;

  const leaves: LeafState[] = [{ start: 0, count: nRows, sumGrad: 0, sumHess: 0, depth: 0, hist: null, split: null, parent: -1, isLeft: false }];
  // Internal nodes, as growing arrays (their number is at most maxLeaves - 1).
  const nodeFeature: number[] = [];
  const nodeThreshold: number[] = [];
  const nodeMissingLeft: number[] = [];
  const nodeCategorical: number[] = [];
  const nodeLeft: number[] = [];
  const nodeRight: number[] = [];
  const nodeGain: number[] = [];
  const nodeCover: number[] = [];
  const nodeCatBits: Uint32Array[] = [];
  const nodeGoesLeft: Uint8Array[] = [];

  const canSplit = (leaf: LeafState): boolean =>
    (params.maxDepth === 0 || leaf.depth < params.maxDepth) && leaf.count >= 2 * params.minDataInLeaf && leaf.sumHess >= 2 * params.minSumHessian;

  /** rootOrder: the root of a tree over every sample, read in sample order (no index gather). */
  const build = (leaf: LeafState, hist: Float64Array, rootOrder: boolean): void => {
    parallel.buildHistograms({
      features: ws.features,
      nTaskFeatures: ws.nTreeFeatures,
      indices: rootOrder ? null : indices,
      start: rootOrder ? 0 : leaf.start,
      count: leaf.count,
      gradients,
      hessians,
      constantHessian,
      hist,
      histLength: ws.histLength,
      partials: ws.histPartials,
      packed: quantized === null ? null : quantized.packed,
      quantization: quantized === null ? NO_QUANTIZATION : quantized.quantization,
      packedSums: ws.packedSums,
    });
  };
  /** Best splits of `nodes` (after parent −= small, the larger child's histogram, when given). */
  const searchSplits = (nodes: LeafState[], subtract: SplitSearchTask['subtract']): void => {
    const out = nodes.map(() => emptySplit());
    parallel.searchSplits({
      features: ws.features,
      nTaskFeatures: ws.nTreeFeatures,
      subtract,
      nodes: nodes.map((l) => ({ hist: l.hist!, sums: { sumGrad: l.sumGrad, sumHess: l.sumHess, count: l.count } })),
      params,
      out,
    });
    nodes.forEach((leaf, k) => {
      const split = out[k]!;
      leaf.split = split.gain > MIN_GAIN && split.gain > params.minGainToSplit ? split : null;
    });
  };

  // The root's sums are read off its histogram: the children's sums come from histograms, so the two
  // sides of a split add up to their parent exactly (with quantized gradients they could not otherwise),
  // and no pass over the rows is needed.
  const root = leaves[0]!;
  root.hist = pool.acquire();
  build(root, root.hist, isRoot);
  histogramTotals(data, root.hist, ws.features[0]!, root);
  if (canSplit(root)) searchSplits([root], null);
  else {
    pool.release(root.hist);
    root.hist = null;
  }

  while (leaves.length < params.maxLeaves) {
    let bestLeaf = -1;
    let bestGain = -Infinity;
    for (let l = 0; l < leaves.length; l++) {
      const s = leaves[l]!.split;
      if (s !== null && s.gain > bestGain) {
        bestGain = s.gain;
        bestLeaf = l;
      }
    }
    if (bestLeaf < 0) break;
    const leaf = leaves[bestLeaf]!;
    const split = leaf.split!;
    const f = split.feature;
    const nBins = data.nBins[f]!;
    const mapper = data.mappers[f]!;

    const goesLeft = new Uint8Array(nBins);
    if (split.isCategorical) {
      for (const b of split.leftBins) goesLeft[b] = 1;
    } else {
      for (let b = 0; b <= split.thresholdBin; b++) goesLeft[b] = 1;
      goesLeft[nBins - 1] = split.missingGoesLeft ? 1 : 0;
    }
    const nLeft = parallel.partition({
      buffers: ws.partitionBuffers,
      start: leaf.start,
      count: leaf.count,
      feature: f,
      goesLeft,
    });

    const nodeIdx = nodeFeature.length;
    nodeFeature.push(f);
    nodeGain.push(split.gain);
    nodeCover.push(coverOf(input.weights, indices, leaf.start, leaf.count));
    nodeMissingLeft.push(split.missingGoesLeft ? 1 : 0);
    nodeGoesLeft.push(goesLeft);
    if (split.isCategorical && mapper.kind === 'categorical') {
      let maxCode = 0;
      for (const b of split.leftBins) maxCode = Math.max(maxCode, mapper.binToCode[b]!);
      const bits = new Uint32Array((maxCode >>> 5) + 1);
      for (const b of split.leftBins) {
        const code = mapper.binToCode[b]!;
        bits[code >>> 5]! |= 1 << (code & 31);
      }
      nodeCategorical.push(1);
      nodeThreshold.push(0);
      nodeCatBits.push(bits);
    } else if (mapper.kind === 'numeric') {
      const ub = mapper.upperBounds[split.thresholdBin]!;
      // The last value bin's bound is +Infinity; the largest double keeps the model JSON-safe.
      nodeCategorical.push(0);
      nodeThreshold.push(ub === Infinity ? Number.MAX_VALUE : ub);
      nodeCatBits.push(new Uint32Array(0));
    }
    if (leaf.parent >= 0) {
      if (leaf.isLeft) nodeLeft[leaf.parent] = nodeIdx;
      else nodeRight[leaf.parent] = nodeIdx;
    }
    const rightLeafIdx = leaves.length;
    nodeLeft.push(~bestLeaf);
    nodeRight.push(~rightLeafIdx);

    const parentHist = leaf.hist!;
    const left: LeafState = {
      start: leaf.start,
      count: nLeft,
      sumGrad: split.leftGrad,
      sumHess: split.leftHess,
      depth: leaf.depth + 1,
      hist: null,
      split: null,
      parent: nodeIdx,
      isLeft: true,
    };
    const right: LeafState = {
      start: leaf.start + nLeft,
      count: leaf.count - nLeft,
      sumGrad: split.rightGrad,
      sumHess: split.rightHess,
      depth: leaf.depth + 1,
      hist: null,
      split: null,
      parent: nodeIdx,
      isLeft: false,
    };
    leaves[bestLeaf] = left;
    leaves.push(right);

    const leftCan = canSplit(left) && leaves.length < params.maxLeaves;
    const rightCan = canSplit(right) && leaves.length < params.maxLeaves;
    if (leftCan || rightCan) {
      const smaller = left.count <= right.count ? left : right;
      const larger = smaller === left ? right : left;
      const smallHist = pool.acquire();
      build(smaller, smallHist, false);
      smaller.hist = smallHist;
      larger.hist = parentHist;
      // The larger child's histogram (parent − smaller) is only needed when it may split.
      const largerCan = larger === left ? leftCan : rightCan;
      const searched: LeafState[] = [];
      if (leftCan) searched.push(left);
      if (rightCan) searched.push(right);
      searchSplits(searched, largerCan ? { parent: parentHist, small: smallHist } : null);
      for (const child of [left, right]) {
        if (!(child === left ? leftCan : rightCan)) {
          pool.release(child.hist!);
          child.hist = null;
        }
      }
    } else {
      pool.release(parentHist);
    }
  }
  for (const leaf of leaves) {
    if (leaf.hist !== null) {
      pool.release(leaf.hist);
      leaf.hist = null;
    }
  }

  const nLeaves = leaves.length;
  const nInternal = nodeFeature.length;
  const leafValue = new Float64Array(nLeaves);
  const leafCover = new Float64Array(nLeaves);
  const leafStart = new Int32Array(nLeaves);
  const leafCount = new Int32Array(nLeaves);
  const floatSums = new Float64Array(2);
  for (let l = 0; l < nLeaves; l++) {
    const leaf = leaves[l]!;
    leafStart[l] = leaf.start;
    leafCount[l] = leaf.count;
    leafCover[l] = coverOf(input.weights, indices, leaf.start, leaf.count);
    let raw: number;
    if (input.renewLeaf !== undefined && leaf.count > 0) raw = input.renewLeaf(indices, leaf.start, leaf.count);
    else if (quantized !== null && leaf.count > 0) {
      // Quantized sums choose the splits; the leaf's value comes from its rows' float gradients
      // (LightGBM's quant_train_renew_leaf), which removes most of quantization's accuracy cost.
      floatLeafSums(gradients, hessians, constantHessian, indices, leaf.start, leaf.count, floatSums);
      raw = leafOutput(floatSums[0]!, floatSums[1]!, params.lambdaL2);
    } else raw = leafOutput(leaf.sumGrad, leaf.sumHess, params.lambdaL2);
    leafValue[l] = Number.isFinite(raw) ? raw * params.learningRate : 0;
  }
  const catOffset = new Int32Array(nInternal + 1);
  for (let k = 0; k < nInternal; k++) catOffset[k + 1] = catOffset[k]! + nodeCatBits[k]!.length;
  const catBits = new Uint32Array(catOffset[nInternal]!);
  for (let k = 0; k < nInternal; k++) catBits.set(nodeCatBits[k]!, catOffset[k]!);

  const tree: Tree = {
    nInternal,
    nLeaves,
    splitFeature: Int32Array.from(nodeFeature),
    threshold: Float64Array.from(nodeThreshold),
    missingGoesLeft: Uint8Array.from(nodeMissingLeft),
    isCategorical: Uint8Array.from(nodeCategorical),
    leftChild: Int32Array.from(nodeLeft),
    rightChild: Int32Array.from(nodeRight),
    splitGain: Float64Array.from(nodeGain),
    internalCover: Float64Array.from(nodeCover),
    catOffset,
    catBits,
    leafValue,
    leafCover,
  };
  return { tree, leafStart, leafCount, nodeGoesLeft };
}

/** The node's gradient and hessian sums as its histogram has them: the sums over one feature's bins. */
function histogramTotals(data: BinnedDataset, hist: Float64Array, feature: number, out: { sumGrad: number; sumHess: number }): void {
  let g = 0;
  let h = 0;
  for (let b = data.binOffsets[feature]! * HIST_STRIDE, end = data.binOffsets[feature + 1]! * HIST_STRIDE; b < end; b += HIST_STRIDE) {
    g += hist[b]!;
    h += hist[b + 1]!;
  }
  out.sumGrad = g;
  out.sumHess = h;
}

/** Σ gradient and Σ hessian (float) of rows indices[start .. start + count), into out[0], out[1]. */
export function floatLeafSums(
  gradients: Float32Array,
  hessians: Float32Array | null,
  constantHessian: number,
  indices: Uint32Array,
  start: number,
  count: number,
  out: Float64Array,
): void {
  let g = 0;
  let h = 0;
  const end = start + count;
  if (hessians === null) {
    for (let j = start; j < end; j++) g += gradients[indices[j]!]!;
    h = count * constantHessian;
  } else {
    for (let j = start; j < end; j++) {
      const i = indices[j]!;
      g += gradients[i]!;
      h += hessians[i]!;
    }
  }
  out[0] = g;
  out[1] = h;
}

function coverOf(weights: Float64Array | undefined, indices: Uint32Array, start: number, count: number): number {
  if (weights === undefined) return count;
  let s = 0;
  for (let j = start; j < start + count; j++) s += weights[indices[j]!]!;
  return s;
}

/** Leaf of a row (by its bins) in a grown tree: routes rows that were not in the tree's sample. */
export function binnedLeafOf(grown: GrownTree, data: BinnedDataset, row: number): number {
  const t = grown.tree;
  if (t.nInternal === 0) return 0;
  let node = 0;
  while (node >= 0) {
    const f = t.splitFeature[node]!;
    const bin = data.bins[f * data.nSamples + row]!;
    node = grown.nodeGoesLeft[node]![bin] === 1 ? t.leftChild[node]! : t.rightChild[node]!;
  }
  return ~node;
}
