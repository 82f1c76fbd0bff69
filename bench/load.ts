/**
 * Load benchmark (not a test): one request must never stall the others. Starts the server as a
 * child process on a temp DATA_DIR (`npm start`'s code), creates USERS users, and from other
 * processes drives:
 *
 *  1. 20 concurrent uploads and trainings by 5 users (each user queues its 4 trainings in turn, user
 *     by user: a first-come queue would run user 1's four first). Reported: the order in which the
 *     trainings started (a letter per user), the rank of each user's first start, all finished.
 *     Meanwhile `GET /models/results` polling of every process (concurrency 5, a child process):
 *     p50 / p99 / max latency — small requests while uploads and trainings run.
 *  2. One-row inference with reasons at concurrency 16 (a child process) for `--seconds`, while a
 *     training runs and 10,000-row inference requests with reasons are sent back to back:
 *     p50 / p99 / max of the one-row requests, the 10,000-row latencies beside them, and the same
 *     one-row figures with the server idle (the anchor, same run).
 *  3. Soak: the load of 2 for `--soak` seconds; the server's RSS (VmRSS, main thread and workers)
 *     sampled every second: after the first tenth, at the end, the largest, end / after-first-tenth.
 *
 * The small-request clients run in their own processes (spawned from this file with `--client`), so
 * the driver's own work (uploads, the 10,000-row requests) never delays what is measured.
 *
 *   npm run bench:load -- [--seconds 20] [--soak 60] [--budget 2] [--rows 5000] [--concurrency 16]
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, startServer } from '../test/helpers/server-process.js';

const DATASET = '/work/shared/datasets/adult_income.csv';
const TARGET = 'income >50K';
const USERS = 5;
const TRAININGS_PER_USER = 4;
/** Each of the 5 pollers waits this long between its polls (about 100 polls/s in all). */
const POLL_PAUSE_MS = 50;
/** The training that holds the slot while the 20 are queued (its model is the one served in 2). */
const BLOCKER_BUDGET_SECONDS = 15;

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

// ---------------------------------------------------------------- client mode (a child process)

interface ClientRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly key: string;
  readonly body?: string;
}

interface ClientJob {
  readonly requests: readonly ClientRequest[];
  readonly concurrency: number;
  /** Stop after this many seconds, or once `stopFile` exists (whichever first). */
  readonly seconds: number;
  readonly stopFile?: string;
  readonly warmup: number;
  /** Each client waits this long after an answer before its next request (a poller, not a flood). */
  readonly pauseMs?: number;
}

interface LatencySummary {
  readonly n: number;
  readonly errors: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly rps: number;
  /** Answers other than 200, by status (0: the connection failed). */
  readonly statuses?: Record<string, number>;
}

function summarize(latencies: number[], errors: number, seconds: number): LatencySummary {
  latencies.sort((a, b) => a - b);
  const n = latencies.length;
  const q = (p: number) => latencies[Math.min(n - 1, Math.floor(p * n))] ?? NaN;
  return { n, errors, p50: q(0.5), p99: q(0.99), max: latencies[n - 1] ?? NaN, rps: n / seconds };
}

function sendOne(agent: Agent, r: ClientRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(r.url);
    const headers: Record<string, string | number> = { 'x-api-key': r.key };
    if (r.body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(r.body) });
    const req = request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: r.method, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

async function clientMain(jobPath: string): Promise<void> {
  const job = JSON.parse(await readFile(jobPath, 'utf8')) as ClientJob;
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  for (let i = 0; i < job.warmup; i++) await sendOne(agent, job.requests[i % job.requests.length]!);
  const latencies: number[] = [];
  let errors = 0;
  const statuses: Record<string, number> = {};
  let next = 0;
  let stopped = false;
  const deadline = performance.now() + job.seconds * 1000;
  const watch = setInterval(() => {
    if (performance.now() > deadline || (job.stopFile !== undefined && existsSync(job.stopFile))) stopped = true;
  }, 50);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (!stopped) {
        const r = job.requests[next++ % job.requests.length]!;
        const t0 = performance.now();
        const status = await sendOne(agent, r).catch(() => 0);
        latencies.push(performance.now() - t0);
        if (status !== 200) {
          errors++;
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
        if (job.pauseMs !== undefined) await sleep(job.pauseMs);
      }
    }),
  );
  clearInterval(watch);
  agent.destroy();
  process.stdout.write(JSON.stringify({ ...summarize(latencies, errors, (performance.now() - started) / 1000), statuses }));
}

