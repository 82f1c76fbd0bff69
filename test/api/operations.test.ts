/** Operations: /healthz, /readyz, /metrics (with and without METRICS_TOKEN), request ids in headers and error bodies. */
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createHarness, expectError } from '../helpers/harness.js';

/** One sample line of a Prometheus text exposition, e.g. `name{a="b"} 3`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null || m[1] !== name) continue;
    const have = m[2] === undefined ? [] : m[2].split(/,(?=[a-z_]+=)/);
    if (want.every((w) => have.includes(w)) && have.length === want.length) return Number(m[3]);
  }
  return undefined;
}

describe('GET /healthz and /readyz', () => {
  it('answer ok when the database, the blob store and the queue answer', async () => {
    const h = await createHarness();
    const health = await h.get('/healthz');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await h.get('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', blob_store: 'ok', job_queue: 'ok' } });
  });

  it('answer 503 naming the check that failed, and time out a hung one', async () => {
    const h = await createHarness();
    h.deps.blobs.size = async () => {
      throw new Error('EACCES: permission denied');
    };
    const res = await h.get('/readyz');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'not_ready', checks: { database: 'ok', blob_store: 'error: EACCES: permission denied', job_queue: 'ok' } });
    h.deps.jobs.countActive = () => new Promise(() => undefined);
    const slow = await h.services.health.readiness(30);
    expect(slow.ready).toBe(false);
    expect(slow.checks.job_queue).toBe('error: no answer within 30 ms');
  });
});

describe('GET /metrics', () => {
  it('exposes request counts and latencies by route and status, queue depth, cache and row counts', async () => {
    const h = await createHarness();
    const metrics = createMetrics({
      activeJobs: () => h.storage.jobs.countActive(),
      modelCache: () => ({ ...h.services.models.cache.stats, maxBytes: 1024 }),
    });
    const app = buildApp(h.services, { metrics });
    await app.inject({ url: '/healthz' });
    await app.inject({ url: '/healthz' });
    await app.inject({ url: '/v1/external/models' });
    await app.inject({ url: '/no/such/path' });
    await h.storage.jobs.enqueue('train', {});
    metrics.rowsTrained('binary_classification', 120);
    metrics.rowsPredicted('inference', 7, 1);
    metrics.jobFinished('train', 'completed', 3.5);

    const res = await app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(sample(text, 'yosoku_http_requests_total', { method: 'GET', route: '/healthz', status: '200' })).toBe(2);
    expect(sample(text, 'yosoku_http_requests_total', { method: 'GET', route: '/v1/external/models', status: '400' })).toBe(1);
    expect(sample(text, 'yosoku_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(sample(text, 'yosoku_http_request_duration_seconds_count', { method: 'GET', route: '/healthz', status: '200' })).toBe(2);
    expect(sample(text, 'yosoku_jobs', { kind: 'train', state: 'waiting' })).toBe(1);
    expect(sample(text, 'yosoku_job_duration_seconds_count', { kind: 'train', outcome: 'completed' })).toBe(1);
    expect(sample(text, 'yosoku_job_duration_seconds_sum', { kind: 'train', outcome: 'completed' })).toBe(3.5);
    expect(sample(text, 'yosoku_training_rows_total', { task: 'binary_classification' })).toBe(120);
    expect(sample(text, 'yosoku_predicted_rows_total', { source: 'inference' })).toBe(7);
    expect(sample(text, 'yosoku_invalid_rows_total', { source: 'inference' })).toBe(1);
    expect(sample(text, 'yosoku_model_cache_bytes')).toBe(0);
    expect(sample(text, 'yosoku_model_cache_max_bytes')).toBe(1024);
    expect(sample(text, 'yosoku_model_cache_hits_total')).toBe(0);
    expect(sample(text, 'yosoku_model_cache_evictions_total')).toBe(0);
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeUndefined(); // process metrics only when asked
  });

  it('includes the process metrics when asked', async () => {
    const h = await createHarness();
    const app = buildApp(h.services, { metrics: createMetrics({ processMetrics: true }) });
    const text = (await app.inject({ url: '/metrics' })).body;
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('needs METRICS_TOKEN as a bearer token when one is set', async () => {
    const h = await createHarness();
    const app = buildApp(h.services, { metricsToken: 'scrape-secret' });
    expectError(await app.inject({ url: '/metrics' }), 4001000204, 'invalid_api_key.');
    expectError(await app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong' } }), 4001000204, 'invalid_api_key.');
    expect((await app.inject({ url: '/metrics', headers: { authorization: 'Bearer scrape-secret' } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/metrics', headers: { 'x-api-key': 'scrape-secret' } })).statusCode).toBe(200);
  });
});

describe('request ids', () => {
  it('are sent back, taken from a sane x-request-id, and added to every error body', async () => {
    const h = await createHarness();
    const ok = await h.get('/healthz');
    expect(ok.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await h.app.inject({ url: '/v1/external/models', headers: { 'x-request-id': 'lb-7f3a.1' } });
    expect(bad.headers['x-request-id']).toBe('lb-7f3a.1');
    expect(bad.json()).toEqual({ code: 4001000204, error: 'PREDA_EXTERNAL_BAD_REQUEST', message: 'invalid_api_key.', request_id: 'lb-7f3a.1' });
    const missing = await h.app.inject({ url: '/nowhere', headers: { 'x-request-id': 'has spaces and "quotes"' } });
    expect(missing.json().request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(missing.json().request_id).toBe(missing.headers['x-request-id']);
    const inference = await h.app.inject({ method: 'POST', url: '/v1/groups/g/classifiers/c/inference', payload: '{}' });
    expect(inference.json()).toMatchObject({ code: 4001030101, request_id: inference.headers['x-request-id'] });
  });

  it('are in every JSON log line of the request', async () => {
    const h = await createHarness();
    const lines: string[] = [];
    const app = buildApp(h.services, { logger: { level: 'info', stream: { write: (l: string) => void lines.push(l) } } });
    await app.inject({ url: '/v1/external/models', headers: { 'x-request-id': 'trace-42' } });
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.request_id === 'trace-42');
    expect(logged.map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
  });
});
