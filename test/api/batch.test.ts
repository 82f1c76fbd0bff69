/**
 * Batch prediction (additive): signed upload → worker-thread predictions in chunks → zip with the
 * same CSV layouts as inference, row numbers over the whole file; equal to chunk-free inference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerThreadBatchRunner } from '../../src/compute/worker-pool.js';
import { BATCH_PREDICT_JOB, BatchPredictionJobHandler } from '../../src/services/index.js';
import { apiKey, CLASSIFIERS, closeRunner, deploy, infer, inferBody, output, trainModel } from '../helpers/deploy.js';
import { binaryCsv, createHarness, expectError, type Harness } from '../helpers/harness.js';
import { zipTexts } from '../helpers/zip.js';

let h: Harness;
let deployKey: string;
let c: Record<string, any>;
const runner = new WorkerThreadBatchRunner();

beforeAll(async () => {
  h = await createHarness({ TRAINING_TIME_BUDGET_SECONDS: '1' });
  const u = await h.user('alice');
  deployKey = await apiKey(h, u.secret, 'deploy');
  const modelId = await trainModel(h, u.train, binaryCsv(80), { tc: 'churn', tt: 'binary_classification', tv: 'yes' });
  c = await deploy(h, deployKey, modelId);
}, 120_000);

afterAll(async () => {
  await runner.close();
  await closeRunner();
});

async function runBatchJobs(chunkRows?: number): Promise<void> {
  const handler = new BatchPredictionJobHandler(
    h.deps,
    chunkRows === undefined ? runner : { run: (r, hk) => runner.run({ ...r, chunkRows }, hk), close: async () => {} },
  );
  for (;;) {
    const job = await h.storage.jobs.claim([BATCH_PREDICT_JOB], 'test', 60_000);
    if (job === null) return;
    await handler.handle(job);
    await h.storage.jobs.complete(job.id, 'test');
  }
}

describe('batch predictions', () => {
  it('predicts a file in chunks with row numbers over the whole file, equal to one inference request', async () => {
    const rows = binaryCsv(50)
      .replace(/,(yes|no)$/gm, '')
      .replace('age,plan,score,churn', 'age,plan,score')
      .replace('\n30,', '\nabc,');
    const url = `${CLASSIFIERS}/${c.classifier_id}/batch-predictions`;
    const opened = await h.post(url, deployKey, { filename: 'big.csv', ar: true });
    expect(opened.statusCode).toBe(200);
    const { batch_prediction_id: id, upload_url } = opened.json();
    expect((await h.put(upload_url, rows)).statusCode).toBe(200);
    expect((await h.get(`${url}/${id}`, deployKey)).json()).toMatchObject({ status: 'job_waiting', progress: 0 });
    await runBatchJobs(7);
    const status = (await h.get(`${url}/${id}`, deployKey)).json();
    expect(status).toMatchObject({ status: 'job_finished', progress: 100, rows: { total: 50, predicted: 49, invalid: 1 }, download_url: expect.any(String) });
    const files = await zipTexts((await h.get(status.download_url)).rawPayload);
    const single = await infer(h, c as never, inferBody(rows, { ar: true }));
    expect(files.get('prediction_valid.csv')).toBe(output(single, 'prediction_valid.csv'));
    expect(files.get('prediction_analysis.csv')).toBe(output(single, 'prediction_analysis.csv'));
    expect(files.get('prediction_invalid.csv')).toBe(output(single, 'prediction_invalid.csv'));
  }, 60_000);

  it('checks the key, the classifier and the options; an unusable file fails the job with a message', async () => {
    const url = `${CLASSIFIERS}/${c.classifier_id}/batch-predictions`;
    expectError(await h.post(`${CLASSIFIERS}/nope/batch-predictions`, deployKey, {}), 4041000406, /Not found classifier_id/);
    expectError(await h.post(url, deployKey, { ar: 'x' }), 4001000302, /ar: got "x"/);
    expectError(await h.get(`${url}/nope`, deployKey), 4041000407, /Not found batch_prediction_id/);
    const { batch_prediction_id: id, upload_url } = (await h.post(url, deployKey, {})).json();
    expect((await h.put(upload_url, 'x,y\n1,2\n')).statusCode).toBe(200);
    await runBatchJobs();
    expect((await h.get(`${url}/${id}`, deployKey)).json()).toMatchObject({
      status: 'job_failed',
      message: expect.stringMatching(/none of the model's columns/),
    });
  }, 60_000);
});
