/**
 * Retrain Data Upload → retrain job (real training, 1 s budget) → Retrain Status Check →
 * Retrain Model Switch, in both upload forms; the documented errors; and a switch under concurrent
 * inference that loses no request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZipFile } from 'yazl';
import { RETRAIN_JOB, RetrainJobHandler, TrainingJobHandler } from '../../src/services/index.js';
import { apiKey, CLASSIFIERS, closeRunner, deploy, infer, inferBody, output, sharedComparisons, sharedRunner, trainModel } from '../helpers/deploy.js';
import { binaryCsv, createHarness, expectError, type Harness } from '../helpers/harness.js';
import { zipTexts } from '../helpers/zip.js';

const RETRAIN = '/v1/external/retrain_jobs';
const CONFIG = { tc: 'churn', tt: 'binary_classification', tv: 'yes' };

let h: Harness;
let u: { secret: string; train: string; deploy: string };

beforeAll(async () => {
  h = await createHarness({ TRAINING_TIME_BUDGET_SECONDS: '1' });
  const user = await h.user('alice');
  u = { ...user, deploy: await apiKey(h, user.secret, 'deploy') };
}, 60_000);

afterAll(async () => {
  await h.services.deployment.settled();
  await closeRunner();
});

async function runRetrainJobs(): Promise<void> {
  const training = new TrainingJobHandler(h.deps, { runner: sharedRunner(), version: 'test' });
  const handler = new RetrainJobHandler(h.deps, training, sharedComparisons());
  for (;;) {
    const job = await h.storage.jobs.claim([RETRAIN_JOB], 'test', 60_000);
    if (job === null) return;
    await handler.handle(job);
    await h.storage.jobs.complete(job.id, 'test');
  }
}

function zip(entries: Record<string, string>): Promise<Buffer> {
  const z = new ZipFile();
  for (const [name, text] of Object.entries(entries)) z.addBuffer(Buffer.from(text), name);
  z.end();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    z.outputStream.on('data', (c: Buffer) => chunks.push(c));
    z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** A second data set with the same columns but a shifted relation, so the retrained model differs. */
function shiftedCsv(n: number): string {
  const lines = ['age,plan,score,churn'];
  for (let i = 0; i < n; i++) {
    const age = 20 + ((i * 11) % 50);
    const plan = ['basic', 'pro', 'max'][(i * 2) % 3];
    const score = ((i * 53) % 100) / 10;
    lines.push(`${age},${plan},${score},${age > 45 ? 'yes' : 'no'}`);
  }
  return lines.join('\n') + '\n';
}

async function retrainUpload(key: string, filename: string, body: string | Buffer): Promise<string> {
  const res = await h.get(`${RETRAIN}/upload_url?filename=${encodeURIComponent(filename)}`, key);
  expect(res.statusCode).toBe(200);
  const { retrain_job_id, upload_url } = res.json();
  expect(typeof upload_url).toBe('string');
  const put = await h.put(upload_url, body);
  expect(put.statusCode).toBe(200);
  return retrain_job_id as string;
}

