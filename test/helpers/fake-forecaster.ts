/**
 * A tiny last-value forecaster for the time-series API tests only (never in src): it reads the
 * history the way a real forecaster does (time as dates, target, series, the known-future
 * columns at the forecast times) and forecasts each series' last observed value plus the
 * known-future `promo` × 10, with a band of ±1. Stands in for automl's forecaster until it lands.
 */
import { addUnits } from '../../src/ingest/index.js';
import type { Forecaster } from '../../src/deploy/forecast-inference.js';
import type { ForecastNeeds, ForecastRow, TimeSeriesSettings } from '../../src/domain/time-series.js';
import type { TypedTable } from '../../src/table/table.js';

export function fakeForecaster(settings: TimeSeriesSettings, target: string, minHistory = 3): Forecaster {
  const columns: ForecastNeeds['columns'] = [
    { name: settings.timeColumn, type: 'date' },
    { name: target, type: 'float' },
    ...(settings.seriesColumn === undefined ? [] : [{ name: settings.seriesColumn, type: 'string' as const }]),
    { name: 'temp', type: 'float' },
    { name: 'promo', type: 'float' },
  ];
  const needs: ForecastNeeds = { settings, minHistory, columns };
  return {
    target,
    needs,
    forecast(history: TypedTable, options): ForecastRow[] {
      const col = (name: string) => history.columns.find((c) => c.name === name)!;
      const time = col(settings.timeColumn);
      const y = col(target);
      const promo = col('promo');
      const series = settings.seriesColumn === undefined ? null : col(settings.seriesColumn);
      if (time.type !== 'date' || (y.type !== 'float' && y.type !== 'integer') || (promo.type !== 'float' && promo.type !== 'integer'))
        throw new Error('unexpected history types');
      const last = new Map<string | null, { t: number; y: number }>();
      const promoAt = new Map<string, number>();
      for (let r = 0; r < history.nRows; r++) {
        const key = series?.type === 'string' ? series.levels[series.codes[r]!]! : null;
        promoAt.set(`${key}|${time.values[r]}`, promo.values[r]!);
        if (!Number.isNaN(y.values[r]!)) last.set(key, { t: time.values[r]!, y: y.values[r]! });
      }
      const out: ForecastRow[] = [];
      for (const [key, obs] of last) {
        for (let h = settings.fromStep; h <= settings.toStep; h++) {
          const t = addUnits(obs.t, h * settings.interval, settings.unit);
          const uses = settings.knownFuture.includes('promo');
          const prediction = obs.y + (uses ? 10 * (promoAt.get(`${key}|${t}`) ?? 0) : 0);
          out.push({
            series: key,
            time: t,
            horizon: h,
            prediction,
            lower: prediction - 1,
            upper: prediction + 1,
            ...(options.reasons ? { reasons: { up: [{ feature: `${target} (1 day before)`, contribution: 0.5 }], down: [] } } : {}),
          });
        }
      }
      return out;
    },
  };
}
