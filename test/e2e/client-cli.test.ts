/**
 * The typed client and the CLI against `src/main.ts` as a child process: keys, uploads with
 * progress, column info, training, results, deploy, inference, batch, retrain and switch through
 * the client; every CLI command (upload, train, status, download, models, data-sets, deploy,
 * predict, retrain, report, delete) with its text and --json output, errors with the API's code and
 * a non-zero exit, and /metrics after real work.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inferenceOutput, YosokuApiError, YosokuClient } from '../../src/client/index.js';
import { binaryCsv } from '../helpers/harness.js';
import { REPO_ROOT, startServer, type ServerProcess } from '../helpers/server-process.js';

const run = promisify(execFile);

let server: ServerProcess;
let dir = '';
let secret = '';
let client: YosokuClient;
let trainFile = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yosoku-cli-'));
  server = await startServer({ DATA_DIR: join(dir, 'data'), TRAINING_TIME_BUDGET_SECONDS: '2' });
  secret = (await readFile(join(dir, 'data', 'secret-key.txt'), 'utf8')).trim();
  client = new YosokuClient({ baseUrl: server.url, secretKey: secret });
  trainFile = join(dir, 'customers.csv');
  await writeFile(trainFile, binaryCsv(200));
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

/**
 * The CLI with the server and key from the environment; never rejects. `node bin/yosoku.js` is
 * what `npx yosoku` runs (npx itself costs seconds per call; one test runs it for real).
 */
