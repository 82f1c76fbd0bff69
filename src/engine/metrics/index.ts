/**
 * The metric registry: name → evaluator over raw margins, with its direction, plus re-exports of the
 * metric kernels.
 *
 * `evaluateMetric` is what the trainer calls once per round for early stopping and history. It takes
 * raw margins (row-major nRows × nOutputs) and applies the objective's link itself, so the trainer
 * never materialises probabilities. Names follow LightGBM where one exists ('logloss' is LightGBM's
 * 'binary_logloss', 'error' its 'binary_error' / 'multi_error').
 */
import type { ObjectiveName } from '../boosting/model.js';
import { sigmoid, softmaxRows } from '../predict/transform.js';
import { auc } from './auc.js';
import { predictedClasses } from './classification.js';
import { clippedNegLog } from './logloss.js';
import { binaryPrecisionRecallF, macroF1 } from './precision-recall.js';
import { mae, mse, r2, rmse } from './regression.js';
import type { LabelArray, MetricTask, WeightArray } from './types.js';

export * from './types.js';
export * from './auc.js';
export * from './logloss.js';
export * from './classification.js';
export * from './precision-recall.js';
export * from './regression.js';

/**
 * Computes a metric from labels and raw margins.
 *
 * @param labels     length nRows: 0/1 (binary), class index (multiclass) or target (regression)
 * @param raw        length nRows * nOutputs, row-major raw margins
 * @param nOutputs   1, or K for multiclass
 * @param weights    length nRows, optional
 */
export type RawMetricFn = (labels: LabelArray, raw: Float64Array, nOutputs: number, weights?: WeightArray) => number;

export interface MetricDefinition {
  readonly name: string;
  readonly higherIsBetter: boolean;
  /** Tasks the metric is defined for; `evaluateMetric` rejects the others. */
  readonly tasks: readonly MetricTask[];
  readonly evaluate: RawMetricFn;
}

// ---- evaluators over raw margins (no probability buffer; the link is applied per row) ----

function binaryLogLossRaw(labels: LabelArray, raw: Float64Array, _nOutputs: number, weights?: WeightArray): number {
  const n = labels.length;
  let sum = 0;
  let sumW = 0;
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    const p = sigmoid(raw[i]!);
    sum += w * (labels[i] === 1 ? clippedNegLog(p) : clippedNegLog(1 - p));
    sumW += w;
  }
  return sum / sumW;
}

function multiLogLossRaw(labels: LabelArray, raw: Float64Array, nOutputs: number, weights?: WeightArray): number {
  const n = labels.length;
  let sum = 0;
  let sumW = 0;
  for (let i = 0; i < n; i++) {
    const base = i * nOutputs;
    let max = -Infinity;
    for (let k = 0; k < nOutputs; k++) if (raw[base + k]! > max) max = raw[base + k]!;
    let z = 0;
    for (let k = 0; k < nOutputs; k++) z += Math.exp(raw[base + k]! - max);
    // Same arithmetic as softmaxInPlace (e * (1 / sum)), so this equals multiLogLoss(softmax(raw)).
    const p = Math.exp(raw[base + labels[i]!]! - max) * (1 / z);
    const w = weights === undefined ? 1 : weights[i]!;
    sum += w * clippedNegLog(p);
    sumW += w;
  }
  return sum / sumW;
}

/**
 * Binary: AUC of the raw margins (ranking by margin avoids the ties that sigmoid saturation would
 * create). Multiclass: macro one-vs-rest AUC of the softmax probabilities over the classes that have
 * both positives and negatives (scikit-learn `multi_class='ovr', average='macro'`).
 */
function aucRaw(labels: LabelArray, raw: Float64Array, nOutputs: number, weights?: WeightArray): number {
  if (nOutputs === 1) return auc(labels, raw, weights);
  const n = labels.length;
  const probs = softmaxRows(raw, n, nOutputs);
  const isClass = new Float64Array(n);
  const column = new Float64Array(n);
  let sum = 0;
  let nDefined = 0;
  for (let k = 0; k < nOutputs; k++) {
    for (let i = 0; i < n; i++) {
      isClass[i] = labels[i] === k ? 1 : 0;
      column[i] = probs[i * nOutputs + k]!;
    }
    const a = auc(isClass, column, weights);
    if (!Number.isNaN(a)) {
      sum += a;
      nDefined++;
    }
  }
  return nDefined === 0 ? NaN : sum / nDefined;
}

function accuracyRaw(labels: LabelArray, raw: Float64Array, nOutputs: number, weights?: WeightArray): number {
  const n = labels.length;
  let hit = 0;
  let sumW = 0;
  for (let i = 0; i < n; i++) {
    let cls: number;
    if (nOutputs === 1)
      cls = raw[i]! > 0 ? 1 : 0; // raw > 0 ⇔ p > 0.5
    else {
      const base = i * nOutputs;
      cls = 0;
      for (let k = 1; k < nOutputs; k++) if (raw[base + k]! > raw[base + cls]!) cls = k;
    }
    const w = weights === undefined ? 1 : weights[i]!;
    if (labels[i] === cls) hit += w;
    sumW += w;
  }
  return hit / sumW;
}

function macroF1Raw(labels: LabelArray, raw: Float64Array, nOutputs: number, weights?: WeightArray): number {
  return macroF1(labels, predictedClasses(raw, nOutputs), nOutputs === 1 ? 2 : nOutputs, weights);
}

