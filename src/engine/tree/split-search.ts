/**
 * The split search after a histogram build, as a task that threads can share by feature groups: the
 * larger child's histogram by subtraction (parent − smaller child, in the parent's buffer), then the
 * best split of each node that may split.
 *
 * Threads take groups of features: a group subtracts its features, then searches them for every node,
 * into a record of its own (`writeSplitRecord`); the records are then reduced in group order, a later
 * group winning only with a strictly larger gain. Within a group the features are searched in list
 * order with the same rule, so the result is exactly the serial search over the whole list (the first
 * feature with the largest gain), whatever the grouping and the thread count.
 */
import type { BinnedDataset } from '../data/binned-dataset.js';
import { HIST_STRIDE } from '../dtypes.js';
import { findBestCategoricalSplit } from './categorical-split.js';
import { findBestNumericSplit } from './split-finder.js';
import type { NodeSums, SplitInfo, SplitParams } from './split-info.js';

/** A node to search: its histogram and totals. */
export interface SplitSearchNode {
  readonly hist: Float64Array;
  readonly sums: NodeSums;
}

export interface SplitSearchTask {
  /** The tree's features (ascending); the first nTaskFeatures are searched. */
  readonly features: Int32Array;
  readonly nTaskFeatures: number;
  /** parent −= small over the task's features first (the larger child's histogram), or null. */
  readonly subtract: { readonly parent: Float64Array; readonly small: Float64Array } | null;
  /** One or two nodes. */
  readonly nodes: readonly SplitSearchNode[];
  readonly params: SplitParams;
  /** One per node: its best split (gain -Infinity when none is valid) (OUT). */
  readonly out: readonly SplitInfo[];
}

/** parent −= small over entries j0 .. j1-1 of the feature list. */
export function subtractFeatures(data: BinnedDataset, task: SplitSearchTask, j0: number, j1: number): void {
  const { parent, small } = task.subtract!;
  const offsets = data.binOffsets;
  for (let j = j0; j < j1; j++) {
    const f = task.features[j]!;
    const end = offsets[f + 1]! * HIST_STRIDE;
    for (let k = offsets[f]! * HIST_STRIDE; k < end; k++) parent[k] = parent[k]! - small[k]!;
  }
}

/**
 * Searches entries j0 .. j1-1 of the feature list for one node, updating `best` only on a strictly
 * larger gain (call with best.gain = -Infinity for a fresh search).
 */
export function searchFeatures(
  data: BinnedDataset,
  node: SplitSearchNode,
  features: Int32Array,
  j0: number,
  j1: number,
  params: SplitParams,
  best: SplitInfo,
): void {
  const offsets = data.binOffsets;
  for (let j = j0; j < j1; j++) {
    const f = features[j]!;
    const histStart = offsets[f]! * HIST_STRIDE;
    const nBins = offsets[f + 1]! - offsets[f]!;
    if (data.isCategorical[f] === 1) findBestCategoricalSplit(node.hist, histStart, nBins, f, node.sums, params, best);
    else findBestNumericSplit(node.hist, histStart, nBins, f, node.sums, params, best);
  }
}

/** The task on the calling thread. */
export function splitSearchSerial(data: BinnedDataset, task: SplitSearchTask): void {
  if (task.subtract !== null) subtractFeatures(data, task, 0, task.nTaskFeatures);
  for (let k = 0; k < task.nodes.length; k++) {
    const best = task.out[k]!;
    resetSplit(best);
    searchFeatures(data, task.nodes[k]!, task.features, 0, task.nTaskFeatures, task.params, best);
  }
}

export function resetSplit(s: SplitInfo): void {
  s.gain = -Infinity;
  s.feature = -1;
}

/** Doubles of a split record (see writeSplitRecord); its categorical left bins go to a 256-byte mask. */
export const SPLIT_RECORD_LENGTH = 11;
export const SPLIT_MASK_LENGTH = 256;

/** A SplitInfo as plain numbers, for another thread: records[at ..], masks[maskAt ..] (left bins). */
export function writeSplitRecord(s: SplitInfo, records: Float64Array, at: number, masks: Uint8Array, maskAt: number): void {
  records[at] = s.gain;
  records[at + 1] = s.feature;
  records[at + 2] = s.isCategorical ? 1 : 0;
  records[at + 3] = s.thresholdBin;
  records[at + 4] = s.missingGoesLeft ? 1 : 0;
  records[at + 5] = s.leftGrad;
  records[at + 6] = s.leftHess;
  records[at + 7] = s.leftCount;
  records[at + 8] = s.rightGrad;
  records[at + 9] = s.rightHess;
  records[at + 10] = s.rightCount;
  if (s.isCategorical && s.gain > -Infinity) {
    masks.fill(0, maskAt, maskAt + SPLIT_MASK_LENGTH);
    for (const b of s.leftBins) masks[maskAt + b] = 1;
  }
}

/** Reads a record back into `s` (left bins in ascending order). */
export function readSplitRecord(records: Float64Array, at: number, masks: Uint8Array, maskAt: number, s: SplitInfo): void {
  s.gain = records[at]!;
  s.feature = records[at + 1]!;
  s.isCategorical = records[at + 2] === 1;
  s.thresholdBin = records[at + 3]!;
  s.missingGoesLeft = records[at + 4] === 1;
  s.leftGrad = records[at + 5]!;
  s.leftHess = records[at + 6]!;
  s.leftCount = records[at + 7]!;
  s.rightGrad = records[at + 8]!;
  s.rightHess = records[at + 9]!;
  s.rightCount = records[at + 10]!;
  s.leftBins = [];
  if (s.isCategorical) for (let b = 0; b < SPLIT_MASK_LENGTH; b++) if (masks[maskAt + b] === 1) s.leftBins.push(b);
}
