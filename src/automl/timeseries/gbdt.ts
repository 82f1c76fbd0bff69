/**
 * The global GBDT forecasters: one model per horizon step (direct) or one model with the step as
 * a feature (shared); pooled over the series (the series as a feature) or one set per series; on
 * the raw target or on its difference from the recent level. Validation chooses among these.
 */
import { Rng, predictRaw, trainGbdt } from '../../engine/index.js';
import type { FeatureColumn, GbdtModel, TrainingParallelism } from '../../engine/index.js';
import { timeAt } from './calendar.js';
import { featureDefs, writeFeatures } from './features.js';
import type { CalendarCache, FeatureDef, FeatureLayout, ForecastPoint, SeriesPrefix } from './features.js';
import type { SeriesGrid } from './grid.js';

export interface GbdtConfig {
  readonly horizon: 'direct' | 'shared';
  readonly scope: 'pooled' | 'per-series';
  /** 'level': the model learns target − mean of the last season at the origin. */
  readonly baseline: 'level' | 'none';
}

export interface FeatureContext {
  readonly layout: FeatureLayout;
  readonly defs: readonly FeatureDef[];
  readonly series: readonly SeriesGrid[];
  readonly prefixes: readonly SeriesPrefix[];
  readonly calendar: CalendarCache;
  /** Code of the `series` feature per series (NaN for a series unseen in training). */
  readonly codes: readonly number[];
  readonly fromStep: number;
  readonly toStep: number;
}

/** Trained models of one configuration; index = group × steps + step (direct) or group. */
export interface GbdtSet {
  readonly config: GbdtConfig;
  readonly models: readonly (GbdtModel | null)[];
  /** Rounds each model kept (the final refit reuses them). */
  readonly rounds: readonly number[];
}

export interface GbdtTraining {
  readonly seed: number;
  /** Most training rows per model (a seeded subsample above it). */
  readonly maxRows: number;
  readonly parallel?: TrainingParallelism;
  readonly isCancelled?: () => boolean;
}

interface Row {
  readonly series: number;
  readonly point: ForecastPoint;
}

const PARAMS = { objective: 'regression', learningRate: 0.08, maxLeaves: 31, minDataInLeaf: 20, featureFraction: 0.9, lambdaL2: 1 } as const;
export const MAX_ROUNDS = 300;
const EARLY_STOPPING_ROUNDS = 25;
/** Share of a model's rows (the latest targets) that early stopping watches. */
const EARLY_STOPPING_SHARE = 0.15;

/** Mean of the last season of observed targets at the origin (the last value without a season). */
export function levelAt(ctx: FeatureContext, series: number, origin: number): number {
  const p = ctx.prefixes[series]!;
  const w = Math.max(1, ctx.layout.season);
  for (let width = w; width <= 8 * w; width *= 2) {
    const a = Math.max(0, origin - width + 1);
    const n = p.n[origin + 1]! - p.n[a]!;
    if (n > 0) return (p.sy[origin + 1]! - p.sy[a]!) / n;
    if (a === 0) break;
  }
  return 0;
}

function groupsOf(ctx: FeatureContext, config: GbdtConfig): { nGroups: number; nSteps: number } {
  return { nGroups: config.scope === 'pooled' ? 1 : ctx.series.length, nSteps: config.horizon === 'direct' ? ctx.toStep - ctx.fromStep + 1 : 1 };
}

function modelIndex(ctx: FeatureContext, config: GbdtConfig, series: number, h: number): number {
  const { nSteps } = groupsOf(ctx, config);
  const group = config.scope === 'pooled' ? 0 : series;
  return group * nSteps + (config.horizon === 'direct' ? h - ctx.fromStep : 0);
}

/** Row-major features of rows (grouped by series for the feature writer). */
export function featureRows(ctx: FeatureContext, rows: readonly Row[]): Float64Array {
  const nF = ctx.defs.length;
  const out = new Float64Array(rows.length * nF);
  let start = 0;
  while (start < rows.length) {
    let end = start;
    const s = rows[start]!.series;
    while (end < rows.length && rows[end]!.series === s) end++;
    const points = rows.slice(start, end).map((r) => r.point);
    writeFeatures(ctx.layout, ctx.series[s]!, ctx.prefixes[s]!, ctx.calendar, ctx.codes[s]!, points, out, start);
    start = end;
  }
  return out;
}

function columnsOf(ctx: FeatureContext, rows: Float64Array, nRows: number, pick: Int32Array): FeatureColumn[] {
  const nF = ctx.defs.length;
  return ctx.defs.map((def, f): FeatureColumn => {
    if (def.kind === 'categorical') {
      const codes = new Int32Array(pick.length);
      for (let i = 0; i < pick.length; i++) {
        const v = rows[pick[i]! * nF + f]!;
        codes[i] = Number.isNaN(v) || v >= (def.nCategories ?? 0) ? -1 : v;
      }
      return { kind: 'categorical', name: def.name, codes, nCategories: def.nCategories ?? 1 };
    }
    const values = new Float64Array(pick.length);
    for (let i = 0; i < pick.length; i++) values[i] = rows[pick[i]! * nF + f]!;
    void nRows;
    return { kind: 'numeric', name: def.name, values };
  });
}

function targetOf(ctx: FeatureContext, config: GbdtConfig, r: Row): number {
  const y = ctx.series[r.series]!.y[r.point.origin + r.point.h]!;
  return config.baseline === 'level' ? y - levelAt(ctx, r.series, r.point.origin) : y;
}

/**
 * Trains one configuration on the training points of each series (`pointsOf(series)`). With
 * `rounds` (a refit), each model trains exactly that many rounds; else early stopping on its
 * latest targets picks them.
 */
