/**
 * Time-series mode through POST /v1/external/models: the ts* keys, the limits and the data checks
 * (docs/timeseries.md §API). Every documented time-series error is answered before anything is
 * queued, and a valid request queues one job whose stored settings carry the resolved ts settings.
 */
import { describe, expect, it } from 'vitest';
import { createHarness, expectError, type Harness } from '../helpers/harness.js';
import { seriesCsv, TS_CONFIG } from './timeseries-fixtures.js';

async function setup(learn: string, env: Record<string, string> = {}, evalCsv?: string) {
  const h = await createHarness(env);
  const { train } = await h.user('alice');
  const pid = await h.upload(train, { learn, ...(evalCsv === undefined ? {} : { eval: evalCsv }) });
  const post = (config: unknown) => h.post('/v1/external/models', train, { external_process_id: pid, name: 'ts', config });
  return { h, train, pid, post };
}

async function queuedJobs(h: Harness): Promise<number> {
  let n = 0;
  while ((await h.storage.jobs.claim(['train'], 'probe', 1000)) !== null) n++;
  return n;
}

describe('time-series config (tsm, tsc, tsu, tsi, tsf, tst, tss, tsin, tsine, holidays)', () => {
  it('resolves the settings: unit and interval inferred, known-future columns from tsin + tsine', async () => {
    const { h, pid, post } = await setup(seriesCsv({ n: 40 }));
    const res = await post({ ...TS_CONFIG, tsine: 'promo' });
    expect(res.statusCode).toBe(200);
    const process = await h.storage.processes.getById(pid);
    expect(process?.settings?.timeSeries).toEqual({
      timeColumn: 'date',
      unit: 'day',
      interval: 1,
      fromStep: 1,
      toStep: 3,
      knownFuture: ['promo'],
      holidays: 'JP',
    });
    expect(process?.settings?.cv).toBe(0);
    expect(await queuedJobs(h)).toBe(1);

    const inverse = await setup(seriesCsv({ n: 40, stepDays: 7 }));
    expect((await inverse.post({ ...TS_CONFIG, tsin: true, tsine: ['promo'], holidays: 'us' })).statusCode).toBe(200);
    const weekly = (await inverse.h.storage.processes.getById(inverse.pid))?.settings?.timeSeries;
    expect(weekly).toMatchObject({ unit: 'day', interval: 7, knownFuture: ['temp'], holidays: 'US' });
  });

  it('takes tsu, tsi and tss as given, with series of different lengths', async () => {
    const csv = seriesCsv({ n: 30, stores: ['a', 'b'], edit: (rows) => rows.splice(0, 5) });
    const { h, pid, post } = await setup(csv);
    expect((await post({ ...TS_CONFIG, tsu: 'day', tsi: '1', tss: 'store', holidays: 'none' })).statusCode).toBe(200);
    expect((await h.storage.processes.getById(pid))?.settings?.timeSeries).toMatchObject({
      unit: 'day',
      interval: 1,
      seriesColumn: 'store',
      knownFuture: [],
      holidays: 'none',
    });
  });

  it('answers every documented config error, naming the key, the value and what is allowed', async () => {
    const { h, post } = await setup(seriesCsv({ n: 40 }));
    const cases: [unknown, number, RegExp][] = [
      [{ ...TS_CONFIG, tt: 'binary_classification', tv: '1' }, 4001000303, /tsm: got true; allowed: true only with tt=regression/],
      [{ ...TS_CONFIG, cv: 0 }, 4001000305, /^Not available in time-series mode: cv: got 0; allowed: no cv with tsm=true/],
      [{ ...TS_CONFIG, tsc: undefined }, 4001000303, /tsc: got null; allowed: the time column \(required with tsm=true\)/],
      [{ ...TS_CONFIG, tst: undefined }, 4001000303, /tst: got null; allowed: an integer ≥ 1 \(required with tsm=true\)/],
      [{ ...TS_CONFIG, tsf: 0 }, 4001000303, /tsf: got 0; allowed: an integer ≥ 1/],
      [{ ...TS_CONFIG, tsu: 'day', tsi: 29 }, 4001000303, /tsi: got 29; allowed: 0 \(automatic\) or 1 to 28 with tsu=day/],
      [{ ...TS_CONFIG, tsi: 2 }, 4001000303, /tsi: got 2; allowed: 0 \(automatic\) unless tsu is given too/],
      [{ ...TS_CONFIG, holidays: 'Japan' }, 4001000303, /holidays: got "Japan"; allowed: an ISO 3166-1 alpha-2 country code/],
      [{ tc: 'sales', tt: 'regression', holidays: 'JP' }, 4001000303, /holidays: got "JP"; allowed: only with tsm=true/],
      [{ ...TS_CONFIG, holidays: 'XX' }, 4001000303, /holidays: got "XX"; allowed: an ISO 3166-1 alpha-2 country code that has a holiday calendar/],
      [{ ...TS_CONFIG, tsc: 'day' }, 4001000303, /tsc: got "day"; allowed: a column of the training file: "date", "temp", "promo", "sales"/],
      [{ ...TS_CONFIG, tsc: 'sales' }, 4001000303, /tsc: got "sales"; allowed: a column other than "sales"/],
      [{ ...TS_CONFIG, tss: 'date' }, 4001000303, /tss: got "date"; allowed: a column other than "sales" and "date"/],
      [{ ...TS_CONFIG, tsine: ['promo', 'nope'] }, 4001000303, /tsine: got "nope"; allowed: a column of the training file/],
      [{ ...TS_CONFIG, tsine: 'date' }, 4001000303, /tsine: got "date"; allowed: a column other than/],
      [{ ...TS_CONFIG, tsc: 'temp' }, 4001000350, /tsc: column "temp" holds no dates; row 1 has "10"; expected dates in one format such as yyyy-MM-dd/],
    ];
    for (const [config, code, message] of cases) expectError(await post(config), code, message);
    expect(await queuedJobs(h)).toBe(0);
  });

  it('refuses an evaluation file', async () => {
    const { h, post } = await setup(seriesCsv({ n: 40 }), {}, seriesCsv({ n: 10 }));
    expectError(await post(TS_CONFIG), 4001000305, /an evaluation file was uploaded; allowed: no evaluation file with tsm=true/);
    expect(await queuedJobs(h)).toBe(0);
  });
});

