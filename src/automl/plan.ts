/**
 * The preprocessing plan: one encoder state per used column (encoders/), decided on the training
 * columns and the target, stored in the model, and applied by the same encoders at prediction.
 *
 *   integer / float → the value                                  (encoders/numeric.ts)
 *   string          → category codes; high-cardinality columns also target statistics and a
 *                     frequency, name-like ones a text score       (encoders/category.ts)
 *   text            → TF-IDF → linear model → score               (encoders/text.ts)
 *   date            → year, month, day, weekday, day of year, hour, elapsed days (encoders/date.ts)
 *   dropped         → ignored, constant, all missing, ID-like, target leak, no words (each with its reason)
 *
 * At training time target statistics and text scores are out-of-fold (5 folds) so that the trees
 * never see a row's own target through them; at prediction time the full-data encoders are used.
 */
import type { FeatureColumn, FeatureTable } from '../engine/index.js';
import type { TypedColumn, TypedTable } from '../table/table.js';
import type { TaskType } from './types.js';
import type { TargetInfo } from './target.js';
import type { SparseDocs } from './text.js';
import { detectLeak } from './leakage.js';
import { columnStrings } from './column-values.js';
import { applyContextOf, applyState, encoderForColumn, encoderTargets, looksCodeLike } from './encoders/index.js';
import type { ColumnPlan, DroppedColumn, FeaturePart, FeatureSource, FitContext, OofFolds } from './encoders/index.js';

export type { ColumnPlan, DroppedColumn, DropReason, FeaturePart, FeatureSource, OofFolds, TargetStats, TextScore } from './encoders/index.js';
export { dateParts, MAX_CATEGORICAL_LEVELS, TREND_PARTS } from './encoders/index.js';

const ID_LIKE_UNIQUE_RATIO = 0.95;
const ID_LIKE_MIN_ROWS = 50;

export interface PreprocessPlan {
  readonly task: TaskType;
  readonly nClasses: number;
  readonly columns: readonly ColumnPlan[];
  readonly dropped: readonly DroppedColumn[];
  readonly features: readonly FeatureSource[];
}

export interface FittedPlan {
  readonly plan: PreprocessPlan;
  /** Features of the training rows (target statistics and text scores out of fold). */
  readonly train: FeatureTable;
}

/** Per text-bearing column, the sparse documents of the rows (for per-word contributions). */
export type TextDocs = ReadonlyMap<string, SparseDocs>;

export interface FitPlanOptions {
  /** Folds of the out-of-fold encoders; null turns out-of-fold statistics off (training features = applied features). */
  readonly folds: OofFolds | null;
  readonly seed: number;
}

/**
 * Decides the plan on the training rows (the target already read) and encodes them.
 *
 * @param table  training rows that have a target (row r ↔ target.y[r])
 */
export function fitPlan(table: TypedTable, target: TargetInfo, options: FitPlanOptions): FittedPlan {
  const n = table.nRows;
  const ctx: FitContext = { table, task: target.task, targets: encoderTargets(target), folds: options.folds, seed: options.seed };
  const columns: ColumnPlan[] = [];
  const dropped: DroppedColumn[] = [];
  const features: FeatureSource[] = [];
  const featureColumns: FeatureColumn[] = [];
  for (const col of table.columns) {
    if (col.name === target.name) continue;
    const encoder = encoderForColumn(col);
    if (col.type === 'ignore' || encoder === null) {
      dropped.push({ name: col.name, reason: 'ignored', detail: 'column type is ignore' });
      continue;
    }
    const basic = basicDrop(col, n);
    if (basic !== null) {
      dropped.push(basic);
      continue;
    }
    const leak = detectLeak(col, target);
    if (leak !== null) {
      dropped.push({ name: col.name, reason: 'target_leak', detail: leak });
      continue;
    }
    const fitted = encoder.fit(col, ctx);
    if ('dropped' in fitted) {
      dropped.push(fitted.dropped);
      continue;
    }
    columns.push(fitted.state);
    fitted.train.parts.forEach((part) => features.push({ column: col.name, part }));
    featureColumns.push(...fitted.train.columns);
  }
  const plan: PreprocessPlan = { task: target.task, nClasses: target.classes.length, columns, dropped, features };
  return { plan, train: { nRows: n, columns: featureColumns } };
}

