/**
 * The shared control block between the trainer thread and the workers (one Int32Array on a
 * SharedArrayBuffer). The trainer writes a task (a command and its slots), bumps SEQ and notifies; every
 * thread, the trainer included, claims the task's items (columns, feature groups, blocks of rows) from
 * NEXT_ITEM until none are left; each worker then bumps DONE and notifies, and the trainer waits for
 * DONE = nWorkers.
 *
 * An array of a task is announced as its buffer id in an *_ID slot and its byte offset in the *_OFFSET
 * slot right after it (tested).
 */
export const CTRL = {
  SEQ: 0,
  DONE: 1,
  CMD: 2,
  ERROR: 3,
  /** Items of the current task, and the next unclaimed one (threads claim with Atomics.add). */
  N_ITEMS: 4,
  NEXT_ITEM: 5,
  // CMD_BUILD: the histogram task's arrays (buffer id and byte offset) and slice.
  FEATURES_ID: 6,
  FEATURES_OFFSET: 7,
  INDICES_ID: 8,
  INDICES_OFFSET: 9,
  START: 10,
  COUNT: 11,
  GRAD_ID: 12,
  GRAD_OFFSET: 13,
  HESS_ID: 14,
  HESS_OFFSET: 15,
  HIST_ID: 16,
  HIST_OFFSET: 17,
  /** CMD_BUILD: the task's feature list (cut into groups by fillFeatureGroups) has this length. */
  N_TASK_FEATURES: 18,
  /** CMD_PARTITION_*: the split feature (START / COUNT give the slice). */
  SPLIT_FEATURE: 19,
  // CMD_GRADIENTS: raw scores, labels and weights (GRAD_* / HESS_* give the outputs), and the row count.
  RAW_ID: 20,
  RAW_OFFSET: 21,
  LABELS_ID: 22,
  LABELS_OFFSET: 23,
  WEIGHTS_ID: 24,
  WEIGHTS_OFFSET: 25,
  N_ROWS: 26,
  /** Rows per item of CMD_GRADIENTS. */
  GRADIENT_BLOCK_ROWS: 27,
  /** CMD_ADD_LEAF_VALUES: the range table (INDICES_* and RAW_* give the partition and the scores). */
  RANGES_ID: 28,
  RANGES_OFFSET: 29,
  /** CMD_BUILD: the partial histograms and the doubles per histogram. */
  PARTIALS_ID: 30,
  PARTIALS_OFFSET: 31,
  HIST_LENGTH: 32,
  /** CMD_BUILD: packed gradients (-1 = none) and the packed sums scratch; CMD_PACK: its output. */
  PACKED_ID: 33,
  PACKED_OFFSET: 34,
  PACKED_SUMS_ID: 35,
  PACKED_SUMS_OFFSET: 36,
  /** CMD_PACK: the tree's rounding key. */
  PACK_KEY: 37,
  /** CMD_GRADIENTS: the Float64 table of [max |gradient|, max hessian] per (block, output), or -1. */
  BOUNDS_ID: 38,
  BOUNDS_OFFSET: 39,
  /** CMD_SEARCH: nodes (1 or 2) and their histograms; parent −= small first unless PARENT_HIST_ID is -1. */
  SEARCH_N_NODES: 40,
  NODE0_HIST_ID: 41,
  NODE0_HIST_OFFSET: 42,
  NODE1_HIST_ID: 43,
  NODE1_HIST_OFFSET: 44,
  PARENT_HIST_ID: 45,
  PARENT_HIST_OFFSET: 46,
  SMALL_HIST_ID: 47,
  SMALL_HIST_OFFSET: 48,
  /** CMD_SEARCH: the split records (Float64) and left-bin masks (Uint8) of every (group, node). */
  RECORDS_ID: 49,
  RECORDS_OFFSET: 50,
  MASKS_ID: 51,
  MASKS_OFFSET: 52,
  /** READY + t is set to 1 by worker t (1-based part number) once it waits for tasks. */
  READY: 53,
} as const;

/**
 * Build a node's histograms (items = (chunk, feature group) pairs, chunk major: see fillFeatureGroups
 * and engine HISTOGRAM_CHUNK_ROWS).
 */
