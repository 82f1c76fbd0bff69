/**
 * The shared control block between the trainer thread and the histogram workers (one Int32Array on a
 * SharedArrayBuffer). The trainer writes a task, bumps SEQ and notifies; each worker builds its share
 * of the features, bumps DONE and notifies; the trainer waits for DONE = nWorkers.
 */
export const CTRL = {
  SEQ: 0,
  DONE: 1,
  CMD: 2,
  N_TASK_FEATURES: 3,
  FEATURES_ID: 4,
  FEATURES_OFFSET: 5,
  INDICES_ID: 6,
  INDICES_OFFSET: 7,
  START: 8,
  COUNT: 9,
  GRAD_ID: 10,
  GRAD_OFFSET: 11,
  HESS_ID: 12,
  HESS_OFFSET: 13,
  HIST_ID: 14,
  HIST_OFFSET: 15,
  ERROR: 16,
  /** Next unclaimed entry of the task's feature list (threads claim features with Atomics.add). */
  NEXT_FEATURE: 17,
  /** READY + t is set to 1 by worker t (1-based part number) once it waits for tasks. */
  READY: 18,
} as const;

export const CMD_BUILD = 1;
export const CMD_EXIT = 2;
/** Int32 slots before READY, plus room for 256 workers. */
export const CTRL_LENGTH = CTRL.READY + 257;

export type ArrayKind = 'u8' | 'u32' | 'i32' | 'f32' | 'f64';

/** Messages on each worker's port; drained synchronously at the start of every task. */
export type WorkerMessage =
  | { type: 'register'; id: number; buffer: SharedArrayBuffer }
  | { type: 'attach'; binsId: number; binsOffset: number; nSamples: number; nFeatures: number; binOffsets: Int32Array; totalBins: number }
  | { type: 'reset' };

export interface WorkerInit {
  readonly control: SharedArrayBuffer;
  /** Float64 slot holding the task's constant hessian. */
  readonly constHessian: SharedArrayBuffer;
  readonly part: number;
  readonly nParts: number;
}