describe('retrain', () => {
  it('CSV form: waiting → finished with a new model_id and a comparison zip; the switch keeps id, url, key and bumps version', async () => {
    const modelId = await trainModel(h, u.train, binaryCsv(80), CONFIG);
    const c = await deploy(h, u.deploy, modelId);
    const key = await apiKey(h, u.secret, 'retrain', modelId);
    const jobId = await retrainUpload(key, 'retrain.csv', shiftedCsv(80));
    expect((await h.get(`${RETRAIN}/${jobId}`, key)).json()).toEqual({ status: 'job_waiting', metadata: { retrain_job_id: jobId } });
    expectError(
      await h.app.inject({ method: 'PUT', url: `${RETRAIN}/${jobId}/update_model`, headers: { 'x-api-key': key } }),
      4001000204,
      'Retrain job is not finished.',
    );
    await runRetrainJobs();
    const status = (await h.get(`${RETRAIN}/${jobId}`, key)).json();
    expect(status).toEqual({ status: 'job_finished', model_id: expect.any(Number), download_url: expect.any(String), metadata: { retrain_job_id: jobId } });
    expect(status.model_id).not.toBe(modelId);
    const dl = await h.get(status.download_url);
    expect(dl.statusCode).toBe(200);
    const files = await zipTexts(dl.rawPayload);
    expect([...files.keys()].sort()).toEqual([
      'confusion_matrix.csv',
      'confusion_matrix_previous_model.csv',
      'evaluation_results_comparison.csv',
      'metrics.csv',
      'metrics_comparison.csv',
      'metrics_previous_model.csv',
    ]);
    expect(files.get('metrics_comparison.csv')).toMatch(/^\uFEFFmetric,new_model,previous_model,difference\nmodel_id,\d+,\d+,/);
    // Both models were listed (the old one stays).
    const models = (await h.get('/v1/external/models', u.train)).json().models.map((m: { model_id: number }) => m.model_id);
    expect(models).toEqual(expect.arrayContaining([modelId, status.model_id]));

    const sw = await h.app.inject({ method: 'PUT', url: `${RETRAIN}/${jobId}/update_model`, headers: { 'x-api-key': key } });
    expect(sw.statusCode).toBe(200);
    expect(sw.json()).toEqual({ metadata: { retrain_job_id: jobId } });
    const after = (await h.get(`${CLASSIFIERS}/${c.classifier_id}`, u.deploy)).json().classifier;
    expect(after).toMatchObject({ classifier_id: c.classifier_id, url: c.url, api_key: c.api_key, version: '2', model_id: status.model_id, status: 'running' });
    const res = await infer(h, c as never, inferBody('age,plan,score\n50,pro,3\n'));
    expect(res.json().version).toBe('2');
    // Switching again is a no-op.
    expect((await h.app.inject({ method: 'PUT', url: `${RETRAIN}/${jobId}/update_model`, headers: { 'x-api-key': key } })).statusCode).toBe(200);
    expect((await h.get(`${CLASSIFIERS}/${c.classifier_id}`, u.deploy)).json().classifier.version).toBe('2');
  }, 120_000);

  it('zip form (train_src/ + eval_src/, wrapped in a folder) compares on the evaluation file; a bad zip fails the job', async () => {
    const modelId = await trainModel(h, u.train, binaryCsv(60), CONFIG);
    await deploy(h, u.deploy, modelId);
    const key = await apiKey(h, u.secret, 'retrain', modelId);
    const evalRows = shiftedCsv(100).split('\n').slice(71).join('\n');
    const body = await zip({ 'wrap/train_src/t.csv': shiftedCsv(70), 'wrap/eval_src/e.csv': 'age,plan,score,churn\n' + evalRows, '__MACOSX/._t.csv': 'junk' });
    const jobId = await retrainUpload(key, 'retrain.zip', body);
    const bad = await retrainUpload(key, 'x.zip', await zip({ 'train_src/a.csv': 'a\n', 'train_src/b.csv': 'b\n' }));
    await runRetrainJobs();
    const ok = (await h.get(`${RETRAIN}/${jobId}`, key)).json();
    expect(ok.status).toBe('job_finished');
    const files = await zipTexts((await h.get(ok.download_url)).rawPayload);
    expect(files.get('metrics_comparison.csv')).toContain('retrain evaluation file');
    expect(files.get('evaluation_results_comparison.csv')!.trim().split('\n')).toHaveLength(1 + 30);
    const failed = (await h.get(`${RETRAIN}/${bad}`, key)).json();
    expect(failed).toEqual({ status: 'job_failed', message: expect.stringMatching(/train_src/), metadata: { retrain_job_id: bad } });
    expectError(
      await h.app.inject({ method: 'PUT', url: `${RETRAIN}/${bad}/update_model`, headers: { 'x-api-key': key } }),
      4001000204,
      'Retrain job is not finished.',
    );
  }, 120_000);

  it('answers the documented errors', async () => {
    const modelId = await trainModel(h, u.train, binaryCsv(40), CONFIG);
    const key = await apiKey(h, u.secret, 'retrain', modelId);
    expectError(await h.get(`${RETRAIN}/upload_url?filename=a.csv`, u.deploy), 4001000204, 'Not_found_credential.');
    expectError(await h.get(`${RETRAIN}/upload_url`, key), 4001000301, /filename/);
    expectError(await h.get(`${RETRAIN}/nope`, key), 4001000204, 'Not found retrain job.');
    expectError(
      await h.app.inject({ method: 'PUT', url: `${RETRAIN}/nope/update_model`, headers: { 'x-api-key': key } }),
      4001000204,
      'Not found retrain job.',
    );
    // No classifier serves the model: the switch has nothing to switch.
    const jobId = await retrainUpload(key, 'r.csv', binaryCsv(40));
    await runRetrainJobs();
    expect((await h.get(`${RETRAIN}/${jobId}`, key)).json().status).toBe('job_finished');
    expectError(
      await h.app.inject({ method: 'PUT', url: `${RETRAIN}/${jobId}/update_model`, headers: { 'x-api-key': key } }),
      4001000204,
      'Not found classifier.',
    );
    // Another model's retrain key does not see the job.
    const other = await trainModel(h, u.train, binaryCsv(30), CONFIG);
    const otherKey = await apiKey(h, u.secret, 'retrain', other);
    expectError(await h.get(`${RETRAIN}/${jobId}`, otherKey), 4001000204, 'Not found retrain job.');
    // The upload URL works once.
    const open = (await h.get(`${RETRAIN}/upload_url?filename=x.csv`, key)).json();
    expect((await h.put(open.upload_url, binaryCsv(20))).statusCode).toBe(200);
    expectError(await h.put(open.upload_url, binaryCsv(20)), 4091000506, /already used/);
    // Deleting the model cancels its jobs; the key's model is gone.
    expect((await h.del(`/v1/external/models/${modelId}`, u.train)).statusCode).toBe(200);
    expectError(await h.get(`${RETRAIN}/${jobId}`, key), 4001000204, 'This job may be deleted.');
    expectError(await h.get(`${RETRAIN}/upload_url?filename=a.csv`, key), 4001000204, 'This model may be deleted.');
    await runRetrainJobs(); // the cancelled queued job is dropped
    // A model whose stored configuration is gone.
    const m3 = await trainModel(h, u.train, binaryCsv(30), CONFIG);
    const key3 = await apiKey(h, u.secret, 'retrain', m3);
    const m3row = (await h.storage.models.get((await h.storage.users.findByName('alice'))!.id, m3))!;
    await h.storage.processes.update(m3row.processId, { updatedAt: '2026-03-01T00:00:00.000Z', settings: null });
    expectError(await h.get(`${RETRAIN}/upload_url?filename=a.csv`, key3), 5001000201, 'Not found configuration_file.');
  }, 120_000);

  it('refuses a switch while the classifier is building (409), then switches once it runs', async () => {
    const modelId = await trainModel(h, u.train, binaryCsv(40), CONFIG);
    const key = await apiKey(h, u.secret, 'retrain', modelId);
    const release = h.services.deployment.holdBuilds();
    const created = (await h.post(CLASSIFIERS, u.deploy, { model_id: modelId })).json();
    const jobId = await retrainUpload(key, 'r.csv', shiftedCsv(40));
    await runRetrainJobs();
    const url = `${RETRAIN}/${jobId}/update_model`;
    expectError(await h.app.inject({ method: 'PUT', url, headers: { 'x-api-key': key } }), 4091000512, /building/);
    release();
    await h.services.deployment.settled();
    expect((await h.app.inject({ method: 'PUT', url, headers: { 'x-api-key': key } })).statusCode).toBe(200);
    expect((await h.get(`${CLASSIFIERS}/${created.classifier_id}`, u.deploy)).json().classifier).toMatchObject({ version: '2', status: 'running' });
  }, 120_000);

  it('a switch under concurrent inference loses no request: all 200, each from the old or the new model', async () => {
    const modelId = await trainModel(h, u.train, binaryCsv(80), CONFIG);
    const c = await deploy(h, u.deploy, modelId);
    const key = await apiKey(h, u.secret, 'retrain', modelId);
    const jobId = await retrainUpload(key, 'r.csv', shiftedCsv(80));
    await runRetrainJobs();
    const rows = 'age,plan,score\n25,basic,1\n60,max,9\n47,pro,5\n';
    const answerOf = async (res: Awaited<ReturnType<typeof infer>>) => `${res.json().version}|${output(res, 'prediction_valid.csv')}`;
    const oldAnswer = await answerOf(await infer(h, c as never, inferBody(rows)));
    const requests: Promise<Awaited<ReturnType<typeof infer>>>[] = [];
    for (let i = 0; i < 60; i++) requests.push(infer(h, c as never, inferBody(rows)));
    const sw = h.app.inject({ method: 'PUT', url: `${RETRAIN}/${jobId}/update_model`, headers: { 'x-api-key': key } });
    for (let i = 0; i < 60; i++) requests.push(infer(h, c as never, inferBody(rows)));
    expect((await sw).statusCode).toBe(200);
    const results = await Promise.all(requests);
    const newAnswer = await answerOf(await infer(h, c as never, inferBody(rows)));
    expect(newAnswer.startsWith('2|')).toBe(true);
    for (const r of results) {
      expect(r.statusCode).toBe(200);
      expect([oldAnswer, newAnswer]).toContain(await answerOf(r));
    }
  }, 120_000);
});
