/** Polling a retrain or batch job until it ends: `job_finished` or `job_failed`. */
import { sleep } from '../components/common.js';
import type { JobStatus } from '../lib/types.js';

const POLL_MS = 500;

export interface JobView {
  readonly status: JobStatus;
  /** The status without its `job_` prefix: waiting, running, finished, failed. */
  readonly state: string;
  readonly progress?: number;
  readonly message?: string;
}

/** Calls `get` until the status is final, reporting each answer; returns the last one. */
export async function pollJob<T extends { status: JobStatus; progress?: number; message?: string }>(get: () => Promise<T>, onUpdate: (job: JobView) => void): Promise<T> {
  for (;;) {
    const s = await get();
    onUpdate({ status: s.status, state: s.status.replace(/^job_/, ''), ...(s.progress === undefined ? {} : { progress: s.progress }), ...(s.message === undefined ? {} : { message: s.message }) });
    if (s.status === 'job_finished' || s.status === 'job_failed') return s;
    await sleep(POLL_MS);
  }
}
