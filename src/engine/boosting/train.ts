/**
 * The boosting loop: bins the training table, grows one tree per output per round on the objective's
 * gradients, tracks a validation metric with early stopping, and returns a `GbdtModel`.
 */
import type { FeatureTable } from '../data/columns.js';
import { featureSpecs, toRowMajor } from '../data/columns.js';
import { binTable } from '../data/binned-dataset.js';
import type { BinnedDataset } from '../data/binned-dataset.js';
import { Rng } from '../rng.js';
import { createObjective } from '../objectives/index.js';
import { evaluateMetric, getMetric } from '../metrics/index.js';
import type { TrainingParallelism } from '../tree/parallelism.js';
import { serialTraining } from '../tree/parallelism.js';
import { GrowerWorkspace, binnedLeafOf, growTree } from '../tree/grower.js';
import { quantizationLevels } from '../tree/quantize.js';
import type { GrownTree } from '../tree/grower.js';
import type { Tree } from '../tree/tree.js';
import { leafIndexOf } from '../tree/tree.js';
import type { GbdtModel, GbdtParams, ObjectiveName, RoundMetric } from './model.js';
import { MODEL_FORMAT_VERSION } from './model.js';
import { resolveParams } from './params.js';
import { EarlyStopping } from './early-stopping.js';

export interface TrainData {
  readonly table: FeatureTable;
  /** Length nRows: 0/1 (binary), 0..K-1 (multiclass) or the target (regression objectives). */
  readonly label: Float64Array;
  /** Length nRows, non-negative; undefined = every row weighs 1. */
  readonly weight?: Float64Array;
}

export interface TrainHooks {
  /** Called after every round with its metrics (valid when a validation set is given). */
  onRound?(round: number, metric: RoundMetric): void;
  /** Checked between rounds; true makes trainGbdt throw TrainingCancelledError. */
  isCancelled?(): boolean;
  /**
   * Checked between rounds after the first; true ends training there with a valid model, as if the
   * validation had stopped it (the rounds trained are kept; with early stopping, up to the best).
   * For a caller's wall-clock limit; the model then depends on timing.
   */
  shouldStop?(): boolean;
}

export interface TrainOptions {
  readonly valid?: TrainData;
  readonly hooks?: TrainHooks;
  /**
   * Threads for binning, histograms, partitions and gradients; default single-threaded. The engine
   * starts no threads itself: a caller that wants params.nThreads threads passes
   * `createParallelTraining(nThreads)` from src/compute. The model does not depend on it.
   */
  readonly parallel?: TrainingParallelism;
  /** Also evaluate the metric on the training rows each round (costs one metric pass per round). */
  readonly recordTrainMetric?: boolean;
  /**
   * The training table already binned by `binTrainingTable` (same table, same `parallel`), to share
   * one binning among trainings on the same rows (AutoML candidates). It must have been made with
   * this training's maxBin and binSampleSize; its seed chose the binning sample (the model equals the
   * unshared one when the seeds agree too).
   */
  readonly binned?: TrainingBins;
}

/** A binned training table and what it was binned for (see `binTrainingTable`). */
export interface TrainingBins {
  readonly data: BinnedDataset;
  readonly maxBin: number;
  readonly binSampleSize: number;
  readonly seed: number;
  /** The parallelism whose memory holds the bins (undefined = plain memory, serial training). */
  readonly parallel: TrainingParallelism | undefined;
  readonly table: FeatureTable;
}

/**
 * Bins a training table once for several `trainGbdt` calls (`options.binned`): the bin mappers fitted
 * on a seeded sample of at most binSampleSize rows, as trainGbdt does with the same seed.
 *
 * @throws RangeError for an empty table or invalid maxBin / binSampleSize
 * @example
 *   const binned = binTrainingTable(table, { maxBin: 255, binSampleSize: 200_000, seed: 1 }, parallel);
 *   for (const p of candidates) trainGbdt({ table, label }, { ...p, seed: 1 }, { parallel, binned });
 */
export function binTrainingTable(
  table: FeatureTable,
  settings: { readonly maxBin?: number; readonly binSampleSize?: number; readonly seed?: number },
  parallel?: TrainingParallelism,
): TrainingBins {
  const params = resolveParams({
    objective: 'regression',
    ...(settings.maxBin !== undefined ? { maxBin: settings.maxBin } : {}),
    ...(settings.binSampleSize !== undefined ? { binSampleSize: settings.binSampleSize } : {}),
    ...(settings.seed !== undefined ? { seed: settings.seed } : {}),
  });
  if (table.nRows < 1 || table.columns.length === 0) throw new RangeError('binTrainingTable needs at least one row and one column');
  const p = parallel ?? serialTraining();
  const data = binTable(
    table,
    params.maxBin,
    params.binSampleSize,
    new Rng(params.seed).fork(1),
    (n) => p.allocUint8(n),
    (task) => p.binNumericColumns(task),
  );
  return { data, maxBin: params.maxBin, binSampleSize: params.binSampleSize, seed: params.seed, parallel, table };
}

