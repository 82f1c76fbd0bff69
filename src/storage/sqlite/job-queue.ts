/**
 * JobQueue on SQLite: the jobs table is the queue. SQLite has one writer at a time, so a claim is
 * a single `UPDATE … RETURNING` run in an IMMEDIATE transaction (it takes the write lock before
 * reading): two workers — threads, or the server and another process — can never take the same
 * job. Timestamps come from the injected clock so lease expiry is testable.
 */
import type Database from 'better-sqlite3';
import type { Kysely, Selectable } from 'kysely';
import { isoUtc, type Clock } from '../../domain/clock.js';
import { DEFAULT_MAX_ATTEMPTS, LEASE_LOST, toJob } from '../kysely/jobs.js';
import type { JobsTable, Schema } from '../kysely/schema.js';
import type { ActiveJobCount, ClaimOptions, EnqueueOptions, Job, JobQueue, JobState } from '../ports.js';

export class SqliteJobQueue implements JobQueue {
  readonly #db: Kysely<Schema>;
  readonly #raw: Database.Database;
  readonly #clock: Clock;

  constructor(db: Kysely<Schema>, raw: Database.Database, clock: Clock) {
    this.#db = db;
    this.#raw = raw;
    this.#clock = clock;
  }

  async enqueue(kind: string, payload: Record<string, unknown>, opts: EnqueueOptions = {}): Promise<number> {
    const now = isoUtc(this.#clock.now());
    const r = await this.#db
      .insertInto('jobs')
      .values({
        kind,
        payload_json: JSON.stringify(payload),
        state: 'waiting',
        attempts: 0,
        max_attempts: opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        worker_id: null,
        lease_until_ms: null,
        last_error: null,
        created_at: now,
        updated_at: now,
        owner: opts.owner ?? null,
        claim_seq: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  async claim(kinds: readonly string[], workerId: string, leaseMs: number, opts: ClaimOptions = {}): Promise<Job | null> {
    if (kinds.length === 0) return null;
    const now = this.#clock.now();
    const placeholders = kinds.map(() => '?').join(', ');
    // Fair between owners, in the same order as the PostgreSQL claim (queries/claim-job.sql).
    const stmt = this.#raw.prepare(
      `UPDATE jobs SET state = 'running', attempts = attempts + 1, worker_id = ?, lease_until_ms = ?, updated_at = ?,
         claim_seq = (SELECT coalesce(max(claim_seq), 0) + 1 FROM jobs)
       WHERE id = (
         SELECT w.id FROM jobs w
         WHERE w.state = 'waiting' AND w.kind IN (${placeholders})
           AND (w.owner IS NULL OR (SELECT count(*) FROM jobs r WHERE r.state = 'running' AND r.owner = w.owner) < ?)
         ORDER BY
           (SELECT count(*) FROM jobs r WHERE r.state = 'running' AND r.owner IS w.owner),
           (SELECT max(c.claim_seq) FROM jobs c WHERE c.owner IS w.owner), -- NULL (never claimed) sorts first
           w.id
         LIMIT 1)
       RETURNING *`,
    );
    const row = this.#raw
      .transaction(
        () =>
          stmt.get(workerId, now.getTime() + leaseMs, isoUtc(now), ...kinds, opts.maxRunningPerOwner ?? Number.MAX_SAFE_INTEGER) as
            | Selectable<JobsTable>
            | undefined,
      )
      .immediate();
    return row === undefined ? null : toJob(row);
  }

  async heartbeat(jobId: number, workerId: string, leaseMs: number): Promise<boolean> {
    const now = this.#clock.now();
    const r = await this.#db
      .updateTable('jobs')
      .set({ lease_until_ms: now.getTime() + leaseMs, updated_at: isoUtc(now) })
      .where('id', '=', jobId)
      .where('worker_id', '=', workerId)
      .where('state', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async complete(jobId: number, workerId: string): Promise<boolean> {
    return this.#finish(jobId, workerId, 'completed', null);
  }

  async fail(jobId: number, workerId: string, error: string): Promise<boolean> {
    return this.#finish(jobId, workerId, 'failed', error);
  }

  async release(jobId: number, workerId: string): Promise<boolean> {
    const r = await this.#db
      .updateTable('jobs')
      .set((eb) => ({
        state: 'waiting',
        worker_id: null,
        lease_until_ms: null,
        attempts: eb.fn<number>('max', [eb('attempts', '-', 1), eb.lit(0)]),
        updated_at: isoUtc(this.#clock.now()),
      }))
      .where('id', '=', jobId)
      .where('worker_id', '=', workerId)
      .where('state', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async #finish(jobId: number, workerId: string, state: JobState, error: string | null): Promise<boolean> {
    const r = await this.#db
      .updateTable('jobs')
      .set({ state, last_error: error, lease_until_ms: null, updated_at: isoUtc(this.#clock.now()) })
      .where('id', '=', jobId)
      .where('worker_id', '=', workerId)
      .where('state', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async requeueExpired(nowMs: number): Promise<{ requeued: number; failed: Job[] }> {
    const now = isoUtc(this.#clock.now());
    const requeue = this.#raw.prepare(
      `UPDATE jobs SET state = 'waiting', worker_id = NULL, lease_until_ms = NULL, last_error = ?, updated_at = ?
       WHERE state = 'running' AND lease_until_ms < ? AND attempts < max_attempts`,
    );
    const giveUp = this.#raw.prepare(
      `UPDATE jobs SET state = 'failed', lease_until_ms = NULL, last_error = ?, updated_at = ?
       WHERE state = 'running' AND lease_until_ms < ? AND attempts >= max_attempts
       RETURNING *`,
    );
    return this.#raw
      .transaction(() => {
        const requeued = requeue.run(LEASE_LOST, now, nowMs).changes;
        const failed = (giveUp.all(LEASE_LOST, now, nowMs) as Selectable<JobsTable>[]).map(toJob);
        return { requeued, failed };
      })
      .immediate();
  }

  async countActive(): Promise<ActiveJobCount[]> {
    const rows = this.#raw
      .prepare(`SELECT kind, state, COUNT(*) AS count FROM jobs WHERE state IN ('waiting', 'running') GROUP BY kind, state ORDER BY kind, state`)
      .all() as { kind: string; state: 'waiting' | 'running'; count: number }[];
    return rows.map((r) => ({ kind: r.kind, state: r.state, count: Number(r.count) }));
  }

  async get(jobId: number): Promise<Job | null> {
    const r = await this.#db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
    return r === undefined ? null : toJob(r);
  }
}
