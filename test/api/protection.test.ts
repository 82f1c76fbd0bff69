/** Rate limits per key (429 in the documented shape, Retry-After) and the security headers. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { loadConfig } from '../../src/config.js';
import { binaryCsv, createHarness, expectError } from '../helpers/harness.js';

describe('rate limits', () => {
  it('limits API-key creation per secret key, 429 RATE_LIMITED with Retry-After, other keys unaffected', async () => {
    const h = await createHarness();
    const app = buildApp(h.services, { rateLimits: loadConfig({ API_KEY_RATE_LIMIT_PER_MINUTE: '3' }).rateLimits });
    const alice = await h.services.auth.createSecretKey('alice');
    const bob = await h.services.auth.createSecretKey('bob');
    const get = (key: string) => app.inject({ url: '/v1/external/api-key?credential_type=train', headers: { 'x-api-key': key } });
    for (let i = 0; i < 3; i++) expect((await get(alice.secretKey)).statusCode).toBe(200);
    const limited = await get(alice.secretKey);
    expectError(limited, 4291000701, /^Too many requests: at most 3 requests per minute for this key; retry in 1 minute$/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get(bob.secretKey)).statusCode).toBe(200);
    // Guessing keys from one address: each guess is a key of its own, so the count is per key sent.
    expectError(await get('guess-1'), 4001000204, 'invalid_api_key.');
    await app.close();
  });

  it('limits inference per key before the access check, in the documented shape', async () => {
    const h = await createHarness();
    const app = buildApp(h.services, { rateLimits: loadConfig({ INFERENCE_RATE_LIMIT_PER_MINUTE: '2' }).rateLimits });
    const call = (key: string) =>
      app.inject({ method: 'POST', url: '/v1/groups/g/classifiers/nosuch/inference', headers: { 'x-api-key': key }, payload: '{}' });
    expectError(await call('k1'), 4001030101, 'Not found classifier in classifiers table');
    expectError(await call('k1'), 4001030101, 'Not found classifier in classifiers table');
    const limited = await call('k1');
    expectError(limited, 4291000701, /^Too many requests/);
    expect(limited.headers['access-control-allow-origin']).toBeUndefined();
    expectError(await call('k2'), 4001030101, 'Not found classifier in classifiers table');
    await app.close();
  });

  it('is off with a limit of 0', async () => {
    const h = await createHarness();
    const app = buildApp(h.services, { rateLimits: { inferencePerMinute: 0, apiKeyPerMinute: 0 } });
    const alice = await h.services.auth.createSecretKey('alice');
    for (let i = 0; i < 70; i++)
      expect((await app.inject({ url: '/v1/external/api-key?credential_type=train', headers: { 'x-api-key': alice.secretKey } })).statusCode).toBe(200);
    await app.close();
  });
});

describe('security headers', () => {
  it('sends helmet headers on API answers, and HSTS only when served over TLS', async () => {
    const h = await createHarness();
    const plain = await h.app.inject({ url: '/v1/external/models' });
    expect(plain.headers['x-content-type-options']).toBe('nosniff');
    expect(plain.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(plain.headers['referrer-policy']).toBe('no-referrer');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    expect(plain.headers['x-powered-by']).toBeUndefined();
    const tls = buildApp(h.services, { hsts: true });
    expect((await tls.inject({ url: '/v1/external/models' })).headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    await tls.close();
  });
});

describe('logs', () => {
  it('redact the signature of signed URLs, and keep internal errors out of the answer', async () => {
    const h = await createHarness();
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const app = buildApp(h.services, { logger: { level: 'info', stream } });
    const { train } = await h.user('alice');
    const opened = (await app.inject({ url: '/v1/external/data-sets/upload-url', headers: { 'x-api-key': train } })).json();
    const url = new URL(opened.learn_data_set_upload_url);
    const sig = url.searchParams.get('sig')!;
    expect((await app.inject({ method: 'PUT', url: url.pathname + url.search, payload: binaryCsv(20) })).statusCode).toBe(200);
    h.services.catalog.listModels = async () => {
      throw new Error('SQLITE_CORRUPT: /var/lib/secret.db');
    };
    const failed = await app.inject({ url: '/v1/external/models', headers: { 'x-api-key': train } });
    expect(failed.statusCode).toBe(500);
    expect(failed.body).not.toMatch(/SQLITE|secret\.db/);
    const log = lines.join('');
    expect(log).toContain('sig=[redacted]');
    expect(log).not.toContain(sig);
    expect(log).toContain('SQLITE_CORRUPT'); // the operator still sees what failed
    await app.close();
  });
});
