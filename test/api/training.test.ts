/** Train Data Set Info, Train (validation before queuing) and Train Status Check. */
import { describe, expect, it } from 'vitest';
import { binaryCsv, createHarness, expectError, type Harness } from '../helpers/harness.js';

async function setup(env: Record<string, string> = {}, files?: Parameters<Harness['upload']>[1]) {
  const h = await createHarness(env);
  const { train } = await h.user('alice');
  const pid = await h.upload(train, files ?? { learn: binaryCsv(60) });
  const post = (config: unknown, extra: Record<string, unknown> = {}) =>
    h.post('/v1/external/models', train, { external_process_id: pid, name: 'm', config, ...extra });
  return { h, train, pid, post };
}

async function queuedJobs(h: Harness): Promise<number> {
  let n = 0;
  while ((await h.storage.jobs.claim(['train'], 'probe', 1000)) !== null) n++;
  return n;
}

describe('GET /v1/external/data-sets/column-info', () => {
  it('fills every documented field, with cor_score when target is given', async () => {
    const { h, train, pid } = await setup();
    const res = await h.get(`/v1/external/data-sets/column-info?external_process_id=${pid}`, train);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.raw_column_names).toEqual(['age', 'plan', 'score', 'churn']);
    expect(body.raw_training_data).toHaveLength(10);
    expect(body.raw_training_data[0]).toEqual({ row_data: '20,basic,0,no' });
    expect(body.trainingdata_row_count).toBe(60);
    expect(Array.isArray(body.useless_column_list)).toBe(true);
    const [age, plan] = body.training_data_columns;
    expect(age).toMatchObject({
      column_id: 0,
      name: 'age',
      initial_data_type: 1,
      data_count: 60,
      missing_count: 0,
      cor_score: null,
      predictive_power: null,
      predictive_power_basis: null,
    });
    expect(age.available_data_types).toContain(1);
    expect(age.numerical_value[0]).toMatchObject({ min_value: 20, max_value: 69 });
    expect(age.range_pick_info.numeric).toMatchObject({ min_val: 20, max_val: 69 });
    expect(plan).toMatchObject({ column_id: 1, initial_data_type: 3, unique_count: 3, numerical_value: [] });
    expect(plan.classify_value).toContainEqual({ name: 'basic', value: 20 });

    const withTarget = (await h.get(`/v1/external/data-sets/column-info?external_process_id=${pid}&target=churn`, train)).json();
    expect(typeof withTarget.training_data_columns[2].cor_score).toBe('number');
    expect(withTarget.training_data_columns[1]).toMatchObject({ predictive_power: expect.any(Number), predictive_power_basis: 'values' });
    expect(withTarget.training_data_columns[3]).toMatchObject({ cor_score: null, predictive_power: null }); // the target itself
  });

  it('applies column_info.csv types', async () => {
    const { h, train, pid } = await setup({}, { learn: binaryCsv(30), columnInfo: 'column_name,column_type\nage,string\n' });
    const body = (await h.get(`/v1/external/data-sets/column-info?external_process_id=${pid}`, train)).json();
    expect(body.training_data_columns[0].initial_data_type).toBe(3);
  });

  it('checks the row and column limits from the upload before profiling', async () => {
    const rows = await setup({ MAX_ROWS: '50' });
    expectError(
      await rows.h.get(`/v1/external/data-sets/column-info?external_process_id=${rows.pid}`, rows.train),
      4001000311,
      /has 60 data rows; allowed: at most 50/,
    );
    const columns = await setup({ MAX_COLUMNS: '3' });
    expectError(
      await columns.h.get(`/v1/external/data-sets/column-info?external_process_id=${columns.pid}`, columns.train),
      4001000312,
      /has 4 columns; allowed: 2 to 3/,
    );
  });

  it('answers its errors', async () => {
    const { h, train } = await setup();
    expectError(await h.get('/v1/external/data-sets/column-info', train), 4001000301, /external_process_id: got null/);
    expectError(await h.get('/v1/external/data-sets/column-info?external_process_id=nope', train), 4041000401, 'Not found external_process_id: nope');
    const empty = (await h.get('/v1/external/data-sets/upload-url', train)).json().external_process_id;
    expectError(await h.get(`/v1/external/data-sets/column-info?external_process_id=${empty}`, train), 4091000501, /has not been uploaded/);
    const other = await h.upload(train, { learn: binaryCsv(20) });
    expectError(await h.get(`/v1/external/data-sets/column-info?external_process_id=${other}&target=zzz`, train), 4001000306, /target: got "zzz"/);
  });
});

