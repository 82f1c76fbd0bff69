/**
 * The parallel work of training, as an interface the engine calls and src/compute implements with
 * threads: binning, histogram builds, partitions, gradients and training-score updates.
 * `serialTraining()` is the single-threaded implementation; every implementation must give its
 * results exactly, so that the model does not depend on the thread count.
 */
import type { BinnedDataset, NumericBinningTask } from '../data/binned-dataset.js';
import { binNumericColumnsSerial } from '../data/binned-dataset.js';
import type { NumericBinMapper } from '../data/bin-mapper.js';
import type { GbdtParams } from '../boosting/model.js';
import type { Objective } from '../objectives/objective.js';
import { buildHistogramsSerial } from './histogram.js';
import type { HistogramTask } from './histogram.js';
import { partitionSlice } from './partition.js';
import type { SplitSearchTask } from './split-search.js';
import { splitSearchSerial } from './split-search.js';
import type { GradientQuantization } from './quantize.js';
import { gradientBounds, gradientQuantization, packGradients } from './quantize.js';
import type { PartitionBuffers } from './partition.js';

/** A split of one node's slice of the partition: rows whose bin of `feature` has goesLeft[bin] = 1 go left. */
export interface PartitionTask {
  /** From `TrainingParallelism.allocPartitionBuffers`; the same object for a whole training run. */
  readonly buffers: PartitionBuffers;
  readonly start: number;
  readonly count: number;
  readonly feature: number;
  /** Length ≥ the feature's bin count. */
  readonly goesLeft: Uint8Array;
}

/** One round's gradients: every row's, by one objective (rows are independent). */
export interface GradientTask {
  readonly objective: Objective;
  /** What workers build their own copy of the objective from. */
  readonly objectiveSpec: ObjectiveSpec;
  /** Arrays from this object's allocators; layouts as in `Objective.gradients`. */
  readonly raw: Float64Array;
  readonly labels: Float64Array;
  readonly weights: Float64Array | undefined;
  readonly gradients: Float32Array;
  readonly hessians: Float32Array;
  /**
   * If given (length 2 × outputs): filled with each output's largest |gradient| and largest hessian,
   * gradientBounds' pair at 2o, for the quantization (taken while the rows are in cache).
   */
  readonly bounds?: Float64Array;
}

/** Each output's gradient bounds over every row into task.bounds (when asked): the serial way. */
export function gradientTaskBounds(task: GradientTask): void {
  const bounds = task.bounds;
  if (bounds === undefined) return;
  const n = task.labels.length;
  for (let o = 0; o < task.objective.nOutputs; o++) gradientBounds(task.gradients, task.hessians, o * n, (o + 1) * n, bounds, 2 * o);
}

/**
 * After a tree is grown: every row of leaf l (the partition's rows [leafStart[l], leafStart[l] +
 * leafCount[l])) gets leafValue[l] added to its training score. Each row gets exactly one addition,
 * so the order of the work does not matter.
 */
export interface LeafValuesTask {
  /** The partition (from `allocPartitionBuffers`). */
  readonly indices: Uint32Array;
  /** One output's training scores, length nSamples (a view of an array from this object's allocators). */
  readonly raw: Float64Array;
  readonly nLeaves: number;
  readonly leafStart: Int32Array;
  readonly leafCount: Int32Array;
  readonly leafValue: Float64Array;
}

/** One tree's gradients to quantize and pack (quantize.ts), every row. */
export interface PackTask {
  /** One output's gradients and hessians (null: constant hessians), length nSamples. */
  readonly gradients: Float32Array;
  readonly hessians: Float32Array | null;
  /** The constant hessian when `hessians` is null. */
  readonly constantHessian: number;
  /** quantizationLevels(nSamples). */
  readonly levels: number;
  /** The output's largest |gradient| and largest hessian (GradientTask.bounds). */
  readonly maxAbsGradient: number;
  readonly maxHessian: number;
  /** The tree's rounding key (packGradients). */
  readonly key: number;
  /** Output, length nSamples (from this object's allocators). */
  readonly packed: Int32Array;
}

/** The scales of a pack task. */
export function packTaskQuantization(task: PackTask): GradientQuantization {
  const constant = task.hessians === null ? task.constantHessian : NaN;
  return gradientQuantization(task.levels, task.packed.length, task.maxAbsGradient, task.maxHessian, constant);
}