const regression =
  (fn: (y: Float64Array, p: Float64Array, w?: WeightArray) => number): RawMetricFn =>
  (labels, raw, _nOutputs, weights) =>
    fn(labels instanceof Float64Array ? labels : Float64Array.from(labels), raw, weights);

/** Every metric the trainer can early-stop on. */
export const METRICS: Readonly<Record<string, MetricDefinition>> = Object.freeze({
  logloss: { name: 'logloss', higherIsBetter: false, tasks: ['binary'], evaluate: binaryLogLossRaw },
  multi_logloss: { name: 'multi_logloss', higherIsBetter: false, tasks: ['multiclass'], evaluate: multiLogLossRaw },
  auc: { name: 'auc', higherIsBetter: true, tasks: ['binary', 'multiclass'], evaluate: aucRaw },
  accuracy: { name: 'accuracy', higherIsBetter: true, tasks: ['binary', 'multiclass'], evaluate: accuracyRaw },
  error: {
    name: 'error',
    higherIsBetter: false,
    tasks: ['binary', 'multiclass'],
    evaluate: (l, r, k, w) => 1 - accuracyRaw(l, r, k, w),
  },
  macro_f1: { name: 'macro_f1', higherIsBetter: true, tasks: ['binary', 'multiclass'], evaluate: macroF1Raw },
  f1: {
    name: 'f1',
    higherIsBetter: true,
    tasks: ['binary'],
    evaluate: (l, r, _k, w) => binaryPrecisionRecallF(l, predictedClasses(r, 1), 1, w).fScore,
  },
  rmse: { name: 'rmse', higherIsBetter: false, tasks: ['regression'], evaluate: regression(rmse) },
  mse: { name: 'mse', higherIsBetter: false, tasks: ['regression'], evaluate: regression(mse) },
  mae: { name: 'mae', higherIsBetter: false, tasks: ['regression'], evaluate: regression(mae) },
  r2: { name: 'r2', higherIsBetter: true, tasks: ['regression'], evaluate: regression(r2) },
} satisfies Record<string, MetricDefinition>);

export const METRIC_NAMES: readonly string[] = Object.freeze(Object.keys(METRICS));

/** The task an objective solves: which link maps raw margins to predictions. */
export function taskOf(objective: ObjectiveName): MetricTask {
  return objective === 'binary' ? 'binary' : objective === 'multiclass' ? 'multiclass' : 'regression';
}

/** The metric used when `params.metric` is '' : LightGBM's defaults. */
export function defaultMetricFor(objective: ObjectiveName): string {
  const task = taskOf(objective);
  return task === 'binary' ? 'logloss' : task === 'multiclass' ? 'multi_logloss' : 'rmse';
}

/**
 * Looks up a metric and checks it suits the objective. '' resolves to `defaultMetricFor(objective)`.
 *
 * @throws RangeError naming the metric and the objective when unknown or not applicable
 */
export function getMetric(name: string, objective: ObjectiveName): MetricDefinition {
  const resolved = name === '' ? defaultMetricFor(objective) : name;
  const def = Object.hasOwn(METRICS, resolved) ? METRICS[resolved] : undefined;
  if (def === undefined) {
    throw new RangeError(`unknown metric '${name}'; expected one of: ${METRIC_NAMES.join(', ')}`);
  }
  const task = taskOf(objective);
  if (!def.tasks.includes(task)) {
    throw new RangeError(`metric '${resolved}' does not apply to objective '${objective}' (a ${task} task)`);
  }
  return def;
}

/** Whether `name` (or the objective default for '') is maximised. */
export function higherIsBetter(name: string, objective: ObjectiveName): boolean {
  return getMetric(name, objective).higherIsBetter;
}

/**
 * True if `candidate` is strictly better than `best` for the metric. NaN is never better, and
 * anything finite beats a NaN `best` (so the first defined score becomes the best).
 */
export function isImprovement(higherIsBetterFlag: boolean, candidate: number, best: number): boolean {
  if (Number.isNaN(candidate)) return false;
  if (Number.isNaN(best)) return true;
  return higherIsBetterFlag ? candidate > best : candidate < best;
}

/**
 * Named metric from labels and raw margins: what early stopping evaluates each round.
 *
 * @param name       a key of METRICS, or '' for the objective's default
 * @param objective  decides the link: sigmoid (binary), softmax (multiclass), identity (regression)
 * @param labels     length nRows: 0/1, class index, or regression target
 * @param rawScores  length nRows * nOutputs, row-major raw margins (initScore included)
 * @param nOutputs   1, or nClasses for multiclass
 * @param weights    length nRows, optional
 *
 * @example
 * evaluateMetric('auc', 'binary', labels, rawValid, 1); // → 0.93
 */
export function evaluateMetric(
  name: string,
  objective: ObjectiveName,
  labels: LabelArray,
  rawScores: Float64Array,
  nOutputs: number,
  weights?: WeightArray,
): number {
  const def = getMetric(name, objective);
  const nRows = labels.length;
  if (rawScores.length < nRows * nOutputs) {
    throw new RangeError(`evaluateMetric: rawScores has length ${rawScores.length}, expected ${nRows} rows × ${nOutputs} outputs`);
  }
  if (weights !== undefined && weights.length !== nRows) {
    throw new RangeError(`evaluateMetric: weights has length ${weights.length}, expected ${nRows}`);
  }
  return def.evaluate(labels, rawScores, nOutputs, weights);
}
