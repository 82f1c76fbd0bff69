/**
 * The GBDT trainer's parallel work on worker_threads and SharedArrayBuffers: column-parallel binning,
 * (row chunk, feature group)-parallel histogram builds, feature-group-parallel split search,
 * block-parallel partitions, and row-block-parallel gradients, gradient packing and score updates.
 *
 * Every buffer a task reads or writes is allocated here on a SharedArrayBuffer and announced to the
 * workers once. A task is a synchronous rendezvous: the trainer thread writes it into a shared control
 * block, wakes the workers with Atomics.notify, and then every thread (the trainer included) claims
 * items (columns, feature groups, blocks of rows) one at a time from a shared counter until none are
 * left; the trainer Atomics.waits for the others to finish. Whichever thread runs an item, it computes
 * exactly what the serial implementation (engine/tree/parallelism.ts) computes for it, so the model is
 * identical for every thread count.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import {
  SPLIT_MASK_LENGTH,
  SPLIT_RECORD_LENGTH,
  addValueToRows,
  binNumericColumnOfTask,
  binNumericColumnsSerial,
  buildHistogramPart,
  buildHistogramsSerial,
  emptySplit,
  gradientTaskBounds,
  histogramChunkCount,
  packGradients,
  packGradientsSerial,
  packTaskQuantization,
  partitionBlock,
  partitionBlockDestinations,
  partitionBlockStart,
  partitionSerial,
  placePartitionBlock,
  readSplitRecord,
  reduceHistogramChunks,
  resetSplit,
  splitSearchSerial,
  type BinnedDataset,
  type GradientQuantization,
  type GradientTask,
  type HistogramTask,
  type LeafValuesTask,
  type NumericBinMapper,
  type NumericBinningTask,
  type ObjectiveSpec,
  type PackTask,
  type PartitionBuffers,
  type PartitionTask,
  type SplitParams,
  type SplitSearchTask,
  type TrainingParallelism,
} from '../engine/index.js';
import {
  BLOCK_TABLE_LENGTH,
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
  CTRL_LENGTH,
  F64,
  gradientBlockBounds,
  searchSplitGroup,
  writeQuantization,
  MAX_PARTITION_BLOCKS,
  FeatureGroups,
} from './parallel-training-protocol.js';
import type { SharedArrayRef, WorkerMessage } from './parallel-training-protocol.js';

/** Tasks with fewer (samples × features) than this run on the trainer thread alone: waking workers costs more. */
const MIN_PARALLEL_WORK = 16_000;
/** Split searches over fewer histogram bins (all features × nodes) than this run on the trainer thread. */
const DEFAULT_SPLIT_SEARCH_MIN_BINS = 4096;
/** Binning tasks with fewer values (columns × rows) than this run on the trainer thread alone. */
const MIN_PARALLEL_BINNING_VALUES = 100_000;
/** Rows per partition block; smaller nodes are partitioned on the trainer thread alone. */
const DEFAULT_PARTITION_BLOCK_ROWS = 8_192;
/** Rows per block of a gradient computation; fewer than two blocks run on the trainer thread alone. */
const DEFAULT_GRADIENT_BLOCK_ROWS = 8_192;
/** Rows per item of a training-score update; updates of fewer than two items' rows stay on the trainer thread. */
const DEFAULT_SCORE_UPDATE_RANGE_ROWS = 8_192;
/** Checks of the done counter before the trainer sleeps (about 50 µs). */
const SPIN_CHECKS = 10_000;
/** How long the first task waits for workers to start (module loading under tsx takes a while). */
const WORKER_START_TIMEOUT_MS = 60_000;

export interface ParallelTraining extends TrainingParallelism {
  /**
   * Resolves once every worker has started, or rejects with the reason one could not. Optional: the
   * first task otherwise waits for the workers synchronously, but then a worker that fails to load is
   * only noticed when that wait times out (its error event cannot be delivered meanwhile).
   */
  ready(): Promise<void>;
  /** Stops the workers; the object must not be used afterwards. */
  close(): Promise<void>;
}

