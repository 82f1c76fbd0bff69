/**
 * /openapi.json against what the server really answers. A server (src/main.ts as a child
 * process) is driven through the whole API with the typed client, whose fetch records every
 * exchange; then each answer is checked against the document a client reads: its path and method
 * are listed, its status is listed for them, its content type is listed for that status, and a
 * JSON body validates (JSON Schema 2020-12, ajv) against the listed schema, which forbids fields
 * it does not name. So a route whose answer drifts from its schema — a renamed, retyped or new
 * field, an undocumented status — fails here, and every documented operation must have been
 * answered with success at least once.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inferenceInputs, YosokuClient } from '../../src/client/index.js';
import { binaryCsv } from '../helpers/harness.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';

interface Exchange {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

type Schema = Record<string, unknown>;
interface Operation {
  readonly responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface Document {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: { schemas?: Record<string, Schema> };
}

/** Routes whose answers are not API data (the browser UI's page and assets): their bodies are not described. */
const UNDESCRIBED_BODIES = new Set(['GET /', 'GET /ui/{file}', 'GET /ui/report', 'GET /openapi.json']);

let server: ServerProcess;
let doc: Document;
const exchanges: Exchange[] = [];

const recordingFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const body = Buffer.from(await res.clone().arrayBuffer());
  const url = input instanceof Request ? input.url : String(input);
  exchanges.push({ method: (init?.method ?? 'GET').toUpperCase(), url, status: res.status, contentType: res.headers.get('content-type') ?? '', body });
  return res;
};

/** A raw call through the recorder; never throws on an error status. */
function call(method: string, path: string, opts: { key?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key !== undefined) headers['x-api-key'] = opts.key;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const url = path.startsWith('http') ? path : `${server.url}${path}`;
  return recordingFetch(url, {
    method,
    headers,
    ...(opts.body === undefined ? {} : { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) }),
  });
}

/** The documented path (and its template) a concrete URL answers to, for a method; literal paths before templates. */
function documentedPath(method: string, url: string): string | undefined {
  const path = new URL(url).pathname;
  const candidates = Object.keys(doc.paths)
    .filter((p) => doc.paths[p]![method.toLowerCase()] !== undefined)
    .filter((p) =>
      new RegExp(
        `^${p
          .replace(/[.]/g, '\\.')
          .replace(/\{\*\}/g, '.+')
          .replace(/\{[^}]+\}/g, '[^/]+')}$`,
      ).test(path),
    );
  return candidates.sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0))[0];
}

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const validators = new Map<string, ValidateFunction>();

/** A validator of one response schema, with the document's components as local $defs. */
function validatorOf(key: string, schema: Schema): ValidateFunction {
  let v = validators.get(key);
  if (v === undefined) {
    const local = JSON.parse(JSON.stringify(schema).replaceAll('#/components/schemas/', '#/$defs/')) as Schema;
    const defs = JSON.parse(JSON.stringify(doc.components.schemas ?? {}).replaceAll('#/components/schemas/', '#/$defs/')) as Schema;
    v = ajv.compile({ ...local, $defs: defs });
    validators.set(key, v);
  }
  return v;
}

/** What is wrong with one exchange against the document, or null. */
function problemOf(x: Exchange): string | null {
  const where = `${x.method} ${new URL(x.url).pathname} → ${x.status}`;
  const path = documentedPath(x.method, x.url);
  if (path === undefined) return `${where}: no documented path`;
  const op = doc.paths[path]![x.method.toLowerCase()]!;
  const response = op.responses[String(x.status)];
  if (response === undefined) return `${where}: status not documented for ${x.method} ${path} (documented: ${Object.keys(op.responses).join(', ')})`;
  const content = response.content;
  if (content === undefined) {
    if (x.body.length === 0 || UNDESCRIBED_BODIES.has(`${x.method} ${path}`)) return null;
    return `${where}: a ${x.body.length}-byte ${x.contentType} body where the document describes none`;
  }
  const mediaType = x.contentType.split(';')[0]!.trim();
  const media = content[mediaType] ?? content['*/*'];
  if (media === undefined) return `${where}: content type ${mediaType} not documented (documented: ${Object.keys(content).join(', ')})`;
  if (mediaType !== 'application/json' || media.schema === undefined) return null;
  const validate = validatorOf(`${x.method} ${path} ${x.status}`, media.schema);
  const body: unknown = JSON.parse(x.body.toString('utf8'));
  if (validate(body)) return null;
  return `${where}: the body does not match the documented schema: ${ajv.errorsText(validate.errors)}\n${x.body.toString('utf8').slice(0, 600)}`;
}

