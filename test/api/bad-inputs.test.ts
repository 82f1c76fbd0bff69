/**
 * The bad-input corpus (test/fixtures/bad/cases.json, files in test/fixtures/bad/files/): every
 * case is one malformed query, body, upload or inference body, sent to the real app over a real
 * trained model, with the documented code and message it must get. None may answer 500, and the
 * server answers a plain request after each. Large inputs (a 10 MB cell, 10,000 columns, deep JSON)
 * are generated from a short description in the case rather than stored.
 *
 * `BAD_CORPUS_RECORD=1 npx vitest run test/api/bad-inputs.test.ts` prints what each case got.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, closeRunner, deploy, runTrainJobs, trainModel } from '../helpers/deploy.js';
import { binaryCsv, createHarness, PUBLIC_URL, type Harness } from '../helpers/harness.js';
import { REPO_ROOT } from '../helpers/server-process.js';

const DIR = join(REPO_ROOT, 'test/fixtures/bad');
const RECORD = process.env.BAD_CORPUS_RECORD === '1';

type Generate =
  | { kind: 'wide'; columns: number; rows: number }
  | { kind: 'big-cell'; chars: number }
  | { kind: 'deep-json'; depth: number }
  | { kind: 'big-json'; bytes: number }
  | { kind: 'rows'; rows: number };

interface RequestStep {
  method: string;
  path: string;
  key: KeyName;
  body?: unknown;
  bodyText?: string;
  generate?: Generate;
  tamper?: 'sig' | 'path';
}

type KeyName = 'none' | 'wrong' | 'secret' | 'train' | 'deploy' | 'retrain';

interface Case {
  name: string;
  env?: Record<string, string>;
  upload?: {
    kind: 'learn' | 'eval' | 'column_info';
    file?: string;
    generate?: Generate;
    extension?: string;
    learn?: string;
    tamper?: 'sig' | 'path' | 'expires' | 'expired' | 'kind' | 'locked';
  };
  request?: RequestStep;
  /** `model: 'forecaster'` sends it to the deployed time-series model (trained on files/ts-daily.csv, tsine promo). */
  infer?: {
    body?: unknown;
    bodyText?: string;
    csv?: string;
    csvBytesBase64?: string;
    flags?: Record<string, unknown>;
    generate?: Generate;
    key?: 'wrong';
    model?: 'forecaster';
  };
  /** `detail`: a pattern the body's additive `detail` field must match (inference errors carry the reason there). */
  expect: { status?: number; code?: number; message?: string; re?: string; detail?: string };
}

const CASES = JSON.parse(readFileSync(join(DIR, 'cases.json'), 'utf8')) as Case[];

function generated(g: Generate): string {
  switch (g.kind) {
    case 'wide': {
      const header = Array.from({ length: g.columns }, (_, j) => `c${j}`).join(',');
      const rows = Array.from({ length: g.rows }, (_, i) => Array.from({ length: g.columns }, (_, j) => (i * 31 + j) % 97).join(','));
      return [header, ...rows].join('\n') + '\n';
    }
    case 'big-cell':
      return `a,b\n1,${'x'.repeat(g.chars)}\n2,y\n3,z\n`;
    case 'deep-json':
      return '['.repeat(g.depth) + ']'.repeat(g.depth);
    case 'big-json':
      return JSON.stringify({ external_process_id: 'x', pad: 'a'.repeat(g.bytes) });
    case 'rows':
      return ['age,plan,score', ...Array.from({ length: g.rows }, (_, i) => `${20 + (i % 50)},pro,${i % 10}`)].join('\n') + '\n';
  }
}

interface World {
  readonly h: Harness;
  readonly keys: Record<Exclude<KeyName, 'none'>, string>;
  readonly vars: Record<string, string>;
  readonly classifier: { url: string; api_key: string } | null;
  readonly forecaster: { url: string; api_key: string } | null;
}

