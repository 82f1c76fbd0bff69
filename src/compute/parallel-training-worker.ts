/**
 * Tree-growth worker: waits on the shared control block and runs its share of each task with the
 * engine's kernels (binned columns, histogram (chunk, feature group) parts, split-search feature
 * groups, partition blocks, gradient and packing row blocks, score-update row ranges), claiming items
 * one at a time from a shared counter.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import {
  addValueToRows,
  binNumericColumnOfTask,
  buildHistogramPart,
  createObjective,
  emptySplit,
  histogramChunkCount,
  packGradients,
  partitionBlock,
  partitionBlockStart,
  placePartitionBlock,
  type BinnedDataset,
  type HistogramTask,
  type NumericBinningTask,
  type Objective,
  type PartitionBuffers,
  type SplitParams,
  type SplitSearchTask,
} from '../engine/index.js';
import {
  CMD_ADD_LEAF_VALUES,
  CMD_BIN,
  CMD_BUILD,
  CMD_EXIT,
  CMD_GRADIENTS,
  CMD_PACK,
  CMD_SEARCH,
  CMD_PARTITION_PLACE,
  CMD_PARTITION_SPLIT,
  CTRL,
  F64,
  MAX_PARTITION_BLOCKS,
  gradientBlockBounds,
  searchSplitGroup,
  FeatureGroups,
  readQuantization,
} from './parallel-training-protocol.js';
import type { SharedArrayRef, WorkerInit, WorkerMessage } from './parallel-training-protocol.js';

const init = workerData as WorkerInit & { port: MessagePort };
const { part, nParts, port } = init;
const ctrl = new Int32Array(init.control);
const shared64 = new Float64Array(init.shared64);
const goesLeft = new Uint8Array(init.goesLeft);
const blockTable = new Int32Array(init.blockTable);
const buffers = new Map<number, SharedArrayBuffer>();
let data: BinnedDataset | null = null;
let partitionBuffers: PartitionBuffers | null = null;
let objective: Objective | null = null;
/** Feature groups of the current histogram build or split search. */
const groups = new FeatureGroups();
/** The announced split search settings, and this thread's split scratch. */
let splitParams: SplitParams | null = null;
const searchScratch = emptySplit();
/** The announced binning task and where its results go. */
let binning: { task: NumericBinningTask; bounds: Float64Array; boundCounts: Int32Array; stride: number } | null = null;

function drain(): void {
  for (;;) {
    const m = receiveMessageOnPort(port);
    if (m === undefined) return;
    const msg = m.message as WorkerMessage;
    if (msg.type === 'register') buffers.set(msg.id, msg.buffer);
    else if (msg.type === 'reset') {
      buffers.clear();
      data = null;
      partitionBuffers = null;
      objective = null;
    } else if (msg.type === 'unregister') {
      for (const id of msg.ids) buffers.delete(id);
      binning = null;
    } else if (msg.type === 'binning') {
      const ref = <T>(r: SharedArrayRef, make: (b: SharedArrayBuffer, offset: number, length: number) => T): T => make(buffers.get(r[0])!, r[1], r[2]);
      binning = {
        task: {
          values: msg.values.map((r) => ref(r, (b, o, l) => new Float64Array(b, o, l))),
          colStarts: msg.colStarts,
          sample: ref(msg.sample, (b, o, l) => new Uint32Array(b, o, l)),
          maxBin: msg.maxBin,
          bins: ref(msg.bins, (b, o, l) => new Uint8Array(b, o, l)),
        },
        bounds: ref(msg.bounds, (b, o, l) => new Float64Array(b, o, l)),
        boundCounts: ref(msg.boundCounts, (b, o, l) => new Int32Array(b, o, l)),
        stride: msg.maxBin + 1,
      };
    } else if (msg.type === 'objective') {
      objective = createObjective(msg.spec.params, msg.spec.hasWeights);
    } else if (msg.type === 'split-params') {
      splitParams = msg.params;
    } else if (msg.type === 'partition-buffers') {
      const u32 = (r: SharedArrayRef): Uint32Array => new Uint32Array(buffers.get(r[0])!, r[1], r[2]);
      partitionBuffers = { indices: u32(msg.indices), leftScratch: u32(msg.leftScratch), rightScratch: u32(msg.rightScratch) };
    } else {
      const bins = new Uint8Array(buffers.get(msg.binsId)!, msg.binsOffset, msg.nSamples * msg.nFeatures);
      data = {
        nSamples: msg.nSamples,
        nFeatures: msg.nFeatures,
        bins,
        nBins: new Int32Array(0),
        binOffsets: msg.binOffsets,
        totalBins: msg.totalBins,
        isCategorical: msg.isCategorical,
        mappers: [],
      };
    }
  }
}