export class TrainingCancelledError extends Error {
  constructor(round: number) {
    super(`training cancelled before round ${round}`);
    this.name = 'TrainingCancelledError';
  }
}

/**
 * Trains a gradient-boosted tree model.
 *
 * @throws RangeError for invalid parameters, labels, weights or mismatched validation columns
 * @throws TrainingCancelledError when hooks.isCancelled() returns true between rounds
 * @example
 *   const model = trainGbdt({ table, label }, { objective: 'binary', nRounds: 200, earlyStoppingRounds: 20 },
 *     { valid: { table: validTable, label: validLabel } });
 *   model.nRoundsKept; // best round + 1
 */
export function trainGbdt(train: TrainData, partialParams: Partial<GbdtParams> & { objective: ObjectiveName }, options: TrainOptions = {}): GbdtModel {
  const params = resolveParams(withInferredClasses(partialParams, train.label));
  checkData('train', train, train.table);
  if (options.valid !== undefined) checkData('valid', options.valid, train.table);

  const hasWeights = train.weight !== undefined;
  const objective = createObjective(params, hasWeights);
  objective.checkLabels(train.label);
  if (options.valid !== undefined) objective.checkLabels(options.valid.label);
  const metric = getMetric(params.metric, params.objective);

  const rng = new Rng(params.seed);
  const binRng = rng.fork(1);
  const bagRng = rng.fork(2);
  const featureRng = rng.fork(3);

  const parallel = options.parallel ?? serialTraining();
  const shared = options.binned;
  if (shared !== undefined) {
    if (shared.table !== train.table) throw new RangeError('options.binned was binned from another table');
    if (shared.parallel !== options.parallel) throw new RangeError('options.binned was binned for another parallelism');
    if (shared.maxBin !== params.maxBin || shared.binSampleSize !== params.binSampleSize) {
      throw new RangeError(
        `options.binned has maxBin ${shared.maxBin} / binSampleSize ${shared.binSampleSize}, training asks ${params.maxBin} / ${params.binSampleSize}`,
      );
    }
  }
  const data =
    shared?.data ??
    binTable(
      train.table,
      params.maxBin,
      params.binSampleSize,
      binRng,
      (n) => parallel.allocUint8(n),
      (task) => parallel.binNumericColumns(task),
    );
  parallel.attach(data);
  try {
    return boost(train, params, options, objective, metric, data, parallel, bagRng, featureRng);
  } finally {
    parallel.detach();
  }
}