export function trainGbdtSet(ctx: FeatureContext, config: GbdtConfig, pointsOf: (series: number) => readonly ForecastPoint[], t: GbdtTraining, rounds?: readonly number[]): GbdtSet {
  const { nGroups, nSteps } = groupsOf(ctx, config);
  const buckets: Row[][] = Array.from({ length: nGroups * nSteps }, () => []);
  ctx.series.forEach((_, s) => {
    for (const point of pointsOf(s)) buckets[modelIndex(ctx, config, s, point.h)]!.push({ series: s, point });
  });
  const models: (GbdtModel | null)[] = [];
  const kept: number[] = [];
  buckets.forEach((rows, index) => {
    if (rows.length < 30) {
      models.push(null);
      kept.push(0);
      return;
    }
    const rng = new Rng(t.seed + 7919 * index);
    let pick = Int32Array.from(rows.keys());
    if (pick.length > t.maxRows) pick = rng.shuffle(pick).slice(0, t.maxRows).sort();
    const features = featureRows(ctx, rows);
    const label = Float64Array.from(pick, (i) => targetOf(ctx, config, rows[i]!));
    const fixedRounds = rounds?.[index];
    const params = { ...PARAMS, seed: t.seed + index, nRounds: fixedRounds !== undefined && fixedRounds > 0 ? fixedRounds : MAX_ROUNDS };
    if (fixedRounds !== undefined) {
      const model = trainGbdt({ table: { nRows: pick.length, columns: columnsOf(ctx, features, rows.length, pick) }, label }, params, trainOptions(t));
      models.push(model);
      kept.push(model.nRoundsKept);
      return;
    }
    // Early stopping watches the latest targets (by time), never a random subset.
    const times = Float64Array.from(pick, (i) => timeAt(ctx.series[rows[i]!.series]!.grid, rows[i]!.point.origin + rows[i]!.point.h));
    const sorted = Float64Array.from(times).sort();
    const threshold = sorted[Math.floor(sorted.length * (1 - EARLY_STOPPING_SHARE))]!;
    const fit = Int32Array.from(pick.filter((_, j) => times[j]! < threshold));
    const watch = Int32Array.from(pick.filter((_, j) => times[j]! >= threshold));
    const labelOf = (p: Int32Array): Float64Array => Float64Array.from(p, (i) => targetOf(ctx, config, rows[i]!));
    if (fit.length < 20 || watch.length < 5) {
      const model = trainGbdt({ table: { nRows: pick.length, columns: columnsOf(ctx, features, rows.length, pick) }, label }, { ...params, nRounds: 100 }, trainOptions(t));
      models.push(model);
      kept.push(model.nRoundsKept);
      return;
    }
    const model = trainGbdt(
      { table: { nRows: fit.length, columns: columnsOf(ctx, features, rows.length, fit) }, label: labelOf(fit) },
      { ...params, earlyStoppingRounds: EARLY_STOPPING_ROUNDS },
      { ...trainOptions(t), valid: { table: { nRows: watch.length, columns: columnsOf(ctx, features, rows.length, watch) }, label: labelOf(watch) } },
    );
    models.push(model);
    kept.push(model.nRoundsKept);
  });
  return { config, models, rounds: kept };
}

function trainOptions(t: GbdtTraining): { parallel?: TrainingParallelism; hooks?: { isCancelled: () => boolean } } {
  return { ...(t.parallel !== undefined ? { parallel: t.parallel } : {}), ...(t.isCancelled !== undefined ? { hooks: { isCancelled: t.isCancelled } } : {}) };
}

/** The work a configuration costs (rows × features × rounds), deterministic, for the work budget. */
export function gbdtWork(ctx: FeatureContext, config: GbdtConfig, nPoints: number, maxRows: number): number {
  const { nGroups, nSteps } = groupsOf(ctx, config);
  const perModel = Math.min(maxRows, nPoints / (nGroups * nSteps));
  return nGroups * nSteps * perModel * ctx.defs.length * MAX_ROUNDS;
}

/**
 * Forecasts of a set for points of series `series` of the context (NaN where the set has no model
 * for them), and the model and feature row behind each (for the reasons). `group` is the series'
 * index in training (per-series sets pick its models by it; -1 = unseen).
 */
export function predictGbdtSet(
  ctx: FeatureContext,
  set: GbdtSet,
  series: number,
  points: readonly ForecastPoint[],
  group = series,
): { values: Float64Array; rows: Float64Array; modelOf: Int32Array } {
  const rows = featureRows(ctx, points.map((point) => ({ series, point })));
  const nF = ctx.defs.length;
  const values = new Float64Array(points.length).fill(NaN);
  const modelOf = new Int32Array(points.length).fill(-1);
  const byModel = new Map<number, number[]>();
  points.forEach((p, i) => {
    if (set.config.scope === 'per-series' && group < 0) return;
    const m = modelIndex(ctx, set.config, group, p.h);
    if (set.models[m] == null) return;
    modelOf[i] = m;
    let list = byModel.get(m);
    if (list === undefined) byModel.set(m, (list = []));
    list.push(i);
  });
  for (const [m, list] of byModel) {
    const sub = new Float64Array(list.length * nF);
    list.forEach((i, j) => sub.set(rows.subarray(i * nF, (i + 1) * nF), j * nF));
    const raw = predictRaw(set.models[m]!, sub, list.length);
    list.forEach((i, j) => {
      const base = set.config.baseline === 'level' ? levelAt(ctx, series, points[i]!.origin) : 0;
      values[i] = raw[j]! + base;
    });
  }
  return { values, rows, modelOf };
}

export { featureDefs };