function view<T>(make: (b: SharedArrayBuffer, offset: number) => T, idSlot: number, offsetSlot: number): T {
  return make(buffers.get(ctrl[idSlot]!)!, ctrl[offsetSlot]!);
}

function histogramTask(): HistogramTask {
  const hessId = ctrl[CTRL.HESS_ID]!;
  const indicesId = ctrl[CTRL.INDICES_ID]!;
  return {
    features: view((b, o) => new Int32Array(b, o), CTRL.FEATURES_ID, CTRL.FEATURES_OFFSET),
    nTaskFeatures: ctrl[CTRL.N_TASK_FEATURES]!,
    indices: indicesId < 0 ? null : view((b, o) => new Uint32Array(b, o), CTRL.INDICES_ID, CTRL.INDICES_OFFSET),
    start: ctrl[CTRL.START]!,
    count: ctrl[CTRL.COUNT]!,
    gradients: view((b, o) => new Float32Array(b, o), CTRL.GRAD_ID, CTRL.GRAD_OFFSET),
    hessians: hessId < 0 ? null : view((b, o) => new Float32Array(b, o), CTRL.HESS_ID, CTRL.HESS_OFFSET),
    constantHessian: shared64[F64.CONSTANT_HESSIAN]!,
    hist: view((b, o) => new Float64Array(b, o), CTRL.HIST_ID, CTRL.HIST_OFFSET),
    histLength: ctrl[CTRL.HIST_LENGTH]!,
    partials: view((b, o) => new Float64Array(b, o), CTRL.PARTIALS_ID, CTRL.PARTIALS_OFFSET),
    packed: ctrl[CTRL.PACKED_ID]! < 0 ? null : view((b, o) => new Int32Array(b, o), CTRL.PACKED_ID, CTRL.PACKED_OFFSET),
    quantization: readQuantization(shared64),
    packedSums: view((b, o) => new Float64Array(b, o), CTRL.PACKED_SUMS_ID, CTRL.PACKED_SUMS_OFFSET),
  };
}

/** The current CMD_SEARCH task (its `out` is unused here: groups write records). */
function splitSearchTask(): SplitSearchTask {
  const f64 = (id: number, offset: number): Float64Array => view((b, o) => new Float64Array(b, o), id, offset);
  const nNodes = ctrl[CTRL.SEARCH_N_NODES]!;
  const nodes = [];
  for (let k = 0; k < nNodes; k++) {
    nodes.push({
      hist: f64(k === 0 ? CTRL.NODE0_HIST_ID : CTRL.NODE1_HIST_ID, k === 0 ? CTRL.NODE0_HIST_OFFSET : CTRL.NODE1_HIST_OFFSET),
      sums: { sumGrad: shared64[F64.NODE_SUMS + 3 * k]!, sumHess: shared64[F64.NODE_SUMS + 3 * k + 1]!, count: shared64[F64.NODE_SUMS + 3 * k + 2]! },
    });
  }
  return {
    features: view((b, o) => new Int32Array(b, o), CTRL.FEATURES_ID, CTRL.FEATURES_OFFSET),
    nTaskFeatures: ctrl[CTRL.N_TASK_FEATURES]!,
    subtract:
      ctrl[CTRL.PARENT_HIST_ID]! < 0
        ? null
        : { parent: f64(CTRL.PARENT_HIST_ID, CTRL.PARENT_HIST_OFFSET), small: f64(CTRL.SMALL_HIST_ID, CTRL.SMALL_HIST_OFFSET) },
    nodes,
    params: splitParams!,
    out: [],
  };
}

