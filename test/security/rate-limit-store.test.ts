/**
 * Rate limits across machines. Scale-out machines count into one PostgreSQL window per key
 * (storage/postgres/rate-limits.ts, RATE_LIMIT_STORE=postgres, the default with DATABASE_URL), so
 * spreading requests over machines does not multiply the limit; with RATE_LIMIT_STORE=local each
 * process counts alone (documented in SECURITY.md and docs/errors.md).
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { loadConfig } from '../../src/config.js';
import { PgRateLimitCounters } from '../../src/storage/postgres/rate-limits.js';
import { createHarness, expectError } from '../helpers/harness.js';
import { postgresUnavailable, TEST_DATABASE_URL, TestSchemas } from '../helpers/postgres.js';

const NOT_FOUND = 'Not found classifier in classifiers table';
const inference = (app: ReturnType<typeof buildApp>, key: string) =>
  app.inject({ method: 'POST', url: '/v1/groups/g/classifiers/nosuch/inference', headers: { 'x-api-key': key }, payload: '{}' });

describe('RATE_LIMIT_STORE', () => {
  it('is postgres by default in scale-out and local embedded; postgres needs DATABASE_URL', () => {
    const scaled = { DATABASE_URL: 'postgres://x@h/db', URL_SIGNING_SECRET: 's'.repeat(32), S3_BUCKET: 'b' };
    expect(loadConfig({}).rateLimits.store).toBe('local');
    expect(loadConfig(scaled).rateLimits.store).toBe('postgres');
    expect(loadConfig({ ...scaled, RATE_LIMIT_STORE: 'local' }).rateLimits.store).toBe('local');
    expect(() => loadConfig({ RATE_LIMIT_STORE: 'postgres' })).toThrow('RATE_LIMIT_STORE=postgres needs DATABASE_URL');
    expect(() => loadConfig({ RATE_LIMIT_STORE: 'redis' })).toThrow('RATE_LIMIT_STORE must be local or postgres');
  });

  it('local: two machines each allow the limit (each process counts alone)', async () => {
    const limits = loadConfig({ INFERENCE_RATE_LIMIT_PER_MINUTE: '2' }).rateLimits;
    const a = buildApp((await createHarness()).services, { rateLimits: limits });
    const b = buildApp((await createHarness()).services, { rateLimits: limits });
    for (const app of [a, a, b, b]) expectError(await inference(app, 'k1'), 4001030101, NOT_FOUND);
    expectError(await inference(a, 'k1'), 4291000701, /^Too many requests/);
    await Promise.all([a.close(), b.close()]);
  });
});

const unavailable = await postgresUnavailable();

if (unavailable !== null) {
  console.warn(`SKIPPED shared rate-limit tests: ${unavailable}`);
  describe.skip(`shared rate limits (skipped: ${unavailable})`, () => {
    it('counts requests of all machines in one window', () => undefined);
  });
} else {
  const schemas = new TestSchemas();
  afterAll(() => schemas.dropAll());

  async function counters(schema: string): Promise<PgRateLimitCounters> {
    const c = await PgRateLimitCounters.open({ connectionString: TEST_DATABASE_URL, schema, poolSize: 2 });
    schemas.track(() => c.close());
    return c;
  }

  async function freshSchema(): Promise<string> {
    const schema = schemas.next();
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.end();
    return schema;
  }

  describe('shared rate limits (PostgreSQL)', () => {
    it('two machines share one window per key: the limit holds however requests are spread', async () => {
      const schema = await freshSchema();
      const limits = loadConfig({ INFERENCE_RATE_LIMIT_PER_MINUTE: '3' }).rateLimits;
      const a = buildApp((await createHarness()).services, { rateLimits: limits, rateLimitCounters: await counters(schema) });
      const b = buildApp((await createHarness()).services, { rateLimits: limits, rateLimitCounters: await counters(schema) });
      expectError(await inference(a, 'k1'), 4001030101, NOT_FOUND);
      expectError(await inference(b, 'k1'), 4001030101, NOT_FOUND);
      expectError(await inference(a, 'k1'), 4001030101, NOT_FOUND);
      for (const app of [a, b]) {
        const limited = await inference(app, 'k1');
        expectError(limited, 4291000701, /^Too many requests: at most 3 requests per minute for this key; retry in /);
        expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      }
      // Another key has its own window.
      expectError(await inference(b, 'k2'), 4001030101, NOT_FOUND);
      await Promise.all([a.close(), b.close()]);
    });

    it('counts concurrent hits exactly once each (one upsert per hit, no lost update)', async () => {
      const c = await counters(await freshSchema());
      const counts = await Promise.all(Array.from({ length: 40 }, () => c.hit('burst', 60_000)));
      expect(counts.map((x) => x.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      for (const x of counts) expect(x.msLeft).toBeGreaterThan(0);
      expect(counts.every((x) => x.msLeft <= 60_000)).toBe(true);
    });

    it('starts a new window once the old one ended', async () => {
      const c = await counters(await freshSchema());
      expect((await c.hit('w', 60_000)).count).toBe(1);
      expect((await c.hit('w', 60_000)).count).toBe(2);
      // A window of 1 ms has ended by the next statement (the database's clock moves on).
      let count = (await c.hit('w', 1)).count;
      while (count !== 1) count = (await c.hit('w', 1)).count;
      expect((await c.hit('w', 60_000)).count).toBe(2);
    });

    it('a second opener of the same schema finds the table (machines start together)', async () => {
      const schema = await freshSchema();
      const [x, y] = await Promise.all([counters(schema), counters(schema)]);
      await x.hit('k', 60_000);
      expect((await y.hit('k', 60_000)).count).toBe(2);
    });
  });
}
