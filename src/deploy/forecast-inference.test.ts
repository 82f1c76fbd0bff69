import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.js';
import type { TimeSeriesSettings } from '../domain/time-series.js';
import { fakeForecaster } from '../../test/helpers/fake-forecaster.js';
import { forecastInference } from './forecast-inference.js';
import { formatTime } from './time-format.js';

const DAILY: TimeSeriesSettings = { timeColumn: 'date', unit: 'day', interval: 1, fromStep: 1, toStep: 2, knownFuture: ['promo'], holidays: 'JP' };
const run = (csv: string, settings = DAILY, withReasons = false) =>
  forecastInference({ csvText: csv, withReasons, timeFormat: 'yyyy-MM-dd', referenceYear: 2026 }, fakeForecaster(settings, 'sales'));

function detailOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError && err.kind === 'INFERENCE_INVALID_REQUEST') return err.detail ?? '';
    throw err;
  }
  throw new Error('no error');
}

const HISTORY = 'date,temp,promo,sales\n2024-01-01,10,0,5\n2024-01-02,11,0,6\n2024-01-03,12,0,7\n';

describe('forecastInference', () => {
  it('answers tsc, horizon, prediction, lower, upper for every step after the last observed time', () => {
    const out = run(HISTORY + '2024-01-04,13,1,\n2024-01-05,14,0,\n');
    expect(out.valid).toBe('date,horizon,prediction,lower,upper\n2024-01-04,1,17,16,18\n2024-01-05,2,7,6,8\n');
    expect(out.analysis).toBeNull();
    expect(out.nForecasts).toBe(2);
    expect(out.warnings).toEqual([]);
    const noTemp = run('date,promo,sales\n2024-01-01,0,5\n2024-01-02,0,6\n2024-01-03,0,7\n2024-01-04,1,\n2024-01-05,0,\n');
    expect(noTemp.valid).toBe(out.valid);
    expect(noTemp.warnings).toEqual(['column "temp" is missing from the CSV; it was read as missing in every row']);
  });

  it('adds the series column and the reasons', () => {
    const csv =
      'date,store,temp,promo,sales\n2024-01-01,a,1,0,5\n2024-01-02,a,1,0,6\n2024-01-03,a,1,0,7\n2024-01-02,b,1,0,1\n2024-01-03,b,1,0,2\n2024-01-04,b,1,0,3\n';
    const out = run(csv, { ...DAILY, toStep: 1, seriesColumn: 'store', knownFuture: [] }, true);
    expect(out.valid).toBe('date,horizon,store,prediction,lower,upper\n2024-01-04,1,a,7,6,8\n2024-01-05,1,b,3,2,4\n');
    expect(out.analysis!.split('\n')[1]).toBe('2024-01-04,1,a,7,6,8,sales (1 day before):0.5,,,,,');
  });

  it('says what is missing: known-future rows or values, the history, the columns', () => {
    expect(detailOf(() => run(HISTORY))).toMatch(
      /^TS_KNOWN_FUTURE_MISSING: time "2024-01-04" \(horizon 1\) has no row; the model uses the known-future columns "promo"/,
    );
    expect(detailOf(() => run(HISTORY + '2024-01-04,13,1,\n2024-01-05,14,,\n'))).toMatch(
      /column "promo", row 5 \(time "2024-01-05" \(horizon 2\)\) is empty; expected its known-future value/,
    );
    expect(detailOf(() => run('date,temp,promo,sales\n2024-01-01,1,0,5\n2024-01-02,1,0,6\n2024-01-03,1,1,\n'))).toMatch(
      /^TS_SERIES_TOO_SHORT: the series has 2 periods with a value in "sales"; at least 3 are required \(the model's lags/,
    );
    expect(detailOf(() => run('date,temp,sales\n2024-01-01,1,5\n'))).toMatch(/the CSV lacks the column "promo"/);
    expect(detailOf(() => run(HISTORY.replace('2024-01-02,11,0,6', '2024-01-02,11,0,')))).toMatch(
      /^TS_MISSING_TARGET: tc: column "sales", row 2 .* before the last observed value/,
    );
    expect(detailOf(() => run(HISTORY.replace('2024-01-02', '2024-01-02 12:00')))).toMatch(
      /^TS_TIME_INVALID: tsc: column "date", row 2 has "2024-01-02 12:00"; expected a date in the column's format yyyy-MM-dd/,
    );
    expect(detailOf(() => run(HISTORY.replace('2024-01-03', '2024-01-02')))).toMatch(/^TS_DUPLICATE_TIME/);
    expect(detailOf(() => run(HISTORY + '2024-01-04,1,x,\n'))).toMatch(
      /^row 4: column "promo": "x" is not a number; every row of a time-series history must be readable/,
    );
  });

  it('steps months, month ends and years on the calendar', () => {
    const monthly = 'date,temp,promo,sales\n2024-01-31,1,0,1\n2024-02-29,1,0,2\n2024-03-31,1,0,3\n';
    const out = run(monthly, { ...DAILY, unit: 'eom', knownFuture: [] });
    expect(out.valid).toBe('date,horizon,prediction,lower,upper\n2024-04-30,1,3,2,4\n2024-05-31,2,3,2,4\n');
  });
});

describe('formatTime', () => {
  it('writes the training formats', () => {
    const t = Date.UTC(2019, 0, 5, 7, 3, 9) / 1000;
    expect(formatTime(t, 'yyyy-MM-dd HH:mm:ss')).toBe('2019-01-05 07:03:09');
    expect(formatTime(t, 'yyyy/M/d H:mm')).toBe('2019/1/5 7:03');
    expect(formatTime(t, 'M/d/yyyy')).toBe('1/5/2019');
    expect(formatTime(t, 'yyyyMM')).toBe('201901');
    expect(formatTime(t, 'mmm-yy')).toBe('Jan-19');
    expect(formatTime(t, 'dd-MM-yyyy')).toBe('05-01-2019');
  });
});