/**
 * Encodes any table with the plan (prediction, evaluation file): columns found by name, missing
 * columns read as all missing, extra columns ignored, unseen levels → "other", unknown words skipped.
 */
export function applyPlan(plan: PreprocessPlan, table: TypedTable): { features: FeatureTable; docs: TextDocs } {
  const ctx = applyContextOf(table);
  const out: FeatureColumn[] = [];
  const docs = new Map<string, SparseDocs>();
  for (const state of plan.columns) {
    const encoded = applyState(state, ctx);
    out.push(...encoded.columns);
    if (encoded.docs !== undefined) docs.set(state.name, encoded.docs);
  }
  return { features: { nRows: table.nRows, columns: out }, docs };
}

/** The fitted plan without some parts of a date column (plan, feature list and training features). */
export function omitDateParts(fitted: FittedPlan, column: string, parts: readonly FeaturePart[]): FittedPlan {
  const keep = fitted.plan.features.map((f) => !(f.column === column && parts.includes(f.part)));
  const plan: PreprocessPlan = {
    ...fitted.plan,
    columns: fitted.plan.columns.map((c) => (c.kind === 'date' && c.name === column ? { ...c, omit: parts.slice() } : c)),
    features: fitted.plan.features.filter((_, k) => keep[k]),
  };
  const train: FeatureTable = { nRows: fitted.train.nRows, columns: fitted.train.columns.filter((_, k) => keep[k]) };
  return { plan, train };
}

/**
 * A plan as stored by model format 1: the frequency of a category level was divided by the rows
 * with a value at prediction (but by all training rows in training); keep that denominator so old
 * models predict exactly as they did. The unused per-column `frequencies` table is dropped.
 */
export function planFromV1(stored: PreprocessPlan & { frequencies?: unknown }): PreprocessPlan {
  const { frequencies: _unused, ...plan } = stored;
  return {
    ...plan,
    columns: plan.columns.map((c) => {
      if (c.kind !== 'category' || c.stats === undefined || c.stats.frequencyRows !== undefined) return c;
      const nonMissing = c.stats.counts.reduce((s, v) => s + v, 0);
      return { ...c, stats: { ...c.stats, frequencyRows: nonMissing } };
    }),
  };
}

/** Why a column is not used before looking at the target: constant, all missing or ID-like. */
function basicDrop(col: TypedColumn, n: number): DroppedColumn | null {
  const name = col.name;
  if (col.type === 'integer' || col.type === 'float' || col.type === 'date') {
    const seen = new Set<number>();
    let missing = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = col.values[i]!;
      if (Number.isNaN(v)) missing++;
      else {
        seen.add(v);
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    if (missing === n) return { name, reason: 'all_missing', detail: 'every value is missing' };
    if (seen.size <= 1 && missing === 0) return { name, reason: 'constant', detail: 'one value in every row' };
    const integerValued = col.type === 'integer' || (col.type === 'float' && [...seen].every(Number.isInteger));
    if (col.type !== 'date' && integerValued && n >= ID_LIKE_MIN_ROWS && seen.size >= ID_LIKE_UNIQUE_RATIO * n && max - min + 1 <= 1.5 * n) {
      return { name, reason: 'id_like', detail: 'distinct consecutive integers in almost every row (a row number)' };
    }
    return null;
  }
  if (col.type === 'string') {
    const counts = new Int32Array(col.levels.length);
    let missing = 0;
    for (let i = 0; i < n; i++) {
      const c = col.codes[i]!;
      if (c < 0) missing++;
      else counts[c]!++;
    }
    let distinct = 0;
    for (let k = 0; k < counts.length; k++) if (counts[k]! > 0) distinct++;
    if (missing === n) return { name, reason: 'all_missing', detail: 'every value is missing' };
    if (distinct <= 1 && missing === 0) return { name, reason: 'constant', detail: 'one value in every row' };
    if (n >= ID_LIKE_MIN_ROWS && distinct >= ID_LIKE_UNIQUE_RATIO * (n - missing) && looksCodeLike(columnStrings(col, n))) {
      return { name, reason: 'id_like', detail: 'a different code in almost every row (an identifier)' };
    }
    return null;
  }
  if (col.type === 'text') {
    let missing = 0;
    for (let i = 0; i < n; i++) if (col.values[i]!.trim() === '') missing++;
    if (missing === n) return { name, reason: 'all_missing', detail: 'every value is missing' };
  }
  return null;
}
