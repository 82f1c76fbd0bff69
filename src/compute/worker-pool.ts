/**
 * The ports' thread implementations, each over a ThreadPool (thread-pool.ts): trainings
 * (TrainingRunner), batch predictions (BatchRunner), retrain comparisons (ComparisonRunner) and
 * costly inference requests (InferenceRunner). A task's error comes back as the AppError it was in
 * the thread (or a plain Error when internal). main.ts shares one pool between the job kinds and
 * gives inference a pool of its own.
 */
import type { ResultFile } from '../automl/types.js';
import type { BatchRunner, BatchRunRequest, BatchRunResult } from './batch-runner.js';
import type { ComparisonRequest, ComparisonRunner } from './comparison-runner.js';
import type { InferenceTaskResult } from './inference-protocol.js';
import type { InferenceRunner, InferenceRunRequest } from './inference-runner.js';
import { ThreadPool, ThreadPoolClosed, type ThreadPoolOptions } from './thread-pool.js';
import { RunnerClosed, type TrainingHooks, type TrainingOutput, type TrainingRequest, type TrainingRunner } from './training-runner.js';

/** A pool to share (main.ts), or the options of a pool of one's own (tests). close() closes the pool. */
export type PoolOrOptions = ThreadPool | ThreadPoolOptions;

function poolOf(p: PoolOrOptions | undefined): ThreadPool {
  return p instanceof ThreadPool ? p : new ThreadPool(p ?? {});
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
      throw err;
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

  run(request: BatchRunRequest, hooks: { onProgress?(fraction: number): void } = {}): Promise<BatchRunResult> {
    return this.#pool.run({ kind: 'batch', request }, { onProgress: (f) => hooks.onProgress?.(f) });
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

  compare(request: ComparisonRequest): Promise<readonly ResultFile[]> {
    return this.#pool.run({ kind: 'compare', ...request });
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}

/** Costly inference requests on compute threads; the documented INFERENCE_INVALID_REQUEST comes back as one. */
export class WorkerThreadInferenceRunner implements InferenceRunner {
  readonly #pool: ThreadPool;

  constructor(pool?: PoolOrOptions) {
    this.#pool = poolOf(pool);
  }

  /** Starts `n` threads ahead of the first large request (loads AutoML in them). */
  warm(n = 1): void {
    this.#pool.warm(n);
  }

  infer(request: InferenceRunRequest): Promise<InferenceTaskResult> {
    const bytes = request.body.kind === 'json' ? request.body.bytes : null;
    // A body that owns its whole ArrayBuffer moves to the thread instead of being copied.
    const transfer =
      bytes !== null && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? [bytes.buffer] : [];
    return this.#pool.run({ kind: 'infer', ...request }, { transfer });
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}
