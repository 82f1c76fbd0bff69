/**
 * Feature-parallel histogram building on worker_threads and SharedArrayBuffers.
 *
 * Every buffer a build reads or writes is allocated here on a SharedArrayBuffer and announced to the
 * workers once. A build is a synchronous rendezvous: the trainer thread writes the task into a shared
 * control block, wakes the workers with Atomics.notify, and then every thread (the trainer included)
 * claims features one at a time from a shared counter until none are left; the trainer Atomics.waits
 * for the others to finish. Whichever thread builds a feature, its sums run over the samples in the
 * same order as in the single-threaded builder, so the model is identical for every thread count.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { BinnedDataset } from '../engine/data/binned-dataset.js';
import type { HistogramParallelism, HistogramTask } from '../engine/tree/histogram.js';
import { buildHistogramOfTaskFeature, buildHistogramsPart } from '../engine/tree/histogram.js';
import { CMD_BUILD, CMD_EXIT, CTRL, CTRL_LENGTH } from './parallel-histograms-protocol.js';
import type { WorkerMessage } from './parallel-histograms-protocol.js';

/** Tasks with fewer (samples × features) than this run on the trainer thread alone: waking workers costs more. */
const MIN_PARALLEL_WORK = 40_000;
/** How long the first task waits for workers to start (module loading under tsx takes a while). */
const WORKER_START_TIMEOUT_MS = 60_000;

export interface ParallelHistograms extends HistogramParallelism {
  /** Stops the workers; the object must not be used afterwards. */
  close(): Promise<void>;
}

/** The worker module next to this file: .ts under tsx / vitest, .js in a compiled build. */
function workerEntry(): string {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? './parallel-histograms-worker.ts' : './parallel-histograms-worker.js', here).href;
}

/**
 * @param nThreads total threads including the calling one (nThreads - 1 workers are started)
 * @example
 *   const parallel = createParallelHistograms(2);
 *   try { model = trainGbdt(train, params, { parallel }); } finally { await parallel.close(); }
 */