function boost(
  train: TrainData,
  params: GbdtParams,
  options: TrainOptions,
  objective: ReturnType<typeof createObjective>,
  metric: ReturnType<typeof getMetric>,
  data: BinnedDataset,
  parallel: TrainingParallelism,
  bagRng: Rng,
  featureRng: Rng,
): GbdtModel {
  const n = data.nSamples;
  const nFeatures = data.nFeatures;
  const k = objective.nOutputs;
  // Copies on the parallel allocator's memory, so that threads can compute gradients from them.
  const labels = parallel.allocFloat64(n);
  labels.set(train.label);
  let weights: Float64Array | undefined;
  if (train.weight !== undefined) {
    weights = parallel.allocFloat64(n);
    weights.set(train.weight);
  }
  const ws = new GrowerWorkspace(data, parallel);

  const initScore = objective.initScore(labels, weights);
  // Output-major training scores: output o of row i at [o * n + i].
  const raw = parallel.allocFloat64(n * k);
  for (let o = 0; o < k; o++) raw.fill(initScore[o]!, o * n, (o + 1) * n);
  const gradients = parallel.allocFloat32(n * k);
  const hessians = parallel.allocFloat32(n * k);

  const valid = options.valid;
  const nValid = valid?.table.nRows ?? 0;
  const validRows = valid !== undefined ? toRowMajor(valid.table) : new Float64Array(0);
  // Row-major validation scores: what evaluateMetric reads.
  const validRaw = new Float64Array(nValid * k);
  for (let i = 0; i < nValid; i++) for (let o = 0; o < k; o++) validRaw[i * k + o] = initScore[o]!;
  const trainRowMajor = options.recordTrainMetric === true ? new Float64Array(n * k) : null;

  const stopper = new EarlyStopping(metric.higherIsBetter, valid !== undefined ? params.earlyStoppingRounds : 0);
  const trees: Tree[] = [];
  const history: RoundMetric[] = [];
  const featurePerm = new Int32Array(nFeatures);
  const nTreeFeatures = Math.max(1, Math.round(nFeatures * params.featureFraction));
  const useBagging = params.baggingFraction < 1;
  const inBag = new Uint8Array(useBagging ? n : 0);
  const renew = objective.renewLeafOutput;
  const objectiveSpec = {
    params: { objective: params.objective, nClasses: params.nClasses, huberDelta: params.huberDelta },
    hasWeights: weights !== undefined,
  };

  // Quantized gradients for the histogram builds (tree/quantize.ts), when the rows allow enough levels.
  const levels = n >= params.quantizeMinRows ? quantizationLevels(n) : 0;
  const packed = levels > 0 ? parallel.allocInt32(n) : null;
  /** Each output's gradient bounds of the round, for the quantization. */
  const bounds = packed === null ? null : new Float64Array(2 * k);

  let roundsTrained = 0;
  for (let round = 0; round < params.nRounds; round++) {
    if (options.hooks?.isCancelled?.() === true) throw new TrainingCancelledError(round);
    if (round > 0 && options.hooks?.shouldStop?.() === true) break;
    parallel.computeGradients({ objective, objectiveSpec, raw, labels, weights, gradients, hessians, ...(bounds === null ? {} : { bounds }) });

    // Bagging: one Bernoulli draw per row and round, shared by the round's K trees.
    let nRows = n;
    if (useBagging) {
      nRows = 0;
      for (let i = 0; i < n; i++) {
        const take = bagRng.nextFloat() < params.baggingFraction ? 1 : 0;
        inBag[i] = take;
        nRows += take;
      }
      if (nRows === 0) (inBag[0] = 1), (nRows = 1);
    }

    const roundTrees: Tree[] = [];
    const roundGrown: GrownTree[] = [];
    for (let o = 0; o < k; o++) {
      sampleFeatures(ws, featurePerm, nTreeFeatures, featureRng);
      fillIndices(ws.indices, inBag, useBagging, n);
      const g = gradients.subarray(o * n, (o + 1) * n);
      const h = hessians.subarray(o * n, (o + 1) * n);
      const rawO = raw.subarray(o * n, (o + 1) * n);
      const hessiansO = objective.hessiansAreConstant ? null : h;
      const quantization =
        packed === null
          ? null
          : parallel.packGradients({
              gradients: g,
              hessians: hessiansO,
              constantHessian: 1,
              levels,
              maxAbsGradient: bounds![2 * o]!,
              maxHessian: bounds![2 * o + 1]!,
              key: treeKey(params.seed, round, o),
              packed,
            });
      const grown = growTree(ws, params, {
        gradients: g,
        hessians: hessiansO,
        constantHessian: 1,
        quantized: quantization === null ? null : { packed: packed!, quantization },
        nRows,
        weights,
        renewLeaf: renew === undefined ? undefined : (idx, start, count) => renew(idx, start, count, labels, rawO, weights),
      });
      roundTrees.push(grown.tree);
      roundGrown.push(grown);
      updateTrainScores(grown, ws.indices, rawO, data, useBagging ? n - nRows : 0, nRows, parallel);
    }
    if (roundTrees.every((t) => t.nInternal === 0) && round > 0) {
      // No split passes the constraints any more: further rounds would repeat this one. Undo it.
      for (let o = 0; o < k; o++) {
        const rawO = raw.subarray(o * n, (o + 1) * n);
        const v = roundTrees[o]!.leafValue[0]!;
        for (let i = 0; i < n; i++) rawO[i]! -= v;
      }
      break;
    }
    for (const t of roundTrees) trees.push(t);
    roundsTrained = round + 1;

    let validValue: number | undefined;
    if (valid !== undefined) {
      for (let o = 0; o < k; o++) {
        const t = roundTrees[o]!;
        for (let i = 0; i < nValid; i++) validRaw[i * k + o]! += t.leafValue[leafIndexOf(t, validRows, i * nFeatures)]!;
      }
      validValue = evaluateMetric(metric.name, params.objective, valid.label, validRaw, k, valid.weight);
    }
    let trainValue: number | undefined;
    if (trainRowMajor !== null) {
      for (let i = 0; i < n; i++) for (let o = 0; o < k; o++) trainRowMajor[i * k + o] = raw[o * n + i]!;
      trainValue = evaluateMetric(metric.name, params.objective, labels, trainRowMajor, k, weights);
    }
    const record: RoundMetric = {
      round,
      ...(trainValue !== undefined ? { train: trainValue } : {}),
      ...(validValue !== undefined ? { valid: validValue } : {}),
    };
    history.push(record);
    options.hooks?.onRound?.(round, record);
    if (validValue !== undefined && stopper.update(round, validValue)) break;
  }

  // Without early stopping every trained round is kept, as LightGBM does; with it, rounds up to the best.
  const earlyStopping = valid !== undefined && params.earlyStoppingRounds > 0;
  const nRoundsKept = earlyStopping && stopper.bestRound >= 0 ? stopper.bestRound + 1 : roundsTrained;
  return {
    formatVersion: MODEL_FORMAT_VERSION,
    objective: params.objective,
    nClasses: params.nClasses,
    nOutputs: k,
    initScore,
    trees: trees.slice(0, nRoundsKept * k),
    features: featureSpecs(train.table),
    params,
    nRoundsKept,
    metricName: metric.name,
    history,
  };
}