async function yosoku(args: string[], env: Record<string, string> = {}, viaNpx = false): Promise<{ code: number; stdout: string; stderr: string }> {
  const [cmd, argv] = viaNpx ? ['npx', ['yosoku', ...args]] : [process.execPath, ['bin/yosoku.js', ...args]];
  try {
    const r = await run(cmd, argv, { cwd: REPO_ROOT, env: { ...process.env, YOSOKU_URL: server.url, YOSOKU_SECRET_KEY: secret, ...env }, maxBuffer: 1 << 24 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('typed client', () => {
  it('uploads with progress, trains, polls, downloads, deploys, infers, predicts in batch, retrains and switches', async () => {
    const seen: number[] = [];
    const pid = await client.uploadTrainingData({ learn: { path: trainFile }, onProgress: (_f, p) => seen.push(p.sentBytes) });
    expect(seen.at(-1)).toBe(Buffer.byteLength(binaryCsv(200)));
    expect(seen[0]).toBe(0);
    const info = await client.columnInfo(pid, 'churn');
    expect(info.raw_column_names).toEqual(['age', 'plan', 'score', 'churn']);
    expect(typeof info.training_data_columns[2]!.cor_score).toBe('number');
    expect((await client.dataSets()).data_sets[0]!.name).toBe('customers.csv');

    await client.train(pid, { tc: 'churn', tt: 'binary_classification', tv: 'yes', cv: '1' }, 'client model');
    const polls: string[] = [];
    const done = await client.waitForTraining(pid, { intervalMs: 200, onPoll: (s) => polls.push(s.status) });
    expect(done).toMatchObject({ status: 'finished', model_id: expect.any(Number), result_url: expect.any(String) });
    expect(polls.at(-1)).toBe('finished');
    const zip = await client.download(done.result_url!);
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    const modelId = done.model_id!;
    expect((await client.models()).models.map((m) => m.model_id)).toContain(modelId);

    const c = await client.deploy(modelId);
    expect(c).toMatchObject({ status: 'running', model_id: modelId, url: expect.stringMatching(/\/inference$/) });
    const answer = await client.infer(c, 'age,plan,score\n30,pro,7.5\n25,basic,1.0\n', { reasons: true });
    expect(inferenceOutput(answer, 'prediction_valid.csv')!.trim().split('\n')).toHaveLength(3);
    expect(inferenceOutput(answer, 'prediction_analysis.csv')).toBeDefined();

    const batchId = await client.startBatch(c.classifier_id, { bytes: binaryCsv(30), fileName: 'rows.csv' });
    const batch = await client.waitForBatch(c.classifier_id, batchId, { intervalMs: 200 });
    expect(batch).toMatchObject({ status: 'job_finished', rows: { total: 30, predicted: 30, invalid: 0 } });

    const jobId = await client.retrain(modelId, { bytes: binaryCsv(150), fileName: 'more.csv' });
    const retrained = await client.waitForRetrain(modelId, jobId, { intervalMs: 300 });
    expect(retrained).toMatchObject({ status: 'job_finished', model_id: expect.any(Number) });
    await client.switchModel(modelId, jobId);
    const switched = await client.classifier(c.classifier_id);
    expect(switched.model_id).toBe(retrained.model_id);
    expect(switched.version).toBe('2');
  }, 180_000);

  it('throws the documented code, error, message and request id', async () => {
    const err = await client.columnInfo('nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(YosokuApiError);
    expect(err).toMatchObject({
      status: 404,
      code: 4041000401,
      error: 'PROCESS_NOT_FOUND',
      message: 'Not found external_process_id: nope',
      requestId: expect.any(String),
    });
    const noServer = new YosokuClient({ baseUrl: 'http://127.0.0.1:9', secretKey: secret });
    await expect(noServer.models()).rejects.toMatchObject({ code: 0, error: 'CONNECTION_FAILED' });
    const badKey = new YosokuClient({ baseUrl: server.url, apiKeys: { train: 'not-a-key' } });
    await expect(badKey.models()).rejects.toMatchObject({ code: 4001000204, message: 'invalid_api_key.' });
  });
});

describe('npx yosoku', () => {
  it('trains a file with guessed type and positive value, writes the zip, prints metrics; status, models, data-sets, report', async () => {
    const out = join(dir, 'out');
    const r = await yosoku(['train', trainFile, '--target', 'churn', '--cv', '1', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('type: binary_classification ("churn" has 2 values; --type to choose)');
    expect(r.stderr).toContain('positive value: yes ("yes" reads as the positive value; --positive to choose)');
    const m = /^model (\d+) \(binary_classification\) trained; result: (.*result-\d+\.zip)$/m.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(r.stdout).toMatch(/^metric\s+value$/m);
    expect(r.stdout).toMatch(/^auc\s+0\.\d+/m);
    const zipPath = m![2]!;

    const json = await yosoku(['train', trainFile, '--target', 'score', '--type', 'regression', '--cv', '1', '--out', out, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const trained = JSON.parse(json.stdout);
    expect(trained).toMatchObject({ model_id: expect.any(Number), task: 'regression', config: { tc: 'score', tt: 'regression' }, metrics: expect.any(Object) });
    expect(typeof trained.metrics.rmse).toBe('number');

    const status = JSON.parse((await yosoku(['status', trained.external_process_id, '--json'])).stdout);
    expect(status).toMatchObject({ status: 'finished', model_id: trained.model_id });
    const models = await yosoku(['models']);
    expect(models.stdout).toMatch(/^model_id\s+name\s+type\s+created$/m);
    expect(models.stdout).toMatch(new RegExp(`^${trained.model_id}\\s+customers\\.csv\\s+regression`, 'm'));
    const sets = JSON.parse((await yosoku(['data-sets', '--json'])).stdout);
    expect(sets.data_sets[0]).toMatchObject({ name: 'customers.csv', data_count: 200 });

    const report = await yosoku(['report', zipPath]);
    expect(report.code).toBe(0);
    const reportPath = report.stdout.trim();
    expect(reportPath).toMatch(/-report\.html$/);
    expect(await readFile(reportPath, 'utf8')).toMatch(/^<!doctype html>/i);
  }, 240_000);

  it('uploads on its own, trains that process, and downloads its result zip again by process or model', async () => {
    const columnInfo = join(dir, 'column_info.csv');
    await writeFile(columnInfo, 'column_name,column_type\nage,float\n');
    const up = await yosoku(['upload', trainFile, '--column-info', columnInfo]);
    expect(up.code, up.stderr).toBe(0);
    const pid = /external_process_id: (\S+)$/m.exec(up.stdout)?.[1];
    expect(pid, up.stdout).toBeDefined();
    expect(up.stdout).toMatch(/^age\s+float\s+50\s+0$/m); // the column_info.csv type, not the detected integer
    expect(up.stdout).toMatch(/^churn\s+string\s+2\s+0$/m);
    expect(up.stdout).toContain(`train it: yosoku train --process ${pid} --target COLUMN`);
    const upJson = JSON.parse((await yosoku(['upload', trainFile, '--json'])).stdout);
    expect(upJson).toMatchObject({
      external_process_id: expect.any(String),
      rows: 200,
      columns: expect.arrayContaining([{ name: 'plan', type: 'string', unique: 3, missing: 0 }]),
    });

    const out = join(dir, 'by-process');
    const trained = JSON.parse((await yosoku(['train', '--process', pid!, '--target', 'churn', '--cv', '1', '--out', out, '--json'])).stdout);
    expect(trained).toMatchObject({ external_process_id: pid, task: 'binary_classification', config: { tc: 'churn', tv: 'yes' } });
    const again = await yosoku(['train', '--process', pid!, '--target', 'churn']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: 4091000502 TRAINING_ALREADY_REQUESTED: /m);

    const byProcess = join(dir, 'again.zip');
    const d1 = await yosoku(['download', pid!, '--out', byProcess]);
    expect(d1.code, d1.stderr).toBe(0);
    expect(d1.stdout.trim()).toBe(byProcess);
    const d2 = JSON.parse((await yosoku(['download', '--model', String(trained.model_id), '--out', join(dir, 'by-model.zip'), '--json'])).stdout);
    expect(d2).toMatchObject({ external_process_id: pid, model_id: trained.model_id, result_zip: join(dir, 'by-model.zip') });
    const [a, b, first] = await Promise.all([readFile(byProcess), readFile(join(dir, 'by-model.zip')), readFile(trained.result_zip)]);
    expect(a.equals(first)).toBe(true);
    expect(b.equals(first)).toBe(true);

    const unfinished = await yosoku(['download', upJson.external_process_id]);
    expect(unfinished).toMatchObject({ code: 1, stderr: expect.stringMatching(/^error: 4091000503 TRAINING_NOT_REQUESTED: /m) }); // uploaded, never trained
    const noModel = await yosoku(['download', '--model', '999999']);
    expect(noModel).toMatchObject({ code: 1, stderr: expect.stringContaining('error: model 999999 is not one of your models') });
  }, 240_000);

  it('deploys with IP rules, predicts a file with reasons, and deletes', async () => {
    const trained = JSON.parse((await yosoku(['train', trainFile, '--target', 'churn', '--positive', 'yes', '--cv', '1', '--out', dir, '--json'])).stdout);
    const deployed = await yosoku(['deploy', String(trained.model_id), '--allow', '127.0.0.0/8', '--json']);
    expect(deployed.code, deployed.stderr).toBe(0);
    const c = JSON.parse(deployed.stdout);
    expect(c).toMatchObject({ status: 'running', rules: [{ source: '127.0.0.0/8', order: 'allow', priority: 0 }], url: expect.stringMatching(/\/inference$/) });

    const rows = join(dir, 'rows.csv');
    await writeFile(rows, 'age,plan,score\n30,pro,7.5\nx,basic,1\n41,max,2.5\n');
    const outFile = join(dir, 'pred.csv');
    const p = await yosoku(['predict', '--classifier', c.classifier_id, rows, '--reasons', '--out', outFile]);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stderr).toContain('2 of 3 rows predicted, 1 invalid');
    expect((await readFile(outFile, 'utf8')).trim().split('\n')).toHaveLength(3);
    expect(await readFile(join(dir, 'pred.reasons.csv'), 'utf8')).not.toBe('');
    expect(await readFile(join(dir, 'pred.invalid.csv'), 'utf8')).toContain('x');
    const toStdout = await yosoku(['predict', '--model', String(trained.model_id), rows]);
    expect(toStdout.code, toStdout.stderr).toBe(0);
    expect(toStdout.stdout.trim().split('\n')).toHaveLength(3);

    const inUse = await yosoku(['delete', 'model', String(trained.model_id)]);
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toMatch(/^error: 4091000505 MODEL_IN_USE: The model is served by a classifier/m);
    expect((await yosoku(['delete', 'classifier', c.classifier_id])).stdout.trim()).toBe(`deleted classifier ${c.classifier_id}`);
  }, 240_000);

  it('retrains a deployed model, writes the comparison, and switches its classifier', async () => {
    const trained = JSON.parse((await yosoku(['train', trainFile, '--target', 'churn', '--positive', 'yes', '--cv', '1', '--out', dir, '--json'])).stdout);
    const c = JSON.parse((await yosoku(['deploy', String(trained.model_id), '--json'])).stdout);
    const more = join(dir, 'more.csv');
    await writeFile(more, binaryCsv(150));

    const r = await yosoku(['retrain', String(trained.model_id), more, '--switch', '--out', join(dir, 'retrain')]);
    expect(r.code, r.stderr).toBe(0);
    const m = /^model (\d+) retrained from model (\d+); comparison: (.*retrain-\d+\.zip)$/m.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(Number(m![2])).toBe(trained.model_id);
    expect(r.stdout).toMatch(/^metric\s+new\s+previous\s+difference$/m);
    expect(r.stdout).toMatch(/^auc\s+0\.\d+\s+0\.\d+/m);
    expect(r.stdout).toContain(`classifier ${c.classifier_id} now serves model ${m![1]} (version 2)`);
    expect((await readFile(m![3]!)).subarray(0, 2).toString()).toBe('PK');
    const served = await client.classifier(c.classifier_id);
    expect(served).toMatchObject({ model_id: Number(m![1]), version: '2' });

    const json = JSON.parse((await yosoku(['retrain', m![1]!, more, '--out', join(dir, 'retrain'), '--json'])).stdout);
    expect(json).toMatchObject({
      previous_model_id: Number(m![1]),
      model_id: expect.any(Number),
      comparison: expect.arrayContaining([expect.objectContaining({ metric: 'auc' })]),
    });
    expect(json.switched).toBeUndefined();
    expect((await client.classifier(c.classifier_id)).model_id).toBe(Number(m![1])); // not switched without --switch
    const missing = await yosoku(['retrain', '999999', more]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: \d{10} \w+: /m);
  }, 240_000);

  it('trains a time-series forecaster with --time-column and --horizon and prints its per-scope metrics', async () => {
    const lines = ['date,sales'];
    for (let i = 0; i < 120; i++)
      lines.push(`${new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10)},${(100 + 10 * Math.sin((i / 7) * 2 * Math.PI) + i * 0.3).toFixed(2)}`);
    const series = join(dir, 'daily.csv');
    await writeFile(series, lines.join('\n') + '\n');
    const r = await yosoku(['train', series, '--target', 'sales', '--time-column', 'date', '--horizon', '1..7', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^model \d+ \(regression, time series\) trained; result: /m);
    expect(r.stdout).toMatch(/^scope\s+metric\s+value\s+seasonal_naive$/m);
    expect(r.stdout).toMatch(/^all\s+mase\s+\d/m);
    const json = JSON.parse((await yosoku(['train', series, '--target', 'sales', '--time-column', 'date', '--horizon', '3', '--out', dir, '--json'])).stdout);
    expect(json).toMatchObject({ config: { tsm: true, tsc: 'date', tsf: 3, tst: 3 }, metrics: { mase: expect.any(Number), rmse: expect.any(Number) } });
    const bad = await yosoku(['train', series, '--target', 'sales', '--time-column', 'date', '--horizon', 'soon']);
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringContaining('--horizon: got "soon"; allowed: N or A..B') });
  }, 240_000);

  it('passes --tss, --tsine (repeatable), --tsin, --tsu, --tsi and --holidays to the server as the ts keys', async () => {
    const lines = ['date,store,promo,price,sales'];
    for (const [k, store] of ['a', 'b'].entries()) {
      for (let i = 0; i < 60; i++)
        lines.push(
          `${new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10)},${store},${i % 5 === 0 ? 1 : 0},${10 + (i % 3)},${100 + 10 * k + [0, 5, 10, 8, 3, 20, 25][i % 7]! + (i % 5 === 0 ? 15 : 0)}`,
        );
    }
    const stores = join(dir, 'stores.csv');
    await writeFile(stores, lines.join('\n') + '\n');
    const ts = ['train', stores, '--target', 'sales', '--time-column', 'date', '--horizon', '1..3', '--out', dir, '--json'];
    const r = await yosoku([...ts, '--tss', 'store', '--tsine', 'promo', '--tsine', 'price', '--tsu', 'day', '--tsi', '1', '--holidays', 'none']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({
      config: { tsm: true, tss: 'store', tsine: ['promo', 'price'], tsu: 'day', tsi: '1', holidays: 'none' },
      metrics: { mase: expect.any(Number) },
    });
    const model = (await client.models()).models.find((m) => m.model_id === json.model_id);
    expect(model?.config).toMatchObject({ tss: 'store', tsine: ['promo', 'price'], tsu: 'day', holidays: 'none' });
    // --tsin: the other columns are known in the future, --tsine names the exception; the server's check answers through the CLI.
    const unknownHoliday = await yosoku([...ts, '--tss', 'store', '--tsin', '--tsine', 'price', '--holidays', 'XX']);
    expect(unknownHoliday).toMatchObject({ code: 1, stderr: expect.stringContaining('4001000303 INVALID_CONFIG: Invalid config: holidays: got "XX"') });
  }, 240_000);

  it('prints the API error and exits non-zero; usage errors exit 2; --help everywhere; the key from DATA_DIR', async () => {
    const missing = await yosoku(['status', 'no-such-process']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: 4041000401 PROCESS_NOT_FOUND: Not found external_process_id: no-such-process \(request_id [\w-]+\)$/m);
    const badType = await yosoku(['train', trainFile, '--target', 'churn', '--type', 'ranking']);
    expect(badType).toMatchObject({ code: 1, stderr: expect.stringContaining('--type: got "ranking"; allowed: binary, multiclass, regression') });
    const noTarget = await yosoku(['train', trainFile]);
    expect(noTarget).toMatchObject({ code: 2, stderr: expect.stringContaining("error: required option '--target <column>' not specified") });
    const help = await yosoku(['deploy', '--help'], {}, true);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: yosoku deploy \[options\] <model_id>/);
    const fromDataDir = await yosoku(['models', '--json'], { YOSOKU_SECRET_KEY: '', DATA_DIR: join(dir, 'data') });
    expect(fromDataDir.code, fromDataDir.stderr).toBe(0);
    const noKey = await yosoku(['models'], { YOSOKU_SECRET_KEY: '', DATA_DIR: join(dir, 'nowhere') });
    expect(noKey).toMatchObject({ code: 1, stderr: expect.stringContaining('no secret key: pass --secret-key, set YOSOKU_SECRET_KEY') });
  }, 120_000);

  it('exposes the work in /metrics', async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/^yosoku_training_rows_total\{task="binary_classification"\} [1-9]\d*$/m);
    expect(text).toMatch(/^yosoku_job_duration_seconds_count\{kind="train",outcome="completed"\} [1-9]/m);
    expect(text).toMatch(/^yosoku_predicted_rows_total\{source="inference"\} [1-9]/m);
    expect(text).toMatch(/^yosoku_predicted_rows_total\{source="batch"\} [1-9]/m);
    expect(text).toMatch(/^yosoku_http_requests_total\{method="POST",route="\/v1\/external\/models",status="200"\} [1-9]/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });
});