/** Runs item `item` of the current task. */
type ItemRunner = (item: number) => void;

function runnerFor(cmd: number): ItemRunner {
  const d = data!;
  if (cmd === CMD_BUILD) {
    const task = histogramTask();
    groups.cut(task.nTaskFeatures, histogramChunkCount(task.indices === null ? d.nSamples : task.count), nParts);
    const { bounds, count: nGroups } = groups;
    return (item) => {
      const g = item % nGroups;
      buildHistogramPart(d, task, (item - g) / nGroups, bounds[g]!, bounds[g + 1]!);
    };
  }
  if (cmd === CMD_BIN) {
    const job = binning!;
    return (k) => {
      const upperBounds = binNumericColumnOfTask(job.task, k).upperBounds;
      job.bounds.set(upperBounds, k * job.stride);
      job.boundCounts[k] = upperBounds.length;
    };
  }
  if (cmd === CMD_ADD_LEAF_VALUES) {
    const indices = view((b, o) => new Uint32Array(b, o), CTRL.INDICES_ID, CTRL.INDICES_OFFSET);
    const raw = view((b, o) => new Float64Array(b, o, ctrl[CTRL.N_ROWS]!), CTRL.RAW_ID, CTRL.RAW_OFFSET);
    const ranges = view((b, o) => new Float64Array(b, o, 3 * ctrl[CTRL.N_ITEMS]!), CTRL.RANGES_ID, CTRL.RANGES_OFFSET);
    return (r) => addValueToRows(indices, ranges[3 * r]!, ranges[3 * r + 1]!, ranges[3 * r + 2]!, raw);
  }
  if (cmd === CMD_SEARCH) {
    const task = splitSearchTask();
    groups.cut(task.nTaskFeatures, 1, nParts);
    const bounds = groups.bounds;
    const records = view((b, o) => new Float64Array(b, o), CTRL.RECORDS_ID, CTRL.RECORDS_OFFSET);
    const masks = view((b, o) => new Uint8Array(b, o), CTRL.MASKS_ID, CTRL.MASKS_OFFSET);
    return (g) => searchSplitGroup(d, task, bounds[g]!, bounds[g + 1]!, g, records, masks, searchScratch);
  }
  if (cmd === CMD_PACK) {
    const n = ctrl[CTRL.N_ROWS]!;
    const gradients = view((b, o) => new Float32Array(b, o, n), CTRL.GRAD_ID, CTRL.GRAD_OFFSET);
    const hessians = ctrl[CTRL.HESS_ID]! < 0 ? null : view((b, o) => new Float32Array(b, o, n), CTRL.HESS_ID, CTRL.HESS_OFFSET);
    const blockRows = ctrl[CTRL.GRADIENT_BLOCK_ROWS]!;
    const packed = view((b, o) => new Int32Array(b, o, n), CTRL.PACKED_ID, CTRL.PACKED_OFFSET);
    const q = readQuantization(shared64);
    const key = ctrl[CTRL.PACK_KEY]!;
    return (b) => packGradients(gradients, hessians, q, key, b * blockRows, Math.min(n, (b + 1) * blockRows), packed);
  }
  if (cmd === CMD_GRADIENTS) {
    const obj = objective!;
    const n = ctrl[CTRL.N_ROWS]!;
    const k = obj.nOutputs;
    const raw = view((b, o) => new Float64Array(b, o, n * k), CTRL.RAW_ID, CTRL.RAW_OFFSET);
    const labels = view((b, o) => new Float64Array(b, o, n), CTRL.LABELS_ID, CTRL.LABELS_OFFSET);
    const weights = ctrl[CTRL.WEIGHTS_ID]! < 0 ? undefined : view((b, o) => new Float64Array(b, o, n), CTRL.WEIGHTS_ID, CTRL.WEIGHTS_OFFSET);
    const grad = view((b, o) => new Float32Array(b, o, n * k), CTRL.GRAD_ID, CTRL.GRAD_OFFSET);
    const hess = view((b, o) => new Float32Array(b, o, n * k), CTRL.HESS_ID, CTRL.HESS_OFFSET);
    const blockRows = ctrl[CTRL.GRADIENT_BLOCK_ROWS]!;
    const table = ctrl[CTRL.BOUNDS_ID]! < 0 ? null : view((b, o) => new Float64Array(b, o, 2 * k * ctrl[CTRL.N_ITEMS]!), CTRL.BOUNDS_ID, CTRL.BOUNDS_OFFSET);
    return (b) => {
      const from = b * blockRows;
      const to = Math.min(n, from + blockRows);
      obj.gradients(raw, labels, weights, grad, hess, from, to);
      if (table !== null) gradientBlockBounds(grad, hess, n, k, from, to, table, b);
    };
  }
  const buf = partitionBuffers!;
  const start = ctrl[CTRL.START]!;
  const count = ctrl[CTRL.COUNT]!;
  const nBlocks = ctrl[CTRL.N_ITEMS]!;
  if (cmd === CMD_PARTITION_SPLIT) {
    const colStart = ctrl[CTRL.SPLIT_FEATURE]! * d.nSamples;
    return (b) => {
      const bs = partitionBlockStart(start, count, nBlocks, b);
      const be = partitionBlockStart(start, count, nBlocks, b + 1);
      blockTable[b] = partitionBlock(buf, bs, be, d.bins, colStart, goesLeft);
    };
  }
  if (cmd === CMD_PARTITION_PLACE) {
    return (b) => {
      const bs = partitionBlockStart(start, count, nBlocks, b);
      const be = partitionBlockStart(start, count, nBlocks, b + 1);
      placePartitionBlock(buf, bs, be, blockTable[b]!, blockTable[MAX_PARTITION_BLOCKS + b]!, blockTable[2 * MAX_PARTITION_BLOCKS + b]!);
    };
  }
  throw new Error(`unknown command ${cmd}`);
}

