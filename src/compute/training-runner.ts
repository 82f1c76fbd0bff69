/**
 * The port through which a training job gets its CPU work done, off the HTTP event loop. The
 * embedded implementation (worker-pool.ts) runs each training in a worker thread; a scale-out
 * deployment can run the same request in a separate worker process.
 */
import type { ResultFile, TaskType, TrainSettings } from '../automl/types.js';
import type { ColumnType } from '../table/table.js';

/** Everything the computation needs, as plain data (it crosses a thread or process boundary). */
export interface TrainingRequest {
  /** Normalised (UTF-8) training file. */
  readonly trainPath: string;
  readonly evalPath: string | null;
  readonly delimiter: ',' | '\t';
  readonly columnTypes: Readonly<Record<string, ColumnType>>;
  readonly dateFormats: Readonly<Record<string, string>>;
  readonly settings: TrainSettings;
  /**
   * Testing aid (never set by the service): the training's clock runs this many times slower, so
   * the wall-clock safety stop cannot fire before the deterministic work budget on a loaded
   * machine, and a test comparing model bytes compares what the work budget alone decided.
   */
  readonly clockSlowdown?: number;
}

export interface TrainingOutput {
  /** serializeAutoModel's text. */
  readonly modelText: string;
  readonly resultFiles: readonly ResultFile[];
  readonly metrics: Readonly<Record<string, number>>;
  readonly task: TaskType;
}

export interface TrainingHooks {
  /** Fraction in [0, 1] and a short phase name. */
  onProgress?(fraction: number, phase: string): void;
}

/** The runner was closed (server shutting down): the job must stay claimable, not fail. */
export class RunnerClosed extends Error {
  override readonly name = 'RunnerClosed';
}

export interface TrainingRunner {
  /** Rejects with an AppError for data/settings problems the user can fix; other errors are internal. */
  run(request: TrainingRequest, hooks?: TrainingHooks): Promise<TrainingOutput>;
  /** Stops running trainings (their jobs are picked up again after a restart). */
  close(): Promise<void>;
}
