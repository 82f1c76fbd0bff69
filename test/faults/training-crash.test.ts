/**
 * A server killed (SIGKILL) while a training runs: nothing of it is taken as finished (no model,
 * no result URL), and after the restart the job runs again and ends exactly once — one model, one
 * finished process, the job completed on its second claim.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { binaryCsv } from '../helpers/harness.js';
import { client, until } from '../helpers/http-client.js';
import { freePort, startServer, type ServerProcess } from '../helpers/server-process.js';

const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const s of servers) await s.kill();
});

function trainJobs(dataDir: string): unknown[] {
  const db = new Database(join(dataDir, 'yosoku.db'), { readonly: true });
  try {
    return db.prepare(`SELECT state, attempts FROM jobs WHERE kind = 'train'`).all();
  } finally {
    db.close();
  }
}

describe('SIGKILL during a training', () => {
  it('records nothing as finished, and the training ends exactly once after the restart', { timeout: 240_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yosoku-train-crash-'));
    const hold = join(dir, 'hold-training');
    const port = await freePort();
    const dataDir = join(dir, 'data');
    const env = { DATA_DIR: dataDir, TRAINING_TIME_BUDGET_SECONDS: '1' };
    await writeFile(hold, '');
    // The hold file keeps the claimed job in `running`, so the kill lands mid-training for sure.
    const first = await startServer({ ...env, YOSOKU_HOLD_TRAINING_FILE: hold }, port);
    servers.push(first);
    const api = client(first.url);
    const secret = (await readFile(join(dataDir, 'secret-key.txt'), 'utf8')).trim();
    const train = await api.apiKey(secret, 'train');
    const pid = await api.upload(train, binaryCsv(60));
    expect(
      (
        await api.json('POST', '/v1/external/models', train, {
          external_process_id: pid,
          name: 'm',
          config: { tc: 'churn', tt: 'binary_classification', tv: 'yes' },
        })
      ).status,
    ).toBe(200);
    const statusPath = `/v1/external/models/results?external_process_id=${pid}`;
    await until('the training running', 60_000, async () => ((await api.json('GET', statusPath, train)).body.status === 'running' ? true : undefined));
    await first.kill();
    expect(trainJobs(dataDir)).toEqual([{ state: 'running', attempts: 1 }]);

    await rm(hold);
    const second = await startServer(env, port);
    servers.push(second);
    const between = (await api.json('GET', statusPath, train)).body;
    expect(between.result_url ?? null).toBeNull();
    const done = await until('the training to end', 120_000, async () => {
      const s = (await api.json('GET', statusPath, train)).body;
      return s.status === 'finished' || s.status === 'failed' ? s : undefined;
    });
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'finished', model_id: expect.any(Number) });
    const models = (await api.json('GET', '/v1/external/models', train)).body;
    expect(models.models.map((m: { model_id: number }) => m.model_id)).toEqual([done.model_id]);
    expect((await fetch(done.result_url)).status).toBe(200);
    await second.stop();
    expect(trainJobs(dataDir)).toEqual([{ state: 'completed', attempts: 2 }]);
  });
});
