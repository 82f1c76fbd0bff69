/**
 * Messages between the compute thread pool (thread-pool.ts, main thread) and its threads
 * (thread-worker.ts). A thread runs one task at a time: `run` → `progress`… → `done` or `failed`.
 * Errors cross the boundary as plain data (`WireError`: the catalogue kind, message, detail and
 * facts; kind null for an internal failure), never as classes: `fromWire` on the main thread makes
 * the AppError again (domain/errors.ts).
 */
import type { WireError } from '../domain/errors.js';
import type { BatchTask, BatchTaskResult } from './batch-protocol.js';
import type { CompareTask, CompareTaskResult } from './compare-protocol.js';
import type { InferenceTask, InferenceTaskResult } from './inference-protocol.js';
import type { TrainTask, TrainTaskResult } from './training-protocol.js';

export type ComputeTask = TrainTask | BatchTask | InferenceTask | CompareTask;
export type ComputeKind = ComputeTask['kind'];

/** What each kind of task answers. */
export interface ComputeResults {
  readonly train: TrainTaskResult;
  readonly batch: BatchTaskResult;
  readonly infer: InferenceTaskResult;
  readonly compare: CompareTaskResult;
}

export type ToThread = { readonly type: 'run'; readonly id: number; readonly task: ComputeTask };

export type FromThread =
  | { readonly type: 'ready' }
  | { readonly type: 'progress'; readonly id: number; readonly fraction: number; readonly phase: string }
  | { readonly type: 'done'; readonly id: number; readonly result: ComputeResults[ComputeKind] }
  | { readonly type: 'failed'; readonly id: number; readonly error: WireError };

/** `workerData` of a compute thread. */
export interface ComputeThreadData {
  /** URL of thread-worker.ts (.js compiled), loaded by thread-bootstrap.mjs. */
  readonly entry: string;
  /** Threads for the GBDT trainer's parallel work within one training (1 = none started). */
  readonly threadsPerTraining: number;
}
