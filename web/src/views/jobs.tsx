/** Polling a retrain or batch job until it ends: `job_finished` or `job_failed`. */
import type { ComponentChildren, JSX } from 'preact';
import { Progress, sleep, State } from '../components/common.js';
import { t } from '../lib/i18n.js';
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
export async function pollJob<T extends { status: JobStatus; progress?: number; message?: string }>(
  get: () => Promise<T>,
  onUpdate: (job: JobView) => void,
): Promise<T> {
  for (;;) {
    const s = await get();
    onUpdate({
      status: s.status,
      state: s.status.replace(/^job_/, ''),
      ...(s.progress === undefined ? {} : { progress: s.progress }),
      ...(s.message === undefined ? {} : { message: s.message }),
    });
    if (s.status === 'job_finished' || s.status === 'job_failed') return s;
    await sleep(POLL_MS);
  }
}

/** A job's line: its state, its progress, `children` (what it produced), and why it failed. */
export function JobLine({ id, job, children }: { id: string; job: JobView | null; children?: ComponentChildren }): JSX.Element {
  return (
    <div id={id} data-state={job?.status ?? ''}>
      {job !== null ? (
        <>
          <State state={job.state}>{t(`status.${job.state}`)}</State>
          {job.progress !== undefined ? (
            <>
              {' '}
              <Progress value={job.progress} max={100} /> {job.progress}%
            </>
          ) : null}
          {children}
          {job.status === 'job_failed' && job.message !== undefined ? <p class="error">{job.message}</p> : null}
        </>
      ) : null}
    </div>
  );
}