async function until<T>(read: () => Promise<T>, done: (t: T) => boolean): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const t = await read();
    if (done(t)) return t;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('gave up waiting');
}

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'yosoku-openapi-'));
  server = await startServer({ DATA_DIR: join(dir, 'data'), TRAINING_TIME_BUDGET_SECONDS: '2' });
  const secret = (await readFile(join(dir, 'data', 'secret-key.txt'), 'utf8')).trim();
  doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as Document;
  const client = new YosokuClient({ baseUrl: server.url, secretKey: secret, fetch: recordingFetch });

  // Operations, the document itself and the web UI.
  for (const path of ['/healthz', '/readyz', '/metrics', '/openapi.json', '/', '/ui/report', '/ui/no-such-file.js']) await call('GET', path);
  const page = await (await fetch(`${server.url}/`)).text();
  const asset = /\/ui\/([\w.-]+\.js)/.exec(page)?.[1];
  if (asset !== undefined) await call('GET', `/ui/${asset}`);

  // Keys, uploads, column info, training, status, results, catalogue.
  const train = await client.key('train');
  const deployKey = await client.key('deploy');
  const pid = await client.uploadTrainingData({
    learn: { bytes: binaryCsv(120), fileName: 'customers.csv' },
    eval: { bytes: binaryCsv(40), fileName: 'eval.csv' },
  });
  await client.columnInfo(pid, 'churn');
  await client.train(pid, { tc: 'churn', tt: 'binary_classification', tv: 'yes', cv: '1' }, 'openapi model');
  const done = await client.waitForTraining(pid, { intervalMs: 200 });
  if (done.status !== 'finished') throw new Error(`training ${done.status}: ${done.message}`);
  const modelId = done.model_id!;
  await client.download(done.result_url!);
  const result = new URL(done.result_url!);
  await call('GET', `/ui/report?result=${encodeURIComponent(result.pathname + result.search)}`);
  const sets = await client.dataSets();
  await client.download(sets.data_sets[0]!.download_url);
  await client.models();

  // Deploy, inspect, infer (with reasons and a preflight), batch, retrain and switch.
  const c = await client.deploy(modelId);
  await client.classifiers();
  await client.updateClassifier(c.classifier_id, { rules: [{ source: '0.0.0.0/0', order: 'allow', priority: 0 }] });
  await client.infer(c, 'age,plan,score\n30,pro,7.5\nx,basic,1\n', { reasons: true });
  await call('OPTIONS', c.url!, {
    headers: { origin: 'http://example.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-api-key' },
  });
  const batchId = await client.startBatch(c.classifier_id, { bytes: binaryCsv(20), fileName: 'rows.csv' }, { reasons: true });
  const batch = await client.waitForBatch(c.classifier_id, batchId, { intervalMs: 200 });
  await client.download(batch.download_url!);
  const jobId = await client.retrain(modelId, { bytes: binaryCsv(100), fileName: 'more.csv' });
  const retrained = await client.waitForRetrain(modelId, jobId, { intervalMs: 300 });
  await client.download(retrained.download_url!);
  await client.switchModel(modelId, jobId);
  await until(
    () => client.classifier(c.classifier_id),
    (x) => x.status === 'running',
  );

  // Error answers: a missing key, a wrong key, bad parameters and bodies, unknown and busy resources.
  const retrainKey = await client.retrainKey(modelId);
  await call('GET', '/v1/external/api-key?credential_type=train');
  await call('GET', '/v1/external/api-key?credential_type=nonsense', { key: secret });
  await call('GET', '/v1/external/models', { key: 'not-a-key' });
  await call('GET', '/v1/external/models?limit=x', { key: train });
  await call('GET', '/v1/external/data-sets?offset=-1', { key: train });
  await call('GET', '/v1/external/data-sets/upload-url?extension=pdf', { key: train });
  await call('GET', '/v1/external/data-sets/column-info?external_process_id=nope', { key: train });
  await call('GET', '/v1/external/models/results?external_process_id=nope', { key: train });
  await call('POST', '/v1/external/models', { key: train, body: { external_process_id: pid, config: { tc: 'churn', tt: 'regression' } } });
  await call('POST', '/v1/external/models', { key: train, body: '{not json' });
  await call('DELETE', `/v1/external/models/${retrained.model_id}`, { key: train }); // served by c since the switch: MODEL_IN_USE
  await call('DELETE', '/v1/external/models/999999', { key: train });
  await call('DELETE', '/v1/external/data-sets/999999', { key: train });
  await call('POST', '/v1/external/classifiers', { key: deployKey, body: { model_id: 999999 } });
  await call('POST', '/v1/external/classifiers', { key: deployKey, body: { model_id: modelId, rules: [{ source: 'everyone' }] } });
  await call('GET', '/v1/external/classifiers/nosuchclassifier', { key: deployKey });
  await call('PATCH', `/v1/external/classifiers/${c.classifier_id}`, { key: deployKey, body: { active: 'maybe' } });
  await call('POST', `/v1/external/classifiers/${c.classifier_id}/batch-predictions`, { key: deployKey, body: { ar: 'perhaps' } });
  await call('GET', `/v1/external/classifiers/${c.classifier_id}/batch-predictions/nope`, { key: deployKey });
  await call('GET', '/v1/external/retrain_jobs/00000000-0000-4000-8000-000000000000', { key: retrainKey });
  await call('PUT', '/v1/external/retrain_jobs/00000000-0000-4000-8000-000000000000/update_model', { key: retrainKey });
  await call('POST', c.url!, { key: 'wrong-key', body: { inputs: inferenceInputs('age,plan,score\n1,pro,2\n') } });
  await call('POST', c.url!, { key: c.api_key, body: { inputs: [{ name: 'pr', type: 'csv', data: '***' }] } });
  await call('PUT', `${server.url}/uploads/nope/learn?expires=1&sig=x`, { body: 'a,b\n1,2\n' });
  await call('PUT', `${server.url}/retrain-uploads/nope?expires=1&sig=x`, { body: 'a,b\n1,2\n' });
  await call('PUT', `${server.url}/batch-uploads/nope?expires=1&sig=x`, { body: 'a,b\n1,2\n' });
  await call('GET', `${server.url}/downloads/results/nope/result.zip?expires=1&sig=x`);

  // Stop, delete what was made: the DELETE answers.
  await client.updateClassifier(c.classifier_id, { active: false });
  await until(
    () => client.classifier(c.classifier_id),
    (x) => x.status === 'terminated',
  );
  await client.deleteClassifier(c.classifier_id);
  await client.deleteModel(retrained.model_id!);
  await client.deleteModel(modelId);
  await client.deleteDataSet(sets.data_sets[0]!.data_set_id);
}, 240_000);

