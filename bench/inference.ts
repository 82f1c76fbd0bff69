/**
 * Inference benchmark (not a test): starts the server as a child process on a temp DATA_DIR,
 * trains and deploys a model on adult_income through the public API, then drives the prediction
 * API from a second process (a keep-alive node http client loop):
 *   - latency: one-row requests with reasons (ar=true), concurrency 1 → p50, p99;
 *   - throughput: the same requests at concurrency C for a fixed time → requests/s (+ p50, p99);
 *   - batch scoring: N-row requests (with and without reasons) and a batch prediction job over
 *     the whole file → rows/s, beside XGBoost 1.7's predict / pred_contribs on the same rows
 *     (`/usr/bin/python3`, a model of similar size trained in the same run).
 *
 *   npm run bench:inference -- [--budget 20] [--latency 2000] [--seconds 5] [--concurrency 16] [--batch-rows 10000]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startServer } from '../test/helpers/server-process.js';

const DATASET = '/work/shared/datasets/adult_income.csv';
const TARGET = 'income >50K';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

// ---------------------------------------------------------------- client mode (second process)

interface ClientJob {
  readonly url: string;
  readonly key: string;
  readonly bodies: string[];
  readonly concurrency: number;
  readonly requests?: number;
  readonly seconds?: number;
  /** Requests before measuring (model in cache, JIT). */
  readonly warmup: number;
}

async function clientMain(): Promise<void> {
  const job = JSON.parse(await readFile(process.argv[3]!, 'utf8')) as ClientJob;
  const target = new URL(job.url);
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const deadline = job.seconds === undefined ? Infinity : performance.now() + job.seconds * 1000;
  const one = (body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'x-api-key': job.key, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  // Warm-up (model in cache, JIT).
  for (let i = 0; i < job.warmup; i++) await one(job.bodies[i % job.bodies.length]!);
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (job.requests !== undefined && i >= job.requests) return;
      if (performance.now() > deadline) return;
      const t0 = performance.now();
      const status = await one(job.bodies[i % job.bodies.length]!);
      latencies.push(performance.now() - t0);
      if (status !== 200) errors++;
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  process.stdout.write(JSON.stringify({ n: latencies.length, errors, rps: latencies.length / elapsed, p50: q(0.5), p99: q(0.99), max: latencies[latencies.length - 1] }));
  agent.destroy();
}

// ---------------------------------------------------------------- driver

async function json(res: Response): Promise<any> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.status} ${text}`);
  return JSON.parse(text);
}

async function poll<T>(fn: () => Promise<T>, done: (t: T) => boolean, what: string, timeoutMs = 600_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (done(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function csvBody(header: string, lines: string[], ar: boolean): string {
  const data = Buffer.from([header, ...lines].join('\n') + '\n', 'utf8').toString('base64');
  return JSON.stringify({
    inputs: [
      { name: 'pr', type: 'csv', data },
      { name: 'ar', type: 'boolean', data: ar },
      { name: 'nc', type: 'boolean', data: false },
    ],
  });
}

function runClient(job: ClientJob, dir: string, name: string): Promise<Record<string, number>> {
  return (async () => {
    const path = join(dir, `${name}.json`);
    await (await import('node:fs/promises')).writeFile(path, JSON.stringify(job));
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--client', path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((r) => child.once('exit', r));
    return JSON.parse(out) as Record<string, number>;
  })();
}

const XGB = `
import sys, time, json
import numpy as np, pandas as pd, xgboost as xgb
df = pd.read_csv(sys.argv[1])
y = df.pop(sys.argv[2]).astype(int).values
for c in df.columns:
    if df[c].dtype == object: df[c] = df[c].astype('category')
n = int(sys.argv[3])
d = xgb.DMatrix(df, label=y, enable_categorical=True)
m = xgb.train({'tree_method': 'hist', 'max_depth': 6, 'eta': 0.1, 'nthread': 2, 'objective': 'binary:logistic'}, d, num_boost_round=int(sys.argv[4]))
rows = df.iloc[:n]
out = {}
for name, contribs in (('predict', False), ('pred_contribs', True)):
    best = 1e9
    for _ in range(3):
        t = time.perf_counter(); dm = xgb.DMatrix(rows, enable_categorical=True); m.predict(dm, pred_contribs=contribs); best = min(best, time.perf_counter() - t)
    out[name] = n / best
