/**
 * Job workers: a loop per slot that claims a job, keeps its lease alive while a handler runs, and
 * records the outcome; plus a sweeper that requeues jobs whose worker died. Knows nothing about
 * SQL or training: the queue and the handlers are injected.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Job, JobQueue } from '../storage/ports.js';

export interface JobHandler {
  /** Resolve = done (complete the job); reject = failed (the handler already told the user what it could). */
  handle(job: Job): Promise<void>;
  /** The queue gave up on the job after too many lost leases. */
  giveUp?(job: Job): Promise<void>;
}

export interface WorkerLoopOptions {
  readonly queue: JobQueue;
  readonly handlers: Readonly<Record<string, JobHandler>>;
  readonly concurrency: number;
  readonly workerId: string;
  readonly leaseMs: number;
  /** Most jobs one owner (user) may have running at once across the queue (claim option; none when absent). */
  readonly maxRunningPerOwner?: number;
  /** How long an idle slot waits before polling again (notify() wakes it earlier). */
  readonly idleMs: number;
  /** Errors that must be kept but must not stop the loop. */
  onError(err: unknown, job?: Job): void;
  /**
   * Errors a handler may throw when it stops for shutdown: the job is handed back to the queue
   * (waiting, the attempt not counted), not completed, not failed.
   */
  isAbandon?(err: unknown): boolean;
  /** Told how each claimed job ended and how long it ran (metrics). */
  onJobDone?(job: Job, outcome: 'completed' | 'failed' | 'abandoned', ms: number): void;
  now(): number;
}

export class JobWorkers {
  readonly #o: WorkerLoopOptions;
  #stopping = false;
  readonly #loops: Promise<void>[] = [];
  /** Aborts idle waits: set on notify() and stop(). */
  #wake = new AbortController();

  constructor(opts: WorkerLoopOptions) {
    this.#o = opts;
  }

  /**
   * Starts the slots and the sweeper. `recoverAll` (embedded mode) first requeues every running
   * job: one server owns the data directory, so any lease left from a previous run is dead.
   */
  async start(opts: { recoverAll: boolean }): Promise<void> {
    await this.#sweep(opts.recoverAll ? Number.MAX_SAFE_INTEGER : this.#o.now());
    for (let i = 0; i < this.#o.concurrency; i++) this.#loops.push(this.#slot(`${this.#o.workerId}/${i}`));
    this.#loops.push(this.#sweeper());
  }

  /** A job was queued: wake idle slots now instead of at their next poll. */
  notify(): void {
    this.#wake.abort();
    this.#wake = new AbortController();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.notify();
    await Promise.all(this.#loops);
  }

  async #idle(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.#wake.signal }).catch(() => undefined);
  }

  async #sweep(nowMs: number): Promise<void> {
    const { failed } = await this.#o.queue.requeueExpired(nowMs);
    for (const job of failed) await this.#o.handlers[job.kind]?.giveUp?.(job);
  }

  async #sweeper(): Promise<void> {
    while (!this.#stopping) {
      await this.#idle(this.#o.leaseMs);
      if (this.#stopping) break;
      await this.#sweep(this.#o.now()).catch((err: unknown) => this.#o.onError(err));
    }
  }

  async #slot(workerId: string): Promise<void> {
    const { queue, handlers, leaseMs } = this.#o;
    const kinds = Object.keys(handlers);
    while (!this.#stopping) {
      let job: Job | null = null;
      try {
        job = await queue.claim(kinds, workerId, leaseMs, this.#o.maxRunningPerOwner === undefined ? {} : { maxRunningPerOwner: this.#o.maxRunningPerOwner });
      } catch (err) {
        // A failed claim counts as "no job", so a broken database does not become a busy loop.
        this.#o.onError(err);
      }
      if (job === null) {
        await this.#idle(this.#o.idleMs);
        continue;
      }
      // A handler that abandons its job is shutting down: this slot claims nothing more.
      if ((await this.#run(job, workerId)) === 'abandoned') return;
    }
  }

  async #run(job: Job, workerId: string): Promise<'done' | 'abandoned'> {
    const { queue, leaseMs } = this.#o;
    // Renew at a third of the lease: two missed beats still leave the job ours.
    const beat = setInterval(
      () => {
        queue.heartbeat(job.id, workerId, leaseMs).catch((err: unknown) => this.#o.onError(err, job));
      },
      Math.max(100, Math.floor(leaseMs / 3)),
    );
    const started = this.#o.now();
    const done = (outcome: 'completed' | 'failed' | 'abandoned') => this.#o.onJobDone?.(job, outcome, this.#o.now() - started);
    try {
      await this.#o.handlers[job.kind]!.handle(job);
      await queue.complete(job.id, workerId);
      done('completed');
    } catch (err) {
      if (this.#o.isAbandon?.(err)) {
        done('abandoned');
        // Handed back now, so another machine (or this one after its restart) takes it at once
        // rather than after the lease ends. If this fails, the lease expiry requeues it anyway.
        await queue.release(job.id, workerId).catch((e: unknown) => this.#o.onError(e, job));
        return 'abandoned';
      }
      done('failed');
      this.#o.onError(err, job);
      await queue.fail(job.id, workerId, err instanceof Error ? err.message : String(err)).catch((e: unknown) => this.#o.onError(e, job));
    } finally {
      clearInterval(beat);
    }
    return 'done';
  }
}
