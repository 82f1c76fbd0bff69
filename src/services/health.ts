/**
 * Readiness: whether this machine can serve, checked on the ports it depends on. Each check is
 * one cheap call with a timeout, so a hung database makes /readyz answer 503 quickly instead of
 * hanging the load balancer's probe.
 */
import type { ServiceDeps } from './deps.js';

export type CheckName = 'database' | 'blob_store' | 'job_queue';

export interface Readiness {
  readonly ready: boolean;
  /** `ok`, or why the check failed. */
  readonly checks: Readonly<Record<CheckName, string>>;
}

/** Long enough for a busy PostgreSQL or S3, short enough for a load balancer's probe (often 5 s). */
const CHECK_TIMEOUT_MS = 2000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_res, rej) => {
    timer = setTimeout(() => rej(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export class HealthService {
  readonly #d: ServiceDeps;
  constructor(deps: ServiceDeps) {
    this.#d = deps;
  }

  /** Asks the database, the blob store and the job queue for an answer, all at once. */
  async readiness(timeoutMs = CHECK_TIMEOUT_MS): Promise<Readiness> {
    const probes: Record<CheckName, () => Promise<unknown>> = {
      // A lookup by a name no user can have: one indexed query.
      database: () => this.#d.users.findByName('(readyz probe)'),
      blob_store: () => this.#d.blobs.size('readyz/probe'),
      job_queue: () => this.#d.jobs.countActive(),
    };
    const names = Object.keys(probes) as CheckName[];
    const results = await Promise.allSettled(names.map((n) => withTimeout(probes[n](), timeoutMs)));
    const checks = {} as Record<CheckName, string>;
    results.forEach((r, i) => (checks[names[i]!] = r.status === 'fulfilled' ? 'ok' : `error: ${(r.reason as Error | null)?.message ?? String(r.reason)}`));
    return { ready: results.every((r) => r.status === 'fulfilled'), checks };
  }
}
