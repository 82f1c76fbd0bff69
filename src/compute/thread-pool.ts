/**
 * The one pool of compute threads (worker_threads) of the service: trainings, batch predictions,
 * retrain comparisons and costly inference requests all run here, off the HTTP event loop. Every
 * thread starts from the same entry (thread-worker.ts via thread-bootstrap.mjs) and can run any
 * task kind, one at a time; it is kept for the next task, because loading AutoML takes seconds.
 * A thread that crashes or fails to start is discarded and replaced on demand.
 *
 * main.ts makes two pools of this class: one for the job slots (trainings, batches, comparisons;
 * at most TRAINING_WORKERS at once anyway) and one for inference (INFERENCE_THREADS), so that a
 * training never delays a prediction. Beyond `maxThreads` busy threads, tasks wait in order.
 */
import { Worker } from 'node:worker_threads';
import { fromWire } from '../domain/errors.js';
import type { ComputeKind, ComputeResults, ComputeTask, ComputeThreadData, FromThread, ToThread } from './thread-protocol.js';

/** The thread running a task died (crashed, exited) or could not start: an internal failure. */
export class ThreadDied extends Error {
  override readonly name = 'ThreadDied';
}

/** A failure the thread reported (`fromWire` of its message); the thread stays usable. */
class Reported {
  constructor(readonly error: Error) {}
}

/** The pool was closed (the server is stopping) before or while the task ran. */
export class ThreadPoolClosed extends Error {
  override readonly name = 'ThreadPoolClosed';
}

export interface ThreadPoolOptions {
  /** Most threads alive at once; further tasks wait in order (default: no limit). */
  readonly maxThreads?: number;
  /** Threads each training uses for the GBDT trainer (default 1). Models do not depend on it. */
  readonly threadsPerTraining?: number;
}

export interface RunHooks {
  onProgress?(fraction: number, phase: string): void;
  /** ArrayBuffers moved (not copied) to the thread with the task; unusable here afterwards. */
  readonly transfer?: readonly ArrayBuffer[];
}

interface Thread {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  /** Set when the thread exited; an exited thread is never handed a task. */
  exited: boolean;
}

/** The thread entry next to this file: .ts under tsx / vitest, .js in a compiled build. */
function threadEntry(): string {
  const here = new URL(import.meta.url);
  // The pathname, not the whole URL: a module loaded through tsx's API has a query string appended.
  return new URL(here.pathname.endsWith('.ts') ? './thread-worker.ts' : './thread-worker.js', here).href;
}

function startThread(threadsPerTraining: number): Thread {
  const workerData: ComputeThreadData = { entry: threadEntry(), threadsPerTraining };
  const worker = new Worker(new URL('./thread-bootstrap.mjs', import.meta.url), { workerData });
  const ready = new Promise<void>((resolve, reject) => {
    const onMessage = (m: FromThread) => {
      if (m.type !== 'ready') return;
      worker.off('message', onMessage);
      resolve();
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the compute thread exited with code ${code} while starting`)));
  });
  ready.catch(() => undefined); // observed by run(); an idle warm thread failing must not crash the process
  worker.unref(); // idle threads must not keep the process alive
  const thread: Thread = { worker, ready, exited: false };
  worker.once('exit', () => (thread.exited = true));
  return thread;
}

export class ThreadPool {
  readonly #maxThreads: number;
  readonly #threadsPerTraining: number;
  readonly #idle: Thread[] = [];
  readonly #busy = new Set<Thread>();
  /** Tasks waiting for a thread, oldest first. */
  readonly #waiting: (() => void)[] = [];
  #nextId = 1;
  #closing = false;

  constructor(options: ThreadPoolOptions = {}) {
    const max = options.maxThreads ?? Number.POSITIVE_INFINITY;
    if (!(max >= 1)) throw new RangeError(`maxThreads must be at least 1, got ${max}`);
    const n = options.threadsPerTraining ?? 1;
    if (!Number.isInteger(n) || n < 1 || n > 256) throw new RangeError(`threadsPerTraining must be an integer in [1, 256], got ${n}`);
    this.#maxThreads = max;
    this.#threadsPerTraining = n;
  }

  /** Threads alive now (busy + idle). */
  get size(): number {
    return this.#busy.size + this.#idle.length;
  }

  /** Starts threads ahead of the first task (up to `n`, within `maxThreads`). */
  warm(n = 1): void {
    while (!this.#closing && this.#idle.length < n && this.size < this.#maxThreads) this.#idle.push(startThread(this.#threadsPerTraining));
  }

  /**
   * Runs one task in a thread. Rejects with the task's own error (an AppError for what the user can
   * fix, a plain Error otherwise), ThreadDied, or ThreadPoolClosed.
   */
  async run<K extends ComputeKind>(task: Extract<ComputeTask, { kind: K }>, hooks: RunHooks = {}): Promise<ComputeResults[K]> {
    const thread = await this.#acquire();
    thread.worker.ref(); // a task in progress keeps the process alive
    let reusable = false;
    try {
      await thread.ready;
      const result = await this.#runOn(thread.worker, task, hooks);
      reusable = true;
      return result as ComputeResults[K];
    } catch (err) {
      // A failure the thread reported leaves it usable; a crash, a failed start or closing does not.
      reusable = err instanceof Reported && !thread.exited;
      if (this.#closing) throw new ThreadPoolClosed('the server is stopping');
      if (err instanceof Reported) throw err.error;
      if (err instanceof ThreadDied) throw err;
      throw new ThreadDied(err instanceof Error ? err.message : String(err));
    } finally {
      this.#busy.delete(thread);
      thread.worker.unref();
      if (reusable && !this.#closing) this.#idle.push(thread);
      else void thread.worker.terminate();
      this.#waiting.shift()?.();
    }
  }

  /** A thread for one task, already counted as busy (so concurrent callers never exceed maxThreads). */
  async #acquire(): Promise<Thread> {
    for (;;) {
      if (this.#closing) throw new ThreadPoolClosed('the server is stopping');
      let thread = this.#idle.pop();
      while (thread?.exited) thread = this.#idle.pop();
      if (thread === undefined && this.size < this.#maxThreads) thread = startThread(this.#threadsPerTraining);
      if (thread !== undefined) {
        this.#busy.add(thread);
        return thread;
      }
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
  }

  #runOn(worker: Worker, task: ComputeTask, hooks: RunHooks): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const crashed = (message: string) => new ThreadDied(message);
      const onMessage = (msg: FromThread) => {
        if (msg.type === 'ready' || msg.id !== id) return;
        if (msg.type === 'progress') hooks.onProgress?.(msg.fraction, msg.phase);
        else if (msg.type === 'done') {
          cleanup();
          resolve(msg.result);
        } else {
          cleanup();
          reject(new Reported(fromWire(msg.error)));
        }
      };
      const onError = (err: Error) => {
        cleanup();
        reject(crashed(`the compute thread failed: ${err.message}`));
      };
      const onExit = (code: number) => {
        cleanup();
        reject(crashed(`the compute thread exited with code ${code} before it finished`));
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ type: 'run', id, task } satisfies ToThread, [...(hooks.transfer ?? [])]);
    });
  }

  /** Stops every thread; running tasks reject with ThreadPoolClosed, waiting ones too. */
  async close(): Promise<void> {
    this.#closing = true;
    const all = [...this.#idle, ...this.#busy];
    this.#idle.length = 0;
    for (const wake of this.#waiting.splice(0)) wake();
    await Promise.all(all.map((t) => t.worker.terminate()));
  }
}