export interface ParallelTrainingOptions {
  /**
   * Rows per partition block (default 32,768): a node is split across threads when it has at least two
   * blocks. Tests lower it to exercise the blocked partition on small data; it never changes results.
   */
  readonly partitionBlockRows?: number;
  /** Rows per gradient block (default 65,536), likewise. */
  readonly gradientBlockRows?: number;
  /** Rows per range of a training-score update (default 8,192), likewise. */
  readonly scoreUpdateRangeRows?: number;
  /** Split searches over fewer histogram bins (features × nodes) run on the trainer alone (default 4,096), likewise. */
  readonly splitSearchMinBins?: number;
}

/** The worker module next to this file: .ts under tsx / vitest, .js in a compiled build. */
function workerEntry(): string {
  const here = new URL(import.meta.url);
  // The pathname, not the whole URL: a module loaded through tsx's API has a query string appended.
  return new URL(here.pathname.endsWith('.ts') ? './parallel-training-worker.ts' : './parallel-training-worker.js', here).href;
}

/**
 * @param nThreads total threads including the calling one (nThreads - 1 workers are started)
 * @example
 *   const parallel = createParallelTraining(2);
 *   try { model = trainGbdt(train, params, { parallel }); } finally { await parallel.close(); }
 */
export function createParallelTraining(nThreads: number, options: ParallelTrainingOptions = {}): ParallelTraining {
  if (!Number.isInteger(nThreads) || nThreads < 1 || nThreads > 256) {
    throw new RangeError(`nThreads must be an integer in [1, 256], got ${nThreads}`);
  }
  const blockRows = options.partitionBlockRows ?? DEFAULT_PARTITION_BLOCK_ROWS;
  if (!Number.isInteger(blockRows) || blockRows < 1) throw new RangeError(`partitionBlockRows must be an integer ≥ 1, got ${blockRows}`);
  const gradientBlockRows = options.gradientBlockRows ?? DEFAULT_GRADIENT_BLOCK_ROWS;
  const rangeRows = options.scoreUpdateRangeRows ?? DEFAULT_SCORE_UPDATE_RANGE_ROWS;
  const splitSearchMinBins = options.splitSearchMinBins ?? DEFAULT_SPLIT_SEARCH_MIN_BINS;
  for (const [name, v] of [
    ['gradientBlockRows', gradientBlockRows],
    ['scoreUpdateRangeRows', rangeRows],
    ['splitSearchMinBins', splitSearchMinBins],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be an integer ≥ 1, got ${v}`);
  }
  const controlBuffer = new SharedArrayBuffer(CTRL_LENGTH * 4);
  const ctrl = new Int32Array(controlBuffer);
  const shared64Buffer = new SharedArrayBuffer(F64.LENGTH * 8);
  const shared64 = new Float64Array(shared64Buffer);
  /** Per gradient block and output: [max |gradient|, max hessian] (CMD_GRADIENTS); replaced when too small. */
  let boundsTable: Float64Array = new Float64Array(0);
  const goesLeftBuffer = new SharedArrayBuffer(256);
  const sharedGoesLeft = new Uint8Array(goesLeftBuffer);
  const blockTableBuffer = new SharedArrayBuffer(BLOCK_TABLE_LENGTH * 4);
  const blockTable = new Int32Array(blockTableBuffer);
  const nWorkers = nThreads - 1;
  const ports: MessagePort[] = [];
  const workers: Worker[] = [];
  const errors: string[] = [];
  const entry = workerEntry();
  const bootstrap = new URL('./thread-bootstrap.mjs', import.meta.url);
  for (let t = 1; t <= nWorkers; t++) {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(bootstrap, {
      workerData: {
        entry,
        control: controlBuffer,
        shared64: shared64Buffer,
        goesLeft: goesLeftBuffer,
        blockTable: blockTableBuffer,
        part: t,
        nParts: nThreads,
        port: port2,
      },
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
  let announcedPartitionBuffers: PartitionBuffers | null = null;
  let announcedObjective: ObjectiveSpec | null = null;
  /** [from, to, value] per item of a score update; replaced by a larger one when needed. */
  let rangeTable: Float64Array = new Float64Array(0);
  /** Feature groups of the current histogram build or split search. */
  const groups = new FeatureGroups();
  /** Split search records and left-bin masks per (group, node); replaced when too small. */
  let splitRecords: Float64Array = new Float64Array(0);
  let splitMasks: Uint8Array = new Uint8Array(0);
  let announcedSplitParams: SplitParams | null = null;
  const searchScratch = emptySplit();
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
    if (id === undefined) throw new TypeError('parallel training: array was not allocated by this object');
    return id;
  };
  /**
   * Announces an array of a task in the control block: its buffer id at idSlot and byte offset at
   * idSlot + 1 (every *_ID slot is followed by its *_OFFSET), or -1 for none.
   */
  const setArray = (idSlot: number, a: ArrayBufferView | null | undefined): void => {
    ctrl[idSlot] = a === null || a === undefined ? -1 : idOf(a);
    ctrl[idSlot + 1] = a === null || a === undefined ? 0 : a.byteOffset;
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
      if (r === 'timed-out') throw new Error(`training worker ${t} did not start within ${WORKER_START_TIMEOUT_MS} ms`);
    }
    workersReady = true;
  };

  /** Runs a task's items 0..nItems-1 on every thread (this one included) and waits for all of them. */
  const runTask = (cmd: number, nItems: number, runItem: (item: number) => void): void => {
    if (closed) throw new Error('parallel training: used after close()');
    if (!workersReady) waitForWorkers();
    ctrl[CTRL.CMD] = cmd;
    ctrl[CTRL.N_ITEMS] = nItems;
    Atomics.store(ctrl, CTRL.ERROR, 0);
    Atomics.store(ctrl, CTRL.DONE, 0);
    Atomics.store(ctrl, CTRL.NEXT_ITEM, 0);
    Atomics.add(ctrl, CTRL.SEQ, 1);
    Atomics.notify(ctrl, CTRL.SEQ);
    for (;;) {
      const item = Atomics.add(ctrl, CTRL.NEXT_ITEM, 1);
      if (item >= nItems) break;
      runItem(item);
    }
    // The others finish their last items at about the same time as this thread: spin briefly first.
    for (let k = 0; k < SPIN_CHECKS && Atomics.load(ctrl, CTRL.DONE) < nWorkers; k++);
    for (;;) {
      const done = Atomics.load(ctrl, CTRL.DONE);
      if (done >= nWorkers) break;
      Atomics.wait(ctrl, CTRL.DONE, done);
    }
    if (Atomics.load(ctrl, CTRL.ERROR) !== 0) {
      throw new Error(`training worker ${Atomics.load(ctrl, CTRL.ERROR)} failed${errors.length > 0 ? `: ${errors[0]}` : ''}`);
    }
  };

  // Polled on a timer: a pending Atomics.waitAsync would not keep the event loop alive.
  const ready = async (): Promise<void> => {
    const deadline = Date.now() + WORKER_START_TIMEOUT_MS;
    for (let t = 1; t <= nWorkers; t++) {
      while (Atomics.load(ctrl, CTRL.READY + t) === 0) {
        if (errors.length > 0) throw new Error(`training worker ${t} failed to start: ${errors[0]}`);
        if (Date.now() > deadline) throw new Error(`training worker ${t} did not start within ${WORKER_START_TIMEOUT_MS} ms`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    workersReady = true;
  };

  return {
    nThreads,
    ready,
    allocUint8: (n) => alloc((b) => new Uint8Array(b, 0, n), n),
    allocUint32: (n) => alloc((b) => new Uint32Array(b, 0, n), n * 4),
    allocInt32: (n) => alloc((b) => new Int32Array(b, 0, n), n * 4),
    allocFloat32: (n) => alloc((b) => new Float32Array(b, 0, n), n * 4),
    allocFloat64: (n) => alloc((b) => new Float64Array(b, 0, n), n * 8),
    binNumericColumns(task: NumericBinningTask): NumericBinMapper[] {
      const nColumns = task.values.length;
      const nValues = nColumns * (task.values[0]?.length ?? 0);
      if (nWorkers === 0 || nColumns < 2 || nValues < MIN_PARALLEL_BINNING_VALUES) return binNumericColumnsSerial(task);
      // Workers read shared copies of the columns and the sample, released again afterwards.
      const temporary: SharedArrayBuffer[] = [];
      const share = <T extends Float64Array | Uint32Array>(a: T, make: (n: number) => T): T => {
        const copy = make(a.length);
        copy.set(a as never);
        temporary.push(copy.buffer as SharedArrayBuffer);
        return copy;
      };
      const stride = task.maxBin + 1;
      const shared: NumericBinningTask = {
        values: task.values.map((v) => share(v, (n) => this.allocFloat64(n))),
        colStarts: task.colStarts,
        sample: share(task.sample, (n) => this.allocUint32(n)),
        maxBin: task.maxBin,
        bins: task.bins,
      };
      const bounds = share(new Float64Array(nColumns * stride), (n) => this.allocFloat64(n));
      const boundCounts = this.allocInt32(nColumns);
      temporary.push(boundCounts.buffer as SharedArrayBuffer);
      const ref = (a: Float64Array | Uint32Array | Uint8Array | Int32Array): SharedArrayRef => [idOf(a), a.byteOffset, a.length];
      send({
        type: 'binning',
        values: shared.values.map(ref),
        colStarts: [...task.colStarts],
        sample: ref(shared.sample),
        maxBin: task.maxBin,
        bins: ref(task.bins),
        bounds: ref(bounds),
        boundCounts: ref(boundCounts),
      });
      try {
        runTask(CMD_BIN, nColumns, (k) => {
          const upperBounds = binNumericColumnOfTask(shared, k).upperBounds;
          bounds.set(upperBounds, k * stride);
          boundCounts[k] = upperBounds.length;
        });
      } finally {
        send({ type: 'unregister', ids: temporary.map((b) => ids.get(b)!) });
      }
      const mappers: NumericBinMapper[] = [];
      for (let k = 0; k < nColumns; k++) {
        const upperBounds = bounds.slice(k * stride, k * stride + boundCounts[k]!);
        mappers.push({ kind: 'numeric', nBins: upperBounds.length + 1, missingBin: upperBounds.length, upperBounds });
      }
      return mappers;
    },
    attach(d) {
      data = d;
      if (nWorkers === 0) return;
      // The bins may outlive a training (a shared binned table, engine binTrainingTable): detach's
      // reset made the workers drop every buffer, so announce the bins' buffer again.
      send({ type: 'register', id: idOf(d.bins), buffer: d.bins.buffer as SharedArrayBuffer });
      send({
        type: 'attach',
        binsId: idOf(d.bins),
        binsOffset: d.bins.byteOffset,
        nSamples: d.nSamples,
        nFeatures: d.nFeatures,
        binOffsets: d.binOffsets,
        totalBins: d.totalBins,
        isCategorical: d.isCategorical,
      });
    },
    allocPartitionBuffers(n) {
      return {
        indices: this.allocUint32(n),
        leftScratch: this.allocUint32(nWorkers === 0 ? 0 : n),
        rightScratch: this.allocUint32(n),
      };
    },
    buildHistograms(task: HistogramTask) {
      const d = data!;
      const samples = task.indices === null ? d.nSamples : task.count;
      if (nWorkers === 0 || task.nTaskFeatures < 2 || samples * task.nTaskFeatures < MIN_PARALLEL_WORK) {
        buildHistogramsSerial(d, task);
        return;
      }
      setArray(CTRL.FEATURES_ID, task.features);
      ctrl[CTRL.N_TASK_FEATURES] = task.nTaskFeatures;
      setArray(CTRL.INDICES_ID, task.indices);
      ctrl[CTRL.START] = task.start;
      ctrl[CTRL.COUNT] = task.count;
      setArray(CTRL.GRAD_ID, task.gradients);
      setArray(CTRL.HESS_ID, task.hessians);
      setArray(CTRL.HIST_ID, task.hist);
      ctrl[CTRL.HIST_LENGTH] = task.histLength;
      setArray(CTRL.PARTIALS_ID, task.partials);
      setArray(CTRL.PACKED_ID, task.packed);
      setArray(CTRL.PACKED_SUMS_ID, task.packedSums);
      shared64[F64.CONSTANT_HESSIAN] = task.constantHessian;
      writeQuantization(shared64, task.quantization);
      const nChunks = histogramChunkCount(samples);
      groups.cut(task.nTaskFeatures, nChunks, nThreads);
      const { bounds, count: nGroups } = groups;
      runTask(CMD_BUILD, nChunks * nGroups, (item) => {
        const g = item % nGroups;
        buildHistogramPart(d, task, (item - g) / nGroups, bounds[g]!, bounds[g + 1]!);
      });
      // The partials of a build of several chunks are added on this thread (cheap).
      if (nChunks > 1) reduceHistogramChunks(d, task, 0, task.nTaskFeatures);
    },
    partition(task: PartitionTask) {
      const d = data!;
      const nBlocks = Math.min(MAX_PARTITION_BLOCKS, Math.floor(task.count / blockRows));
      if (nWorkers === 0 || nBlocks < 2) return partitionSerial(d, task);
      const buf = task.buffers;
      if (buf !== announcedPartitionBuffers) {
        const ref = (a: Uint32Array): SharedArrayRef => [idOf(a), a.byteOffset, a.length];
        send({ type: 'partition-buffers', indices: ref(buf.indices), leftScratch: ref(buf.leftScratch), rightScratch: ref(buf.rightScratch) });
        announcedPartitionBuffers = buf;
      }
      const { start, count, goesLeft } = task;
      sharedGoesLeft.fill(0);
      sharedGoesLeft.set(goesLeft.subarray(0, Math.min(goesLeft.length, 256)));
      ctrl[CTRL.START] = start;
      ctrl[CTRL.COUNT] = count;
      ctrl[CTRL.SPLIT_FEATURE] = task.feature;
      const colStart = task.feature * d.nSamples;
      const blockStart = (b: number): number => partitionBlockStart(start, count, nBlocks, b);
      runTask(CMD_PARTITION_SPLIT, nBlocks, (b) => {
        blockTable[b] = partitionBlock(buf, blockStart(b), blockStart(b + 1), d.bins, colStart, sharedGoesLeft);
      });
      const leftDest = blockTable.subarray(MAX_PARTITION_BLOCKS, 2 * MAX_PARTITION_BLOCKS);
      const rightDest = blockTable.subarray(2 * MAX_PARTITION_BLOCKS);
      const nLeft = partitionBlockDestinations(start, count, nBlocks, blockTable, leftDest, rightDest);
      runTask(CMD_PARTITION_PLACE, nBlocks, (b) => {
        placePartitionBlock(buf, blockStart(b), blockStart(b + 1), blockTable[b]!, leftDest[b]!, rightDest[b]!);
      });
      return nLeft;
    },
    searchSplits(task: SplitSearchTask) {
      const d = data!;
      const nNodes = task.nodes.length;
      if (nWorkers === 0 || task.nTaskFeatures < 2 || d.totalBins * nNodes < splitSearchMinBins) {
        splitSearchSerial(d, task);
        return;
      }
      groups.cut(task.nTaskFeatures, 1, nThreads);
      const { bounds, count: nGroups } = groups;
      if (splitRecords.length < nGroups * 2 * SPLIT_RECORD_LENGTH) {
        splitRecords = this.allocFloat64(task.nTaskFeatures * 2 * SPLIT_RECORD_LENGTH);
        splitMasks = this.allocUint8(task.nTaskFeatures * 2 * SPLIT_MASK_LENGTH);
      }
      const records = splitRecords;
      const masks = splitMasks;
      const p = task.params;
      if (p !== announcedSplitParams) {
        const { minDataInLeaf, minSumHessian, lambdaL2, maxCatThreshold, catSmooth, catL2, minDataPerGroup } = p;
        send({ type: 'split-params', params: { minDataInLeaf, minSumHessian, lambdaL2, maxCatThreshold, catSmooth, catL2, minDataPerGroup } });
        announcedSplitParams = p;
      }
      setArray(CTRL.FEATURES_ID, task.features);
      ctrl[CTRL.N_TASK_FEATURES] = task.nTaskFeatures;
      ctrl[CTRL.SEARCH_N_NODES] = nNodes;
      for (let k = 0; k < nNodes; k++) {
        const node = task.nodes[k]!;
        setArray(k === 0 ? CTRL.NODE0_HIST_ID : CTRL.NODE1_HIST_ID, node.hist);
        shared64[F64.NODE_SUMS + 3 * k] = node.sums.sumGrad;
        shared64[F64.NODE_SUMS + 3 * k + 1] = node.sums.sumHess;
        shared64[F64.NODE_SUMS + 3 * k + 2] = node.sums.count;
      }
      setArray(CTRL.PARENT_HIST_ID, task.subtract?.parent);
      setArray(CTRL.SMALL_HIST_ID, task.subtract?.small);
      setArray(CTRL.RECORDS_ID, records);
      setArray(CTRL.MASKS_ID, masks);
      runTask(CMD_SEARCH, nGroups, (g) => searchSplitGroup(d, task, bounds[g]!, bounds[g + 1]!, g, records, masks, searchScratch));
      for (let k = 0; k < nNodes; k++) {
        const best = task.out[k]!;
        resetSplit(best);
        for (let g = 0; g < nGroups; g++) {
          const at = (2 * g + k) * SPLIT_RECORD_LENGTH;
          if (records[at]! > best.gain) readSplitRecord(records, at, masks, (2 * g + k) * SPLIT_MASK_LENGTH, best);
        }
      }
    },
    addLeafValues(task: LeafValuesTask) {
      const { indices, raw, nLeaves, leafStart, leafCount, leafValue } = task;
      let nRows = 0;
      for (let l = 0; l < nLeaves; l++) nRows += leafCount[l]!;
      if (nWorkers === 0 || nRows < 2 * rangeRows) {
        for (let l = 0; l < nLeaves; l++) addValueToRows(indices, leafStart[l]!, leafStart[l]! + leafCount[l]!, leafValue[l]!, raw);
        return;
      }
      // Leaves cut into ranges of at most rangeRows rows, so that one big leaf does not keep one thread
      // busy while the others wait.
      const nRanges = nLeaves + Math.ceil(nRows / rangeRows);
      if (rangeTable.length < 3 * nRanges) rangeTable = this.allocFloat64(3 * 2 * nRanges);
      let r = 0;
      for (let l = 0; l < nLeaves; l++) {
        const end = leafStart[l]! + leafCount[l]!;
        for (let from = leafStart[l]!; from < end; from += rangeRows, r++) {
          rangeTable[3 * r] = from;
          rangeTable[3 * r + 1] = Math.min(end, from + rangeRows);
          rangeTable[3 * r + 2] = leafValue[l]!;
        }
      }
      const table = rangeTable;
      setArray(CTRL.INDICES_ID, indices);
      setArray(CTRL.RAW_ID, raw);
      ctrl[CTRL.N_ROWS] = raw.length;
      setArray(CTRL.RANGES_ID, table);
      runTask(CMD_ADD_LEAF_VALUES, r, (k) => addValueToRows(indices, table[3 * k]!, table[3 * k + 1]!, table[3 * k + 2]!, raw));
    },
    computeGradients(task: GradientTask) {
      const n = task.labels.length;
      const nBlocks = Math.ceil(n / gradientBlockRows);
      const { objective, raw, labels, weights, gradients, hessians, bounds } = task;
      if (nWorkers === 0 || nBlocks < 2) {
        objective.gradients(raw, labels, weights, gradients, hessians, 0, n);
        gradientTaskBounds(task);
        return;
      }
      if (task.objectiveSpec !== announcedObjective) {
        send({ type: 'objective', spec: task.objectiveSpec });
        announcedObjective = task.objectiveSpec;
      }
      const k = objective.nOutputs;
      // Each block's bounds per output, at 2 (b k + o); reduced below.
      if (bounds !== undefined && boundsTable.length < 2 * k * nBlocks) boundsTable = this.allocFloat64(2 * k * nBlocks);
      const table = boundsTable;
      ctrl[CTRL.N_ROWS] = n;
      ctrl[CTRL.GRADIENT_BLOCK_ROWS] = gradientBlockRows;
      setArray(CTRL.RAW_ID, raw);
      setArray(CTRL.LABELS_ID, labels);
      setArray(CTRL.WEIGHTS_ID, weights);
      setArray(CTRL.GRAD_ID, gradients);
      setArray(CTRL.HESS_ID, hessians);
      setArray(CTRL.BOUNDS_ID, bounds === undefined ? null : table);
      runTask(CMD_GRADIENTS, nBlocks, (b) => {
        const from = b * gradientBlockRows;
        const to = Math.min(n, from + gradientBlockRows);
        objective.gradients(raw, labels, weights, gradients, hessians, from, to);
        if (bounds !== undefined) gradientBlockBounds(gradients, hessians, n, k, from, to, table, b);
      });
      if (bounds === undefined) return;
      for (let o = 0; o < k; o++) {
        let maxG = 0;
        let maxH = 0;
        for (let b = 0; b < nBlocks; b++) {
          maxG = Math.max(maxG, table[2 * (b * k + o)]!);
          maxH = Math.max(maxH, table[2 * (b * k + o) + 1]!);
        }
        bounds[2 * o] = maxG;
        bounds[2 * o + 1] = maxH;
      }
    },
    packGradients(task: PackTask): GradientQuantization {
      const n = task.packed.length;
      const nBlocks = Math.ceil(n / gradientBlockRows);
      if (nWorkers === 0 || nBlocks < 2) return packGradientsSerial(task);
      const { gradients, hessians, packed } = task;
      const q = packTaskQuantization(task);
      ctrl[CTRL.N_ROWS] = n;
      ctrl[CTRL.GRADIENT_BLOCK_ROWS] = gradientBlockRows;
      setArray(CTRL.GRAD_ID, gradients);
      setArray(CTRL.HESS_ID, hessians);
      setArray(CTRL.PACKED_ID, packed);
      ctrl[CTRL.PACK_KEY] = task.key;
      writeQuantization(shared64, q);
      runTask(CMD_PACK, nBlocks, (b) =>
        packGradients(gradients, hessians, q, task.key, b * gradientBlockRows, Math.min(n, (b + 1) * gradientBlockRows), packed),
      );
      return q;
    },
    detach() {
      data = null;
      announcedPartitionBuffers = null;
      announcedObjective = null;
      rangeTable = new Float64Array(0);
      boundsTable = new Float64Array(0);
      splitRecords = new Float64Array(0);
      splitMasks = new Uint8Array(0);
      announcedSplitParams = null;
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
