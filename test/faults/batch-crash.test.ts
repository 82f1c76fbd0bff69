/**
 * A server killed (SIGKILL) while a batch prediction runs: its acknowledged upload survives, the
 * batch is not taken as finished (no result, no download URL), and after the restart the job runs
 * again and finishes exactly once with every row predicted.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { binaryCsv } from '../helpers/harness.js';
import { client, until } from '../helpers/http-client.js';
import { freePort, startServer, type ServerProcess } from '../helpers/server-process.js';
import { zipTexts } from '../helpers/zip.js';

const CONFIG = { tc: 'churn', tt: 'binary_classification', tv: 'yes' };
const ROWS = 400;
const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const s of servers) await s.kill();
});

describe('SIGKILL during a batch prediction', () => {
  it('keeps the upload, records nothing as done, and finishes the batch once after the restart', { timeout: 240_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yosoku-batch-crash-'));
    const hold = join(dir, 'hold-batch');
    const port = await freePort();
    const dataDir = join(dir, 'data');
    const env = { DATA_DIR: dataDir, TRAINING_TIME_BUDGET_SECONDS: '1' };
    // The hold file keeps the claimed batch waiting in `job_running`, so the kill lands mid-batch for sure.
    const first = await startServer({ ...env, YOSOKU_HOLD_BATCH_FILE: hold }, port);
    servers.push(first);
    const api = client(first.url);
    const secret = (await readFile(join(dataDir, 'secret-key.txt'), 'utf8')).trim();
    const train = await api.apiKey(secret, 'train');
    const deployKey = await api.apiKey(secret, 'deploy');
    const trained = await api.train(train, await api.upload(train, binaryCsv(60)), CONFIG);
    expect(trained.status).toBe('finished');
    const c = await api.deploy(deployKey, trained.model_id);
    expect(c.status).toBe('running');

    await writeFile(hold, '');
    const base = `/v1/external/classifiers/${c.classifier_id}/batch-predictions`;
    const opened = await api.json('POST', base, deployKey, { filename: 'rows.csv' });
    expect(opened.status).toBe(200);
    const id = opened.body.batch_prediction_id as string;
    const rows = binaryCsv(ROWS).replace(/,(churn|yes|no)$/gm, '');
    expect((await api.put(opened.body.upload_url, rows)).status).toBe(200);
    await until('the batch running', 60_000, async () =>
      (await api.json('GET', `${base}/${id}`, deployKey)).body.status === 'job_running' ? true : undefined,
    );
    await first.kill();

    // Between the runs: the upload is stored, nothing is recorded as done.
    const db = new Database(join(dataDir, 'yosoku.db'), { readonly: true });
    const before = db.prepare(`SELECT state, attempts FROM jobs WHERE kind = 'batch_predict'`).all();
    db.close();
    expect(before).toEqual([{ state: 'running', attempts: 1 }]);

    await rm(hold);
    const second = await startServer(env, port);
    servers.push(second);
    const down = await api.json('GET', `${base}/${id}`, deployKey);
    expect(down.body.download_url ?? null).toBeNull();
    const done = await until('the batch to end', 120_000, async () => {
      const s = (await api.json('GET', `${base}/${id}`, deployKey)).body;
      return s.status === 'job_finished' || s.status === 'job_failed' ? s : undefined;
    });
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'job_finished', progress: 100, rows: { total: ROWS, predicted: ROWS, invalid: 0 } });
    const zip = Buffer.from(await (await fetch(done.download_url)).arrayBuffer());
    const valid = (await zipTexts(zip)).get('prediction_valid.csv')!;
    expect(valid.trim().split(/\r?\n/)).toHaveLength(ROWS + 1);
    await second.stop();

    // The job ended once: completed on its second claim, no other batch job.
    const after = new Database(join(dataDir, 'yosoku.db'), { readonly: true });
    const jobs = after.prepare(`SELECT state, attempts FROM jobs WHERE kind = 'batch_predict'`).all();
    after.close();
    expect(jobs).toEqual([{ state: 'completed', attempts: 2 }]);
  });
});
