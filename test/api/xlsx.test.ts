/**
 * Excel uploads through the API: extension=xlsx (with sheet=) for training and evaluation files,
 * *.xlsx files for retrains and batch predictions, the converted CSV as what column-info, training
 * and predictions see; and an Excel file PUT to a CSV URL named for what it is.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerThreadBatchRunner } from '../../src/compute/worker-pool.js';
import { BATCH_PREDICT_JOB, BatchPredictionJobHandler, RETRAIN_JOB, RetrainJobHandler, TrainingJobHandler } from '../../src/services/index.js';
import { apiKey, CLASSIFIERS, closeRunner, deploy, runTrainJobs, sharedComparisons, sharedRunner } from '../helpers/deploy.js';
import { createHarness, expectError, type Harness } from '../helpers/harness.js';

/** A workbook with a cover sheet first and the data on sheet `Data`: id, joined (date), plan, spend, churn. */
async function customersWorkbook(n: number, opts: { withTarget?: boolean; offset?: number } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Cover').addRow(['顧客データ', '2024年']);
  const ws = wb.addWorksheet('Data');
  ws.addRow(['plan', 'joined', 'spend', 'visits', ...(opts.withTarget === false ? [] : ['churn'])]);
  for (let i = 0; i < n; i++) {
    const k = i + (opts.offset ?? 0);
    const spend = ((k * 37) % 100) * 10;
    const churn = spend > 500 ? 'yes' : 'no';
    ws.addRow([
      ['basic', 'pro', 'max'][k % 3],
      new Date(Date.UTC(2023, k % 12, 1 + (k % 28))),
      spend,
      { formula: `C${i + 2}/10`, result: spend / 10 },
      ...(opts.withTarget === false ? [] : [churn]),
    ]);
  }
  ws.getColumn(2).numFmt = 'yyyy/mm/dd';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

let h: Harness;
let u: { secret: string; train: string };

beforeAll(async () => {
  h = await createHarness({ TRAINING_TIME_BUDGET_SECONDS: '1' });
  u = await h.user('alice');
});

afterAll(async () => {
  await h.services.deployment.settled();
  await closeRunner();
});

async function openXlsx(query: string) {
  const res = await h.get(`/v1/external/data-sets/upload-url?extension=xlsx${query}`, u.train);
  expect(res.statusCode).toBe(200);
  return res.json() as { learn_data_set_upload_url: string; eval_data_set_upload_url: string; column_info_upload_url: string; external_process_id: string };
}

describe('extension=xlsx', () => {
  it('converts the named sheet on upload; column-info and training see the CSV', async () => {
    const r = await openXlsx('&sheet=Data');
    expect(r.learn_data_set_upload_url).toMatch(/\/learn\?sheet=Data&expires=\d+&sig=[0-9a-f]{64}$/);
    expect(r.column_info_upload_url).toMatch(/\/column_info\?expires=/);
    expect((await h.put(r.learn_data_set_upload_url, await customersWorkbook(80))).statusCode).toBe(200);
    expect((await h.put(r.eval_data_set_upload_url, await customersWorkbook(30, { offset: 80 }))).statusCode).toBe(200);
    const sets = (await h.get('/v1/external/data-sets', u.train)).json().data_sets;
    expect(sets.map((d: { name: string }) => d.name).sort()).toEqual(['eval.csv', 'learn.csv']);
    expect(sets.find((d: { name: string }) => d.name === 'learn.csv')).toMatchObject({ extension: 'csv', column_count: 5, data_count: 80 });

    const info = (await h.get(`/v1/external/data-sets/column-info?external_process_id=${r.external_process_id}`, u.train)).json();
    expect(info.raw_column_names).toEqual(['plan', 'joined', 'spend', 'visits', 'churn']);
    expect(info.raw_training_data[0]).toEqual({ row_data: 'basic,2023-01-01,0,0,no' });
    // string, date, integer, integer (the formula's cached value), string
    expect(info.training_data_columns.map((c: { initial_data_type: number }) => c.initial_data_type)).toEqual([3, 5, 1, 1, 3]);

    const res = await h.post('/v1/external/models', u.train, {
      external_process_id: r.external_process_id,
      name: 'xlsx',
      config: { tc: 'churn', tt: 'binary_classification', tv: 'yes' },
    });
    expect(res.statusCode).toBe(200);
    await runTrainJobs(h);
    const status = (await h.get(`/v1/external/models/results?external_process_id=${r.external_process_id}`, u.train)).json();
    expect(status).toMatchObject({ status: 'finished', model_id: expect.any(Number) });
  }, 120_000);

  it('answers a missing sheet, a merged header and a sheet without xlsx with their errors', async () => {
    const r = await openXlsx('&sheet=Nope');
    expectError(
      await h.put(r.learn_data_set_upload_url, await customersWorkbook(20)),
      4001000333,
      'The file cannot be read as an Excel workbook (.xlsx): learn file: sheet="Nope": the workbook has no such sheet; it has "Cover", "Data"',
    );
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('表');
    ws.addRow(['売上', '', '地域']);
    ws.mergeCells('A1:B1');
    ws.addRow([1, 2, '東京']);
    const merged = await openXlsx('');
    expectError(
      await h.put(merged.learn_data_set_upload_url, Buffer.from(await wb.xlsx.writeBuffer())),
      4001000333,
      /learn file: sheet "表": header cells A1:B1 are merged/,
    );
    expectError(await h.put(merged.learn_data_set_upload_url, 'a,b\n1,2\n'), 4001000333, /learn file: the file is not an \.xlsx workbook/);
    expectError(
      await h.get('/v1/external/data-sets/upload-url?extension=csv&sheet=Data', u.train),
      4001000301,
      /sheet: got "Data"; allowed: a sheet name, with extension=xlsx/,
    );
    expectError(await h.get('/v1/external/data-sets/upload-url?extension=xls', u.train), 4001000301, /extension: got "xls"; allowed: csv, tsv, xlsx/);
  });

  it('names an Excel file PUT to a CSV upload URL', async () => {
    const res = await h.get('/v1/external/data-sets/upload-url', u.train);
    const put = await h.put(res.json().learn_data_set_upload_url, await customersWorkbook(20));
    expectError(
      put,
      4001000331,
      /^The file cannot be read as CSV\/TSV: learn file: the file is an Excel workbook \(\.xlsx\), not CSV text: request the upload URL with extension=xlsx/,
    );
  });
});

describe('retrain and batch uploads named *.xlsx', () => {
  it('are converted on upload, then retrain and predict like CSV files', async () => {
    const r = await openXlsx('&sheet=Data');
    await h.put(r.learn_data_set_upload_url, await customersWorkbook(60));
    await h.post('/v1/external/models', u.train, {
      external_process_id: r.external_process_id,
      name: 'm',
      config: { tc: 'churn', tt: 'binary_classification', tv: 'yes' },
    });
    await runTrainJobs(h);
    const modelId = (await h.get(`/v1/external/models/results?external_process_id=${r.external_process_id}`, u.train)).json().model_id as number;
    const deployKey = await apiKey(h, u.secret, 'deploy');
    const c = await deploy(h, deployKey, modelId);

    const batchUrl = `${CLASSIFIERS}/${c.classifier_id}/batch-predictions`;
    expectError(
      await h.post(batchUrl, deployKey, { filename: 'rows.csv', sheet: 'Data' }),
      4001000302,
      /sheet: got "Data"; allowed: a sheet name, with a filename ending in \.xlsx/,
    );
    const opened = (await h.post(batchUrl, deployKey, { filename: 'rows.xlsx', sheet: 'Data' })).json();
    expect((await h.put(opened.upload_url, await customersWorkbook(25, { withTarget: false }))).statusCode).toBe(200);
    const batchRunner = new WorkerThreadBatchRunner();
    try {
      const handler = new BatchPredictionJobHandler(h.deps, batchRunner);
      for (
        let job = await h.storage.jobs.claim([BATCH_PREDICT_JOB], 't', 60_000);
        job !== null;
        job = await h.storage.jobs.claim([BATCH_PREDICT_JOB], 't', 60_000)
      ) {
        await handler.handle(job);
        await h.storage.jobs.complete(job.id, 't');
      }
    } finally {
      await batchRunner.close();
    }
    expect((await h.get(`${batchUrl}/${opened.batch_prediction_id}`, deployKey)).json()).toMatchObject({
      status: 'job_finished',
      rows: { total: 25, predicted: 25, invalid: 0 },
    });

    const retrainKey = await apiKey(h, u.secret, 'retrain', modelId);
    const job = (await h.get('/v1/external/retrain_jobs/upload_url?filename=new.xlsx&sheet=Data', retrainKey)).json();
    expect((await h.put(job.upload_url, await customersWorkbook(70, { offset: 5 }))).statusCode).toBe(200);
    const training = new TrainingJobHandler(h.deps, { runner: sharedRunner(), version: 'test' });
    const retrain = new RetrainJobHandler(h.deps, training, sharedComparisons());
    for (let j = await h.storage.jobs.claim([RETRAIN_JOB], 't', 60_000); j !== null; j = await h.storage.jobs.claim([RETRAIN_JOB], 't', 60_000)) {
      await retrain.handle(j);
      await h.storage.jobs.complete(j.id, 't');
    }
    expect((await h.get(`/v1/external/retrain_jobs/${job.retrain_job_id}`, retrainKey)).json()).toMatchObject({
      status: 'job_finished',
      model_id: expect.any(Number),
    });
    expectError(await h.get('/v1/external/retrain_jobs/upload_url?filename=new.csv&sheet=Data', retrainKey), 4001000301, /sheet: got "Data"/);
  }, 180_000);
});