describe('time-series limits (TS_MIN_ROWS, TS_MAX_ROWS, TS_MAX_COLUMNS, TS_MAX_SERIES, 2N+1)', () => {
  it('uses the documented defaults and the configured values', async () => {
    expectError(
      await (await setup(seriesCsv({ n: 19 }))).post({ ...TS_CONFIG, tst: 1 }),
      4001000310,
      /has 19 data rows; at least 20 are required with tsm=true \(TS_MIN_ROWS\)/,
    );
    expect((await (await setup(seriesCsv({ n: 20 }))).post({ ...TS_CONFIG, tst: 1 })).statusCode).toBe(200);
    expectError(
      await (await setup(seriesCsv({ n: 40 }), { TS_MAX_ROWS: '30' })).post(TS_CONFIG),
      4001000311,
      /has 40 data rows; allowed with tsm=true: at most 30 \(TS_MAX_ROWS\)/,
    );
    expectError(
      await (await setup(seriesCsv({ n: 40 }), { TS_MAX_COLUMNS: '3' })).post(TS_CONFIG),
      4001000312,
      /has 4 columns; allowed with tsm=true: at most 3 \(TS_MAX_COLUMNS\)/,
    );
    const three = seriesCsv({ n: 10, stores: ['a', 'b', 'c'] });
    expectError(
      await (await setup(three, { TS_MAX_SERIES: '2' })).post({ ...TS_CONFIG, tss: 'store', tst: 2 }),
      4001000356,
      /tss: column "store" has more than 2 distinct values \(row 21 starts series "c"\)/,
    );
  });

  it('needs 2N+1 periods per series for a horizon of N', async () => {
    const { post } = await setup(seriesCsv({ n: 20 }));
    expect((await post({ ...TS_CONFIG, tst: 9 })).statusCode).toBe(200);
    const short = await setup(seriesCsv({ n: 20 }));
    expectError(
      await short.post({ ...TS_CONFIG, tst: 10 }),
      4001000355,
      /the series has 20 periods with a value in "sales"; at least 21 are required \(2×tst\+1 with tst=10\)/,
    );
    const uneven = await setup(seriesCsv({ n: 15, stores: ['a', 'b'], edit: (rows) => rows.splice(0, 6) }));
    expectError(await uneven.post({ ...TS_CONFIG, tss: 'store', tst: 5 }), 4001000355, /series "a" \(store\) has 9 periods/);
  });
});