Atomics.store(ctrl, CTRL.READY + part, 1);
Atomics.notify(ctrl, CTRL.READY + part);
let lastSeq = 0;
/** Checks of the task counter before a worker sleeps (about 50 µs). */
const SPIN_CHECKS = 10_000;
for (;;) {
  // Spin briefly before sleeping: the trainer's next task usually comes within microseconds, and a
  // futex wake-up costs tens of them (thousands of tasks per training).
  for (let k = 0; k < SPIN_CHECKS && Atomics.load(ctrl, CTRL.SEQ) === lastSeq; k++);
  Atomics.wait(ctrl, CTRL.SEQ, lastSeq);
  lastSeq = Atomics.load(ctrl, CTRL.SEQ);
  const cmd = Atomics.load(ctrl, CTRL.CMD);
  if (cmd === CMD_EXIT) break;
  try {
    drain();
    const run = runnerFor(cmd);
    const nItems = ctrl[CTRL.N_ITEMS]!;
    for (;;) {
      const item = Atomics.add(ctrl, CTRL.NEXT_ITEM, 1);
      if (item >= nItems) break;
      run(item);
    }
  } catch (err) {
    Atomics.store(ctrl, CTRL.ERROR, part);
    parentPort?.postMessage({ type: 'error', message: err instanceof Error ? err.stack : String(err) });
  }
  Atomics.add(ctrl, CTRL.DONE, 1);
  Atomics.notify(ctrl, CTRL.DONE);
}
port.close();
