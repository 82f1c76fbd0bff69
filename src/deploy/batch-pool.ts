/**
 * BatchRunner on one worker thread per run (reused between runs), started with the same tsx
 * bootstrap as the training threads (compute/worker-pool.ts) so it works under tsx and compiled.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { fromWire } from '../domain/errors.js';
import type { BatchRunner, BatchRunRequest, BatchRunResult } from './batch-runner.js';
import type { FromBatchWorker, ToBatchWorker } from './batch-worker.js';

const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const { entry, tsxApi } = workerData;
(tsxApi === null ? import(entry) : import(tsxApi).then((api) => api.tsImport(entry, entry)))
  .catch((err) => { console.error(err); process.exit(1); });
`;

function startWorker(): Worker {
  const here = import.meta.url;
  const isTs = here.endsWith('.ts');
  const entry = new URL(isTs ? './batch-worker.ts' : './batch-worker.js', here).href;
  const tsxApi = isTs ? pathToFileURL(join(dirname(createRequire(here).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href : null;
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { entry, tsxApi } });
  worker.unref();
  return worker;
}

export class WorkerThreadBatchRunner implements BatchRunner {
  readonly #idle: Worker[] = [];
  readonly #busy = new Set<Worker>();
  #closed = false;

  async run(request: BatchRunRequest, hooks: { onProgress?(fraction: number): void } = {}): Promise<BatchRunResult> {
    if (this.#closed) throw new Error('the batch runner is closed');
    const worker = this.#idle.pop() ?? startWorker();
    this.#busy.add(worker);
    try {
      const result = await new Promise<BatchRunResult>((resolve, reject) => {
        const onMessage = (m: FromBatchWorker) => {
          if (m.type === 'ready') worker.postMessage({ type: 'run', request } satisfies ToBatchWorker);
          else if (m.type === 'progress') hooks.onProgress?.(m.fraction);
          else {
            cleanup();
            if (m.type === 'done') resolve(m.result);
            else reject(fromWire(m.error));
          }
        };
        const onError = (err: Error) => {
          cleanup();
          reject(err);
        };
        const onExit = (code: number) => {
          cleanup();
          reject(new Error(`the batch thread exited with code ${code}`));
        };
        const cleanup = () => {
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
        };
        worker.on('message', onMessage);
        worker.once('error', onError);
        worker.once('exit', onExit);
        // A reused thread already said 'ready': start at once.
        if ((worker as Worker & { __ready?: boolean }).__ready) worker.postMessage({ type: 'run', request } satisfies ToBatchWorker);
      });
      (worker as Worker & { __ready?: boolean }).__ready = true;
      this.#busy.delete(worker);
      if (!this.#closed) this.#idle.push(worker);
      return result;
    } catch (err) {
      this.#busy.delete(worker);
      await worker.terminate();
      throw err;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#idle, ...this.#busy].map((w) => w.terminate()));
    this.#idle.length = 0;
  }
}