async function makeWorld(env: Record<string, string>, full: boolean): Promise<World> {
  const h = await createHarness({ TRAINING_TIME_BUDGET_SECONDS: '1', ...env });
  const alice = await h.user('alice');
  const keys = { secret: alice.secret, train: alice.train, deploy: await apiKey(h, alice.secret, 'deploy'), retrain: '', wrong: 'not-a-key' };
  const vars: Record<string, string> = {};
  vars.empty_pid = (await h.get('/v1/external/data-sets/upload-url', keys.train)).json().external_process_id;
  if (!full) return { h, keys, vars, classifier: null, forecaster: null };
  const bob = await h.user('bob');
  vars.other_pid = await h.upload(bob.train, { learn: binaryCsv(30) });
  vars.other_model_id = String(await trainModel(h, bob.train, binaryCsv(40), { tc: 'churn', tt: 'binary_classification', tv: 'yes' }));
  const pid = await h.upload(alice.train, { learn: binaryCsv(60) });
  await h.post('/v1/external/models', alice.train, { external_process_id: pid, name: 'm', config: { tc: 'churn', tt: 'binary_classification', tv: 'yes' } });
  await runTrainJobs(h);
  const status = (await h.get(`/v1/external/models/results?external_process_id=${pid}`, alice.train)).json();
  vars.model_id = String(status.model_id);
  vars.result_url = status.result_url;
  vars.result_pid = pid;
  keys.retrain = await apiKey(h, alice.secret, 'retrain', status.model_id);
  const c = await deploy(h, keys.deploy, status.model_id);
  vars.classifier_id = c.classifier_id;
  const retrainUpload = (await h.get('/v1/external/retrain_jobs/upload_url?filename=r.csv', keys.retrain)).json();
  vars.retrain_job_id = retrainUpload.retrain_job_id;
  vars.retrain_upload_url = retrainUpload.upload_url;
  const resultPath = new URL(status.result_url).pathname + new URL(status.result_url).search;
  vars.result_path_bad_sig = encodeURIComponent(tampered(resultPath, 'sig', vars));
  const tsConfig = { tc: 'sales', tt: 'regression', tsm: true, tsc: 'date', tsf: 1, tst: 3, tsine: 'promo', holidays: 'none', time_budget: 1 };
  const forecaster = await deploy(h, keys.deploy, await trainModel(h, alice.train, readFileSync(join(DIR, 'files/ts-daily.csv'), 'utf8'), tsConfig));
  return { h, keys, vars, classifier: c as never, forecaster: forecaster as never };
}

function fill(text: string, vars: Record<string, string>, pid?: string): string {
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name === 'pid' && pid !== undefined ? pid : (vars[name] ?? m)));
}

function fillDeep(value: unknown, vars: Record<string, string>, pid?: string): unknown {
  if (typeof value === 'string') {
    const filled = fill(value, vars, pid);
    return /^\{\w+_id\}$/.test(value) && /^\d+$/.test(filled) ? Number(filled) : filled;
  }
  if (Array.isArray(value)) return value.map((v) => fillDeep(v, vars, pid));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillDeep(v, vars, pid)]));
  return value;
}

/** A signed URL altered as the case says. */
function tampered(url: string, how: string, vars: Record<string, string>): string {
  const u = new URL(url, PUBLIC_URL);
  if (how === 'sig') {
    const sig = u.searchParams.get('sig')!;
    u.searchParams.set('sig', (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1));
  } else if (how === 'path') {
    u.pathname = u.pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, vars.empty_pid!);
  } else if (how === 'expires') {
    u.searchParams.set('expires', String(Number(u.searchParams.get('expires')) + 1000));
  } else if (how === 'kind') {
    u.pathname = u.pathname.replace(/\/learn$/, '/model');
  }
  return u.pathname + u.search;
}