export const CMD_BUILD = 1;
export const CMD_EXIT = 2;
/** Partition phase 1 (items = blocks): each block's rows to the left / right scratch. */
export const CMD_PARTITION_SPLIT = 3;
/** Partition phase 2 (items = blocks): each block's rows to their final places. */
export const CMD_PARTITION_PLACE = 4;
/** Gradients and hessians of a block of rows (items = row blocks of CTRL.GRADIENT_BLOCK_ROWS rows). */
export const CMD_GRADIENTS = 5;
/** Fit and bin numeric columns (items = columns of the announced binning task). */
export const CMD_BIN = 6;
/**
 * Add leaf values to training scores (items = row ranges of the partition; the range table holds
 * [from, to, value] per item as Float64).
 */
export const CMD_ADD_LEAF_VALUES = 7;
/** Quantize and pack one output's gradients (items = row blocks); scales in the shared Float64 slots. */
export const CMD_PACK = 8;
/**
 * Subtraction and split search after a build (items = feature groups; engine split-search.ts): each
 * group's best split per node into its own record, reduced by the trainer in group order.
 */
export const CMD_SEARCH = 9;
/**
 * Float64 slots shared with the workers (besides the Int32 control block): the constant hessian, the
 * gradient scale, hessian scale and shift of the current quantization, and a split search's node sums.
 */
export const F64 = {
  CONSTANT_HESSIAN: 0,
  GRADIENT_SCALE: 1,
  HESSIAN_SCALE: 2,
  SHIFT: 3,
  /** CMD_SEARCH: node k's sums at NODE_SUMS + 3k: gradient, hessian, count. */
  NODE_SUMS: 4,
  LENGTH: 10,
} as const;
/** Int32 slots before READY, plus room for 256 workers. */
export const CTRL_LENGTH = CTRL.READY + 257;

/**
 * Features per group of a histogram build: the width of the four-feature kernel
 * (engine/tree/histogram-four.ts), so that a group is one pass over its rows.
 */
export const FEATURES_PER_GROUP = 4;

/**
 * Cuts a histogram build's feature list into groups; the build's items are (chunk, group) pairs, chunk
 * major. Writes the group boundaries into `out` (group g is entries out[g] .. out[g + 1) of the list)
 * and returns the number of groups. Trainer and workers call it with the same arguments.
 *
 * - A build of many chunks (≥ 4 per thread) is shared by chunks alone: one group, so each chunk's
 *   gradients are read once for all features.
 * - Otherwise groups of four features; and when the items do not divide evenly among the threads (20
 *   features on 2 threads: 5 groups, 3 for one thread and 2 for the other), the last groups are halved
 *   until they do (4, 4, 4, 4, 2, 2: 10 features each), while there are few items per thread.
 *
 * The grouping decides only which thread adds which sums, never the sums.
 *
 * @param out length ≥ nTaskFeatures + 1
 */
export function fillFeatureGroups(nTaskFeatures: number, nChunks: number, nThreads: number, out: Int32Array): number {
  out[0] = 0;
  if (nChunks >= 4 * nThreads || nTaskFeatures <= 1) {
    out[1] = nTaskFeatures;
    return 1;
  }
  let nGroups = 0;
  for (let j = 0; j < nTaskFeatures; j += FEATURES_PER_GROUP) out[++nGroups] = Math.min(nTaskFeatures, j + FEATURES_PER_GROUP);
  // Halve the last group wider than one feature (groups stay widest first) until the items divide evenly.
  while ((nChunks * nGroups) % nThreads !== 0 && nChunks * nGroups < 4 * nThreads) {
    let g = nGroups - 1;
    while (g >= 0 && out[g + 1]! - out[g]! < 2) g--;
    if (g < 0) break;
    for (let k = nGroups; k > g; k--) out[k + 1] = out[k]!;
    out[g + 1] = out[g]! + ((out[g + 2]! - out[g]!) >> 1);
    nGroups++;
  }
  return nGroups;
}

/** A build's or search's feature groups (fillFeatureGroups), in a bounds array reused across tasks. */
export class FeatureGroups {
  /** Group g is entries bounds[g] .. bounds[g + 1) of the feature list. */
  bounds = new Int32Array(0);
  count = 0;

  cut(nTaskFeatures: number, nChunks: number, nThreads: number): void {
    if (this.bounds.length < nTaskFeatures + 1) this.bounds = new Int32Array(nTaskFeatures + 1);
    this.count = fillFeatureGroups(nTaskFeatures, nChunks, nThreads, this.bounds);
  }
}

/** The current quantization's scales into the shared Float64 slots (F64), and back. */
export function writeQuantization(shared64: Float64Array, q: GradientQuantization): void {
  shared64[F64.GRADIENT_SCALE] = q.gradientScale;
  shared64[F64.HESSIAN_SCALE] = q.hessianScale;
  shared64[F64.SHIFT] = q.shift;
}