describe('POST /v1/external/models', () => {
  it('accepts strings and native JSON types, queues one job and echoes the process id', async () => {
    for (const config of [
      { tc: 'churn', tt: 'binary_classification', tv: 'yes', cv: '2', im: 'true' },
      { tc: 'churn', tt: 'binary_classification', tv: 'yes', cv: 2, im: true, tsm: false, tsin: 'false' },
    ]) {
      const { h, pid, post } = await setup();
      const res = await post(config);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ external_process_id: pid });
      const p = await h.storage.processes.getById(pid);
      expect(p?.status).toBe('waiting');
      expect(p?.settings).toMatchObject({ target: 'churn', task: 'binary_classification', positiveLabel: 'yes', cv: 2, imbalance: true });
      expect(p?.config).toEqual(config);
      expect(await queuedJobs(h)).toBe(1);
    }
  });

  it('takes the search budget from the time_budget extension key, else the server default', async () => {
    const withKey = await setup();
    expect((await withKey.post({ tc: 'score', tt: 'regression', time_budget: '600' })).statusCode).toBe(200);
    expect((await withKey.h.storage.processes.getById(withKey.pid))?.settings).toMatchObject({ timeBudgetSeconds: 600 });
    const withoutKey = await setup();
    expect((await withoutKey.post({ tc: 'score', tt: 'regression' })).statusCode).toBe(200);
    expect((await withoutKey.h.storage.processes.getById(withoutKey.pid))?.settings).toMatchObject({ timeBudgetSeconds: 60 });
  });

  it('trains regression and multi-class targets; a numeric tv matches the file value', async () => {
    const { post } = await setup();
    expect((await post({ tc: 'score', tt: 'regression' })).statusCode).toBe(200);
    const multi = await setup();
    expect((await multi.post({ tc: 'plan', tt: 'multi_classification' })).statusCode).toBe(200);
    const bin = await setup({}, { learn: 'x,y\n' + Array.from({ length: 20 }, (_, i) => `${i},${i % 2}`).join('\n') + '\n' });
    expect((await bin.post({ tc: 'y', tt: 'binary_classification', tv: 1 })).statusCode).toBe(200);
  });

  it('names the key, the value and what is allowed, and queues nothing', async () => {
    const { h, post } = await setup();
    const cases: [unknown, number, RegExp][] = [
      [{ tt: 'regression' }, 4001000303, /^Invalid config: tc: got null; allowed: the target column, one of "age", "plan", "score", "churn"$/],
      [{ tc: 'churn', tt: 'bin' }, 4001000303, /tt: got "bin"; allowed: binary_classification, multi_classification, regression/],
      [{ tc: 'churn', tt: 'regression', cv: 'x' }, 4001000303, /cv: got "x"; allowed: 0 \(automatic\)/],
      [{ tc: 'churn', tt: 'regression', cv: -2 }, 4001000303, /cv: got -2/],
      [{ tc: 'churn', tt: 'regression', cv: 11 }, 4001000303, /cv: got 11; allowed: .* or 2 to 10 folds$/],
      [{ tc: 'churn', tt: 'regression', cv: '1000000' }, 4001000303, /cv: got "1000000"/],
      [{ tc: 'churn', tt: 'binary_classification', tv: 'yes', im: 'maybe' }, 4001000303, /im: got "maybe"; allowed: true or false/],
      [{ tc: 'score', tt: 'regression', im: true }, 4001000303, /im: got true; allowed: false with tt=regression/],
      [{ tc: 'plan', tt: 'multi_classification', tv: 'pro' }, 4001000303, /tv: got "pro"; allowed: nothing/],
      [{ tc: 'churn', tt: 'regression', foo: 1 }, 4001000304, /config.foo; allowed: tc, tt, tv, cv, im, tsm/],
      [{ tc: 'nope', tt: 'regression' }, 4001000306, /tc: got "nope"; allowed: "age", "plan"/],
      [{ tc: 'plan', tt: 'regression' }, 4001000307, /type string; tt=regression needs a numeric target/],
      [{ tc: 'plan', tt: 'binary_classification', tv: 'pro' }, 4001000308, /exactly 2 distinct values in "plan"; it has 3/],
      [{ tc: 'churn', tt: 'multi_classification' }, 4001000308, /3 to 200 distinct values/],
      [{ tc: 'churn', tt: 'binary_classification' }, 4001000309, /tv is required with tt=binary_classification; allowed: "(no|yes)" or "(no|yes)"/],
      [{ tc: 'churn', tt: 'binary_classification', tv: 'maybe' }, 4001000309, /tv: got "maybe"; allowed:/],
      [{ tc: 'score', tt: 'regression', tsm: true }, 4001000303, /tsc: got null; allowed: the time column \(required with tsm=true\)/],
      [{ tc: 'score', tt: 'regression', tsc: 'age', tsf: 1, tst: 2 }, 4001000303, /tsc: got "age"; allowed: only with tsm=true/],
      [{ tc: 'score', tt: 'regression', tsm: 'yes' }, 4001000303, /tsm: got "yes"/],
      [{ tc: 'score', tt: 'regression', tsu: 'week' }, 4001000303, /tsu: got "week"; allowed: year, month, day, hour, minute, eom/],
      [{ tc: 'score', tt: 'regression', tsf: 3, tst: 2 }, 4001000303, /tst: got 2; allowed: an integer ≥ tsf \(3\)/],
      [{ tc: 'score', tt: 'regression', tsine: [1] }, 4001000303, /tsine: got \[1\]/],
      [{ tc: 'score', tt: 'regression', time_budget: 0 }, 4001000303, /time_budget: got 0; allowed: an integer number of seconds from 1 to 3600/],
      [{ tc: 'score', tt: 'regression', time_budget: 100000 }, 4001000303, /time_budget: got 100000/],
      [{ tc: 'score', tt: 'regression', time_budget: '1.5' }, 4001000303, /time_budget: got "1.5"/],
      ['not an object', 4001000302, /config: got "not an object"/],
    ];
    for (const [config, code, message] of cases) expectError(await post(config), code, message);
    expect(await queuedJobs(h)).toBe(0);
  });

  it('bounds cv and time_budget by the operator limits (MAX_CV_FOLDS, MAX_TIME_BUDGET_SECONDS)', async () => {
    const tight = await setup({ MAX_CV_FOLDS: '3', MAX_TIME_BUDGET_SECONDS: '120' });
    expectError(await tight.post({ tc: 'score', tt: 'regression', cv: 4 }), 4001000303, /cv: got 4; allowed: .* or 2 to 3 folds$/);
    expectError(
      await tight.post({ tc: 'score', tt: 'regression', time_budget: 121 }),
      4001000303,
      /time_budget: got 121; allowed: an integer number of seconds from 1 to 120$/,
    );
    expect(await queuedJobs(tight.h)).toBe(0);
    expect((await tight.post({ tc: 'score', tt: 'regression', cv: 3, time_budget: 120 })).statusCode).toBe(200);
    const wide = await setup({ MAX_TIME_BUDGET_SECONDS: '86400' });
    expect((await wide.post({ tc: 'score', tt: 'regression', time_budget: 86_400 })).statusCode).toBe(200);
  });

  it('enforces the configurable row and column limits', async () => {
    expectError(
      await (await setup({ MIN_ROWS: '100' })).post({ tc: 'score', tt: 'regression' }),
      4001000310,
      /has 60 data rows with a value in "score"; at least 100 are required/,
    );
    expectError(await (await setup({ MAX_ROWS: '50' })).post({ tc: 'score', tt: 'regression' }), 4001000311, /has 60 data rows; allowed: at most 50/);
    expectError(await (await setup({ MAX_COLUMNS: '3' })).post({ tc: 'score', tt: 'regression' }), 4001000312, /has 4 columns; allowed: 2 to 3/);
    const tiny = await setup({}, { learn: binaryCsv(5) });
    expectError(await tiny.post({ tc: 'score', tt: 'regression' }), 4001000310, /at least 11 are required/);
    const ignored = await setup({}, { learn: binaryCsv(30), columnInfo: 'column_name,column_type\nage,ignore\nplan,ignore\nchurn,ignore\n' });
    expectError(await ignored.post({ tc: 'score', tt: 'regression' }), 4001000312, /no column besides the target/);
    const ignoredTarget = await setup({}, { learn: binaryCsv(30), columnInfo: 'column_name,column_type\nscore,ignore\n' });
    expectError(await ignoredTarget.post({ tc: 'score', tt: 'regression' }), 4001000307, /is of type ignore/);
  });

  it('reports a column_info.csv that names a column the file does not have', async () => {
    const { post } = await setup({}, { learn: binaryCsv(30), columnInfo: 'column_name,column_type\nzzz,float\n' });
    expectError(await post({ tc: 'score', tt: 'regression' }), 4001000332, /column_info.csv names "zzz", which is not a column of the data file/);
  });

  it('checks the evaluation file has the training columns', async () => {
    const { post } = await setup({}, { learn: binaryCsv(30), eval: 'age,plan,churn\n1,basic,no\n' });
    expectError(await post({ tc: 'score', tt: 'regression' }), 4001000313, /missing "score"/);
  });

  it('answers body, process and state errors', async () => {
    const { h, train, pid, post } = await setup();
    expectError(await h.post('/v1/external/models', train, '{not json'), 4001000302, /not valid JSON/);
    expectError(await h.post('/v1/external/models', train, [1]), 4001000302, /expected a JSON object/);
    expectError(await h.post('/v1/external/models', train, { name: 'x', config: {} }), 4001000301, /external_process_id: got null/);
    expectError(await h.post('/v1/external/models', train, { external_process_id: 'nope', config: {} }), 4041000401, 'Not found external_process_id: nope');
    expectError(await post({ tc: 'score', tt: 'regression' }, { name: 5 }), 4001000301, /name: got 5/);
    const empty = (await h.get('/v1/external/data-sets/upload-url', train)).json().external_process_id;
    expectError(
      await h.post('/v1/external/models', train, { external_process_id: empty, config: { tc: 'a', tt: 'regression' } }),
      4091000501,
      /not been uploaded/,
    );
    expect((await post({ tc: 'score', tt: 'regression' })).statusCode).toBe(200);
    expectError(await post({ tc: 'score', tt: 'regression' }), 4091000502, `Training was already requested for this external_process_id: ${pid}`);
    // The manual's own typo'd content type still parses as JSON.
    const typo = await h.app.inject({
      method: 'POST',
      url: '/v1/external/models',
      headers: { 'x-api-key': train, 'content-type': 'application/jsonn' },
      payload: JSON.stringify({ external_process_id: pid, config: {} }),
    });
    expectError(typo, 4091000502, /already requested/);
  });
});

describe('GET /v1/external/models/results', () => {
  it('reports waiting with progress, and errors before training is requested', async () => {
    const { h, train, pid, post } = await setup();
    expectError(await h.get(`/v1/external/models/results?external_process_id=${pid}`, train), 4091000503, /POST \/v1\/external\/models first/);
    expectError(await h.get('/v1/external/models/results?external_process_id=nope', train), 4041000401, 'Not found external_process_id: nope');
    expectError(await h.get('/v1/external/models/results', train), 4001000301, /external_process_id/);
    await post({ tc: 'score', tt: 'regression' });
    const body = (await h.get(`/v1/external/models/results?external_process_id=${pid}`, train)).json();
    expect(body).toEqual({ status: 'waiting', created_datetime: '2026-03-01T00:00:00.000Z', updated_datetime: '2026-03-01T00:00:00.000Z', progress: 0 });
  });
});
