/**
 * A server killed (SIGKILL) while an upload's body is still arriving: after the restart nothing of
 * it is taken as stored (no data set, the process has no file, the blob store holds no partial
 * file under the key), and the same signed URL stores the whole file.
 */
import { readdir, mkdtemp, readFile, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binaryCsv } from '../helpers/harness.js';
import { client, until } from '../helpers/http-client.js';
import { freePort, startServer, type ServerProcess } from '../helpers/server-process.js';

const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const s of servers) await s.kill();
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('SIGKILL during an upload', () => {
  it('stores nothing of the cut upload, and the URL works after the restart', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yosoku-upload-crash-'));
    const port = await freePort();
    const env = { DATA_DIR: join(dir, 'data') };
    const first = await startServer(env, port);
    servers.push(first);
    const api = client(first.url);
    const secret = (await readFile(join(dir, 'data', 'secret-key.txt'), 'utf8')).trim();
    const train = await api.apiKey(secret, 'train');
    const opened = (await api.json('GET', '/v1/external/data-sets/upload-url', train)).body;
    const csv = binaryCsv(20_000);
    const url = new URL(opened.learn_data_set_upload_url);
    // Send a third of the body; once the server has written some of it to its scratch file (it is
    // mid-upload for sure), kill it while it waits for the rest.
    const req = request({ host: '127.0.0.1', port, method: 'PUT', path: url.pathname + url.search, headers: { 'content-length': Buffer.byteLength(csv) } });
    req.on('error', () => undefined);
    req.write(csv.slice(0, Math.floor(csv.length / 3)));
    const scratch = join(dir, 'data', 'blobs', '.tmp');
    await until('the upload being written', 60_000, async () => {
      for (const f of await filesUnder(scratch)) if ((await stat(f).catch(() => null))?.size) return true;
      return undefined;
    });
    await first.kill();
    req.destroy();

    const second = await startServer(env, port);
    servers.push(second);
    expect((await api.json('GET', '/v1/external/data-sets', train)).body.data_sets).toEqual([]);
    expect((await api.json('GET', `/v1/external/data-sets/column-info?external_process_id=${opened.external_process_id}`, train)).body.code).toBe(4091000501);
    const stored = await filesUnder(join(dir, 'data', 'blobs', 'processes'));
    expect(stored).toEqual([]);
    expect((await api.put(opened.learn_data_set_upload_url, csv)).status).toBe(200);
    const info = await api.json('GET', `/v1/external/data-sets/column-info?external_process_id=${opened.external_process_id}`, train);
    expect(info.body.trainingdata_row_count).toBe(20_000);
  });
});
