/**
 * TrainingRunner on worker_threads. A thread runs one training at a time and is kept for the next
 * one: loading AutoML and its dependencies takes seconds, so threads are started ahead (`warm`)
 * and reused. A thread that crashes or fails to start is discarded; the next training gets a new
 * one. How many trainings run at once is decided by the job workers (main.ts), not here.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, fromWire } from '../domain/errors.js';
import { RunnerClosed, type TrainingHooks, type TrainingOutput, type TrainingRequest, type TrainingRunner } from './training-runner.js';
import type { FromWorker, ToWorker } from './training-worker.js';

/**
 * Node 20 does not apply `--import tsx` hooks to a worker's entry module, so under tsx (npm start,
 * vitest) the thread starts from a tiny CommonJS bootstrap that loads the TypeScript entry through
 * tsx's API. A compiled build (.js) imports the entry directly.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const { entry, tsxApi } = workerData;
(tsxApi === null ? import(entry) : import(tsxApi).then((api) => api.tsImport(entry, entry)))
  .catch((err) => { console.error(err); process.exit(1); });
`;

/** tsx's ESM API entry (its CommonJS twin cannot register hooks from inside a worker). */
function tsxEsmApiUrl(from: string): string {
  const pkg = createRequire(from).resolve('tsx/package.json');
  return pathToFileURL(join(dirname(pkg), 'dist/esm/api/index.mjs')).href;
}

/** A started thread and the promise that it finished loading. */
interface Thread {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  /** Set when the thread exited; an exited thread is never handed a training. */
  exited: boolean;
}

/** What a training thread is started with. */
export interface TrainingThreadData {
  readonly entry: string;
  readonly tsxApi: string | null;
  /** Threads for the GBDT trainer's parallel work within one training (1 = none started). */
  readonly threadsPerTraining: number;
}

function startThread(threadsPerTraining: number): Thread {
  const here = import.meta.url;
  const isTs = here.endsWith('.ts');
  const entry = new URL(isTs ? './training-worker.ts' : './training-worker.js', here).href;
  const workerData: TrainingThreadData = { entry, tsxApi: isTs ? tsxEsmApiUrl(here) : null, threadsPerTraining };
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData });
  const ready = new Promise<void>((resolve, reject) => {
    const onMessage = (m: FromWorker) => {
      if (m.type !== 'ready') return;
      worker.off('message', onMessage);
      resolve();
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the training thread exited with code ${code} while starting`)));
  });
  ready.catch(() => undefined); // observed by run(); an idle warm thread failing must not crash the process
  worker.unref(); // idle threads must not keep the process alive
  const thread: Thread = { worker, ready, exited: false };
  worker.once('exit', () => (thread.exited = true));
  return thread;
}

export interface WorkerThreadRunnerOptions {
  /**
   * Threads each training uses for the GBDT trainer's binning, histograms, partitions and gradients
   * (default 1). Models do not depend on it.
   */
  readonly threadsPerTraining?: number;
}

export class WorkerThreadRunner implements TrainingRunner {
  readonly #idle: Thread[] = [];
  readonly #busy = new Set<Thread>();
  readonly #threadsPerTraining: number;
  #closing = false;

  constructor(options: WorkerThreadRunnerOptions = {}) {
    const n = options.threadsPerTraining ?? 1;
    if (!Number.isInteger(n) || n < 1 || n > 256) throw new RangeError(`threadsPerTraining must be an integer in [1, 256], got ${n}`);
    this.#threadsPerTraining = n;
  }

  /** Starts `n` threads ahead of the first training. */
  warm(n = 1): void {
    while (this.#idle.length < n && !this.#closing) this.#idle.push(startThread(this.#threadsPerTraining));
  }

  async run(request: TrainingRequest, hooks: TrainingHooks = {}): Promise<TrainingOutput> {
    if (this.#closing) throw new RunnerClosed('the server is stopping');
    let thread = this.#idle.pop();
    while (thread?.exited) thread = this.#idle.pop();
    thread ??= startThread(this.#threadsPerTraining);
    this.#busy.add(thread);
    thread.worker.ref(); // a training in progress keeps the process alive
    try {
      await thread.ready;
      const output = await this.#train(thread.worker, request, hooks);
      this.#busy.delete(thread);
      if (this.#closing) void thread.worker.terminate();
      else this.#idle.push(thread);
      return output;
    } catch (err) {
      this.#busy.delete(thread);
      if (err instanceof AppError) {
        this.#idle.push(thread); // a clean, reported failure leaves the thread usable
      } else {
        void thread.worker.terminate();
      }
      if (this.#closing) throw new RunnerClosed('the server is stopping');
      throw err;
    }
  }

  #train(worker: Worker, request: TrainingRequest, hooks: TrainingHooks): Promise<TrainingOutput> {
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        worker.unref(); // idle again
      };
      const onMessage = (msg: FromWorker) => {
        if (msg.type === 'progress') hooks.onProgress?.(msg.fraction, msg.phase);
        else if (msg.type === 'done') {
          cleanup();
          resolve(msg.output);
        } else if (msg.type === 'failed') {
          cleanup();
          reject(fromWire(msg.error));
        }
      };
      const onError = (err: Error) => {
        cleanup();
        reject(err);
      };
      const onExit = (code: number) => {
        cleanup();
        reject(new Error(`the training thread exited with code ${code} before it finished`));
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ type: 'train', request } satisfies ToWorker);
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    const all = [...this.#idle, ...this.#busy];
    this.#idle.length = 0;
    await Promise.all(all.map((t) => t.worker.terminate()));
  }
}