describe('time-series data checks', () => {
  const check = async (edit: (rows: string[][]) => void, config: Record<string, unknown> = {}, stores?: string[]) => {
    const { h, post } = await setup(seriesCsv({ n: 30, edit, ...(stores === undefined ? {} : { stores }) }));
    const res = await post({ ...TS_CONFIG, ...config });
    expect(await queuedJobs(h)).toBe(res.statusCode === 200 ? 1 : 0);
    return res;
  };

  it('names an unparsable or empty date with its column, row and the format', async () => {
    expectError(
      await check((r) => (r[11]![0] = '2024-02-30')),
      4001000350,
      /tsc: column "date", row 12 has "2024-02-30"; expected a date in the column's format yyyy-MM-dd/,
    );
    expectError(await check((r) => (r[3]![0] = '')), 4001000350, /column "date", row 4 is empty/);
  });

  it('names duplicate timestamps within a series, but allows the same time in two series', async () => {
    expectError(await check((r) => (r[5]![0] = r[4]![0]!)), 4001000351, /rows 5 and 6 both have "2024-01-05"; expected one row per time in each series/);
    expectError(
      await check((r) => (r[35]![0] = r[34]![0]!), { tss: 'store' }, ['a', 'b']),
      4001000351,
      /rows 35 and 36 of series "b" \(store\) both have "2024-01-05"/,
    );
    expect((await check(() => undefined, { tss: 'store' }, ['a', 'b'])).statusCode).toBe(200);
  });

  it('names timestamps out of order, and takes a series that runs descending', async () => {
    expectError(
      await check((r) => ([r[7], r[8]] = [r[8]!, r[7]!])),
      4001000352,
      /row 9 has "2024-01-08", earlier than "2024-01-09" in row 8; expected ascending times/,
    );
    expect((await check((r) => r.reverse())).statusCode).toBe(200);
    const { h, pid, post } = await setup(seriesCsv({ n: 30, stepDays: 7, edit: (r) => r.reverse() }));
    expect((await post(TS_CONFIG)).statusCode).toBe(200);
    expect((await h.storage.processes.getById(pid))?.settings?.timeSeries).toMatchObject({ unit: 'day', interval: 7 });
    expectError(
      await check((r) => (r.reverse(), ([r[7], r[8]] = [r[8]!, r[7]!]))),
      4001000352,
      /row 9 has "2024-01-23", later than "2024-01-22" in row 8; expected descending times, as the series starts/,
    );
  });

  it('allows gaps on a regular grid but names irregular spacing', async () => {
    expect((await check((r) => r.splice(10, 3))).statusCode).toBe(200);
    const midday = (r: string[][]) => r.forEach((row, i) => (row[0] += i === 10 ? ' 12:00' : ' 00:00'));
    expectError(
      await check(midday, { tsu: 'day' }),
      4001000353,
      /row 11 has "2024-01-11 12:00", which is not a whole number of day steps after "2024-01-10 00:00" \(row 10\); expected times on one grid of tsu=day/,
    );
    const weekly = (r: string[][]) => r.forEach((row, i) => (row[0] = new Date(Date.UTC(2024, 0, 1 + 7 * i + (i === 20 ? 3 : 0))).toISOString().slice(0, 10)));
    expectError(await check(weekly), 4001000353, /row 21 has "2024-05-23", 10 days after "2024-05-13" \(row 20\); expected a multiple of the interval 7 days/);
    const sparse = (r: string[][]) =>
      r.forEach((row, i) => (row[0] = new Date(Date.UTC(2024, 0, 1 + (i < 10 ? i : 10 + 4 * (i - 10)))).toISOString().slice(0, 10)));
    expectError(
      await check(sparse),
      4001000353,
      /tsc: column "date": 57 of its 87 grid points \(every 1 day\) have no row; expected mostly evenly spaced times/,
    );
    expectError(
      await check(() => undefined, { tsu: 'month' }),
      4001000353,
      /row 2 has "2024-01-02", which is not a whole number of month steps after "2024-01-01" \(row 1\); expected times on one grid of tsu=month/,
    );
  });

  it('names a missing target inside the history', async () => {
    expectError(
      await check((r) => (r[12]![3] = '')),
      4001000354,
      /tc: column "sales", row 13 \(time "2024-01-13"\) is empty; expected a number on every row of the history/,
    );
  });
});

