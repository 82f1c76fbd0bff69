/**
 * Evaluation with the product's metrics (spec §7.1) and the data behind each report chart, from the
 * true targets and out-of-sample predictions of the evaluation rows.
 *
 * Model level (stars), our thresholds (the product does not publish its own):
 *   binary AUC:               ≥ 0.90 ★5, ≥ 0.80 ★4, ≥ 0.70 ★3, ≥ 0.60 ★2, else ★1
 *   multi-class accuracy:     ≥ 0.90 ★5, ≥ 0.80 ★4, ≥ 0.65 ★3, ≥ 0.50 ★2, else ★1
 *   regression R²:            ≥ 0.90 ★5, ≥ 0.75 ★4, ≥ 0.50 ★3, ≥ 0.25 ★2, else ★1
 */
import { auc, confusionMatrix, rocCurve } from '../engine/index.js';
import { predictClass } from './decision.js';
import type { TaskType } from './types.js';

export const STAR_THRESHOLDS: Readonly<Record<TaskType, readonly number[]>> = {
  binary_classification: [0.9, 0.8, 0.7, 0.6],
  multi_classification: [0.9, 0.8, 0.65, 0.5],
  regression: [0.9, 0.75, 0.5, 0.25],
};

export function modelStars(task: TaskType, value: number): number {
  if (!Number.isFinite(value)) return 1;
  const t = STAR_THRESHOLDS[task];
  for (let s = 0; s < t.length; s++) if (value >= t[s]!) return 5 - s;
  return 1;
}

export interface BinaryCharts {
  readonly roc: { readonly fpr: number[]; readonly tpr: number[] };
  /** Per true class, counts of positive-class probability in 10 bins [0,0.1) … [0.9,1]. */
  readonly distribution: readonly [number[], number[]];
  /** Per probability bin: rows and share of positives. */
  readonly calibration: readonly { readonly bin: number; readonly rows: number; readonly positiveRate: number }[];
  /** Hit rate (precision) among the top N% by probability, N = 10, 20, … 100. */
  readonly topN: readonly { readonly percent: number; readonly rows: number; readonly hitRate: number }[];
}

export interface RegressionCharts {
  /** Up to 1,000 (actual, predicted) points, evenly spaced over the rows. */
  readonly scatter: readonly [number, number][];
  /** Error (predicted − actual) histogram: bin edges (length bins + 1) and counts. */
  readonly errorEdges: number[];
  readonly errorCounts: number[];
}

export interface Evaluation {
  readonly task: TaskType;
  readonly nRows: number;
  /** Metric name → value, in report order. */
  readonly metrics: Record<string, number>;
  readonly stars: number;
  /** Classification: nClasses × nClasses, row = actual, column = predicted. */
  readonly confusion: number[][] | null;
  /** Multi-class: per-class precision / recall / F-score / support. */
  readonly perClass: { readonly precision: number; readonly recall: number; readonly fScore: number; readonly support: number }[] | null;
  readonly binary: BinaryCharts | null;
  readonly regression: RegressionCharts | null;
}

/**
 * Threshold on the positive-class probability with the highest F-score (ties: the higher
 * threshold). A row is positive iff p ≥ threshold.
 */
export function bestFThreshold(y: Float64Array, p1: Float64Array): number {
  const n = y.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p1[b]! - p1[a]! || a - b);
  let totalPos = 0;
  for (let i = 0; i < n; i++) totalPos += y[i] === 1 ? 1 : 0;
  if (totalPos === 0 || n === 0) return 0.5;
  let tp = 0;
  let fp = 0;
  let bestF = -1;
  let best = 0.5;
  for (let r = 0; r < n; r++) {
    const i = order[r]!;
    if (y[i] === 1) tp++;
    else fp++;
    if (r + 1 < n && p1[order[r + 1]!] === p1[i]) continue;
    const f = (2 * tp) / (tp + fp + totalPos);
    if (f > bestF + 1e-12) {
      bestF = f;
      best = p1[i]!;
    }
  }
  return best;
}

/** Bins of the expected calibration error. */
export const ECE_BINS = 10;

