/**
 * A time-series model end to end through HTTP with the real forecaster (automl/timeseries, in a
 * worker thread): train → result zip → deploy → forecast (with its band and reasons) → batch →
 * retrain with the stored config. Small data and a 1 s budget keep it short; forecasts run in an
 * inference thread.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThreadPool } from '../../src/compute/thread-pool.js';
import { WorkerThreadBatchRunner, WorkerThreadInferenceRunner } from '../../src/compute/worker-pool.js';
import { BATCH_PREDICT_JOB, BatchPredictionJobHandler, RETRAIN_JOB, RetrainJobHandler, TrainingJobHandler } from '../../src/services/index.js';
import { apiKey, CLASSIFIERS, closeRunner, deploy, infer, inferBody, output, sharedComparisons, sharedRunner, trainModel } from '../helpers/deploy.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { seriesCsv, TS_CONFIG } from './timeseries-fixtures.js';
import { zipTexts } from '../helpers/zip.js';

let h: Harness;
let u: { userId: string; secret: string; train: string };
let modelId: number;
let c: { url: string; api_key: string; classifier_id: string };
let deployKey: string;
const batchRunner = new WorkerThreadBatchRunner();
// Every forecast request runs in an inference thread (INFERENCE_INLINE_MAX_COST=0): the path a
// large history takes, with the model's errors crossing the thread boundary.
const inferencePool = new ThreadPool({ maxThreads: 1 });
const CONFIG = { ...TS_CONFIG, tss: 'store', tsine: 'promo', time_budget: 1 };

/** The last 30 days of both stores, then 3 future rows each with promo known and sales empty. */
function historyCsv(): string {
  const [header, ...rows] = seriesCsv({ n: 60, stores: ['a', 'b'] })
    .trim()
    .split('\n');
  const recent = [...rows.slice(30, 60), ...rows.slice(90, 120)];
  const future = ['a', 'b'].flatMap((s) => ['2024-03-01', '2024-03-02', '2024-03-03'].map((d, i) => `${d},${s},12,${i === 1 ? 1 : 0},`));
  return [header, ...recent, ...future].join('\n') + '\n';
}

beforeAll(async () => {
  h = await createHarness(
    { TRAINING_TIME_BUDGET_SECONDS: '1', INFERENCE_INLINE_MAX_COST: '0' },
    { inferenceRunner: new WorkerThreadInferenceRunner(inferencePool) },
  );
  u = await h.user('alice');
  modelId = await trainModel(h, u.train, seriesCsv({ n: 60, stores: ['a', 'b'] }), CONFIG);
  deployKey = await apiKey(h, u.secret, 'deploy');
  c = (await deploy(h, deployKey, modelId)) as typeof c;
}, 180_000);

afterAll(async () => {
  await batchRunner.close();
  await inferencePool.close();
  await closeRunner();
});

