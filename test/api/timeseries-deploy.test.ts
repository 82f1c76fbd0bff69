/**
 * A time-series model through HTTP: train (the job gets the resolved settings) → deploy → forecast
 * requests and their errors. The model is the tests' fake forecaster (test/helpers/fake-forecaster.ts),
 * injected through the training-runner port and ServiceDeps.loadModel, so these tests check the
 * layers around the model; timeseries-e2e.test.ts runs the real one.
 */
import { describe, expect, it } from 'vitest';
import type { TrainingRequest, TrainingRunner } from '../../src/compute/training-runner.js';
import type { LoadedModel } from '../../src/deploy/loaded-models.js';
import type { TimeSeriesSettings } from '../../src/domain/time-series.js';
import { TRAIN_JOB, TrainingJobHandler } from '../../src/services/index.js';
import { apiKey, deploy, infer, inferBody, output } from '../helpers/deploy.js';
import { fakeForecaster } from '../helpers/fake-forecaster.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { seriesCsv, TS_CONFIG } from './timeseries-fixtures.js';

interface FakeModel {
  readonly target: string;
  readonly settings: TimeSeriesSettings;
  readonly dateFormats: Record<string, string>;
}

/** Trains nothing: records what the job handed over and stores it as the "model". */
class FakeRunner implements TrainingRunner {
  readonly requests: TrainingRequest[] = [];
  async run(request: TrainingRequest) {
    this.requests.push(request);
    const model: FakeModel = { target: request.settings.target, settings: request.settings.timeSeries!, dateFormats: { ...request.dateFormats } };
    return {
      modelText: JSON.stringify(model),
      resultFiles: [{ name: 'metrics.csv', content: 'metric,value\nrmse,1\n' }],
      metrics: { rmse: 1 },
      task: 'regression' as const,
    };
  }
  async close() {}
}

function loadFake(text: string): LoadedModel {
  const m = JSON.parse(text) as FakeModel;
  const info = { task: 'regression' as const, target: m.target, classes: [], inputColumns: [] };
  const predict = () => {
    throw new Error('a forecaster has no row-wise predict');
  };
  return {
    model: { info },
    inference: { info, predict, dateFormats: m.dateFormats, forecaster: fakeForecaster(m.settings, m.target) },
    sizeBytes: text.length,
  };
}

async function trainFake(h: Harness, runner: FakeRunner, key: string, csv: string, config: Record<string, unknown>): Promise<number> {
  const pid = await h.upload(key, { learn: csv });
  const res = await h.post('/v1/external/models', key, { external_process_id: pid, name: 'ts', config });
  if (res.statusCode !== 200) throw new Error(res.body);
  const handler = new TrainingJobHandler(h.deps, { runner, version: 'test' });
  const job = (await h.storage.jobs.claim([TRAIN_JOB], 'test', 60_000))!;
  await handler.handle(job);
  await h.storage.jobs.complete(job.id, 'test');
  const status = (await h.get(`/v1/external/models/results?external_process_id=${pid}`, key)).json();
  if (status.status !== 'finished') throw new Error(JSON.stringify(status));
  return status.model_id as number;
}

describe('a time-series model deployed (fake forecaster)', () => {
  it('trains with the resolved settings, deploys, and forecasts every step with its band', async () => {
    const h = await createHarness({}, { loadModel: loadFake });
    const u = await h.user('alice');
    const runner = new FakeRunner();
    const modelId = await trainFake(h, runner, u.train, seriesCsv({ n: 30, stores: ['a', 'b'] }), { ...TS_CONFIG, tss: 'store', tsine: 'promo' });
    const [request] = runner.requests;
    expect(request?.settings.timeSeries).toEqual({
      timeColumn: 'date',
      unit: 'day',
      interval: 1,
      fromStep: 1,
      toStep: 3,
      seriesColumn: 'store',
      knownFuture: ['promo'],
      holidays: 'JP',
    });
    expect(request?.columnTypes).toMatchObject({ date: 'date', store: 'string' });
    expect(request?.dateFormats.date).toBe('yyyy-MM-dd');
    expect(request?.evalPath).toBeNull();

    const c = await deploy(h, await apiKey(h, u.secret, 'deploy'), modelId);
    const history = [
      'date,store,temp,promo,sales',
      '2024-03-01,a,1,0,10',
      '2024-03-02,a,1,0,11',
      '2024-03-03,a,1,0,12',
      '2024-03-04,a,1,1,',
      '2024-03-05,a,1,0,',
      '2024-03-06,a,1,0,',
    ];
    history.push('2024-03-02,b,1,0,20', '2024-03-03,b,1,0,21', '2024-03-04,b,1,0,22', '2024-03-05,b,1,0,', '2024-03-06,b,1,1,', '2024-03-07,b,1,0,');
    const res = await infer(h, c as { url: string; api_key: string }, inferBody(history.join('\n') + '\n'));
    expect(res.statusCode).toBe(200);
    expect(output(res, 'prediction_valid.csv')).toBe(
      [
        'date,horizon,store,prediction,lower,upper',
        '2024-03-04,1,a,22,21,23',
        '2024-03-05,2,a,12,11,13',
        '2024-03-06,3,a,12,11,13',
        '2024-03-05,1,b,22,21,23',
        '2024-03-06,2,b,32,31,33',
        '2024-03-07,3,b,22,21,23',
        '',
      ].join('\n'),
    );
    expect(output(res, 'prediction_analysis.csv')?.split('\n')[0]).toBe(
      'date,horizon,store,prediction,lower,upper,reason_up_1,reason_up_2,reason_up_3,reason_down_1,reason_down_2,reason_down_3',
    );
    const noReasons = await infer(h, c as { url: string; api_key: string }, inferBody(history.join('\n') + '\n', { ar: false }));
    expect(output(noReasons, 'prediction_analysis.csv')).toBeUndefined();
  });

  it('says clearly what is missing, through the one error body', async () => {
    const h = await createHarness({}, { loadModel: loadFake });
    const u = await h.user('alice');
    const modelId = await trainFake(h, new FakeRunner(), u.train, seriesCsv({ n: 30 }), { ...TS_CONFIG, tst: 1, tsine: ['promo'] });
    const c = (await deploy(h, await apiKey(h, u.secret, 'deploy'), modelId)) as { url: string; api_key: string };
    const ask = async (csv: string) => (await infer(h, c, inferBody(csv))).json();
    const base = 'date,temp,promo,sales\n2024-03-01,1,0,10\n2024-03-02,1,0,11\n2024-03-03,1,0,12\n';
    expect(await ask(base)).toMatchObject({
      code: 4001030104,
      error: 'BAD_REQUEST',
      message: 'Invalid request',
      detail: expect.stringMatching(/^TS_KNOWN_FUTURE_MISSING: time "2024-03-04" \(horizon 1\) has no row/),
    });
    expect(await ask('date,temp,promo,sales\n2024-03-01,1,0,10\n2024-03-02,1,0,11\n2024-03-03,1,0,\n')).toMatchObject({
      code: 4001030104,
      detail: expect.stringMatching(/^TS_SERIES_TOO_SHORT: the series has 2 periods/),
    });
    expect(await ask(base.replace('2024-03-02', '2024-03-09') + '2024-03-04,1,1,\n')).toMatchObject({
      code: 4001030104,
      detail: expect.stringMatching(/^TS_TIME_ORDER/),
    });
    expect((await infer(h, c, inferBody(base + '2024-03-04,1,1,\n'))).statusCode).toBe(200);
  });
});
