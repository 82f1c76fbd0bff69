/**
 * The ports' thread implementations, each over a ThreadPool (thread-pool.ts): trainings
 * (TrainingRunner), batch predictions (BatchRunner), retrain comparisons (ComparisonRunner) and
 * costly inference requests (InferenceRunner). They turn the threads' `{code, message, detail}`
 * errors back into the errors their callers expect. main.ts shares one pool between the job kinds
 * and gives inference a pool of its own.
 */
import type { ResultFile } from '../automl/types.js';
import { BatchFailed, type BatchRunner, type BatchRunRequest, type BatchRunResult } from '../deploy/batch-runner.js';
import { InferenceError } from '../deploy/errors.js';
import { ComparisonFailed, type ComparisonRequest, type ComparisonRunner } from './comparison-runner.js';
import type { InferenceTaskResult } from './inference-protocol.js';
import type { InferenceRunner, InferenceRunRequest } from './inference-runner.js';
import { ThreadPool, ThreadPoolClosed, ThreadTaskError, type ThreadPoolOptions } from './thread-pool.js';
import { THREAD_ERROR_CODES } from './thread-protocol.js';
import { RunnerClosed, TrainingFailed, type TrainingHooks, type TrainingOutput, type TrainingRequest, type TrainingRunner } from './training-runner.js';

/** A pool to share (main.ts), or the options of a pool of one's own (tests). close() closes the pool. */
export type PoolOrOptions = ThreadPool | ThreadPoolOptions;

function poolOf(p: PoolOrOptions | undefined): ThreadPool {
  return p instanceof ThreadPool ? p : new ThreadPool(p ?? {});
}

/** A reported user-input failure as the caller's error class, anything else unchanged. */
function userFacing(err: unknown, make: (message: string) => Error): unknown {
  if (err instanceof ThreadTaskError && err.error.code === THREAD_ERROR_CODES.userInput) return make(err.message);
  return err;
}

/** Trainings on compute threads. */
export class WorkerThreadRunner implements TrainingRunner {
  readonly #pool: ThreadPool;

  constructor(pool?: PoolOrOptions) {
    this.#pool = poolOf(pool);
  }

  /** Starts `n` threads ahead of the first training. */
  warm(n = 1): void {
    this.#pool.warm(n);
  }

  async run(request: TrainingRequest, hooks: TrainingHooks = {}): Promise<TrainingOutput> {
    try {
      return await this.#pool.run({ kind: 'train', request }, { onProgress: (f, phase) => hooks.onProgress?.(f, phase) });
    } catch (err) {
      if (err instanceof ThreadPoolClosed) throw new RunnerClosed(err.message);
      throw userFacing(err, (m) => new TrainingFailed(m));
    }
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}

/** Batch predictions on compute threads. */
export class WorkerThreadBatchRunner implements BatchRunner {
  readonly #pool: ThreadPool;

  constructor(pool?: PoolOrOptions) {
    this.#pool = poolOf(pool);
  }

  async run(request: BatchRunRequest, hooks: { onProgress?(fraction: number): void } = {}): Promise<BatchRunResult> {
    try {
      return await this.#pool.run({ kind: 'batch', request }, { onProgress: (f) => hooks.onProgress?.(f) });
    } catch (err) {
      if (err instanceof ThreadTaskError && err.error.code === THREAD_ERROR_CODES.invalidRequest) {
        throw new BatchFailed(err.error.detail === undefined ? err.message : `${err.message}: ${err.error.detail}`);
      }
      throw userFacing(err, (m) => new BatchFailed(m));
    }
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}

/** Retrain comparisons on compute threads. */
export class WorkerThreadComparisonRunner implements ComparisonRunner {
  readonly #pool: ThreadPool;

  constructor(pool?: PoolOrOptions) {
    this.#pool = poolOf(pool);
  }

  async compare(request: ComparisonRequest): Promise<readonly ResultFile[]> {
    try {
      return await this.#pool.run({ kind: 'compare', ...request });
    } catch (err) {
      throw userFacing(err, (m) => new ComparisonFailed(m));
    }
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}

/** Costly inference requests on compute threads; the documented InferenceError comes back as one. */
export class WorkerThreadInferenceRunner implements InferenceRunner {
  readonly #pool: ThreadPool;

  constructor(pool?: PoolOrOptions) {
    this.#pool = poolOf(pool);
  }

  /** Starts `n` threads ahead of the first large request (loads AutoML in them). */
  warm(n = 1): void {
    this.#pool.warm(n);
  }

  async infer(request: InferenceRunRequest): Promise<InferenceTaskResult> {
    const bytes = request.body.kind === 'json' ? request.body.bytes : null;
    // A body that owns its whole ArrayBuffer moves to the thread instead of being copied.
    const transfer = bytes !== null && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? [bytes.buffer] : [];
    try {
      return await this.#pool.run({ kind: 'infer', ...request }, { transfer });
    } catch (err) {
      if (err instanceof ThreadTaskError && err.error.code === THREAD_ERROR_CODES.invalidRequest) throw new InferenceError('invalidRequest', err.error.detail ?? null);
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}