describe('time-series model end to end (real forecaster)', () => {
  it('trains a forecaster whose result zip holds the usual files', async () => {
    const model = await h.storage.models.get(u.userId, modelId);
    expect(model?.metrics).toMatchObject({ rmse: expect.any(Number), mae: expect.any(Number), mase: expect.any(Number), coverage: expect.any(Number) });
    const pid = model!.processId;
    const status = (await h.get(`/v1/external/models/results?external_process_id=${pid}`, u.train)).json();
    const files = await zipTexts((await h.get(status.result_url)).rawPayload);
    for (const name of ['metrics.csv', 'evaluation_raw_data.csv', 'analysis_summary.csv', 'report.html']) expect(files.has(name), name).toBe(true);
  });

  it('forecasts every step tsf..tst per series with a band, and its reasons', async () => {
    const res = await infer(h, c, inferBody(historyCsv()));
    expect(res.statusCode, res.body).toBe(200);
    const [head, ...rows] = output(res, 'prediction_valid.csv')!.trim().split('\n');
    expect(head).toBe('date,horizon,store,prediction,lower,upper');
    expect(rows.map((r) => r.split(',').slice(0, 3).join(','))).toEqual([
      '2024-03-01,1,a',
      '2024-03-02,2,a',
      '2024-03-03,3,a',
      '2024-03-01,1,b',
      '2024-03-02,2,b',
      '2024-03-03,3,b',
    ]);
    for (const r of rows) {
      const [, , , p, lo, up] = r.split(',').map(Number);
      expect(lo! <= p! && p! <= up!).toBe(true);
      expect(p!).toBeGreaterThan(50);
      expect(p!).toBeLessThan(200);
    }
    const analysis = output(res, 'prediction_analysis.csv')!.trim().split('\n');
    expect(analysis[0]).toBe(`${head},reason_up_1,reason_up_2,reason_up_3,reason_down_1,reason_down_2,reason_down_3`);
    expect(analysis).toHaveLength(7);
    // Same history → the same answer.
    expect(output(await infer(h, c, inferBody(historyCsv())), 'prediction_valid.csv')).toBe(output(res, 'prediction_valid.csv'));
  });

  it('says what is missing in the history', async () => {
    const noFuture = historyCsv()
      .split('\n')
      .filter((l) => !l.endsWith(','))
      .join('\n');
    const missing = (await infer(h, c, inferBody(noFuture))).json();
    expect(missing).toMatchObject({ code: 4001030104, message: 'Invalid request', detail: expect.stringMatching(/known-future|TS_KNOWN_FUTURE_MISSING/) });
    const [header, ...rows] = historyCsv().trim().split('\n');
    const short = [header, ...rows.slice(28, 30), ...rows.slice(58)].join('\n') + '\n';
    expect((await infer(h, c, inferBody(short))).json()).toMatchObject({
      code: 4001030104,
      detail: expect.stringMatching(/^TS_SERIES_TOO_SHORT: series "a" \(store\) has 2 periods/),
    });
  });

  it('forecasts a batch file like one request', async () => {
    const url = `${CLASSIFIERS}/${c.classifier_id}/batch-predictions`;
    const opened = await h.post(url, deployKey, { filename: 'history.csv', ar: true });
    expect(opened.statusCode).toBe(200);
    const { batch_prediction_id: id, upload_url } = opened.json();
    expect((await h.put(upload_url, historyCsv())).statusCode).toBe(200);
    const handler = new BatchPredictionJobHandler(h.deps, batchRunner);
    const job = (await h.storage.jobs.claim([BATCH_PREDICT_JOB], 'test', 60_000))!;
    await handler.handle(job);
    await h.storage.jobs.complete(job.id, 'test');
    const status = (await h.get(`${url}/${id}`, deployKey)).json();
    expect(status).toMatchObject({ status: 'job_finished', rows: { total: 66, predicted: 6, invalid: 0 } });
    const files = await zipTexts((await h.get(status.download_url)).rawPayload);
    const single = await infer(h, c, inferBody(historyCsv()));
    expect(files.get('prediction_valid.csv')).toBe(output(single, 'prediction_valid.csv'));
    expect(files.get('prediction_analysis.csv')).toBe(output(single, 'prediction_analysis.csv'));
  }, 60_000);

  it('retrains with the stored config, and a retrain file that breaks a check fails saying so', async () => {
    const key = await apiKey(h, u.secret, 'retrain', modelId);
    const upload = async (body: string) => {
      const res = await h.get('/v1/external/retrain_jobs/upload_url?filename=retrain.csv', key);
      expect(res.statusCode, res.body).toBe(200);
      const { retrain_job_id, upload_url } = res.json();
      expect((await h.put(upload_url, body)).statusCode).toBe(200);
      return retrain_job_id as string;
    };
    const good = await upload(seriesCsv({ n: 70, stores: ['a', 'b'] }));
    const dup = await upload(seriesCsv({ n: 70, stores: ['a', 'b'], edit: (r) => (r[5]![0] = r[4]![0]!) }));
    await runRetrainJobs(h);
    const done = (await h.get(`/v1/external/retrain_jobs/${good}`, key)).json();
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'job_finished', model_id: expect.any(Number) });
    const retrained = await h.storage.models.get(u.userId, done.model_id);
    expect(retrained?.config).toMatchObject({ tsm: true, tss: 'store', tsine: 'promo' });
    const comparison = await zipTexts((await h.get(done.download_url)).rawPayload);
    const metrics = comparison.get('metrics_comparison.csv')!;
    expect(metrics).toMatch(/^\uFEFFmetric,new_model,previous_model,difference\nmodel_id,/);
    expect(metrics).toMatch(/\nmae,[\d.]+,[\d.]+,/);
    expect(metrics).toContain('evaluation_rows,6,6,');
    expect(comparison.get('evaluation_results_comparison.csv')!.split('\n')[1]).toMatch(/^2024-03-08,a,\d+,[\d.]+,[\d.]+$/);
    const failed = (await h.get(`/v1/external/retrain_jobs/${dup}`, key)).json();
    expect(failed).toMatchObject({ status: 'job_failed', message: expect.stringMatching(/rows 5 and 6 .* both have "2024-01-05"/) });
  }, 180_000);
});

async function runRetrainJobs(harness: Harness): Promise<void> {
  const training = new TrainingJobHandler(harness.deps, { runner: sharedRunner(), version: 'test' });
  const handler = new RetrainJobHandler(harness.deps, training, sharedComparisons());
  for (;;) {
    const job = await harness.storage.jobs.claim([RETRAIN_JOB], 'test', 60_000);
    if (job === null) return;
    await handler.handle(job);
    await harness.storage.jobs.complete(job.id, 'test');
  }
}
