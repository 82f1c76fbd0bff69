/**
 * Time to first model (DESIGN §4): a 10k-row CSV through the whole API with default settings —
 * upload → column info → train until finished → download the result zip — against a real server
 * started as a child process (temp DATA_DIR, free port).
 *
 *   node --import tsx bench/first-model.ts                       # adult_income
 *   node --import tsx bench/first-model.ts --only adult_income,bank_marketing --rows 10000
 *   node --import tsx bench/first-model.ts --keep                # keep the temp data dir
 *
 * The sample is a seeded random 10k rows of the dataset (header kept). Prints each phase's wall
 * time, the total, and the CPU seconds the server used meanwhile (all threads; on a shared,
 * loaded machine wall time mostly measures the other load, CPU time does not).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SHARED = '/work/shared';

interface Dataset {
  name: string;
  file: string;
  task: 'binary' | 'multiclass' | 'regression' | 'timeseries';
  target: string;
  positive_label?: string;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Seeded sample of n data rows (mulberry32 shuffle), header first. */
function sampleCsv(path: string, n: number, seed: number): string {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const header = lines.shift()!;
  const rows = lines.filter((l) => l !== '');
  let a = seed >>> 0;
  const rand = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  return [header, ...rows.slice(0, Math.min(n, rows.length))].join('\n') + '\n';
}

async function startServer(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${log}`)));
  });
  return child;
}

/** CPU seconds (user + system, all threads) the server process has used so far (Linux /proc). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

async function call<T>(base: string, method: string, path: string, key: string | null, body?: unknown): Promise<T> {
  const res = await fetch(base + path, {
    method,
    headers: { ...(key !== null ? { 'x-api-key': key } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

async function put(url: string, bytes: string): Promise<void> {
  const res = await fetch(url, { method: 'PUT', body: bytes });
  if (!res.ok) throw new Error(`PUT ${url} → ${res.status} ${await res.text()}`);
}

const manifest = JSON.parse(readFileSync(join(SHARED, 'bench/datasets.json'), 'utf8')) as { datasets: Dataset[] };
const only = (arg('--only') ?? 'adult_income').split(',').filter((s) => s !== '');
const nRows = Number(arg('--rows') ?? 10000);
const keep = process.argv.includes('--keep');

const dataDir = mkdtempSync(join(tmpdir(), 'yosoku-first-model-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const tStart = performance.now();
const server = await startServer(dataDir, port);
const startupMs = performance.now() - tStart;
const results: string[] = [];
try {
  const secret = readFileSync(join(dataDir, 'secret-key.txt'), 'utf8').trim();
  const { api_key: trainKey } = await call<{ api_key: string }>(base, 'GET', '/v1/external/api-key?credential_type=train', secret);
  console.log(`server startup ${(startupMs / 1000).toFixed(2)} s (not counted)`);
  for (const name of only) {
    const d = manifest.datasets.find((x) => x.name === name);
    if (d === undefined) throw new Error(`unknown dataset ${name}`);
    const csv = sampleCsv(join(SHARED, 'datasets', d.file), nRows, 42);
    const tt = d.task === 'binary' ? 'binary_classification' : d.task === 'multiclass' ? 'multi_classification' : 'regression';
    const phase: Record<string, number> = {};
    let t = performance.now();
    const t0 = t;
    const cpu0 = cpuSeconds(server.pid!);
    const lap = (p: string): void => {
      const now = performance.now();
      phase[p] = (now - t) / 1000;
      t = now;
    };
    const urls = await call<{ learn_data_set_upload_url: string; external_process_id: string }>(
      base,
      'GET',
      '/v1/external/data-sets/upload-url?extension=csv',
      trainKey,
    );
    await put(urls.learn_data_set_upload_url, csv);
    lap('upload');
    const pid = urls.external_process_id;
    await call(base, 'GET', `/v1/external/data-sets/column-info?external_process_id=${pid}`, trainKey);
    lap('column-info');
    const config: Record<string, unknown> = { tc: d.target, tt, ...(d.positive_label !== undefined ? { tv: d.positive_label } : {}) };
    await call(base, 'POST', '/v1/external/models', trainKey, { external_process_id: pid, name: `first-model ${name}`, config });
    let status: { status: string; result_url?: string; message?: string; progress?: number };
    for (;;) {
      status = await call(base, 'GET', `/v1/external/models/results?external_process_id=${pid}`, trainKey);
      if (status.status === 'finished' || status.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (status.status === 'failed') throw new Error(`training failed: ${status.message ?? ''}`);
    lap('train');
    const zip = await fetch(status.result_url!);
    const bytes = new Uint8Array(await zip.arrayBuffer());
    if (!zip.ok) throw new Error(`download → ${zip.status}`);
    lap('download');
    const total = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(server.pid!) - cpu0;
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
    const line = `| ${name} | ${csv.split('\n').length - 2} | ${phase.upload!.toFixed(2)} | ${phase['column-info']!.toFixed(2)} | ${phase.train!.toFixed(2)} | ${phase.download!.toFixed(2)} | **${total.toFixed(2)}** | ${cpu.toFixed(1)} | ${load} | ${(bytes.length / 1024).toFixed(0)} KiB |`;
    console.log(line);
    results.push(line);
  }
  console.log('\n| dataset | rows | upload s | column-info s | train (until finished) s | download s | total s | server CPU s | load avg | zip |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const l of results) console.log(l);
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  if (!keep) rmSync(dataDir, { recursive: true, force: true });
  else console.log(`data dir kept: ${dataDir}`);
}
