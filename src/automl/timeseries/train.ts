/**
 * Trains a forecaster: grids, layout, rolling-origin validation of the local models and of the
 * GBDT configurations (under a deterministic work budget and the caller's time budget), the
 * per-series choice of method, the conformal band, and the final refit on every observation.
 */
import { AppError } from '../../domain/errors.js';
import type { TimeSeriesSettings } from '../../domain/time-series.js';
import type { GbdtModel, TrainingParallelism } from '../../engine/index.js';
import type { TypedTable } from '../../table/table.js';
import { accuracyOf } from './accuracy.js';
import type { Accuracy } from './accuracy.js';
import { timeAt } from './calendar.js';
import { combine } from './combine.js';
import type { MethodForecasts } from './combine.js';
import { calibrateBand, localScale, seriesScale } from './conformal.js';
import type { Band, ScaledResidual } from './conformal.js';
import { CalendarCache, featureDefs, featureReach, seriesPrefix } from './features.js';
import type { ForecastPoint } from './features.js';
import { METHODS, usesGbdt } from './forecaster.js';
import type { ForecastMethod, SeriesChoice } from './forecaster.js';
import { MAX_ROUNDS, gbdtWork, predictGbdtSet, trainGbdtSet } from './gbdt.js';
import type { FeatureContext, GbdtConfig, GbdtSet } from './gbdt.js';
import { seriesGrids, sourceColumnsOf } from './grid.js';
import type { SeriesGrid } from './grid.js';
import { holidayCalendar } from './holidays.js';
import { chooseLayout } from './layout.js';
import { etsForecasts, fitEts, seasonalNaive } from './local-models.js';
import { seriesSplit, trainingPoints } from './rolling-origin.js';
import type { SeriesSplit } from './rolling-origin.js';

/** Most rows per GBDT model (a seeded subsample above it). */
export const MAX_ROWS_PER_MODEL = 20_000;
/** Deterministic work budget of the GBDT search (rows × features × rounds, summed over candidates). */
export const GBDT_WORK_BUDGET = 2.5e9;
/** Held-back steps a series needs beyond the lags' reach to get a GBDT. */
const MIN_GBDT_ROWS = 20;

export interface ForecastTrainHooks {
  readonly seed: number;
  readonly budgetSeconds: number;
  elapsed(): number;
  isCancelled?(): boolean;
  readonly parallel?: TrainingParallelism;
  progress?(fraction: number, phase: string): void;
}

/** One held-back forecast of the validation, with what each method said. */
export interface ValidationForecast {
  readonly series: number;
  readonly point: ForecastPoint;
  readonly actual: number;
  readonly methods: MethodForecasts;
  /** The chosen method's forecast. */
  readonly prediction: number;
}

export interface CandidateScore {
  readonly config: GbdtConfig;
  readonly rmse: number;
  readonly rounds: number;
}

export interface ForecastTraining {
  readonly target: string;
  readonly settings: TimeSeriesSettings;
  readonly ctx: FeatureContext;
  readonly splits: readonly SeriesSplit[];
  readonly choices: readonly SeriesChoice[];
  readonly unseenMethod: ForecastMethod;
  readonly band: Band;
  /** Scale per series from the data before its held-back origins (validation MASE). */
  readonly foldScale: readonly number[];
  /** Band unit per validation forecast: the local scale at its origin. */
  readonly bandScale: Float64Array;
  readonly validation: readonly ValidationForecast[];
  /** The GBDT set behind the validation forecasts (fitted on data before the held-back origins). */
  readonly foldSet: GbdtSet | null;
  readonly finalSet: GbdtSet | null;
  readonly candidates: readonly CandidateScore[];
  readonly accuracy: { readonly model: Accuracy; readonly naive: Accuracy; readonly perStep: readonly { h: number; model: Accuracy; naive: Accuracy }[] };
  /** Coverage of the band on the later held-back origins, calibrated on the earlier ones. */
  readonly coverage: number;
  readonly nonNegative: boolean;
  readonly minHistory: number;
  readonly stoppedByTime: boolean;
  readonly notes: readonly string[];
}

const CANDIDATES: readonly GbdtConfig[] = [
  { horizon: 'shared', scope: 'pooled', baseline: 'level' },
  { horizon: 'direct', scope: 'pooled', baseline: 'level' },
  { horizon: 'shared', scope: 'pooled', baseline: 'none' },
  { horizon: 'shared', scope: 'per-series', baseline: 'level' },
];

function targetValues(table: TypedTable, target: string): Float64Array {
  const c = table.columns.find((col) => col.name === target);
  if (c === undefined) throw new AppError('TARGET_NOT_FOUND', target);
  if (c.type !== 'integer' && c.type !== 'float') throw new AppError('TARGET_TYPE_INVALID', `${target}: a time-series target must be numeric`);
  return c.values;
}

