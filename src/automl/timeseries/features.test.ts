import { describe, expect, it } from 'vitest';
import { CalendarCache, featureDefs, featureReach, seriesPrefix, writeFeatures } from './features.js';
import type { FeatureLayout, ForecastPoint } from './features.js';
import type { SeriesGrid } from './grid.js';
import { holidayCalendar } from './holidays.js';

const T0 = Date.UTC(2024, 0, 1) / 1000;

const layout: FeatureLayout = {
  target: 'ridership',
  unit: 'day',
  interval: 1,
  season: 7,
  lags: [1, 2, 7, 14],
  windows: [7],
  seasonalMeanSeasons: 2,
  columns: [
    { name: 'promo', kind: 'numeric', knownFuture: true },
    { name: 'weather', kind: 'categorical', levels: ['sun', 'rain'], knownFuture: false },
  ],
  holidayMarks: true,
  nSeries: 0,
};

function series(n: number, seed: number): SeriesGrid {
  const y = Float64Array.from({ length: n }, (_, i) => 10 + ((i * 7 + seed) % 5));
  return {
    key: null,
    grid: { unit: 'day', interval: 1, anchor: T0 },
    length: n,
    y,
    x: [Float64Array.from(y, (_, i) => i % 2), Float64Array.from(y, (_, i) => i % 2)],
    lastObserved: n - 1,
    nObserved: n,
  };
}

function features(s: SeriesGrid, points: ForecastPoint[]): Float64Array {
  const out = new Float64Array(points.length * featureDefs(layout).length);
  writeFeatures(layout, s, seriesPrefix(s.y), new CalendarCache(layout, holidayCalendar('JP')), NaN, points, out, 0);
  return out;
}

describe('forecast features', () => {
  it('are named by what they are', () => {
    const names = featureDefs(layout).map((d) => d.name);
    expect(names).toContain('ridership (7 days before)');
    expect(names).toContain('ridership (mean of the last 7 days)');
    expect(names).toContain('ridership (trend of the last 7 days)');
    expect(names).toContain('ridership (mean of the same weekday in the last 2 seasons)');
    expect(names).toContain('promo (at the forecast time)');
    expect(names).toContain('weather (at the origin)');
    expect(names).not.toContain('weather (at the forecast time)');
    expect(names).toContain('day before a holiday');
    expect(names).toContain('horizon (steps ahead)');
  });

  it('never read a target or lag-only value after the origin', () => {
    const points: ForecastPoint[] = [];
    for (const origin of [20, 30]) for (let h = 1; h <= 7; h++) points.push({ origin, h });
    const a = series(60, 1);
    const before = features(a, points);
    // Perturb every target and lag-only value after the first origin's position; the known-future
    // column stays as it is (it is allowed at the target time).
    for (let i = 21; i < 60; i++) {
      a.y[i] = 1e6 + i;
      a.x[1]![i] = 1;
    }
    const after = features(a, points);
    const nF = featureDefs(layout).length;
    for (let h = 0; h < 7; h++) expect(Array.from(after.subarray(h * nF, (h + 1) * nF))).toEqual(Array.from(before.subarray(h * nF, (h + 1) * nF)));
  });

  it('read lags before the target time only when they lie at or before the origin', () => {
    const s = series(40, 0);
    const names = featureDefs(layout).map((d) => d.name);
    const row = features(s, [{ origin: 20, h: 3 }]);
    expect(row[names.indexOf('ridership (1 day before)')]).toBeNaN();
    expect(row[names.indexOf('ridership (7 days before)')]).toBe(s.y[16]);
    expect(row[names.indexOf('ridership (last observed)')]).toBe(s.y[20]);
    expect(row[names.indexOf('promo (at the forecast time)')]).toBe(s.x[0]![23]);
    expect(row[names.indexOf('horizon (steps ahead)')]).toBe(3);
  });

  it('put holiday marks of the target day (New Year in Japan)', () => {
    const s = series(40, 0);
    const names = featureDefs(layout).map((d) => d.name);
    const row = features(s, [{ origin: 6, h: 1 }]); // target 2024-01-08, 成人の日
    expect(row[names.indexOf('holiday')]).toBe(1);
    expect(row[names.indexOf('days off in a row')]).toBe(3);
    expect(row[names.indexOf('day of the week')]).toBe(1);
  });

  it('report how far back they reach', () => {
    expect(featureReach(layout, 1)).toBe(15);
  });
});