afterAll(async () => {
  await server?.stop();
});

describe('/openapi.json describes what the server answers', () => {
  it('every recorded answer has a documented path, status and content type, and its JSON matches the schema', () => {
    expect(exchanges.length).toBeGreaterThan(60);
    const problems = exchanges.map(problemOf).filter((p) => p !== null);
    expect(problems).toEqual([]);
  });

  it('every documented operation was answered with success by the flow above', () => {
    const answered = new Set(exchanges.filter((x) => x.status < 300).map((x) => `${x.method} ${documentedPath(x.method, x.url)}`));
    // Without a build of the web UI (npm test builds it first) its page answers 503 and has no files.
    const unbuilt = exchanges.some((x) => x.status === 503 && new URL(x.url).pathname === '/') ? ['GET /', 'GET /ui/{file}'] : [];
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(operations.filter((op) => !answered.has(op) && !unbuilt.includes(op))).toEqual([]);
  });

  it('an unknown route answers the documented error body too', async () => {
    const res = await fetch(`${server.url}/v1/external/no-such-route`);
    expect(res.status).toBe(404);
    const validate = validatorOf('ErrorBody', { $ref: '#/components/schemas/ErrorBody' });
    const body: unknown = await res.json();
    expect(validate(body), ajv.errorsText(validate.errors)).toBe(true);
    expect(body).toMatchObject({ error: 'ROUTE_NOT_FOUND', request_id: res.headers.get('x-request-id') });
  });

  it('error answers of every family were seen, and each is the documented error body', () => {
    const statuses = new Set(exchanges.filter((x) => x.status >= 400).map((x) => x.status));
    expect([...statuses].sort()).toEqual(expect.arrayContaining([400, 403, 404, 409]));
  });

  it('the check fails when an answer drifts: a retyped field, an extra field, a missing field, an undocumented status', () => {
    const results = exchanges.find((x) => x.status === 200 && new URL(x.url).pathname === '/v1/external/models/results' && x.body.includes('"finished"'))!;
    const body = JSON.parse(results.body.toString('utf8')) as Record<string, unknown>;
    const drifted = (b: unknown, status = 200): Exchange => ({ ...results, status, body: Buffer.from(JSON.stringify(b)) });
    expect(problemOf(drifted(body))).toBeNull();
    expect(problemOf(drifted({ ...body, model_id: String(body.model_id) }))).toMatch(/model_id.*must be integer/);
    expect(problemOf(drifted({ ...body, modelId: body.model_id }))).toMatch(/must NOT have additional properties/);
    const { status: _dropped, ...rest } = body;
    expect(problemOf(drifted(rest))).toMatch(/must have required property 'status'/);
    expect(problemOf(drifted(body, 201))).toMatch(/status not documented/);
    expect(problemOf({ ...results, contentType: 'text/html' })).toMatch(/content type text\/html not documented/);
  });
});
