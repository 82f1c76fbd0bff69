/**
 * End to end against `src/main.ts` as a child process: first start, the CLI beside a running
 * server, the documented Python (requests) and curl flows from examples/, and a restart while a
 * job is running.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, stat, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import iconv from 'iconv-lite';
import { freePort, REPO_ROOT, startServer, type ServerProcess } from '../helpers/server-process.js';

const run = promisify(execFile);
const DATASETS = resolve(REPO_ROOT, '../shared/datasets');
const PYTHON = '/usr/bin/python3';
const hasDatasets = existsSync(join(DATASETS, 'adult_income.csv'));
const hasRequests = spawnSync(PYTHON, ['-c', 'import requests']).status === 0;
if (!hasDatasets) console.warn(`e2e: skipping the example flows: ${DATASETS} is missing`);
if (!hasRequests) console.warn(`e2e: skipping the Python example: ${PYTHON} has no requests module (apt-get install python3-requests)`);

/** Short searches keep the suite fast; the flows are what is under test here. */
const FAST = { TRAINING_TIME_BUDGET_SECONDS: '2' };

/** The first `n` data rows of a shared dataset (a subsample keeps training quick). */
async function subsample(name: string, n: number, dir: string): Promise<string> {
  const text = await readFile(join(DATASETS, name), 'utf8');
  const lines = text.split('\n');
  const path = join(dir, name);
  await writeFile(path, lines.slice(0, n + 1).join('\n') + '\n');
  return path;
}

const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const s of servers) await s.kill();
});

/** One server for the first-start checks and the example flows (each start costs seconds). */
let shared: { server: ServerProcess; dir: string; secret: string } | null = null;
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'yosoku-e2e-'));
  const server = await startServer({ DATA_DIR: join(dir, 'data'), ...FAST });
  servers.push(server);
  shared = { server, dir, secret: (await readFile(join(dir, 'data', 'secret-key.txt'), 'utf8')).trim() };
});

describe('npm start', () => {
  it('creates the local user on first start, and the CLI adds users while it runs', async () => {
    const { server, dir, secret } = shared!;
    expect(server.stdout()).toContain(`Created the local user. Secret key (also in ${join(dir, 'data', 'secret-key.txt')}):\n${secret}`);
    expect((await stat(join(dir, 'data', 'secret-key.txt'))).mode & 0o777).toBe(0o600);
    const res = await fetch(`${server.url}/v1/external/api-key?credential_type=train`, { headers: { 'x-api-key': secret } });
    expect(res.status).toBe(200);

    const cli = await run('npm', ['run', '--silent', 'cli', '--', 'secret-key', 'create', '--user', 'bob'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: join(dir, 'data') },
    });
    const lines = cli.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\{"user_id": "[0-9a-f-]{36}", "secret_key": "[0-9a-f-]{36}"\}$/);
    const created = JSON.parse(lines[0]!);
    expect(Object.keys(created)).toEqual(['user_id', 'secret_key']);
    const bob = await fetch(`${server.url}/v1/external/api-key?credential_type=train`, { headers: { 'x-api-key': created.secret_key } });
    expect(bob.status).toBe(200);
  });
});

describe.skipIf(!hasDatasets)('example flows against a running server', () => {
  it.skipIf(!hasRequests)(
    'examples/train.py trains on adult_income (2,000 rows) and prints the zip file list',
    async () => {
      const { server, dir, secret } = shared!;
      const csv = await subsample('adult_income.csv', 2000, dir);
      const zipPath = join(dir, 'result.zip');
      const { stdout } = await run(PYTHON, [join(REPO_ROOT, 'examples/train.py')], {
        env: {
          ...process.env,
          P1_HOST: server.url,
          P1_SECRET_KEY: secret,
          P1_TRAIN_CSV: csv,
          P1_TARGET: 'income >50K',
          P1_POSITIVE: '1',
          P1_POLL_SECONDS: '0.5',
          P1_RESULT_ZIP: zipPath,
        },
      });
      const files = stdout.trim().split('\n').slice(-6);
      expect(files.sort()).toEqual(['analysis_summary.csv', 'confusion_matrix.csv', 'evaluation_raw_data.csv', 'metrics.csv', 'model.json', 'report.html']);
      const zip = await readFile(zipPath);
      expect(zip.subarray(0, 2).toString()).toBe('PK');
    },
    240_000,
  );

  it('examples/train.sh trains on penguins with curl', async () => {
    const { server, dir, secret } = shared!;
    const { stdout } = await run('bash', [join(REPO_ROOT, 'examples/train.sh')], {
      cwd: dir,
      env: {
        ...process.env,
        P1_HOST: server.url,
        P1_SECRET_KEY: secret,
        P1_TRAIN_CSV: join(DATASETS, 'penguins.csv'),
        P1_TARGET: 'species',
        P1_TASK: 'multi_classification',
        P1_POLL_SECONDS: '0.5',
      },
    });
    expect(stdout).toMatch(/model_id: \d+/);
    expect(stdout).toContain('confusion_matrix.csv');
    expect(existsSync(join(dir, 'result.zip'))).toBe(true);
  }, 240_000);
});

