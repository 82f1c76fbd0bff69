/**
 * Messages between the compute thread pool (thread-pool.ts, main thread) and its threads
 * (thread-worker.ts). A thread runs one task at a time: `run` → `progress`… → `done` or `failed`.
 * Errors cross the boundary as plain `{code, message, detail}` objects, never as classes: the main
 * thread's adapters (worker-pool.ts) turn the code back into the error its callers expect.
 */
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

/** Codes of `ThreadError`. */
export const THREAD_ERROR_CODES = {
  /** Bad data or settings, the user's to fix: `message` is shown to them (training, batch, comparison). */
  userInput: 'USER_INPUT',
  /** A malformed inference body or CSV: the documented 4001030104 with `detail`. */
  invalidRequest: 'INVALID_REQUEST',
  /** Anything else: a bug or a broken environment. `message` is for the log only. */
  internal: 'INTERNAL',
} as const;

export type ThreadErrorCode = (typeof THREAD_ERROR_CODES)[keyof typeof THREAD_ERROR_CODES];

export interface ThreadError {
  readonly code: ThreadErrorCode;
  readonly message: string;
  readonly detail?: string;
}

export type ToThread = { readonly type: 'run'; readonly id: number; readonly task: ComputeTask };

export type FromThread =
  | { readonly type: 'ready' }
  | { readonly type: 'progress'; readonly id: number; readonly fraction: number; readonly phase: string }
  | { readonly type: 'done'; readonly id: number; readonly result: ComputeResults[ComputeKind] }
  | { readonly type: 'failed'; readonly id: number; readonly error: ThreadError };

/** `workerData` of a compute thread. */
export interface ComputeThreadData {
  /** URL of thread-worker.ts (.js compiled), loaded by thread-bootstrap.mjs. */
  readonly entry: string;
  /** Threads for the GBDT trainer's parallel work within one training (1 = none started). */
  readonly threadsPerTraining: number;
}
