/**
 * Target-leak detection: a column that on its own predicts the target almost perfectly on rows it
 * was not fitted on is almost always a copy or a consequence of the target (a code of the label,
 * an outcome recorded afterwards). Such columns are dropped with the score as the reason.
 *
 * The check is deliberately strict (≥ 0.999) so that strong but genuine predictors survive. When
 * the final model's accuracy is implausibly high, the report names the columns that alone reach
 * it (columnsAloneReaching), and says nothing when none does.
 */
import { auc } from '../engine/index.js';
import type { TypedColumn } from '../table/table.js';
import type { TargetInfo } from './target.js';

export const LEAK_SCORE = 0.999;
const LEAK_MIN_ROWS = 50;
const LEAK_BINS = 32;

/**
 * How well a column predicts the target on its own, by its values: fitted on half the rows and
 * scored on the other half (the worse of the two halves), in the task's headline metric — AUC
 * (binary), accuracy (multi-class), R² (regression) — or, for numbers and dates, as a monotone
 * score (binary AUC either way, regression |r|). Null for text, tiny files and unscorable columns.
 *
 * By its values means each value (a level, a numeric range) is one group: a code or consequence of
 * the answer scores high, a name whose signal is in its characters (given-name endings predict
 * gender) does not, since most held-out names were never seen.
 */
export function aloneScore(col: TypedColumn, target: TargetInfo): { score: number; monotone: boolean } | null {
  const n = target.y.length;
  if (n < LEAK_MIN_ROWS) return null;
  let groups: Int32Array;
  let monotone = 0;
  if (col.type === 'integer' || col.type === 'float' || col.type === 'date') {
    monotone = monotoneScore(col.values, target);
    groups = quantileGroups(col.values);
  } else if (col.type === 'string') {
    groups = Int32Array.from(col.codes.subarray(0, n), (c) => (c < 0 ? 0 : c + 1));
  } else {
    return null;
  }
  const grouped = halfSplitScore(groups, target);
  return monotone >= grouped ? { score: monotone, monotone: true } : { score: grouped, monotone: false };
}

/** Reason text when `col` leaks the target, else null. Rows of col ↔ target.y. */
export function detectLeak(col: TypedColumn, target: TargetInfo): string | null {
  const alone = aloneScore(col, target);
  if (alone === null || alone.score < LEAK_SCORE) return null;
  return `on its own it predicts the target with score ${alone.score.toFixed(4)}${alone.monotone ? ' (monotone)' : ''}`;
}

/** Columns that on their own reach at least `score`, best first (the suspects of an implausibly high accuracy). */
export function columnsAloneReaching(columns: readonly TypedColumn[], target: TargetInfo, score: number): { column: string; score: number }[] {
  const out: { column: string; score: number }[] = [];
  for (const col of columns) {
    const alone = aloneScore(col, target);
    if (alone === null) continue;
    // In the headline's terms: a monotone regression score is |r|, the headline R².
    const headline = alone.monotone && target.task === 'regression' ? alone.score ** 2 : alone.score;
    if (headline >= score) out.push({ column: col.name, score: headline });
  }
  return out.sort((a, b) => b.score - a.score || (a.column < b.column ? -1 : 1));
}

/** Binary: AUC of the raw value either way; regression: |Pearson r|; multiclass: 0 (not monotone). */
function monotoneScore(values: Float64Array, target: TargetInfo): number {
  const n = target.y.length;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(values[i]!)) keep.push(i);
  if (keep.length < LEAK_MIN_ROWS || keep.length < 0.9 * n) return 0;
  if (target.task === 'binary_classification') {
    const labels = Float64Array.from(keep, (i) => target.y[i]!);
    const a = auc(
      labels,
      Float64Array.from(keep, (i) => values[i]!),
    );
    return Number.isNaN(a) ? 0 : Math.max(a, 1 - a);
  }
  if (target.task === 'regression') {
    let sx = 0,
      sy = 0,
      sxx = 0,
      syy = 0,
      sxy = 0;
    for (const i of keep) {
      const x = values[i]!;
      const y = target.y[i]!;
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
    }
    const m = keep.length;
    const cov = sxy / m - (sx / m) * (sy / m);
    const vx = sxx / m - (sx / m) ** 2;
    const vy = syy / m - (sy / m) ** 2;
    return vx > 0 && vy > 0 ? Math.abs(cov / Math.sqrt(vx * vy)) : 0;
  }
  return 0;
}

/** Group 0 = missing, 1..LEAK_BINS = quantile bins of the value. */
function quantileGroups(values: Float64Array): Int32Array {
  const present = Array.from(values)
    .filter((v) => !Number.isNaN(v))
    .sort((a, b) => a - b);
  const cuts: number[] = [];
  for (let b = 1; b < LEAK_BINS; b++) cuts.push(present[Math.floor((b * present.length) / LEAK_BINS)] ?? 0);
  return Int32Array.from(values, (v) => {
    if (Number.isNaN(v)) return 0;
    let g = 0;
    while (g < cuts.length && v > cuts[g]!) g++;
    return g + 1;
  });
}

/** Fit group statistics on even rows, score odd rows (and vice versa); the worse of the two. */
function halfSplitScore(groups: Int32Array, target: TargetInfo): number {
  let worst = Infinity;
  for (let half = 0; half < 2; half++) {
    const fit: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < target.y.length; i++) (i % 2 === half ? fit : test).push(i);
    worst = Math.min(worst, scoreGroups(groups, target, fit, test));
  }
  return worst;
}

function scoreGroups(groups: Int32Array, target: TargetInfo, fit: number[], test: number[]): number {
  const y = target.y;
  if (target.task === 'multi_classification') {
    const K = target.classes.length;
    const counts = new Map<number, Float64Array>();
    for (const i of fit) {
      let c = counts.get(groups[i]!);
      if (c === undefined) counts.set(groups[i]!, (c = new Float64Array(K)));
      c[y[i]!]!++;
    }
    let correct = 0;
    for (const i of test) {
      const c = counts.get(groups[i]!);
      if (c === undefined) continue;
      let best = 0;
      for (let k = 1; k < K; k++) if (c[k]! > c[best]!) best = k;
      if (best === y[i]) correct++;
    }
    return correct / Math.max(1, test.length);
  }
  const sum = new Map<number, [number, number]>();
  let total = 0;
  for (const i of fit) {
    const s = sum.get(groups[i]!) ?? [0, 0];
    s[0] += y[i]!;
    s[1]++;
    sum.set(groups[i]!, s);
    total += y[i]!;
  }
  const prior = total / Math.max(1, fit.length);
  const pred = Float64Array.from(test, (i) => {
    const s = sum.get(groups[i]!);
    return s === undefined ? prior : s[0] / s[1];
  });
  const truth = Float64Array.from(test, (i) => y[i]!);
  if (target.task === 'binary_classification') {
    const a = auc(truth, pred);
    return Number.isNaN(a) ? 0 : a;
  }
  let sse = 0,
    sst = 0,
    mean = 0;
  for (let r = 0; r < truth.length; r++) mean += truth[r]!;
  mean /= Math.max(1, truth.length);
  for (let r = 0; r < truth.length; r++) {
    sse += (truth[r]! - pred[r]!) ** 2;
    sst += (truth[r]! - mean) ** 2;
  }
  return sst > 0 ? 1 - sse / sst : 0;
}
