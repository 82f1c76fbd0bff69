/**
 * Runs the storage contracts (repositories, deployment repositories, job queue) against
 * PostgreSQL (each test in its own schema, dropped afterwards), plus what only a shared database
 * has to get right: several openers migrating at once, and two machines (two pools) competing
 * for the same jobs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { systemClock, type Clock } from '../../src/domain/clock.js';
import { openPostgres } from '../../src/storage/postgres/database.js';
import { createPostgresStorage, type PostgresStorage } from '../../src/storage/postgres/index.js';
import type { Job } from '../../src/storage/ports.js';
import { runDeployReposContract } from '../contract/deploy-repos.case.js';
import { runJobQueueContract } from '../contract/job-queue.case.js';
import { runReposContract } from '../contract/repos.case.js';
import { postgresUnavailable, TEST_DATABASE_URL, TestSchemas } from '../helpers/postgres.js';

function manualClock() {
  let ms = Date.parse('2026-01-01T00:00:00Z');
  return { now: () => new Date(ms), advance: (d: number) => void (ms += d), nowMs: () => ms };
}

const unavailable = await postgresUnavailable();

if (unavailable !== null) {
  console.warn(`SKIPPED PostgreSQL storage tests: ${unavailable}`);
  describe.skip(`PostgreSQL storage (skipped: ${unavailable})`, () => {
    it('runs the repositories and job queue contracts', () => undefined);
  });
} else {
  const schemas = new TestSchemas();
  afterAll(() => schemas.dropAll());

  async function open(schema: string, clock: Clock = manualClock(), poolSize = 4): Promise<PostgresStorage> {
    const storage = await createPostgresStorage({ connectionString: TEST_DATABASE_URL, schema, poolSize }, clock);
    schemas.track(() => storage.close());
    return storage;
  }

  describe('PostgreSQL', () => {
    runReposContract(async () => open(schemas.next()));

    runDeployReposContract(async () => open(schemas.next()));

    runJobQueueContract(async () => {
      const clock = manualClock();
      const storage = await open(schemas.next(), clock);
      return { queue: storage.jobs, advance: clock.advance, nowMs: clock.nowMs };
    });

    it('wakes listeners on other machines when a job is queued, on its schema only (LISTEN/NOTIFY)', async () => {
      const schema = schemas.next();
      const machineA = await open(schema, systemClock);
      const machineB = await open(schema, systemClock);
      const otherDeployment = await open(schemas.next(), systemClock);
      const heard: string[] = [];
      let wake: () => void = () => undefined;
      const woken = new Promise<void>((resolve) => (wake = resolve));
      const stop = await machineB.jobs.subscribe!(() => {
        heard.push('job');
        wake();
      });
      try {
        await otherDeployment.jobs.enqueue('train', { n: 0 });
        await machineA.jobs.enqueue('train', { n: 1 });
        await woken;
        // Notifications arrive in commit order: the other schema's came first and was not heard.
        expect(heard).toEqual(['job']);
      } finally {
        await stop();
      }
    });

    it('stores one model per training process, also when two reruns race', async () => {
      const r = await open(schemas.next());
      await r.users.create({ id: 'ua', name: 'alice', createdAt: '2026-01-01T00:00:00.000Z', deletedAt: null });
      const model = (name: string) => ({
        userId: 'ua',
        processId: 'p1',
        name,
        task: 'regression' as const,
        version: '0.1.0',
        config: {},
        blobKey: 'mk',
        metrics: {},
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
      });
      const [a, b] = await Promise.all([r.models.create(model('first')), r.models.create(model('second'))]);
      expect(a.id).toBe(b.id);
      expect((await r.models.create(model('third'))).id).toBe(a.id);
      expect((await r.models.list('ua', { offset: 0, limit: 10 })).total).toBe(1);
    });

    describe('migrations', () => {
      it('several machines opening a fresh schema at once migrate it exactly once', async () => {
        const schema = schemas.next();
        const dbs = await Promise.all(
          Array.from({ length: 4 }, async () => {
            const d = await openPostgres({ connectionString: TEST_DATABASE_URL, schema, poolSize: 1 });
            schemas.track(() => d.close());
            return d;
          }),
        );
        const r = await dbs[0]!.pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
        expect(r.rows.map((x) => x.version)).toEqual([1, 2, 3]);
        // And reopening later finds nothing to do.
        const again = await openPostgres({ connectionString: TEST_DATABASE_URL, schema, poolSize: 1 });
        await again.close();
      });

      it('refuses a schema name that is not a plain identifier', async () => {
        await expect(openPostgres({ connectionString: TEST_DATABASE_URL, schema: 'x; DROP TABLE users' })).rejects.toThrow(
          /invalid PostgreSQL schema name "x; DROP TABLE users"/,
        );
      });

      it('keeps each schema private: the same tables in two schemas do not see each other', async () => {
        const a = await open(schemas.next());
        const b = await open(schemas.next());
        await a.users.create({ id: 'u1', name: 'alice', createdAt: '2026-01-01T00:00:00.000Z', deletedAt: null });
        expect(await a.users.count()).toBe(1);
        expect(await b.users.count()).toBe(0);
      });
    });

    describe('two machines on one queue', () => {
      it('each job is claimed exactly once while two pools compete', async () => {
        const schema = schemas.next();
        // Two "machines": separate pools (separate connections), real clock.
        const m1 = await open(schema, systemClock, 3);
        const m2 = await open(schema, systemClock, 3);
        const ids: number[] = [];
        for (let i = 0; i < 60; i++) ids.push(await (i % 2 === 0 ? m1 : m2).jobs.enqueue('train', { i }));

        const taken = new Map<number, string>();
        const dup: number[] = [];
        const slot = async (m: PostgresStorage, worker: string): Promise<void> => {
          for (;;) {
            const job = await m.jobs.claim(['train'], worker, 30_000);
            if (job === null) return;
            if (taken.has(job.id)) dup.push(job.id);
            taken.set(job.id, worker);
            expect(await m.jobs.complete(job.id, worker)).toBe(true);
          }
        };
        await Promise.all([0, 1, 2].flatMap((s) => [slot(m1, `m1/${s}`), slot(m2, `m2/${s}`)]));

        expect(dup).toEqual([]);
        expect([...taken.keys()].sort((x, y) => x - y)).toEqual(ids);
        // Both machines did work (60 jobs, 6 slots): the queue is really shared.
        const workers = new Set([...taken.values()].map((w) => w.slice(0, 2)));
        expect(workers).toEqual(new Set(['m1', 'm2']));
        for (const id of ids) {
          const j = await m1.jobs.get(id);
          expect([j?.state, j?.attempts]).toEqual(['completed', 1]);
        }
      });

      it('a machine that dies loses its lease and the job runs again on the other one', async () => {
        const schema = schemas.next();
        const dying = await createPostgresStorage({ connectionString: TEST_DATABASE_URL, schema, poolSize: 2 }, systemClock);
        const survivor = await open(schema, systemClock, 2);
        const id = await survivor.jobs.enqueue('train', { p: 'x' });

        const first = await dying.jobs.claim(['train'], 'machine-a/0', 200);
        expect(first?.id).toBe(id);
        await dying.close(); // the machine is gone: no heartbeat, no completion

        // Before the lease ends, nobody else may take the job.
        expect(await survivor.jobs.claim(['train'], 'machine-b/0', 10_000)).toBeNull();
        expect((await survivor.jobs.requeueExpired(Date.now())).requeued).toBe(0);

        await sleep(250);
        const swept = await survivor.jobs.requeueExpired(Date.now());
        expect(swept).toEqual({ requeued: 1, failed: [] });
        const again = await survivor.jobs.claim(['train'], 'machine-b/0', 10_000);
        expect([again?.id, again?.attempts, again?.workerId]).toEqual([id, 2, 'machine-b/0']);
        expect(again?.lastError).toBe('the worker stopped (lease expired)');
        expect(await survivor.jobs.complete(id, 'machine-b/0')).toBe(true);
      });

      it('two sweepers at once requeue a lost job once and report a given-up job once', async () => {
        const schema = schemas.next();
        const m1 = await open(schema, systemClock, 2);
        const m2 = await open(schema, systemClock, 2);
        const retry = await m1.jobs.enqueue('train', { n: 1 });
        const last = await m1.jobs.enqueue('train', { n: 2 }, { maxAttempts: 1 });
        await m1.jobs.claim(['train'], 'gone/0', 1);
        await m1.jobs.claim(['train'], 'gone/1', 1);
        await sleep(20);
        const now = Date.now();
        const [a, b] = await Promise.all([m1.jobs.requeueExpired(now), m2.jobs.requeueExpired(now)]);
        expect(a.requeued + b.requeued).toBe(1);
        const failed: Job[] = [...a.failed, ...b.failed];
        expect(failed.map((j) => j.id)).toEqual([last]);
        expect((await m1.jobs.get(retry))?.state).toBe('waiting');
        expect((await m1.jobs.get(last))?.state).toBe('failed');
      });
    });
  });

  it('leaves no test schema behind once closed (sanity check of the helper)', async () => {
    const s = new TestSchemas();
    const name = s.next();
    const d = await openPostgres({ connectionString: TEST_DATABASE_URL, schema: name, poolSize: 1 });
    s.track(() => d.close());
    await s.dropAll();
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await c.connect();
    const r = await c.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [name]);
    await c.end();
    expect(r.rowCount).toBe(0);
  });
}