export function trainForecast(table: TypedTable, target: string, ts: TimeSeriesSettings, hooks: ForecastTrainHooks): ForecastTraining {
  const yAll = targetValues(table, target);
  const nonNegative = yAll.every((v) => Number.isNaN(v) || v >= 0);
  const columns = sourceColumnsOf(table, target, ts);
  const series = seriesGrids(table, target, ts, columns).filter((s) => s.nObserved > 0);
  if (series.length === 0) throw new AppError('TARGET_TYPE_INVALID', `${target}: no observed target values`);
  const layout = chooseLayout(target, ts, series, columns);
  const calendar = new CalendarCache(layout, holidayCalendar(ts.holidays));
  const ctx: FeatureContext = {
    layout,
    defs: featureDefs(layout),
    series,
    prefixes: series.map((s) => seriesPrefix(s.y)),
    calendar,
    codes: series.map((_, i) => (layout.nSeries > 0 ? i : NaN)),
    fromStep: ts.fromStep,
    toStep: ts.toStep,
  };
  const { fromStep, toStep } = ts;
  const reach = featureReach(layout, fromStep);
  const season = layout.season;
  const notes: string[] = [];
  const splits = series.map((s) => seriesSplit(s, fromStep, toStep));
  const longEnough = series.map((s, i) => s.lastObserved + 1 >= reach + toStep + MIN_GBDT_ROWS && splits[i]!.cut > reach);
  series.forEach((s, i) => {
    if (!longEnough[i])
      notes.push(
        `${seriesName(s)}: ${s.lastObserved + 1} steps are too short for the lags (${reach} + ${toStep} + ${MIN_GBDT_ROWS}); seasonal naive and ETS only`,
      );
  });

  // Local models on the held-back origins.
  const foldEts = series.map((s, i) => fitEts(s.y, splits[i]!.cut, season));
  const localOf = series.map((s, i) => {
    const pts = splits[i]!.points;
    const origins = [...new Set(pts.map((p) => p.origin))];
    const ets = etsForecasts(s.y, foldEts[i]!, origins, toStep);
    const row = new Map(origins.map((o, k) => [o, k]));
    return pts.map((p) => ({ naive: seasonalNaive(s.y, p.origin, p.h, season), ets: ets[row.get(p.origin)! * toStep + p.h - 1]! }));
  });
  hooks.progress?.(0.15, 'validate');

  // GBDT configurations, in order, while the work and time budgets last.
  const foldPoints = (s: number): ForecastPoint[] =>
    longEnough[s] ? trainingPoints(series[s]!, fromStep, toStep, Math.min(season, reach), splits[s]!.cut) : [];
  const foldCounts = series.map((_, s) => foldPoints(s).length);
  const nFold = foldCounts.reduce((a, b) => a + b, 0);
  const candidates: CandidateScore[] = [];
  let best: { set: GbdtSet; preds: Float64Array[]; rmse: number } | null = null;
  let work = 0;
  let stoppedByTime = false;
  if (longEnough.some(Boolean)) {
    for (const config of CANDIDATES) {
      if (config.scope === 'per-series' && series.length < 2) continue;
      const cost = gbdtWork(ctx, config, nFold, MAX_ROWS_PER_MODEL);
      if (best !== null && work + cost > GBDT_WORK_BUDGET) {
        notes.push(`GBDT ${describe(config)} not tried: beyond the work budget`);
        continue;
      }
      if (best !== null && hooks.elapsed() > 0.5 * hooks.budgetSeconds) {
        stoppedByTime = true;
        notes.push(`GBDT ${describe(config)} not tried: the time budget ran out`);
        continue;
      }
      work += cost;
      const set = trainGbdtSet(ctx, config, foldPoints, gbdtTraining(hooks));
      const preds = series.map((_, s) =>
        longEnough[s] ? predictGbdtSet(ctx, set, s, splits[s]!.points).values : new Float64Array(splits[s]!.points.length).fill(NaN),
      );
      let se = 0;
      let n = 0;
      series.forEach((s, i) => {
        splits[i]!.points.forEach((p, k) => {
          const v = preds[i]![k]!;
          if (Number.isNaN(v)) return;
          const e = s.y[p.origin + p.h]! - (nonNegative ? Math.max(0, v) : v);
          se += e * e;
          n++;
        });
      });
      const rmse = n > 0 ? Math.sqrt(se / n) : Infinity;
      candidates.push({ config, rmse, rounds: Math.max(0, ...set.rounds) });
      if (best === null || rmse < best.rmse) best = { set, preds, rmse };
      hooks.progress?.(0.15 + 0.4 * (candidates.length / CANDIDATES.length), 'search');
    }
  }

  // Per-series choice of method on the held-back origins; never worse than seasonal naive there.
  const validation: ValidationForecast[] = [];
  const choices: SeriesChoice[] = [];
  const wins = new Map<ForecastMethod, number>();
  series.forEach((s, i) => {
    const pts = splits[i]!.points;
    const methods = pts.map((_point, k): MethodForecasts => ({ ...localOf[i]![k]!, gbdt: best?.preds[i]?.[k] ?? NaN }));
    const sse = new Map<ForecastMethod, number>();
    for (const method of METHODS) {
      if (usesGbdt(method) && (best === null || !longEnough[i])) continue;
      let e2 = 0;
      pts.forEach((p, k) => {
        const e = s.y[p.origin + p.h]! - combine(method, methods[k]!, nonNegative);
        e2 += e * e;
      });
      sse.set(method, e2);
    }
    let method: ForecastMethod = 'seasonal naive';
    if (pts.length > 0) for (const [m, v] of sse) if (v < sse.get(method)!) method = m;
    wins.set(method, (wins.get(method) ?? 0) + pts.length);
    const note = !longEnough[i] ? 'too short for the lags: seasonal naive and ETS only' : pts.length === 0 ? 'no held-back origins: seasonal naive' : undefined;
    choices.push({
      key: s.key,
      method,
      ets: fitEts(s.y, s.lastObserved, season),
      scale: seriesScale(s.y, s.lastObserved, season),
      ...(note !== undefined ? { note } : {}),
    });
    pts.forEach((p, k) => {
      validation.push({ series: i, point: p, actual: s.y[p.origin + p.h]!, methods: methods[k]!, prediction: combine(method, methods[k]!, nonNegative) });
    });
  });
  const unseenMethod: ForecastMethod = [...wins.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'seasonal naive';

  // Band: conformal on the scaled residuals of the chosen forecasts, per step.
  const foldScale = series.map((s, i) => seriesScale(s.y, splits[i]!.cut, season));
  const medianOrigin = splits.map((sp) => {
    const origins = sp.points.map((p) => p.origin);
    return origins.length > 0 ? origins[Math.floor(origins.length / 2)]! : 0;
  });
  const bandScale = Float64Array.from(validation, (v) => localScale(series[v.series]!.y, v.point.origin, season));
  const residuals: ScaledResidual[] = validation.map((v, i) => ({
    h: v.point.h,
    value: Math.abs(v.actual - v.prediction) / bandScale[i]!,
    series: v.series,
    origin: v.point.origin,
    late: v.point.origin >= medianOrigin[v.series]!,
  }));
  const band = calibrateBand(residuals, fromStep, toStep);

  // Accuracy of the chosen forecasts and of seasonal naive, overall and per step.
  const acc = (vs: readonly ValidationForecast[], pick: (v: ValidationForecast) => number): Accuracy =>
    accuracyOf(
      vs.map((v) => v.actual),
      vs.map(pick),
      vs.map((v) => foldScale[v.series]!),
    );
  const perStep = [];
  for (let h = fromStep; h <= toStep; h++) {
    const vs = validation.filter((v) => v.point.h === h);
    perStep.push({ h, model: acc(vs, (v) => v.prediction), naive: acc(vs, (v) => v.methods.naive) });
  }
  hooks.progress?.(0.6, 'refit');

  // Final refit of the chosen GBDT configuration on every observation, with the rounds validation found.
  let finalSet: GbdtSet | null = null;
  if (best !== null && choices.some((c) => usesGbdt(c.method))) {
    const allPoints = (s: number): ForecastPoint[] =>
      longEnough[s] ? trainingPoints(series[s]!, fromStep, toStep, Math.min(season, reach), series[s]!.lastObserved) : [];
    const rounds = best.set.rounds.map((r) => (r > 0 ? Math.min(MAX_ROUNDS, Math.max(10, Math.round(r * 1.1))) : 0));
    finalSet = trainGbdtSet(ctx, best.set.config, allPoints, gbdtTraining(hooks), rounds);
  }
  return {
    target,
    settings: ts,
    ctx,
    splits,
    choices,
    unseenMethod,
    band,
    foldScale,
    bandScale,
    validation,
    foldSet: best?.set ?? null,
    finalSet,
    candidates,
    accuracy: { model: acc(validation, (v) => v.prediction), naive: acc(validation, (v) => v.methods.naive), perStep },
    coverage: band.heldBackCoverage,
    nonNegative,
    minHistory: reach,
    stoppedByTime,
    notes,
  };
}

function gbdtTraining(hooks: ForecastTrainHooks): { seed: number; maxRows: number; parallel?: TrainingParallelism; isCancelled?: () => boolean } {
  return {
    seed: hooks.seed,
    maxRows: MAX_ROWS_PER_MODEL,
    ...(hooks.parallel !== undefined ? { parallel: hooks.parallel } : {}),
    ...(hooks.isCancelled !== undefined ? { isCancelled: () => hooks.isCancelled!() } : {}),
  };
}

export function describe(c: GbdtConfig): string {
  return `${c.horizon === 'direct' ? 'one model per step' : 'one model, step as a feature'}, ${c.scope === 'pooled' ? 'pooled over series' : 'one per series'}, ${c.baseline === 'level' ? 'on the change from the recent level' : 'on the target'}`;
}

export function seriesName(s: SeriesGrid): string {
  return s.key === null ? 'the series' : `series ${s.key}`;
}

export function targetTimeOf(s: SeriesGrid, p: ForecastPoint): number {
  return timeAt(s.grid, p.origin + p.h);
}

export type { GbdtModel };