describe('column-info in time-series mode (tsm=true)', () => {
  it('answers cor_score null for every column and the time unit of the time column', async () => {
    const { h, train, pid } = await setup(seriesCsv({ n: 40 }));
    const url = `/v1/external/data-sets/column-info?external_process_id=${pid}&target=sales`;
    const tabular = (await h.get(url, train)).json();
    expect(tabular.training_data_columns.some((c: { cor_score: number | null }) => typeof c.cor_score === 'number')).toBe(true);
    expect(tabular.time_series).toBeUndefined();
    const ts = (await h.get(`${url}&tsm=true`, train)).json();
    expect(ts.training_data_columns.map((c: { cor_score: number | null }) => c.cor_score)).toEqual([null, null, null, null]);
    expect(ts.time_series).toEqual({ time_column: 'date', time_unit_id: 3 });
    expect(ts.training_data_columns[0].range_pick_info.date.time_unit_id).toBe(3);
    expect((await h.get(`${url}&tsm=true&tsc=date`, train)).json().time_series).toEqual({ time_column: 'date', time_unit_id: 3 });
    expectError(await h.get(`${url}&tsm=true&tsc=nope`, train), 4001000301, /tsc: got "nope"; allowed: a column of the training file/);
    expectError(await h.get(`${url}&tsc=date`, train), 4001000301, /tsc: got "date"; allowed: only with tsm=true/);
    expectError(await h.get(`${url}&tsm=maybe`, train), 4001000301, /tsm: got "maybe"; allowed: true or false/);
  });

  it('reports month and hour units', async () => {
    const monthly =
      'month,sales\n' + Array.from({ length: 24 }, (_, i) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')},${i}`).join('\n') + '\n';
    const m = await setup(monthly);
    expect((await m.h.get(`/v1/external/data-sets/column-info?external_process_id=${m.pid}&tsm=true`, m.train)).json().time_series).toEqual({
      time_column: 'month',
      time_unit_id: 2,
    });
    const hourly =
      'at,sales\n' + Array.from({ length: 30 }, (_, i) => `2024-01-0${1 + Math.floor(i / 24)} ${String(i % 24).padStart(2, '0')}:00,${i}`).join('\n') + '\n';
    const hr = await setup(hourly);
    expect((await hr.h.get(`/v1/external/data-sets/column-info?external_process_id=${hr.pid}&tsm=true`, hr.train)).json().time_series).toEqual({
      time_column: 'at',
      time_unit_id: 4,
    });
  });
});
