/**
 * Histogram worker: waits on the shared control block and builds features of each task with the
 * engine's kernels, claiming them one at a time from a shared counter.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { buildHistogramOfTaskFeature } from '../engine/tree/histogram.js';
import type { BinnedDataset } from '../engine/data/binned-dataset.js';
import { CMD_EXIT, CTRL } from './parallel-histograms-protocol.js';
import type { WorkerInit, WorkerMessage } from './parallel-histograms-protocol.js';

const { control, constHessian, part, port } = workerData as WorkerInit & { port: MessagePort };
const ctrl = new Int32Array(control);
const constH = new Float64Array(constHessian);
const buffers = new Map<number, SharedArrayBuffer>();
let data: BinnedDataset | null = null;

function drain(): void {
  for (;;) {
    const m = receiveMessageOnPort(port);
    if (m === undefined) return;
    const msg = m.message as WorkerMessage;
    if (msg.type === 'register') buffers.set(msg.id, msg.buffer);
    else if (msg.type === 'reset') {
      buffers.clear();
      data = null;
    } else {
      const bins = new Uint8Array(buffers.get(msg.binsId)!, msg.binsOffset, msg.nSamples * msg.nFeatures);
      data = {
        nSamples: msg.nSamples,
        nFeatures: msg.nFeatures,
        bins,
        nBins: new Int32Array(0),
        binOffsets: msg.binOffsets,
        totalBins: msg.totalBins,
        isCategorical: new Uint8Array(0),
        mappers: [],
      };
    }
  }
}

function view<T>(make: (b: SharedArrayBuffer, offset: number) => T, idSlot: number, offsetSlot: number): T {
  return make(buffers.get(ctrl[idSlot]!)!, ctrl[offsetSlot]!);
}

Atomics.store(ctrl, CTRL.READY + part, 1);
Atomics.notify(ctrl, CTRL.READY + part);
let lastSeq = 0;
for (;;) {
  Atomics.wait(ctrl, CTRL.SEQ, lastSeq);
  lastSeq = Atomics.load(ctrl, CTRL.SEQ);
  if (Atomics.load(ctrl, CTRL.CMD) === CMD_EXIT) break;
  try {
    drain();
    const hessId = ctrl[CTRL.HESS_ID]!;
    const indicesId = ctrl[CTRL.INDICES_ID]!;
    const task = {
        features: view((b, o) => new Int32Array(b, o), CTRL.FEATURES_ID, CTRL.FEATURES_OFFSET),
        nTaskFeatures: ctrl[CTRL.N_TASK_FEATURES]!,
        indices: indicesId < 0 ? null : view((b, o) => new Uint32Array(b, o), CTRL.INDICES_ID, CTRL.INDICES_OFFSET),
        start: ctrl[CTRL.START]!,
        count: ctrl[CTRL.COUNT]!,
        gradients: view((b, o) => new Float32Array(b, o), CTRL.GRAD_ID, CTRL.GRAD_OFFSET),
        hessians: hessId < 0 ? null : view((b, o) => new Float32Array(b, o), CTRL.HESS_ID, CTRL.HESS_OFFSET),
        constantHessian: constH[0]!,
        hist: view((b, o) => new Float64Array(b, o), CTRL.HIST_ID, CTRL.HIST_OFFSET),
      };
    for (;;) {
      const j = Atomics.add(ctrl, CTRL.NEXT_FEATURE, 1);
      if (j >= task.nTaskFeatures) break;
      buildHistogramOfTaskFeature(data!, task, j);
    }
  } catch (err) {
    Atomics.store(ctrl, CTRL.ERROR, part);
    parentPort?.postMessage({ type: 'error', message: err instanceof Error ? err.stack : String(err) });
  }
  Atomics.add(ctrl, CTRL.DONE, 1);
  Atomics.notify(ctrl, CTRL.DONE);
}
port.close();
