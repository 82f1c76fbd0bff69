/**
 * JobQueue on PostgreSQL: the jobs table is the queue, shared by every machine. A claim is one
 * `UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED) RETURNING *` (queries/claim-job.sql):
 * concurrent claimers on any number of machines each get a different job, never wait on each
 * other, and never both get one. Leases, heartbeats and the sweeper work as on SQLite.
 *
 * Lease times come from the injected clock of the machine that writes them and are compared with
 * the sweeper's clock, so machines must keep their clocks in sync (NTP) to well under a lease.
 *
 * An enqueue NOTIFYs the schema's channel; `subscribe` LISTENs on it (one pool connection held for
 * it), so idle workers on every machine wake at once instead of at their next poll.
 *
 * Why not pg-boss: see docs/scale-out.md ("Why a plain table and not pg-boss").
 */
import type pg from 'pg';
import { isoUtc, type Clock } from '../../domain/clock.js';
import { DEFAULT_MAX_ATTEMPTS, LEASE_LOST, toJob, type JobRow } from '../kysely/jobs.js';
import type { ActiveJobCount, ClaimOptions, EnqueueOptions, Job, JobQueue, JobState } from '../ports.js';
import { query } from './sql-loader.js';

/** After a lost LISTEN connection, the next attempt waits this long (polling covers the gap). */
const RELISTEN_DELAY_MS = 1000;

/** The NOTIFY channel of a schema's queue (an identifier: at most 63 bytes). */
export function jobChannel(schema: string): string {
  return `yosoku_jobs_${schema}`.slice(0, 63);
}

export class PgJobQueue implements JobQueue {
  readonly #pool: pg.Pool;
  readonly #clock: Clock;
  readonly #channel: string;

  constructor(pool: pg.Pool, clock: Clock, channel: string) {
    this.#pool = pool;
    this.#clock = clock;
    this.#channel = channel;
  }

  async enqueue(kind: string, payload: Record<string, unknown>, opts: EnqueueOptions = {}): Promise<number> {
    const now = isoUtc(this.#clock.now());
    const r = await this.#pool.query<{ id: number }>(query('enqueue-job'), [
      kind,
      JSON.stringify(payload),
      opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      now,
      this.#channel,
      opts.owner ?? null,
    ]);
    return r.rows[0]!.id;
  }

  /**
   * Calls `onQueued` whenever any machine enqueues a job, until the returned function is called. A
   * lost connection is re-established after RELISTEN_DELAY_MS; jobs queued meanwhile are found by
   * the workers' polling.
   */
  async subscribe(onQueued: () => void): Promise<() => Promise<void>> {
    let client: pg.PoolClient | null = null;
    let stopped = false;
    let retry: NodeJS.Timeout | null = null;
    const onNotification = (msg: pg.Notification): void => {
      if (msg.channel === this.#channel) onQueued();
    };
    const scheduleRetry = (): void => {
      if (!stopped) retry = setTimeout(() => void listen().catch(scheduleRetry), RELISTEN_DELAY_MS);
    };
    const listen = async (): Promise<void> => {
      const c = await this.#pool.connect();
      c.on('notification', onNotification);
      c.once('error', () => {
        c.off('notification', onNotification);
        c.release(true);
        if (client === c) client = null;
        scheduleRetry();
      });
      await c.query(`LISTEN "${this.#channel}"`);
      client = c;
      if (stopped) await unlisten();
    };
    const unlisten = async (): Promise<void> => {
      const c = client;
      client = null;
      if (c === null) return;
      c.off('notification', onNotification);
      await c.query(`UNLISTEN "${this.#channel}"`).catch(() => undefined);
      c.release();
    };
    await listen();
    return async () => {
      stopped = true;
      if (retry !== null) clearTimeout(retry);
      await unlisten();
    };
  }

  async claim(kinds: readonly string[], workerId: string, leaseMs: number, opts: ClaimOptions = {}): Promise<Job | null> {
    if (kinds.length === 0) return null;
    const now = this.#clock.now();
    const r = await this.#pool.query<JobRow>(query('claim-job'), [
      workerId,
      now.getTime() + leaseMs,
      isoUtc(now),
      [...kinds],
      opts.maxRunningPerOwner ?? Number.MAX_SAFE_INTEGER,
    ]);
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

  async release(jobId: number, workerId: string): Promise<boolean> {
    const r = await this.#pool.query(query('release-job'), [jobId, workerId, isoUtc(this.#clock.now())]);
    return r.rows.length > 0;
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

  async countActive(): Promise<ActiveJobCount[]> {
    const r = await this.#pool.query<{ kind: string; state: 'waiting' | 'running'; count: string }>(query('count-active-jobs'));
    return r.rows.map((row) => ({ kind: row.kind, state: row.state, count: Number(row.count) }));
  }

  async get(jobId: number): Promise<Job | null> {
    const r = await this.#pool.query<JobRow>(query('get-job'), [jobId]);
    return r.rows.length === 0 ? null : toJob(r.rows[0]!);
  }
}