/**
 * Expected calibration error: rows binned by the probability the model gave (binary: of the
 * positive class; multi-class: of its top class) in ECE_BINS equal bins; the row-weighted mean of
 * |mean probability − share that came true| over the bins. 0 = the probabilities mean what they say.
 */
export function expectedCalibrationError(task: TaskType, nClasses: number, y: Float64Array, probs: Float64Array): number {
  const n = y.length;
  const sumP = new Float64Array(ECE_BINS);
  const hits = new Float64Array(ECE_BINS);
  const rows = new Float64Array(ECE_BINS);
  for (let i = 0; i < n; i++) {
    let p: number;
    let hit: boolean;
    if (task === 'binary_classification') {
      p = probs[2 * i + 1]!;
      hit = y[i] === 1;
    } else {
      let b = 0;
      for (let k = 1; k < nClasses; k++) if (probs[i * nClasses + k]! > probs[i * nClasses + b]!) b = k;
      p = probs[i * nClasses + b]!;
      hit = y[i] === b;
    }
    const bin = Math.min(ECE_BINS - 1, Math.floor(p * ECE_BINS));
    sumP[bin]! += p;
    hits[bin]! += hit ? 1 : 0;
    rows[bin]!++;
  }
  let ece = 0;
  for (let b = 0; b < ECE_BINS; b++) if (rows[b]! > 0) ece += Math.abs(sumP[b]! - hits[b]!);
  return ece / Math.max(1, n);
}

function safeDiv(a: number, b: number): number {
  return b > 0 ? a / b : 0;
}

/**
 * @param y      per row: class index or value
 * @param probs  classification: nRows × nClasses; null for regression
 * @param values regression predictions; null for classification
 */
export function evaluate(
  task: TaskType,
  nClasses: number,
  y: Float64Array,
  probs: Float64Array | null,
  values: Float64Array | null,
  threshold: number,
  classWeights?: readonly number[],
): Evaluation {
  const n = y.length;
  if (task === 'regression') return evaluateRegression(y, values!);
  const K = nClasses;
  const pred = new Int32Array(n);
  for (let i = 0; i < n; i++) pred[i] = predictClass(task, probs!, K, i, threshold, classWeights);
  const labels = Int32Array.from(y);
  const cm = confusionMatrix(labels, pred, K);
  const confusion = Array.from({ length: K }, (_, a) => Array.from({ length: K }, (_, p) => cm[a * K + p]!));
  let correct = 0;
  for (let k = 0; k < K; k++) correct += confusion[k]![k]!;
  const perClass = confusion.map((row, k) => {
    const tp = row[k]!;
    let colSum = 0;
    for (let a = 0; a < K; a++) colSum += confusion[a]![k]!;
    const rowSum = row.reduce((s, v) => s + v, 0);
    const precision = safeDiv(tp, colSum);
    const recall = safeDiv(tp, rowSum);
    return { precision, recall, fScore: safeDiv(2 * precision * recall, precision + recall), support: rowSum };
  });
  let logloss = 0;
  for (let i = 0; i < n; i++) logloss -= Math.log(Math.max(1e-15, probs![i * K + labels[i]!]!));
  logloss /= Math.max(1, n);
  const accuracy = safeDiv(correct, n);
  if (task === 'multi_classification') {
    const present = perClass.filter((c, k) => c.support > 0 || confusion.some((r) => r[k]! > 0));
    const avg = (f: (c: (typeof perClass)[number]) => number): number =>
      safeDiv(
        present.reduce((s, c) => s + f(c), 0),
        present.length,
      );
    const metrics = {
      accuracy,
      average_precision: avg((c) => c.precision),
      average_recall: avg((c) => c.recall),
      average_f_score: avg((c) => c.fScore),
      logloss,
      ece: expectedCalibrationError(task, K, y, probs!),
    };
    return { task, nRows: n, metrics, stars: modelStars(task, accuracy), confusion, perClass, binary: null, regression: null };
  }
  const p1 = new Float64Array(n);
  for (let i = 0; i < n; i++) p1[i] = probs![2 * i + 1]!;
  const a = auc(labels, p1);
  const pos = perClass[1]!;
  const metrics = {
    accuracy,
    precision: pos.precision,
    recall: pos.recall,
    f_score: pos.fScore,
    auc: a,
    logloss,
    ece: expectedCalibrationError(task, K, y, probs!),
    threshold,
  };
  return { task, nRows: n, metrics, stars: modelStars(task, a), confusion, perClass, binary: binaryCharts(labels, p1), regression: null };
}