export function createParallelHistograms(nThreads: number): ParallelHistograms {
  if (!Number.isInteger(nThreads) || nThreads < 1 || nThreads > 256) {
    throw new RangeError(`nThreads must be an integer in [1, 256], got ${nThreads}`);
  }
  const controlBuffer = new SharedArrayBuffer(CTRL_LENGTH * 4);
  const ctrl = new Int32Array(controlBuffer);
  const constHessianBuffer = new SharedArrayBuffer(8);
  const constH = new Float64Array(constHessianBuffer);
  const nWorkers = nThreads - 1;
  const ports: MessagePort[] = [];
  const workers: Worker[] = [];
  const errors: string[] = [];
  const entry = workerEntry();
  const bootstrap = new URL('./parallel-histograms-bootstrap.mjs', import.meta.url);
  for (let t = 1; t <= nWorkers; t++) {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(bootstrap, {
      workerData: { entry, control: controlBuffer, constHessian: constHessianBuffer, part: t, nParts: nThreads, port: port2 },
      transferList: [port2],
    });
    worker.on('message', (m: { type: string; message: string }) => errors.push(m.message));
    worker.on('error', (e) => errors.push(String(e)));
    worker.unref();
    ports.push(port1);
    workers.push(worker);
  }

  const ids = new WeakMap<ArrayBufferLike, number>();
  let nextId = 0;
  let data: BinnedDataset | null = null;
  let closed = false;
  const send = (msg: WorkerMessage): void => {
    for (const p of ports) p.postMessage(msg);
  };
  const register = (buffer: SharedArrayBuffer): void => {
    const id = nextId++;
    ids.set(buffer, id);
    send({ type: 'register', id, buffer });
  };
  const idOf = (a: ArrayBufferView): number => {
    const id = ids.get(a.buffer);
    if (id === undefined) throw new TypeError('parallel histograms: array was not allocated by this builder');
    return id;
  };
  function alloc<T>(make: (b: SharedArrayBuffer) => T, bytes: number): T {
    if (nWorkers === 0) return make(new SharedArrayBuffer(bytes));
    const b = new SharedArrayBuffer(Math.max(bytes, 8));
    register(b);
    return make(b);
  }
  let workersReady = false;
  const waitForWorkers = (): void => {
    for (let t = 1; t <= nWorkers; t++) {
      const r = Atomics.wait(ctrl, CTRL.READY + t, 0, WORKER_START_TIMEOUT_MS);
      if (r === 'timed-out') throw new Error(`histogram worker ${t} did not start within ${WORKER_START_TIMEOUT_MS} ms`);
    }
    workersReady = true;
  };

  return {
    nThreads,
    allocUint8: (n) => alloc((b) => new Uint8Array(b, 0, n), n),
    allocUint32: (n) => alloc((b) => new Uint32Array(b, 0, n), n * 4),
    allocInt32: (n) => alloc((b) => new Int32Array(b, 0, n), n * 4),
    allocFloat32: (n) => alloc((b) => new Float32Array(b, 0, n), n * 4),
    allocFloat64: (n) => alloc((b) => new Float64Array(b, 0, n), n * 8),
    attach(d) {
      data = d;
      if (nWorkers === 0) return;
      send({
        type: 'attach',
        binsId: idOf(d.bins),
        binsOffset: d.bins.byteOffset,
        nSamples: d.nSamples,
        nFeatures: d.nFeatures,
        binOffsets: d.binOffsets,
        totalBins: d.totalBins,
      });
    },
    buildHistograms(task: HistogramTask) {
      const d = data!;
      const samples = task.indices === null ? d.nSamples : task.count;
      if (nWorkers === 0 || task.nTaskFeatures < 2 || samples * task.nTaskFeatures < MIN_PARALLEL_WORK) {
        buildHistogramsPart(d, task, 0, 1);
        return;
      }
      if (closed) throw new Error('parallel histograms: used after close()');
      if (!workersReady) waitForWorkers();
      ctrl[CTRL.CMD] = CMD_BUILD;
      ctrl[CTRL.N_TASK_FEATURES] = task.nTaskFeatures;
      ctrl[CTRL.FEATURES_ID] = idOf(task.features);
      ctrl[CTRL.FEATURES_OFFSET] = task.features.byteOffset;
      ctrl[CTRL.INDICES_ID] = task.indices === null ? -1 : idOf(task.indices);
      ctrl[CTRL.INDICES_OFFSET] = task.indices === null ? 0 : task.indices.byteOffset;
      ctrl[CTRL.START] = task.start;
      ctrl[CTRL.COUNT] = task.count;
      ctrl[CTRL.GRAD_ID] = idOf(task.gradients);
      ctrl[CTRL.GRAD_OFFSET] = task.gradients.byteOffset;
      ctrl[CTRL.HESS_ID] = task.hessians === null ? -1 : idOf(task.hessians);
      ctrl[CTRL.HESS_OFFSET] = task.hessians === null ? 0 : task.hessians.byteOffset;
      ctrl[CTRL.HIST_ID] = idOf(task.hist);
      ctrl[CTRL.HIST_OFFSET] = task.hist.byteOffset;
      constH[0] = task.constantHessian;
      Atomics.store(ctrl, CTRL.ERROR, 0);
      Atomics.store(ctrl, CTRL.DONE, 0);
      Atomics.store(ctrl, CTRL.NEXT_FEATURE, 0);
      Atomics.add(ctrl, CTRL.SEQ, 1);
      Atomics.notify(ctrl, CTRL.SEQ);
      for (;;) {
        const j = Atomics.add(ctrl, CTRL.NEXT_FEATURE, 1);
        if (j >= task.nTaskFeatures) break;
        buildHistogramOfTaskFeature(d, task, j);
      }
      for (;;) {
        const done = Atomics.load(ctrl, CTRL.DONE);
        if (done >= nWorkers) break;
        Atomics.wait(ctrl, CTRL.DONE, done);
      }
      if (Atomics.load(ctrl, CTRL.ERROR) !== 0) {
        throw new Error(`histogram worker ${Atomics.load(ctrl, CTRL.ERROR)} failed${errors.length > 0 ? `: ${errors[0]}` : ''}`);
      }
    },
    detach() {
      data = null;
      if (nWorkers > 0) send({ type: 'reset' });
    },
    async close() {
      if (closed) return;
      closed = true;
      ctrl[CTRL.CMD] = CMD_EXIT;
      Atomics.add(ctrl, CTRL.SEQ, 1);
      Atomics.notify(ctrl, CTRL.SEQ);
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve) => {
              // Workers are unref'd while idle; hold the event loop open until each has exited.
              w.ref();
              // A worker that never started has no loop to see CMD_EXIT.
              const timer = setTimeout(() => void w.terminate(), 5_000);
              w.once('exit', () => {
                clearTimeout(timer);
                resolve();
              });
            }),
        ),
      );
      for (const p of ports) p.close();
    },
  };
}