function runClient(dir: string, name: string, job: ClientJob): Promise<LatencySummary> {
  return (async () => {
    const path = join(dir, `client-${name}.json`);
    await writeFile(path, JSON.stringify(job));
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--client', path], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((r) => child.once('exit', r));
    return JSON.parse(out) as LatencySummary;
  })();
}

// ---------------------------------------------------------------- driver

async function json(res: Response): Promise<any> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
  return m === null ? NaN : Number(m[1]) * 1024;
}

function inferenceBody(header: string, rows: readonly string[]): string {
  const data = Buffer.from([header, ...rows].join('\n') + '\n', 'utf8').toString('base64');
  return JSON.stringify({
    inputs: [
      { name: 'pr', type: 'csv', data },
      { name: 'ar', type: 'boolean', data: true },
    ],
  });
}

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const line = (label: string, s: LatencySummary) => `| ${label} | ${s.n} | ${s.errors} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.max)} | ${s.rps.toFixed(0)} |`;

async function main(): Promise<void> {
  const seconds = Number(flag('--seconds', '20'));
  const soak = Number(flag('--soak', '60'));
  const budget = flag('--budget', '2');
  const trainRows = Number(flag('--rows', '5000'));
  const concurrency = Number(flag('--concurrency', '16'));
  const dir = await mkdtemp(join(tmpdir(), 'yosoku-bench-load-'));
  const dataDir = join(dir, 'data');
  const load0 = loadavg()[0]!;
  const server = await startServer({
    DATA_DIR: dataDir,
    TRAINING_TIME_BUDGET_SECONDS: budget,
    LOG_LEVEL: 'error',
    INFERENCE_RATE_LIMIT_PER_MINUTE: '0',
    API_KEY_RATE_LIMIT_PER_MINUTE: '0',
  });
  const base = server.url;
  const pid = server.child.pid!;
  const get = async (path: string, key: string) => json(await fetch(base + path, { headers: { 'x-api-key': key } }));
  const post = async (path: string, key: string, body: unknown) =>
    json(await fetch(base + path, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
  try {
    const text = await readFile(DATASET, 'utf8');
    const lines = text.trim().split('\n');
    const header = lines[0]!;
    const featureHeader = header.split(',').slice(0, -1).join(',');
    const features = lines.slice(1).map((l) => l.split(',').slice(0, -1).join(','));
    const learn = [header, ...lines.slice(1, 1 + trainRows)].join('\n') + '\n';
    const config = { tc: TARGET, tt: 'binary_classification', tv: '1' };

    // Users: the first-start user, and the rest created with the CLI (the store of DATA_DIR).
    const secrets = [(await readFile(join(dataDir, 'secret-key.txt'), 'utf8')).trim()];
    for (let u = 1; u < USERS; u++) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'secret-key', 'create', '--user', `load${u}`], {
        cwd: REPO_ROOT,
        env: { ...process.env, DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      await new Promise((r) => child.once('exit', r));
      secrets.push((JSON.parse(out) as { secret_key: string }).secret_key);
    }
    const trainKeys = await Promise.all(secrets.map(async (s) => (await get('/v1/external/api-key?credential_type=train', s)).api_key as string));

    // A deployed model (trained before anything is measured).
    const upload = async (key: string, body: string) => {
      const opened = await get('/v1/external/data-sets/upload-url', key);
      const t0 = performance.now();
      await json(await fetch(opened.learn_data_set_upload_url, { method: 'PUT', body }));
      return { processId: opened.external_process_id as string, ms: performance.now() - t0 };
    };
    const waitTraining = async (key: string, processId: string) => {
      for (;;) {
        const s = await get(`/v1/external/models/results?external_process_id=${processId}`, key);
        if (s.status === 'finished' || s.status === 'failed') return s;
        await sleep(250);
      }
    };
    // The serving model's training (the whole file, a longer budget) holds the one training slot
    // while the 20 are queued, so the queue (not arrival times) decides their order.
    const first = await upload(trainKeys[0]!, text);
    const t1 = performance.now();
    const uploads = await Promise.all(
      trainKeys.flatMap((key, u) => Array.from({ length: TRAININGS_PER_USER }, async () => ({ u, key, ...(await upload(key, learn)) }))),
    );
    await post('/v1/external/models', trainKeys[0]!, {
      external_process_id: first.processId,
      name: 'serving',
      config: { ...config, time_budget: BLOCKER_BUDGET_SECONDS },
    });
    while ((await get(`/v1/external/models/results?external_process_id=${first.processId}`, trainKeys[0]!)).status !== 'running') await sleep(50);
    // Queued user by user: user A's four, then B's four, …
    for (const x of [...uploads].sort((a, b) => a.u - b.u))
      await post('/v1/external/models', x.key, { external_process_id: x.processId, name: `u${x.u}`, config });
    // Polling from the moment all are queued (before, models/results answers 409 TRAINING_NOT_REQUESTED).
    const stopPolling = join(dir, 'stop-polling');
    const polling = runClient(dir, 'polling', {
      requests: uploads.map((x) => ({ method: 'GET', url: `${base}/v1/external/models/results?external_process_id=${x.processId}`, key: x.key })),
      concurrency: USERS,
      seconds: 3600,
      stopFile: stopPolling,
      warmup: 0,
      pauseMs: POLL_PAUSE_MS,
    });
    const queuedBehindBlocker = (await get(`/v1/external/models/results?external_process_id=${first.processId}`, trainKeys[0]!)).status === 'running';
    // The order the 20 start in, watched from now on (each start is seconds apart: one slot).
    const startOrder: number[] = [];
    const ended = new Map<string, string>();
    const tracking = (async () => {
      while (ended.size < uploads.length) {
        for (const x of uploads) {
          if (ended.has(x.processId)) continue;
          const s = await get(`/v1/external/models/results?external_process_id=${x.processId}`, x.key);
          if (s.status !== 'waiting' && !startOrder.includes(uploads.indexOf(x))) startOrder.push(uploads.indexOf(x));
          if (s.status === 'finished' || s.status === 'failed') ended.set(x.processId, s.status);
        }
        await sleep(100);
      }
    })();
    const served = await waitTraining(trainKeys[0]!, first.processId);
    if (served.status !== 'finished') throw new Error(`training failed: ${served.message}`);
    const deployKey = (await get('/v1/external/api-key?credential_type=deploy', secrets[0]!)).api_key as string;
    const created = await post('/v1/external/classifiers', deployKey, { model_id: served.model_id, rules: [] });
    let classifier: { status: string; url: string; api_key: string };
    for (;;) {
      classifier = (await get(`/v1/external/classifiers/${created.classifier_id}`, deployKey)).classifier;
      if (classifier.status === 'running') break;
      if (classifier.status === 'failed') throw new Error('classifier build failed');
      await sleep(250);
    }
    const inferUrl = `${base}${new URL(classifier.url as string).pathname}`;
    const classifierKey = classifier.api_key as string;
    const oneRow: ClientRequest[] = features
      .slice(0, 500)
      .map((r) => ({ method: 'POST', url: inferUrl, key: classifierKey, body: inferenceBody(featureHeader, [r]) }));
    const bigBody = inferenceBody(featureHeader, features.slice(0, 10_000));

    await tracking;
    await writeFile(stopPolling, '');
    const pollStats = await polling;
    const phase1Seconds = (performance.now() - t1) / 1000;
    const letters = startOrder.map((i) => String.fromCharCode(65 + uploads[i]!.u)).join('');
    const firstRank = Array.from({ length: USERS }, (_, u) => startOrder.findIndex((i) => uploads[i]!.u === u) + 1);
    const finished = [...ended.values()].filter((s) => s === 'finished').length;
    const uploadMs = uploads.map((x) => x.ms).sort((a, b) => a - b);

    // ---- 2. one-row inference at concurrency 16 while a training and 10,000-row requests run.
    const idle = await runClient(dir, 'idle', { requests: oneRow, concurrency, seconds: Math.min(seconds, 10), warmup: 2000 });
    const busy = await upload(trainKeys[1]!, learn);
    await post('/v1/external/models', trainKeys[1]!, {
      external_process_id: busy.processId,
      name: 'busy',
      config: { ...config, time_budget: seconds + soak + 120 },
    });
    while ((await get(`/v1/external/models/results?external_process_id=${busy.processId}`, trainKeys[1]!)).status !== 'running') await sleep(100);
    let heavyStop = false;
    const heavyMs: number[] = [];
    const heavy = (async () => {
      const agent = new Agent({ keepAlive: true });
      while (!heavyStop) {
        const t0 = performance.now();
        const status = await sendOne(agent, { method: 'POST', url: inferUrl, key: classifierKey, body: bigBody });
        if (status !== 200) throw new Error(`10,000-row inference answered ${status}`);
        heavyMs.push(performance.now() - t0);
      }
      agent.destroy();
    })();
    const loaded = await runClient(dir, 'loaded', { requests: oneRow, concurrency, seconds, warmup: 200 });
    const trainingStillRunning = (await get(`/v1/external/models/results?external_process_id=${busy.processId}`, trainKeys[1]!)).status === 'running';

    // ---- 3. soak: the same load, RSS sampled every second.
    const rss: number[] = [];
    const sampler = setInterval(() => rss.push(rssBytes(pid)), 1000);
    const soakStats = soak > 0 ? await runClient(dir, 'soak', { requests: oneRow, concurrency, seconds: soak, warmup: 0 }) : null;
    clearInterval(sampler);
    heavyStop = true;
    await heavy;
    const heavyStats = summarize([...heavyMs], 0, 1);
    const load1 = loadavg()[0]!;

    const mib = (b: number) => (b / 1024 ** 2).toFixed(0);
    const afterTenth = rss[Math.floor(rss.length / 10)] ?? NaN;
    const out = [
      `bench:load ${new Date().toISOString()} · load average ${load0.toFixed(2)} → ${load1.toFixed(2)} · training budget ${budget} s on ${trainRows} rows of adult_income`,
      '',
      `1. ${uploads.length} concurrent uploads + trainings by ${USERS} users (queued user by user${queuedBehindBlocker ? ' while another training held the slot' : ', BUT the blocker training ended before all were queued'}), ${phase1Seconds.toFixed(0)} s: ${finished}/${uploads.length} finished;`,
      `   start order ${letters}; rank of each user's first start ${firstRank.join(', ')}; upload PUT p50 ${ms(uploadMs[Math.floor(uploadMs.length / 2)]!)} ms, max ${ms(uploadMs.at(-1)!)} ms`,
      '',
      '| small requests | n | errors | p50 ms | p99 ms | max ms | req/s |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      line(`\`GET /models/results\`, 5 pollers (${POLL_PAUSE_MS} ms pause), during 1`, pollStats),
      line(`one-row inference + reasons, c=${concurrency}, server idle (anchor)`, idle),
      line(
        `same, while a training and 10,000-row inferences run (${trainingStillRunning ? 'training still running at the end' : 'TRAINING ENDED EARLY'})`,
        loaded,
      ),
      ...(soakStats === null ? [] : [line(`same, soak ${soak} s`, soakStats)]),
      `| 10,000-row inference + reasons, back to back (during 2 and 3) | ${heavyStats.n} | 0 | ${ms(heavyStats.p50)} | ${ms(heavyStats.p99)} | ${ms(heavyStats.max)} | – |`,
      '',
      soakStats === null
        ? ''
        : `3. RSS during the soak: ${mib(afterTenth)} MiB after the first tenth, ${mib(rss.at(-1)!)} MiB at the end, largest ${mib(Math.max(...rss))} MiB; end / first tenth = ${(rss.at(-1)! / afterTenth).toFixed(3)}`,
    ];
    const errorsOf = (name: string, x: LatencySummary | null) =>
      x !== null && x.errors > 0 ? [`${name}: non-200 answers by status ${JSON.stringify(x.statuses)}`] : [];
    console.log(
      [...out, ...errorsOf('polling', pollStats), ...errorsOf('idle', idle), ...errorsOf('loaded', loaded), ...errorsOf('soak', soakStats)].join('\n'),
    );
  } finally {
    await server.stop();
  }
}

if (process.argv[2] === '--client') await clientMain(process.argv[3]!);
else await main();
