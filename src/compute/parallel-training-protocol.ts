/**
 * The shared control block between the trainer thread and the workers (one Int32Array on a
 * SharedArrayBuffer). The trainer writes a task (a command and its slots), bumps SEQ and notifies; every
 * thread, the trainer included, claims the task's items (columns, feature groups, blocks of rows) from
 * NEXT_ITEM until none are left; each worker then bumps DONE and notifies, and the trainer waits for
 * DONE = nWorkers.
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
  /** CMD_BUILD: the task's feature list is cut into N_ITEMS groups; this is its length. */
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
  /** CMD_BUILD / CMD_BUILD_CHUNKS: the partial histograms and the doubles per histogram. */
  PARTIALS_ID: 30,
  PARTIALS_OFFSET: 31,
  HIST_LENGTH: 32,
  /** READY + t is set to 1 by worker t (1-based part number) once it waits for tasks. */
  READY: 33,
} as const;

/** Build the histograms of the task's features (items = groups of features). */
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
/** Build a large node's histogram chunk by chunk (items = chunks; see engine HISTOGRAM_CHUNK_ROWS). */
export const CMD_BUILD_CHUNKS = 8;
/** Int32 slots before READY, plus room for 256 workers. */
export const CTRL_LENGTH = CTRL.READY + 257;

/**
 * Groups of a histogram build's feature list: four features each, the width of the four-feature
 * kernel (engine/tree/histogram-four.ts), so each group is one pass over the node's rows and threads
 * have several groups to share. The grouping never changes sums.
 */
export const FEATURES_PER_GROUP = 4;

export function featureGroupCount(nTaskFeatures: number): number {
  return Math.max(1, Math.ceil(nTaskFeatures / FEATURES_PER_GROUP));
}

/** First entry of group g of the feature list. */
export function featureGroupStart(nTaskFeatures: number, g: number): number {
  return Math.min(nTaskFeatures, g * FEATURES_PER_GROUP);
}

/** Upper bound on the blocks of one partition. */
export const MAX_PARTITION_BLOCKS = 64;
/**
 * Int32 layout of the shared block table: [leftCount of block b] at b, [left destination] at
 * MAX_PARTITION_BLOCKS + b, [right destination] at 2 * MAX_PARTITION_BLOCKS + b.
 */
export const BLOCK_TABLE_LENGTH = 3 * MAX_PARTITION_BLOCKS;

import type { ObjectiveSpec } from '../engine/tree/parallelism.js';

/** A typed array on a registered buffer: its buffer id, byte offset and length. */
export type SharedArrayRef = readonly [id: number, byteOffset: number, length: number];

/** Messages on each worker's port; drained synchronously at the start of every task. */
export type WorkerMessage =
  | { type: 'register'; id: number; buffer: SharedArrayBuffer }
  | { type: 'attach'; binsId: number; binsOffset: number; nSamples: number; nFeatures: number; binOffsets: Int32Array; totalBins: number }
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
  /** Float64 slot holding the task's constant hessian. */
  readonly constHessian: SharedArrayBuffer;
  /** Uint8 × 256: the current partition's goesLeft table. */
  readonly goesLeft: SharedArrayBuffer;
  /** Int32 × BLOCK_TABLE_LENGTH: the current partition's per-block counts and destinations. */
  readonly blockTable: SharedArrayBuffer;
  readonly part: number;
  readonly nParts: number;
}
