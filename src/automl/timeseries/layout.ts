/**
 * The feature layout for a training table: the unit's lags, windows and seasonal mean, kept only
 * where the longest series leaves enough training rows for them (a 364-day lag needs more than a
 * year of data).
 */
import type { TimeSeriesSettings } from '../../domain/time-series.js';
import { lagSteps, seasonLength, windowSteps } from './calendar.js';
import type { FeatureLayout } from './features.js';
import type { SeriesGrid, SourceColumn } from './grid.js';

/** Training origins a lag must leave in the longest series to be a feature. */
const MIN_ROWS_AFTER_LAG = 30;
/** Seasons the seasonal-mean feature averages, at most. */
const SEASONAL_MEAN_SEASONS = 4;

export function chooseLayout(target: string, ts: TimeSeriesSettings, series: readonly SeriesGrid[], columns: readonly SourceColumn[]): FeatureLayout {
  const season = seasonLength(ts.unit, ts.interval);
  const longest = Math.max(0, ...series.map((s) => s.lastObserved + 1));
  const room = longest - ts.toStep - MIN_ROWS_AFTER_LAG;
  const lags = lagSteps(ts.unit, ts.interval).filter((l) => l <= Math.max(room, ts.toStep + 1, season));
  const windows = windowSteps(ts.unit, ts.interval).filter((w) => w <= Math.max(2, Math.floor(longest / 3)));
  const seasonal = season > 1 ? Math.max(0, Math.min(SEASONAL_MEAN_SEASONS, Math.floor(longest / (3 * season)))) : 0;
  return {
    target,
    unit: ts.unit,
    interval: ts.interval,
    season,
    lags,
    windows,
    seasonalMeanSeasons: seasonal >= 2 ? seasonal : 0,
    columns,
    holidayMarks: ts.holidays.toLowerCase() !== 'none' && (ts.unit === 'day' || ts.unit === 'hour' || ts.unit === 'minute'),
    nSeries: series.length > 1 ? series.length : 0,
  };
}