t = time.perf_counter(); dm = xgb.DMatrix(df.iloc[:1], enable_categorical=True); 
lat = []
for _ in range(500):
    t = time.perf_counter(); m.predict(xgb.DMatrix(df.iloc[:1], enable_categorical=True)); lat.append(time.perf_counter() - t)
lat.sort(); out['one_row_p50_ms'] = lat[250] * 1000
print(json.dumps(out))
`;

async function main(): Promise<void> {
  const budget = flag('--budget', '20');
  const latencyN = Number(flag('--latency', '2000'));
  const seconds = Number(flag('--seconds', '5'));
  const concurrency = Number(flag('--concurrency', '16'));
  const batchRows = Number(flag('--batch-rows', '10000'));
  const dir = await mkdtemp(join(tmpdir(), 'yosoku-bench-inference-'));
  const load0 = loadavg();
  const server = await startServer({ DATA_DIR: dir, TRAINING_TIME_BUDGET_SECONDS: budget, LOG_LEVEL: 'error' });
  try {
    const base = server.url;
    const secret = (await readFile(join(dir, 'secret-key.txt'), 'utf8')).trim();
    const key = async (type: string, extra = '') => (await json(await fetch(`${base}/v1/external/api-key?credential_type=${type}${extra}`, { headers: { 'x-api-key': secret } }))).api_key as string;
    const train = await key('train');
    const opened = await json(await fetch(`${base}/v1/external/data-sets/upload-url`, { headers: { 'x-api-key': train } }));
    await json(await fetch(opened.learn_data_set_upload_url, { method: 'PUT', body: await readFile(DATASET) }));
    const t0 = performance.now();
    await json(
      await fetch(`${base}/v1/external/models`, {
        method: 'POST',
        headers: { 'x-api-key': train, 'content-type': 'application/json' },
        body: JSON.stringify({ external_process_id: opened.external_process_id, name: 'adult', config: { tc: TARGET, tt: 'binary_classification', tv: '1' } }),
      }),
    );
    const status = await poll(
      async () => json(await fetch(`${base}/v1/external/models/results?external_process_id=${opened.external_process_id}`, { headers: { 'x-api-key': train } })),
      (s) => s.status === 'finished' || s.status === 'failed',
      'training',
    );
    if (status.status !== 'finished') throw new Error(`training failed: ${status.message}`);
    const trainSeconds = (performance.now() - t0) / 1000;
    const deploy = await key('deploy');
    const created = await json(
      await fetch(`${base}/v1/external/classifiers`, { method: 'POST', headers: { 'x-api-key': deploy, 'content-type': 'application/json' }, body: JSON.stringify({ model_id: status.model_id, rules: [{ source: '127.0.0.0/8', order: 'allow', priority: 0 }] }) }),
    );
    const c = await poll(
      async () => (await json(await fetch(`${base}/v1/external/classifiers/${created.classifier_id}`, { headers: { 'x-api-key': deploy } }))).classifier,
      (x) => x.status === 'running',
      'classifier',
    );

    const text = await readFile(DATASET, 'utf8');
    const lines = text.trim().split('\n');
    const header = lines[0]!.split(',').slice(0, -1).join(',');
    const rows = lines.slice(1).map((l) => l.split(',').slice(0, -1).join(','));
    const oneRowBodies = rows.slice(0, 1000).map((r) => csvBody(header, [r], true));

    const latency = await runClient({ url: c.url, key: c.api_key, bodies: oneRowBodies, concurrency: 1, requests: latencyN, warmup: 500 }, dir, 'latency');
    const throughput = await runClient({ url: c.url, key: c.api_key, bodies: oneRowBodies, concurrency, seconds, warmup: 200 }, dir, 'throughput');
    const nRowsNoReasons = await runClient({ url: c.url, key: c.api_key, bodies: [csvBody(header, rows.slice(0, batchRows), false)], concurrency: 1, requests: 5, warmup: 1 }, dir, 'batch-plain');
    const nRowsReasons = await runClient({ url: c.url, key: c.api_key, bodies: [csvBody(header, rows.slice(0, batchRows), true)], concurrency: 1, requests: 3, warmup: 1 }, dir, 'batch-reasons');

    // Batch prediction job over the whole file (worker thread), reasons on.
    const bp = await json(await fetch(`${base}/v1/external/classifiers/${c.classifier_id}/batch-predictions`, { method: 'POST', headers: { 'x-api-key': deploy, 'content-type': 'application/json' }, body: JSON.stringify({ ar: true }) }));
    const fileBody = [header, ...rows].join('\n') + '\n';
    const tb = performance.now();
    await json(await fetch(bp.upload_url, { method: 'PUT', body: fileBody }));
    const bs = await poll(
      async () => json(await fetch(`${base}/v1/external/classifiers/${c.classifier_id}/batch-predictions/${bp.batch_prediction_id}`, { headers: { 'x-api-key': deploy } })),
      (s) => s.status === 'job_finished' || s.status === 'job_failed',
      'batch prediction',
    );
    const batchJobRowsPerS = rows.length / ((performance.now() - tb) / 1000);
    if (bs.status !== 'job_finished') throw new Error(`batch failed: ${bs.message}`);

    const xgb = spawnSync('/usr/bin/python3', ['-c', XGB, DATASET, TARGET, String(batchRows), '100'], { encoding: 'utf8' });
    const x = xgb.status === 0 ? (JSON.parse(xgb.stdout) as Record<string, number>) : null;
    if (x === null) console.error(xgb.stderr);
    const load1 = loadavg();

    const f = (v: number, d = 2) => v.toFixed(d);
    const perReq = (r: Record<string, number>) => (batchRows * 1000) / r.p50!;
    console.log(`\n## Inference (${new Date().toISOString()}, ${cpus().length} CPUs, load average ${load0.map((l) => l.toFixed(2)).join(' ')} → ${load1.map((l) => l.toFixed(2)).join(' ')})\n`);
    console.log(`adult_income (${rows.length} rows, 14 inputs), model trained by the server with a ${budget} s budget (${f(trainSeconds, 1)} s wall); HTTP over loopback from a second process, keep-alive.\n`);
    console.log('| measurement | value | target |');
    console.log('| --- | --- | --- |');
    console.log(`| 1-row request with reasons, concurrency 1: p50 | ${f(latency.p50!)} ms | ≤ 2 ms |`);
    console.log(`| same: p99 | ${f(latency.p99!)} ms | ≤ 10 ms |`);
    console.log(`| same: requests/s (sequential) | ${f(latency.rps!, 0)} | |`);
    console.log(`| 1-row requests with reasons, concurrency ${concurrency}, ${seconds} s: requests/s | ${f(throughput.rps!, 0)} | ≥ 2,000 |`);
    console.log(`| same: p50 / p99 | ${f(throughput.p50!)} / ${f(throughput.p99!)} ms | |`);
    console.log(`| errors (non-200) | ${latency.errors! + throughput.errors! + nRowsNoReasons.errors! + nRowsReasons.errors!} | 0 |`);
    console.log(`| ${batchRows}-row request, no reasons: rows/s (HTTP, base64, CSV in/out) | ${f(perReq(nRowsNoReasons), 0)} | |`);
    console.log(`| ${batchRows}-row request, with reasons: rows/s | ${f(perReq(nRowsReasons), 0)} | |`);
    console.log(`| batch prediction job, ${rows.length} rows with reasons (upload → zip): rows/s | ${f(batchJobRowsPerS, 0)} | |`);
    if (x !== null) {
      console.log(`| XGBoost 1.7 predict (100 trees, depth 6, 2 threads), ${batchRows} rows in-process: rows/s | ${f(x.predict!, 0)} | |`);
      console.log(`| XGBoost 1.7 pred_contribs (TreeSHAP), same rows: rows/s | ${f(x.pred_contribs!, 0)} | |`);
      console.log(`| XGBoost 1.7 one-row predict in-process (DMatrix + predict): p50 | ${f(x.one_row_p50_ms!)} ms | |`);
    }
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--client') await clientMain();
else await main();
