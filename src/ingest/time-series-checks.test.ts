import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.js';
import { addUnits, checkTimeSeries, unitsBetween, type TimeSeriesData, type TimeSeriesRules } from './time-series-checks.js';

const at = (iso: string): number => Date.parse(`${iso}Z`) / 1000;
const RULES: TimeSeriesRules = { minPeriods: 1, minPeriodsReason: 'test', maxSeries: 10, trailingEmptyTargets: false, referenceYear: 2026 };

function data(times: string[], extra: Partial<TimeSeriesData> = {}): TimeSeriesData {
  return { times, dateFormat: null, target: times.map((_t, i) => i), series: null, timeColumn: 't', targetColumn: 'y', ...extra };
}

function kindOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err.kind;
    throw err;
  }
  return 'ok';
}

describe('unitsBetween and addUnits', () => {
  it('count calendar steps and land on the same kind of day', () => {
    expect(unitsBetween(at('2024-01-31T00:00'), at('2024-04-30T00:00'), 'eom')).toBe(3);
    expect(unitsBetween(at('2024-01-30T00:00'), at('2024-04-30T00:00'), 'eom')).toBeNull();
    expect(unitsBetween(at('2024-01-15T00:00'), at('2025-03-15T00:00'), 'month')).toBe(14);
    expect(unitsBetween(at('2024-01-15T00:00'), at('2024-03-16T00:00'), 'month')).toBeNull();
    expect(unitsBetween(at('2020-02-29T00:00'), at('2024-02-29T00:00'), 'year')).toBe(4);
    expect(unitsBetween(at('2024-01-01T00:00'), at('2024-01-01T05:30'), 'minute')).toBe(330);
    expect(unitsBetween(at('2024-01-01T00:00'), at('2024-01-01T05:30'), 'hour')).toBeNull();
    expect(addUnits(at('2024-01-31T00:00'), 1, 'eom')).toBe(at('2024-02-29T00:00'));
    expect(addUnits(at('2024-11-30T00:00'), 3, 'eom')).toBe(at('2025-02-28T00:00'));
    expect(addUnits(at('2024-01-15T06:00'), 13, 'month')).toBe(at('2025-02-15T06:00'));
    expect(addUnits(at('2024-03-10T00:00'), -2, 'day')).toBe(at('2024-03-08T00:00'));
    expect(addUnits(at('2021-06-01T00:00'), 2, 'year')).toBe(at('2023-06-01T00:00'));
  });

  it('agree: moving n steps and counting them back gives n', () => {
    for (const unit of ['minute', 'hour', 'day', 'month', 'eom', 'year'] as const) {
      const start = unit === 'eom' ? at('2023-01-31T00:00') : at('2023-01-28T00:00');
      for (const n of [1, 2, 7, 13, 25]) expect(unitsBetween(start, addUnits(start, n, unit), unit), `${unit} ${n}`).toBe(n);
    }
  });
});

describe('checkTimeSeries', () => {
  it('infers the unit and the interval', () => {
    const days = (step: number) => Array.from({ length: 6 }, (_v, i) => new Date(Date.UTC(2024, 0, 1 + step * i)).toISOString().slice(0, 10));
    expect(checkTimeSeries(data(days(1)), RULES)).toMatchObject({ unit: 'day', interval: 1, dateFormat: 'yyyy-MM-dd' });
    expect(checkTimeSeries(data(days(7)), RULES)).toMatchObject({ unit: 'day', interval: 7 });
    expect(checkTimeSeries(data(['2024-01-15', '2024-02-15', '2024-03-15', '2024-05-15']), RULES)).toMatchObject({ unit: 'month', interval: 1 });
    expect(checkTimeSeries(data(['2024-01-31', '2024-02-29', '2024-03-31']), RULES)).toMatchObject({ unit: 'eom', interval: 1 });
    expect(checkTimeSeries(data(['2024-01', '2024-03', '2024-05']), RULES)).toMatchObject({ unit: 'month', interval: 2 });
    expect(checkTimeSeries(data(['2024-01-01 00:00', '2024-01-01 06:00', '2024-01-01 12:00']), RULES)).toMatchObject({ unit: 'hour', interval: 6 });
    expect(checkTimeSeries(data(['2024-01-01 00:00', '2024-01-01 00:15', '2024-01-01 00:45']), RULES)).toMatchObject({ unit: 'minute', interval: 15 });
  });

  it('keeps the given unit and interval and checks the times against them', () => {
    expect(checkTimeSeries(data(['2024-01-01', '2024-01-03', '2024-01-07']), { ...RULES, unit: 'day', interval: 2 })).toMatchObject({ interval: 2 });
    expect(kindOf(() => checkTimeSeries(data(['2024-01-01', '2024-01-04']), { ...RULES, unit: 'day', interval: 2 }))).toBe('TS_IRREGULAR_INTERVAL');
    // Gaps: 2 missing months beside 3 rows are fine, 5 are more than half of the grid.
    expect(checkTimeSeries(data(['2024-01-01', '2024-02-01', '2024-05-01']), RULES)).toMatchObject({ unit: 'month', interval: 1 });
    expect(kindOf(() => checkTimeSeries(data(['2024-01-01', '2024-02-01', '2024-08-01']), RULES))).toBe('TS_IRREGULAR_INTERVAL');
  });

  it('refuses an inferred interval outside the supported range', () => {
    expect(kindOf(() => checkTimeSeries(data(['2024-01-01', '2024-01-31', '2024-03-01']), RULES))).toBe('TS_IRREGULAR_INTERVAL');
  });

  it('checks each series on its own, and counts periods per series', () => {
    const times = ['2024-01-01', '2024-01-02', '2024-01-01', '2024-01-02', '2024-01-03'];
    const series = ['a', 'a', 'b', 'b', 'b'];
    const r = checkTimeSeries(data(times, { series, seriesColumn: 's' }), RULES);
    expect(r.series.map((s) => [s.series, s.nObserved])).toEqual([
      ['a', 2],
      ['b', 3],
    ]);
    expect(kindOf(() => checkTimeSeries(data(times, { series, seriesColumn: 's' }), { ...RULES, minPeriods: 3 }))).toBe('TS_SERIES_TOO_SHORT');
    expect(kindOf(() => checkTimeSeries(data(times, { series, seriesColumn: 's' }), { ...RULES, maxSeries: 1 }))).toBe('TS_TOO_MANY_SERIES');
  });

  it('treats trailing empty targets as forecast rows only when asked', () => {
    const d = data(['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04'], { target: [1, 2, NaN, NaN] });
    expect(kindOf(() => checkTimeSeries(d, RULES))).toBe('TS_MISSING_TARGET');
    const r = checkTimeSeries(d, { ...RULES, trailingEmptyTargets: true });
    expect(r.series[0]).toMatchObject({ nObserved: 2, lastObserved: at('2024-01-02T00:00') });
    expect(
      kindOf(() => checkTimeSeries(data(['2024-01-01', '2024-01-02', '2024-01-03'], { target: [1, NaN, 3] }), { ...RULES, trailingEmptyTargets: true })),
    ).toBe('TS_MISSING_TARGET');
  });
});
