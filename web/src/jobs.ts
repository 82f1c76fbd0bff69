/** Polling a job (retrain or batch) until it ends: `job_finished` or `job_failed`. */
import { h, show } from './dom.js';
import { label } from './i18n.js';
import type { JobStatus } from './types.js';

const POLL_MS = 500;

/**
 * Calls `get` until the status is final; each answer is shown in `box` (its `data-state` is the
 * status). `isCurrent` false stops the loop (a newer job replaced it).
 */
export async function pollJob<T extends { status: JobStatus; progress?: number; message?: string }>(
  box: HTMLElement,
  get: () => Promise<T>,
  isCurrent: () => boolean,
): Promise<T | null> {
  for (;;) {
    if (!isCurrent()) return null;
    const s = await get();
    box.dataset.state = s.status;
    const state = s.status.replace(/^job_/, '');
    show(box, h('span', { class: `state-${state}` }, label(`status.${state}`)));
    if (s.progress !== undefined) box.append(' ', h('progress', { max: '100', value: String(s.progress) }), ` ${s.progress}%`);
    if (s.status === 'job_failed') box.append(h('p', { class: 'error' }, s.message ?? ''));
    if (s.status === 'job_finished' || s.status === 'job_failed') return s;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