describe.skipIf(!hasRequests)('the examples on a Japanese file in every accepted encoding', () => {
  // examples/data/jp_customers_sjis.csv is Shift_JIS; the same rows as UTF-8 and UTF-8 with BOM.
  const encodings = [
    ['shift_jis', (text: string) => iconv.encode(text, 'Shift_JIS')],
    ['utf-8', (text: string) => Buffer.from(text, 'utf8')],
    ['utf-8-bom', (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
  ] as const;
  for (const [encoding, encode] of encodings) {
    it(`train.py and train.sh train on the ${encoding} copy and name the data set after the file`, async () => {
      const { server, dir, secret } = shared!;
      const text = iconv.decode(await readFile(join(REPO_ROOT, 'examples/data/jp_customers_sjis.csv')), 'Shift_JIS');
      const csv = join(dir, `顧客_${encoding}.csv`);
      await writeFile(csv, encode(text));
      const env = {
        ...process.env,
        P1_HOST: server.url,
        P1_SECRET_KEY: secret,
        P1_TRAIN_CSV: csv,
        P1_TARGET: 'gender',
        P1_POSITIVE: '男性',
        P1_POLL_SECONDS: '0.5',
      };
      const py = await run(PYTHON, [join(REPO_ROOT, 'examples/train.py')], { cwd: dir, env: { ...env, P1_RESULT_ZIP: join(dir, `py-${encoding}.zip`) } });
      expect(py.stdout).toMatch(/"model_id": \d+/);
      const sh = await run('bash', [join(REPO_ROOT, 'examples/train.sh')], { cwd: dir, env: { ...env, P1_RESULT_ZIP: join(dir, `sh-${encoding}.zip`) } });
      expect(sh.stdout).toMatch(/model_id: \d+/);
      // Untyped JSON on the test side.
      const get = async (path: string, key: string): Promise<any> => (await fetch(server.url + path, { headers: { 'x-api-key': key } })).json();
      const train = (await get('/v1/external/api-key?credential_type=train', secret)).api_key;
      const names = (await get('/v1/external/data-sets?limit=2', train)).data_sets.map(
        (d: { name: string; data_count: number }) => `${d.name}:${d.data_count}`,
      );
      expect(names).toEqual([`顧客_${encoding}.csv:1000`, `顧客_${encoding}.csv:1000`]);
      expect((await get('/v1/external/models?limit=1', train)).models[0].name).toBe(`顧客_${encoding}.csv`);
    }, 240_000);
  }
});

describe('npm start and signals', () => {
  it('SIGTERM to `npm start` reaches the server: it stops serving, hands back its running job and closes the database', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yosoku-e2e-'));
    const dataDir = join(dir, 'data');
    const hold = join(dir, 'hold');
    await writeFile(hold, '');
    const port = await freePort();
    const npm = spawn('npm', ['start'], {
      cwd: REPO_ROOT,
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', DATA_DIR: dataDir, YOSOKU_HOLD_TRAINING_FILE: hold, ...FAST },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    npm.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((res) => npm.once('exit', (code) => res(code)));
    while (!out.includes('listening on')) {
      expect(npm.exitCode).toBeNull();
      await new Promise((r) => setTimeout(r, 50));
    }
    const base = `http://127.0.0.1:${port}`;
    const secret = (await readFile(join(dataDir, 'secret-key.txt'), 'utf8')).trim();
    const get = async (path: string, key: string): Promise<any> => (await fetch(base + path, { headers: { 'x-api-key': key } })).json();
    const key = (await get('/v1/external/api-key?credential_type=train', secret)).api_key;
    const urls = await get('/v1/external/data-sets/upload-url?extension=csv', key);
    const csv =
      ['x,y,label', ...Array.from({ length: 200 }, (_, i) => `${i % 17},${(i * 7) % 11},${(i % 17) + ((i * 7) % 11) > 13 ? 'hi' : 'lo'}`)].join('\n') + '\n';
    expect((await fetch(urls.learn_data_set_upload_url, { method: 'PUT', body: csv })).status).toBe(200);
    const pid = urls.external_process_id;
    const post = await fetch(`${base}/v1/external/models`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ external_process_id: pid, name: 'sigterm', config: { tc: 'label', tt: 'binary_classification', tv: 'hi' } }),
    });
    expect(post.status, await post.clone().text()).toBe(200);
    while ((await get(`/v1/external/models/results?external_process_id=${pid}`, key)).status !== 'running') await new Promise((r) => setTimeout(r, 50));

    npm.kill('SIGTERM'); // the npm process, as `kill <pid of npm start>` does
    // The server stops accepting first; then the held job goes on, finds the runner closed, and
    // is handed back.
    for (;;) {
      const up = await fetch(base + '/v1/external/models', { headers: { 'x-api-key': key } }).then(
        () => true,
        () => false,
      );
      if (!up) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await rm(hold);
    expect(await exited).toBe(0);
    // The job went back to the queue without using up an attempt, and the database was closed
    // cleanly (no WAL left behind to replay).
    expect(existsSync(join(dataDir, 'yosoku.db-wal'))).toBe(false);
    const db = new Database(join(dataDir, 'yosoku.db'), { readonly: true });
    const job = db.prepare(`SELECT state, attempts FROM jobs WHERE kind = 'train'`).get();
    db.close();
    expect(job).toEqual({ state: 'waiting', attempts: 0 });
  }, 120_000);
});

describe('restart', () => {
  it('a job running when the server is killed runs again after the next start and finishes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yosoku-e2e-'));
    const dataDir = join(dir, 'data');
    const hold = join(dir, 'hold');
    await writeFile(hold, '');
    // The hold file keeps the claimed job waiting in `running`, so the kill lands mid-job for sure.
    const first = await startServer({ DATA_DIR: dataDir, YOSOKU_HOLD_TRAINING_FILE: hold, ...FAST });
    servers.push(first);
    const secret = (await readFile(join(dataDir, 'secret-key.txt'), 'utf8')).trim();
    // Untyped JSON on the test side.
    const get = async (base: string, path: string, key: string): Promise<any> => (await fetch(base + path, { headers: { 'x-api-key': key } })).json();
    const key = (await get(first.url, '/v1/external/api-key?credential_type=train', secret)).api_key;
    const urls = await get(first.url, '/v1/external/data-sets/upload-url?extension=csv', key);
    const csv =
      ['x,y,label', ...Array.from({ length: 200 }, (_, i) => `${i % 17},${(i * 7) % 11},${(i % 17) + ((i * 7) % 11) > 13 ? 'hi' : 'lo'}`)].join('\n') + '\n';
    expect((await fetch(urls.learn_data_set_upload_url, { method: 'PUT', body: csv })).status).toBe(200);
    const pid = urls.external_process_id;
    const post = await fetch(`${first.url}/v1/external/models`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ external_process_id: pid, name: 'restart', config: { tc: 'label', tt: 'binary_classification', tv: 'hi' } }),
    });
    expect(post.status).toBe(200);
    const statusPath = `/v1/external/models/results?external_process_id=${pid}`;
    while ((await get(first.url, statusPath, key)).status !== 'running') await new Promise((r) => setTimeout(r, 50));
    await first.kill();

    await rm(hold);
    const second = await startServer({ DATA_DIR: dataDir, ...FAST }, first.port);
    servers.push(second);
    expect(second.stdout()).not.toContain('Created the local user'); // users survive restarts
    let status: any;
    for (;;) {
      status = await get(second.url, statusPath, key);
      if (status.status === 'finished' || status.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(status.status, status.message).toBe('finished');
    expect(status.model_id).toBeGreaterThan(0);
    const zip = await fetch(status.result_url);
    expect(zip.status).toBe(200);
    expect(
      Buffer.from(await zip.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    await second.stop();
  }, 240_000);
});
