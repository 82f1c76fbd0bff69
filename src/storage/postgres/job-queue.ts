/**
 * JobQueue on PostgreSQL: the jobs table is the queue, shared by every machine. A claim is one
 * `UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED) RETURNING *` (queries/claim-job.sql):
 * concurrent claimers on any number of machines each get a different job, never wait on each
 * other, and never both get one. Leases, heartbeats and the sweeper work as on SQLite.
 *
 * Lease times come from the injected clock of the machine that writes them and are compared with
 * the sweeper's clock, so machines must keep their clocks in sync (NTP) to well under a lease.
 *
 * Why not pg-boss: see docs/scale-out.md ("Why a plain table and not pg-boss").
 */
import type pg from 'pg';
import { isoUtc, type Clock } from '../../domain/clock.js';
import { DEFAULT_MAX_ATTEMPTS, LEASE_LOST, toJob, type JobRow } from '../kysely/jobs.js';
import type { EnqueueOptions, Job, JobQueue, JobState } from '../ports.js';
import { query } from './sql-loader.js';

export class PgJobQueue implements JobQueue {
  readonly #pool: pg.Pool;
  readonly #clock: Clock;

  constructor(pool: pg.Pool, clock: Clock) {
    this.#pool = pool;
    this.#clock = clock;
  }

  async enqueue(kind: string, payload: Record<string, unknown>, opts: EnqueueOptions = {}): Promise<number> {
    const now = isoUtc(this.#clock.now());
    const r = await this.#pool.query<{ id: number }>(query('enqueue-job'), [
      kind,
      JSON.stringify(payload),
      opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      now,
    ]);
    return r.rows[0]!.id;
  }

  async claim(kinds: readonly string[], workerId: string, leaseMs: number): Promise<Job | null> {
    if (kinds.length === 0) return null;
    const now = this.#clock.now();
    const r = await this.#pool.query<JobRow>(query('claim-job'), [workerId, now.getTime() + leaseMs, isoUtc(now), [...kinds]]);
    return r.rows.length === 0 ? null : toJob(r.rows[0]!);
  }

  async heartbeat(jobId: number, workerId: string, leaseMs: number): Promise<boolean> {
    const now = this.#clock.now();
    const r = await this.#pool.query(query('heartbeat-job'), [jobId, workerId, now.getTime() + leaseMs, isoUtc(now)]);
    return r.rows.length > 0;
  }

  async complete(jobId: number, workerId: string): Promise<boolean> {
    return this.#finish(jobId, workerId, 'completed', null);
  }

  async fail(jobId: number, workerId: string, error: string): Promise<boolean> {
    return this.#finish(jobId, workerId, 'failed', error);
  }

  async #finish(jobId: number, workerId: string, state: JobState, error: string | null): Promise<boolean> {
    const r = await this.#pool.query(query('finish-job'), [jobId, workerId, state, error, isoUtc(this.#clock.now())]);
    return r.rows.length > 0;
  }

  async requeueExpired(nowMs: number): Promise<{ requeued: number; failed: Job[] }> {
    const now = isoUtc(this.#clock.now());
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const requeued = await client.query(query('requeue-expired'), [LEASE_LOST, now, nowMs]);
      const failed = await client.query<JobRow>(query('give-up-expired'), [LEASE_LOST, now, nowMs]);
      await client.query('COMMIT');
      return { requeued: requeued.rows.length, failed: failed.rows.map(toJob) };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async get(jobId: number): Promise<Job | null> {
    const r = await this.#pool.query<JobRow>(query('get-job'), [jobId]);
    return r.rows.length === 0 ? null : toJob(r.rows[0]!);
  }
}
