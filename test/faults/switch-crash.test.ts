/**
 * A server killed (SIGKILL) in the middle of a retrain switch — after the classifier became
 * `updating`, before the swap — must not leave it `updating` for good: the next start takes it back
 * to `running` on its old model, it keeps serving, and the switch can be done again.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binaryCsv } from '../helpers/harness.js';
import { client, until } from '../helpers/http-client.js';
import { freePort, startServer, type ServerProcess } from '../helpers/server-process.js';

const CONFIG = { tc: 'churn', tt: 'binary_classification', tv: 'yes' };
const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const s of servers) await s.kill();
});

describe('SIGKILL during a retrain switch', () => {
  it('recovers the classifier from updating at the next start, and the switch can be repeated', { timeout: 240_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yosoku-switch-crash-'));
    const hold = join(dir, 'hold-switch');
    const port = await freePort();
    const env = { DATA_DIR: join(dir, 'data'), TRAINING_TIME_BUDGET_SECONDS: '1', YOSOKU_HOLD_SWITCH_FILE: hold };
    const first = await startServer(env, port);
    servers.push(first);
    const api = client(first.url);
    const secret = (await readFile(join(dir, 'data', 'secret-key.txt'), 'utf8')).trim();
    const train = await api.apiKey(secret, 'train');
    const deployKey = await api.apiKey(secret, 'deploy');
    const trained = await api.train(train, await api.upload(train, binaryCsv(60)), CONFIG);
    expect(trained.status).toBe('finished');
    const c = await api.deploy(deployKey, trained.model_id);
    expect(c.status).toBe('running');
    const retrainKey = await api.apiKey(secret, 'retrain', trained.model_id);
    const { jobId, status } = await api.retrain(retrainKey, binaryCsv(70));
    expect(status.status).toBe('job_finished');

    // The switch stops right after `updating` while the hold file exists; kill the server there.
    await writeFile(hold, '');
    const switching = fetch(`${first.url}/v1/external/retrain_jobs/${jobId}/update_model`, { method: 'PUT', headers: { 'x-api-key': retrainKey } }).catch(
      () => null,
    );
    await until('updating', 30_000, async () => ((await api.classifier(deployKey, c.classifier_id)).status === 'updating' ? true : undefined));
    await first.kill();
    await switching;
    await rm(hold);

    const second = await startServer(env, port);
    servers.push(second);
    const after = await api.classifier(deployKey, c.classifier_id);
    expect(after).toMatchObject({ status: 'running', model_id: trained.model_id, version: '1' });
    const redo = await api.json('PUT', `/v1/external/retrain_jobs/${jobId}/update_model`, retrainKey);
    expect(redo.status).toBe(200);
    expect(await api.classifier(deployKey, c.classifier_id)).toMatchObject({ status: 'running', model_id: status.model_id, version: '2' });
  });
});
