/**
 * Forecasting with a trained forecaster from a request's history: each series is put on its grid,
 * its last observed target is the origin, and steps tsf..tst after it are forecast; rows after the
 * origin carry the known-future columns. The history must reach back as far as the model's lags.
 */
import { shapValues } from '../../engine/index.js';
import { AppError } from '../../domain/errors.js';
import type { ForecastOptions, ForecastReason, ForecastRow } from '../../domain/time-series.js';
import type { TypedTable } from '../../table/table.js';
import { timeAt } from './calendar.js';
import { combine, gbdtWeight } from './combine.js';
import { localScale, seriesScale } from './conformal.js';
import { CalendarCache, featureDefs, seriesPrefix } from './features.js';
import type { ForecastPoint } from './features.js';
import { usesGbdt } from './forecaster.js';
import type { ForecasterData, SeriesChoice } from './forecaster.js';
import { predictGbdtSet } from './gbdt.js';
import type { FeatureContext } from './gbdt.js';
import { seriesGrids } from './grid.js';
import type { SeriesGrid } from './grid.js';
import { holidayCalendar } from './holidays.js';
import { etsForecasts, fitEts, seasonalNaive } from './local-models.js';

function iso(t: number): string {
  return Number.isFinite(t) ? new Date(t * 1000).toISOString().replace('T', ' ').replace('.000Z', '') : String(t);
}

function label(s: SeriesGrid, m: ForecasterData): string {
  return s.key === null ? `${m.target}` : `${m.settings.seriesColumn ?? 'series'}=${s.key}`;
}

/**
 * @throws AppError INFERENCE_INVALID_REQUEST when a series has no observed target, a history too
 *   short for the model's lags, or a known-future value missing at a forecast time
 */
export function forecastWith(m: ForecasterData, history: TypedTable, options: ForecastOptions): ForecastRow[] {
  const ts = m.settings;
  const layout = m.layout;
  const series = seriesGrids(history, m.target, ts, layout.columns);
  const keyIndex = new Map(m.series.map((c, i) => [c.key, i]));
  const ctx: FeatureContext = {
    layout,
    defs: featureDefs(layout),
    series,
    prefixes: series.map((s) => seriesPrefix(s.y)),
    calendar: new CalendarCache(layout, holidayCalendar(ts.holidays)),
    codes: series.map((s) => (layout.nSeries > 0 ? (keyIndex.get(s.key) ?? NaN) : NaN)),
    fromStep: ts.fromStep,
    toStep: ts.toStep,
  };
  const rows: ForecastRow[] = [];
  series.forEach((s, i) => {
    const L = s.lastObserved;
    if (L < 0) throw new AppError('INFERENCE_INVALID_REQUEST', `${label(s, m)}: no observed ${m.target} in the history`);
    const trained = keyIndex.get(s.key);
    const choice: SeriesChoice =
      trained !== undefined
        ? m.series[trained]!
        : { key: s.key, method: m.unseenMethod, ets: fitEts(s.y, L, layout.season), scale: seriesScale(s.y, L, layout.season) };
    const gbdt = usesGbdt(choice.method) && m.gbdt !== null;
    const need = gbdt ? m.minHistory : 1;
    if (L + 1 < need)
      throw new AppError('INFERENCE_INVALID_REQUEST', `${label(s, m)}: the history holds ${L + 1} steps up to ${iso(timeAt(s.grid, L))}; the model needs ${need} steps of ${m.target} before the forecast`);
    for (const [c, col] of layout.columns.entries()) {
      if (!col.knownFuture) continue;
      for (let h = ts.fromStep; h <= ts.toStep; h++) {
        const v = s.x[c]![L + h];
        if (v === undefined || Number.isNaN(v))
          throw new AppError('INFERENCE_INVALID_REQUEST', `${label(s, m)}: known-future column ${col.name} has no value at ${iso(timeAt(s.grid, L + h))} (forecast step ${h}); add a row for that time with ${m.target} empty`);
      }
    }
    const bandUnit = localScale(s.y, L, layout.season);
    const points: ForecastPoint[] = [];
    for (let h = ts.fromStep; h <= ts.toStep; h++) points.push({ origin: L, h });
    const ets = etsForecasts(s.y, choice.ets, [L], ts.toStep);
    const g = gbdt ? predictGbdtSet(ctx, { config: m.gbdt!.config, models: m.gbdt!.models, rounds: [] }, i, points, trained ?? -1) : null;
    points.forEach((p, k) => {
      const f = { naive: seasonalNaive(s.y, L, p.h, layout.season), ets: ets[p.h - 1]!, gbdt: g?.values[k] ?? NaN };
      const prediction = combine(choice.method, f, m.nonNegative);
      const half = m.quantiles[p.h - ts.fromStep]! * bandUnit;
      const row: ForecastRow = {
        series: s.key,
        time: timeAt(s.grid, L + p.h),
        horizon: p.h,
        prediction,
        lower: m.nonNegative ? Math.max(0, prediction - half) : prediction - half,
        upper: prediction + half,
        ...(options.reasons ? { reasons: reasonsOf(m, ctx, g, k, gbdtWeight(choice.method), options.topK ?? 3) } : {}),
      };
      rows.push(row);
    });
  });
  return rows;
}

function reasonsOf(
  m: ForecasterData,
  ctx: FeatureContext,
  g: { rows: Float64Array; modelOf: Int32Array } | null,
  k: number,
  weight: number,
  topK: number,
): { up: ForecastReason[]; down: ForecastReason[] } {
  const model = g === null ? -1 : g.modelOf[k]!;
  if (g === null || model < 0 || weight === 0) return { up: [], down: [] };
  const nF = ctx.defs.length;
  const shap = shapValues(m.gbdt!.models[model]!, g.rows.subarray(k * nF, (k + 1) * nF), 1);
  return topReasons(ctx.defs.map((d) => d.name), shap, weight, topK);
}

/** The largest contributions each way (`shap` holds one row: features then the base value). */
export function topReasons(names: readonly string[], shap: Float64Array, weight: number, topK: number): { up: ForecastReason[]; down: ForecastReason[] } {
  const items = names.map((feature, f) => ({ feature, contribution: shap[f]! * weight })).filter((r) => r.contribution !== 0);
  const up = items.filter((r) => r.contribution > 0).sort((a, b) => b.contribution - a.contribution).slice(0, topK);
  const down = items.filter((r) => r.contribution < 0).sort((a, b) => a.contribution - b.contribution).slice(0, topK);
  return { up, down };
}