async function run(w: World, c: Case): Promise<LightMyRequestResponse> {
  const { h, keys, vars } = w;
  const keyHeader = (k: KeyName): Record<string, string> => (k === 'none' ? {} : { 'x-api-key': keys[k] });
  let pid: string | undefined;
  let last: LightMyRequestResponse | undefined;
  if (c.upload !== undefined) {
    const u = c.upload;
    const opened = (await h.get(`/v1/external/data-sets/upload-url${u.extension === undefined ? '' : `?extension=${u.extension}`}`, keys.train)).json();
    pid = opened.external_process_id as string;
    if (u.learn !== undefined) expect((await h.put(opened.learn_data_set_upload_url, readFileSync(join(DIR, u.learn)))).statusCode).toBe(200);
    const body = u.file !== undefined ? readFileSync(join(DIR, u.file)) : generated(u.generate!);
    let url: string = opened[{ learn: 'learn_data_set_upload_url', eval: 'eval_data_set_upload_url', column_info: 'column_info_upload_url' }[u.kind]];
    if (u.tamper === 'locked') {
      // Uploaded and queued; then the case's request (or this same upload) comes too late.
      expect((await h.put(url, body)).statusCode).toBe(200);
      const queued = await h.post('/v1/external/models', keys.train, {
        external_process_id: pid,
        config: { tc: 'churn', tt: 'binary_classification', tv: 'yes' },
      });
      expect(queued.statusCode).toBe(200);
      last = queued;
    } else if (u.tamper === 'expired') {
      h.advance((h.config.signedUrlTtlSeconds + 1) * 1000);
    } else if (u.tamper !== undefined) {
      url = tampered(url, u.tamper, vars);
    }
    if (u.tamper !== 'locked' || c.request === undefined) last = await h.put(url, body);
    if (c.request !== undefined) expect(last!.statusCode, `${c.name}: the upload step`).toBe(200);
  }
  if (c.request !== undefined) {
    const r = c.request;
    let path = fill(r.path, vars, pid);
    if (r.tamper !== undefined) path = tampered(path, r.tamper, vars);
    else if (path.startsWith(PUBLIC_URL)) path = path.slice(PUBLIC_URL.length);
    const payload =
      r.generate !== undefined
        ? generated(r.generate)
        : r.bodyText !== undefined
          ? fill(r.bodyText, vars, pid)
          : r.body === undefined
            ? undefined
            : JSON.stringify(fillDeep(r.body, vars, pid));
    last = await h.app.inject({
      method: r.method as 'GET',
      url: path,
      headers: { ...keyHeader(r.key), ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(payload === undefined ? {} : { payload }),
    });
  }
  if (c.infer !== undefined) {
    const i = c.infer;
    const classifier = i.model === 'forecaster' ? w.forecaster! : w.classifier!;
    let payload: string;
    if (i.bodyText !== undefined) payload = i.bodyText;
    else if (i.body !== undefined) payload = JSON.stringify(i.body);
    else if (i.generate?.kind === 'deep-json' || i.generate?.kind === 'big-json') payload = generated(i.generate);
    else {
      const data = i.csvBytesBase64 ?? Buffer.from(i.csv ?? generated(i.generate!), 'utf8').toString('base64');
      const inputs: unknown[] = [{ name: 'pr', type: 'csv', data }];
      for (const [name, value] of Object.entries(i.flags ?? {})) inputs.push({ name, type: name === 'pc' ? 'string' : 'boolean', data: value });
      payload = JSON.stringify({ inputs });
    }
    last = await h.app.inject({
      method: 'POST',
      url: new URL(classifier.url).pathname,
      headers: { 'x-api-key': i.key === 'wrong' ? 'wrong' : classifier.api_key, 'content-type': 'application/json' },
      payload,
    });
  }
  return last!;
}

let full: World;
const worlds = new Map<string, World>();

beforeAll(async () => {
  full = await makeWorld({}, true);
}, 180_000);

afterAll(async () => {
  await full.h.services.deployment.settled();
  await closeRunner();
});

/** The routes that take input, as the cases write their paths ({…} placeholders). */
const ROUTES = [
  'GET /v1/external/api-key',
  'GET /v1/external/data-sets/upload-url',
  'GET /v1/external/data-sets/column-info',
  'GET /v1/external/data-sets',
  'DELETE /v1/external/data-sets/',
  'POST /v1/external/models',
  'GET /v1/external/models/results',
  'GET /v1/external/models',
  'DELETE /v1/external/models/',
  'POST /v1/external/classifiers',
  'GET /v1/external/classifiers',
  'PATCH /v1/external/classifiers/',
  'POST /v1/external/classifiers/{classifier_id}/batch-predictions',
  'GET /v1/external/classifiers/{classifier_id}/batch-predictions/',
  'GET /v1/external/retrain_jobs/upload_url',
  'GET /v1/external/retrain_jobs/',
  'PUT /v1/external/retrain_jobs/',
  'PUT upload', // /uploads/… (learn, eval, column_info)
  'PUT {retrain_upload_url}',
  'PUT /batch-uploads/',
  'GET {result_url}', // /downloads/…
  'GET /ui/report',
  'POST inference',
];

function routeOf(c: Case): string {
  if (c.infer !== undefined) return 'POST inference';
  if (c.request === undefined) return 'PUT upload';
  return `${c.request.method} ${c.request.path}`;
}

describe('the bad-input corpus', () => {
  it('covers every route that takes input', () => {
    const covered = CASES.map(routeOf).concat(CASES.filter((c) => c.upload !== undefined).map(() => 'PUT upload'));
    for (const r of ROUTES)
      expect(
        covered.some((k) => k.startsWith(r)),
        r,
      ).toBe(true);
  });

  it('has at least 60 cases, each with an expected outcome, and every file it names exists', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    for (const c of CASES) {
      expect(c.expect.status ?? c.expect.code, c.name).toBeDefined();
      for (const f of [c.upload?.file, c.upload?.learn]) if (f !== undefined) expect(() => readFileSync(join(DIR, f)), f).not.toThrow();
    }
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  const recorded: unknown[] = [];
  afterAll(() => {
    if (RECORD) console.log(JSON.stringify(recorded, null, 1));
  });

  for (const c of CASES) {
    it(c.name, { timeout: 60_000 }, async () => {
      let w = full;
      if (c.env !== undefined) {
        const key = JSON.stringify(c.env);
        if (!worlds.has(key)) worlds.set(key, await makeWorld(c.env, false));
        w = worlds.get(key)!;
      }
      const res = await run(w, c);
      const body = res.body === '' ? {} : (JSON.parse(res.body) as { code?: number; message?: string; detail?: string });
      if (RECORD) recorded.push({ name: c.name, status: res.statusCode, code: body.code, message: body.message, detail: body.detail });
      expect(res.statusCode, `${c.name}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
      if (c.expect.status !== undefined) expect(res.statusCode, c.name).toBe(c.expect.status);
      if (c.expect.code !== undefined) {
        expect(body.code, `${c.name}: ${res.body.slice(0, 300)}`).toBe(c.expect.code);
        expect(res.statusCode).toBe(Number(String(c.expect.code).slice(0, 3)));
      }
      if (c.expect.message !== undefined) expect(body.message, c.name).toBe(c.expect.message);
      if (c.expect.re !== undefined) expect(body.message, c.name).toMatch(new RegExp(c.expect.re));
      if (c.expect.detail !== undefined) expect(body.detail, c.name).toMatch(new RegExp(c.expect.detail));
      // The server keeps serving.
      expect((await w.h.get('/v1/external/models', w.keys.train)).statusCode).toBe(200);
    });
  }
});