/** The stochastic rounding key of one tree: a hash of the seed, the round and the output. */
function treeKey(seed: number, round: number, output: number): number {
  let x = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(round + 1, 0xc2b2ae35) ^ Math.imul(output + 1, 0x27d4eb2f);
  x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d);
  return (x ^ (x >>> 12)) | 0;
}

/** Multiclass without nClasses: infer K = max label + 1 (at least 3). */
function withInferredClasses<P extends Partial<GbdtParams>>(p: P, labels: Float64Array): P {
  if (p.objective !== 'multiclass' || p.nClasses !== undefined) return p;
  let max = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]! > max) max = labels[i]!;
  return { ...p, nClasses: Math.max(3, Math.floor(max) + 1) };
}

function checkData(what: string, d: TrainData, reference: FeatureTable): void {
  const n = d.table.nRows;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${what}.table.nRows must be ≥ 1, got ${n}`);
  if (d.label.length !== n) throw new RangeError(`${what}.label has length ${d.label.length}, expected ${n}`);
  if (d.weight !== undefined) {
    if (d.weight.length !== n) throw new RangeError(`${what}.weight has length ${d.weight.length}, expected ${n}`);
    for (let i = 0; i < n; i++) {
      const w = d.weight[i]!;
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`${what}.weight[${i}] must be finite and ≥ 0, got ${w}`);
    }
  }
  const cols = d.table.columns;
  if (cols.length === 0) throw new RangeError(`${what}.table has no columns`);
  if (cols.length !== reference.columns.length) {
    throw new RangeError(`${what}.table has ${cols.length} columns, expected ${reference.columns.length}`);
  }
  for (let f = 0; f < cols.length; f++) {
    const c = cols[f]!;
    if (c.kind !== reference.columns[f]!.kind) {
      throw new RangeError(`${what}.table column ${f} (${c.name}) is ${c.kind}, expected ${reference.columns[f]!.kind}`);
    }
    const len = c.kind === 'numeric' ? c.values.length : c.codes.length;
    if (len !== n) throw new RangeError(`${what}.table column ${c.name} has length ${len}, expected ${n}`);
  }
}

/** Picks the tree's features: a seeded partial shuffle, then ascending order. */
function sampleFeatures(ws: GrowerWorkspace, perm: Int32Array, nPick: number, rng: Rng): void {
  const nFeatures = perm.length;
  if (nPick >= nFeatures) {
    for (let f = 0; f < nFeatures; f++) ws.features[f] = f;
    ws.nTreeFeatures = nFeatures;
    return;
  }
  for (let f = 0; f < nFeatures; f++) perm[f] = f;
  for (let j = 0; j < nPick; j++) {
    const r = j + rng.nextInt(nFeatures - j);
    const t = perm[j]!;
    perm[j] = perm[r]!;
    perm[r] = t;
  }
  const picked = perm.subarray(0, nPick).slice().sort();
  ws.features.set(picked);
  ws.nTreeFeatures = nPick;
}

/** In-bag rows first (ascending), then the out-of-bag rows. */
function fillIndices(indices: Uint32Array, inBag: Uint8Array, useBagging: boolean, n: number): void {
  if (!useBagging) {
    for (let i = 0; i < n; i++) indices[i] = i;
    return;
  }
  let a = 0;
  for (let i = 0; i < n; i++) if (inBag[i] === 1) indices[a++] = i;
  for (let i = 0; i < n; i++) if (inBag[i] !== 1) indices[a++] = i;
}

/** Adds each leaf's value to its rows; out-of-bag rows (after the tree's rows) are routed on bins. */
function updateTrainScores(
  grown: GrownTree,
  indices: Uint32Array,
  rawO: Float64Array,
  data: BinnedDataset,
  nOutOfBag: number,
  nInBag: number,
  parallel: TrainingParallelism,
): void {
  const { tree, leafStart, leafCount } = grown;
  parallel.addLeafValues({ indices, raw: rawO, nLeaves: tree.nLeaves, leafStart, leafCount, leafValue: tree.leafValue });
  for (let j = nInBag; j < nInBag + nOutOfBag; j++) {
    const i = indices[j]!;
    rawO[i]! += tree.leafValue[binnedLeafOf(grown, data, i)]!;
  }
}