function binaryCharts(labels: Int32Array, p1: Float64Array): BinaryCharts {
  const n = labels.length;
  const roc = rocCurve(labels, p1);
  const distribution: [number[], number[]] = [new Array<number>(10).fill(0), new Array<number>(10).fill(0)];
  const binRows = new Array<number>(10).fill(0);
  const binPos = new Array<number>(10).fill(0);
  for (let i = 0; i < n; i++) {
    const b = Math.min(9, Math.floor(p1[i]! * 10));
    distribution[labels[i] === 1 ? 1 : 0][b]!++;
    binRows[b]!++;
    if (labels[i] === 1) binPos[b]!++;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p1[b]! - p1[a]! || a - b);
  const topN: { percent: number; rows: number; hitRate: number }[] = [];
  for (let pct = 10; pct <= 100; pct += 10) {
    const rows = Math.max(1, Math.round((n * pct) / 100));
    let hits = 0;
    for (let r = 0; r < Math.min(rows, n); r++) if (labels[order[r]!] === 1) hits++;
    topN.push({ percent: pct, rows, hitRate: safeDiv(hits, Math.min(rows, n)) });
  }
  const clean = (a: Float64Array): number[] => Array.from(a, (v) => (Number.isFinite(v) ? v : 0));
  return {
    roc: { fpr: clean(roc.fpr), tpr: clean(roc.tpr) },
    distribution,
    calibration: binRows.map((rows, b) => ({ bin: b, rows, positiveRate: safeDiv(binPos[b]!, rows) })),
    topN,
  };
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = values.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function evaluateRegression(y: Float64Array, pred: Float64Array): Evaluation {
  const n = y.length;
  let se = 0;
  let ae = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i]!;
  mean /= Math.max(1, n);
  let st = 0;
  const abs: number[] = [];
  const ratio: number[] = [];
  const err: number[] = [];
  for (let i = 0; i < n; i++) {
    const e = pred[i]! - y[i]!;
    se += e * e;
    ae += Math.abs(e);
    st += (y[i]! - mean) ** 2;
    abs.push(Math.abs(e));
    err.push(e);
    if (y[i] !== 0) ratio.push(Math.abs(e) / Math.abs(y[i]!));
  }
  const r2 = st > 0 ? 1 - se / st : 0;
  const metrics = {
    mae: ae / Math.max(1, n),
    median_absolute_error: median(abs),
    median_absolute_error_ratio: median(ratio),
    rmse: Math.sqrt(se / Math.max(1, n)),
    r2,
  };
  const step = Math.max(1, Math.ceil(n / 1000));
  const scatter: [number, number][] = [];
  for (let i = 0; i < n; i += step) scatter.push([y[i]!, pred[i]!]);
  const bins = 20;
  let lo = Infinity;
  let hi = -Infinity;
  for (const e of err) {
    lo = Math.min(lo, e);
    hi = Math.max(hi, e);
  }
  if (!(hi > lo)) {
    lo = (Number.isFinite(lo) ? lo : 0) - 1;
    hi = lo + 2;
  }
  const width = (hi - lo) / bins;
  const errorEdges = Array.from({ length: bins + 1 }, (_, b) => lo + b * width);
  const errorCounts = new Array<number>(bins).fill(0);
  for (const e of err) errorCounts[Math.min(bins - 1, Math.floor((e - lo) / width))]!++;
  return {
    task: 'regression',
    nRows: n,
    metrics,
    stars: modelStars('regression', r2),
    confusion: null,
    perClass: null,
    binary: null,
    regression: { scatter, errorEdges, errorCounts },
  };
}