/** A pack task on one thread. */
export function packGradientsSerial(task: PackTask): GradientQuantization {
  const q = packTaskQuantization(task);
  packGradients(task.gradients, task.hessians, q, task.key, 0, task.packed.length, task.packed);
  return q;
}

/** Adds `value` to the training score of the partition's rows indices[from .. to). */
export function addValueToRows(indices: Uint32Array, from: number, to: number, value: number, raw: Float64Array): void {
  for (let j = from; j < to; j++) raw[indices[j]!]! += value;
}

/** The arguments of `createObjective`. */
export interface ObjectiveSpec {
  readonly params: Pick<GbdtParams, 'objective' | 'nClasses' | 'huberDelta'>;
  readonly hasWeights: boolean;
}

/**
 * The per-node work of tree growth, across threads: histogram builds and partitions. Implementations
 * (src/compute/) must give results identical to the serial ones: every feature's sums in the same order
 * as `buildHistogramsSerial`, and the stable partition of `partitionSlice`,
 * so the model does not depend on the thread count. Arrays passed in must come from this object's
 * allocators.
 */
export interface TrainingParallelism {
  readonly nThreads: number;
  allocUint8(length: number): Uint8Array;
  allocUint32(length: number): Uint32Array;
  allocInt32(length: number): Int32Array;
  allocFloat32(length: number): Float32Array;
  allocFloat64(length: number): Float64Array;
  /** Fits and bins numeric columns (before `attach`); the same mappers and bins as on one thread. */
  binNumericColumns(task: NumericBinningTask): NumericBinMapper[];
  /** Called once per training run, after binning, before any build. */
  attach(data: BinnedDataset): void;
  /** Partition arrays and scratch for `partition`, each of length nSamples. */
  allocPartitionBuffers(nSamples: number): PartitionBuffers;
  /** Synchronous: returns when every feature of the task is built. */
  buildHistograms(task: HistogramTask): void;
  /** Splits the task's slice in place (stable); returns the left count. */
  partition(task: PartitionTask): number;
  /** Subtraction and split search after a build (split-search.ts); the same result as splitSearchSerial. */
  searchSplits(task: SplitSearchTask): void;
  /** Fills the task's gradients and hessians for every row (and their bounds, when asked). */
  computeGradients(task: GradientTask): void;
  /** Adds each leaf's value to the training scores of its rows. */
  addLeafValues(task: LeafValuesTask): void;
  /** Quantizes and packs one tree's gradients; returns the scales (the same as packGradientsSerial's). */
  packGradients(task: PackTask): GradientQuantization;
  /** Called when training ends (success or error); frees buffers registered since attach. */
  detach(): void;
}

/** The serial partition: in place, with the right side going through the right scratch. */
export function partitionSerial(data: BinnedDataset, task: PartitionTask): number {
  const b = task.buffers;
  return partitionSlice(b.indices, task.start, task.count, data.bins, task.feature * data.nSamples, task.goesLeft, b.rightScratch);
}

/** The single-threaded implementation, with plain allocations. */
export function serialTraining(): TrainingParallelism {
  let data: BinnedDataset | null = null;
  return {
    nThreads: 1,
    allocUint8: (n) => new Uint8Array(n),
    allocUint32: (n) => new Uint32Array(n),
    allocInt32: (n) => new Int32Array(n),
    allocFloat32: (n) => new Float32Array(n),
    allocFloat64: (n) => new Float64Array(n),
    // The serial partition needs no left scratch.
    allocPartitionBuffers: (n) => ({ indices: new Uint32Array(n), leftScratch: new Uint32Array(0), rightScratch: new Uint32Array(n) }),
    binNumericColumns: binNumericColumnsSerial,
    attach(d) {
      data = d;
    },
    buildHistograms(task) {
      buildHistogramsSerial(data!, task);
    },
    partition(task) {
      return partitionSerial(data!, task);
    },
    searchSplits(task) {
      splitSearchSerial(data!, task);
    },
    addLeafValues(task) {
      for (let l = 0; l < task.nLeaves; l++) {
        const from = task.leafStart[l]!;
        addValueToRows(task.indices, from, from + task.leafCount[l]!, task.leafValue[l]!, task.raw);
      }
    },
    computeGradients(task) {
      task.objective.gradients(task.raw, task.labels, task.weights, task.gradients, task.hessians, 0, task.labels.length);
      gradientTaskBounds(task);
    },
    packGradients: packGradientsSerial,
    detach() {
      data = null;
    },
  };
}
