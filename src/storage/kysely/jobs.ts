/**
 * What the two job queues share: the row → Job mapping and the constants. The queues themselves
 * stay apart because their claims differ (SQLite: UPDATE … RETURNING in an IMMEDIATE transaction;
 * PostgreSQL: FOR UPDATE SKIP LOCKED in queries/claim-job.sql).
 */
import type { Selectable } from 'kysely';
import type { Job, JobState } from '../ports.js';
import type { JobsTable } from './schema.js';

export const DEFAULT_MAX_ATTEMPTS = 3;
export const LEASE_LOST = 'the worker stopped (lease expired)';

/** A jobs row as either driver returns it (pg reads BIGINT lease_until_ms as a string). */
export type JobRow = Selectable<JobsTable>;

export function toJob(r: JobRow): Job {
  return {
    id: r.id,
    kind: r.kind,
    payload: JSON.parse(r.payload_json) as Job['payload'],
    state: r.state as JobState,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    workerId: r.worker_id,
    leaseUntilMs: r.lease_until_ms === null ? null : Number(r.lease_until_ms),
    lastError: r.last_error,
    owner: r.owner,
  };
}