export function readQuantization(shared64: Float64Array): GradientQuantization {
  return { gradientScale: shared64[F64.GRADIENT_SCALE]!, hessianScale: shared64[F64.HESSIAN_SCALE]!, shift: shared64[F64.SHIFT]! };
}

/** Upper bound on the blocks of one partition. */
export const MAX_PARTITION_BLOCKS = 64;
/**
 * Int32 layout of the shared block table: [leftCount of block b] at b, [left destination] at
 * MAX_PARTITION_BLOCKS + b, [right destination] at 2 * MAX_PARTITION_BLOCKS + b.
 */
export const BLOCK_TABLE_LENGTH = 3 * MAX_PARTITION_BLOCKS;

import {
  SPLIT_MASK_LENGTH,
  SPLIT_RECORD_LENGTH,
  gradientBounds,
  resetSplit,
  searchFeatures,
  subtractFeatures,
  writeSplitRecord,
  type BinnedDataset,
  type GradientQuantization,
  type ObjectiveSpec,
  type SplitInfo,
  type SplitParams,
  type SplitSearchTask,
} from '../engine/index.js';

/** A typed array on a registered buffer: its buffer id, byte offset and length. */
export type SharedArrayRef = readonly [id: number, byteOffset: number, length: number];

/** Messages on each worker's port; drained synchronously at the start of every task. */
export type WorkerMessage =
  | { type: 'register'; id: number; buffer: SharedArrayBuffer }
  | {
      type: 'attach';
      binsId: number;
      binsOffset: number;
      nSamples: number;
      nFeatures: number;
      binOffsets: Int32Array;
      totalBins: number;
      isCategorical: Uint8Array;
    }
  | { type: 'split-params'; params: SplitParams }
  | { type: 'partition-buffers'; indices: SharedArrayRef; leftScratch: SharedArrayRef; rightScratch: SharedArrayRef }
  | { type: 'objective'; spec: ObjectiveSpec }
  | {
      type: 'binning';
      values: SharedArrayRef[];
      colStarts: number[];
      sample: SharedArrayRef;
      maxBin: number;
      bins: SharedArrayRef;
      /** Float64, (maxBin + 1) per column: the fitted upper bounds (OUT). */
      bounds: SharedArrayRef;
      /** Int32 per column: how many bounds (OUT). */
      boundCounts: SharedArrayRef;
    }
  | { type: 'unregister'; ids: number[] }
  | { type: 'reset' };

export interface WorkerInit {
  readonly control: SharedArrayBuffer;
  /** F64.LENGTH doubles: the task's constant hessian and quantization scales (see F64). */
  readonly shared64: SharedArrayBuffer;
  /** Uint8 × 256: the current partition's goesLeft table. */
  readonly goesLeft: SharedArrayBuffer;
  /** Int32 × BLOCK_TABLE_LENGTH: the current partition's per-block counts and destinations. */
  readonly blockTable: SharedArrayBuffer;
  readonly part: number;
  readonly nParts: number;
}

/**
 * After block b of CMD_GRADIENTS (rows from .. to-1): each of the k outputs' bounds over the block's
 * rows into table[2 (b k + o)] and the next slot (gradients and hessians output-major, n rows each).
 */
export function gradientBlockBounds(
  gradients: Float32Array,
  hessians: Float32Array,
  n: number,
  k: number,
  from: number,
  to: number,
  table: Float64Array,
  b: number,
): void {
  for (let o = 0; o < k; o++) gradientBounds(gradients, hessians, o * n + from, o * n + to, table, 2 * (b * k + o));
}

/**
 * Item g of CMD_SEARCH (entries j0 .. j1-1 of the feature list): the group's subtraction, then its best
 * split for every node into record (2g + k) (`scratch` is the thread's own SplitInfo).
 */
export function searchSplitGroup(
  data: BinnedDataset,
  task: SplitSearchTask,
  j0: number,
  j1: number,
  g: number,
  records: Float64Array,
  masks: Uint8Array,
  scratch: SplitInfo,
): void {
  if (task.subtract !== null) subtractFeatures(data, task, j0, j1);
  for (let k = 0; k < task.nodes.length; k++) {
    resetSplit(scratch);
    searchFeatures(data, task.nodes[k]!, task.features, j0, j1, task.params, scratch);
    writeSplitRecord(scratch, records, (2 * g + k) * SPLIT_RECORD_LENGTH, masks, (2 * g + k) * SPLIT_MASK_LENGTH);
  }
}
