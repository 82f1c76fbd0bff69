/** Contract of JobQueue: every implementation (SQLite and PostgreSQL) must pass it. */
import { describe, expect, it } from 'vitest';
import type { JobQueue } from '../../src/storage/ports.js';

export interface JobQueueHarness {
  readonly queue: JobQueue;
  /** Moves the queue's clock forward. */
  advance(ms: number): void;
  nowMs(): number;
}

export function runJobQueueContract(create: () => Promise<JobQueueHarness>): void {
  describe('JobQueue contract', () => {
    it('claims jobs oldest first, once each, only of the asked kinds', async () => {
      const { queue } = await create();
      const a = await queue.enqueue('train', { n: 1 });
      const b = await queue.enqueue('train', { n: 2 });
      await queue.enqueue('other', { n: 3 });
      const first = await queue.claim(['train'], 'w1', 1000);
      const second = await queue.claim(['train'], 'w2', 1000);
      expect([first?.id, second?.id]).toEqual([a, b]);
      expect(first?.payload).toEqual({ n: 1 });
      expect(first?.state).toBe('running');
      expect(first?.attempts).toBe(1);
      expect(await queue.claim(['train'], 'w3', 1000)).toBeNull();
    });

    it('takes turns between owners whatever order they queued in (round-robin with one slot)', async () => {
      const { queue } = await create();
      for (let i = 0; i < 4; i++) await queue.enqueue('train', { who: 'a', i }, { owner: 'alice' });
      for (let i = 0; i < 2; i++) await queue.enqueue('train', { who: 'b', i }, { owner: 'bob' });
      await queue.enqueue('train', { who: 'c', i: 0 }, { owner: 'carol' });
      const order: string[] = [];
      for (;;) {
        const job = await queue.claim(['train'], 'w1', 1000);
        if (job === null) break;
        expect(job.owner).toBe({ a: 'alice', b: 'bob', c: 'carol' }[job.payload.who as string]);
        order.push(`${job.payload.who}${job.payload.i}`);
        expect(await queue.complete(job.id, 'w1')).toBe(true);
      }
      expect(order).toEqual(['a0', 'b0', 'c0', 'a1', 'b1', 'a2', 'a3']);
    });

    it('gives a free slot to the owner with the fewest running jobs first', async () => {
      const { queue } = await create();
      for (let i = 0; i < 3; i++) await queue.enqueue('train', { who: 'a', i }, { owner: 'alice' });
      await queue.enqueue('train', { who: 'b', i: 0 }, { owner: 'bob' });
      const first = await queue.claim(['train'], 'w1', 1000); // alice (never served, oldest)
      const second = await queue.claim(['train'], 'w2', 1000); // bob: alice has one running
      const third = await queue.claim(['train'], 'w3', 1000); // alice: bob has nothing left waiting
      expect([first, second, third].map((j) => `${j?.payload.who}${j?.payload.i}`)).toEqual(['a0', 'b0', 'a1']);
      // Jobs queued without an owner are one owner of their own.
      const none = await queue.enqueue('train', { who: 'none' });
      await queue.enqueue('train', { who: 'a', i: 9 }, { owner: 'alice' });
      expect((await queue.claim(['train'], 'w4', 1000))?.id).toBe(none);
      expect((await queue.get(none))?.owner).toBeNull();
    });

    it('skips an owner at its running quota (maxRunningPerOwner), ownerless jobs exempt', async () => {
      const { queue } = await create();
      for (let i = 0; i < 3; i++) await queue.enqueue('train', { who: 'a', i }, { owner: 'alice' });
      await queue.enqueue('train', { who: 'none' });
      const cap = { maxRunningPerOwner: 1 };
      const first = await queue.claim(['train'], 'w1', 1000, cap);
      expect(first?.payload).toEqual({ who: 'a', i: 0 });
      expect((await queue.claim(['train'], 'w2', 1000, cap))?.payload).toEqual({ who: 'none' });
      expect(await queue.claim(['train'], 'w3', 1000, cap)).toBeNull(); // alice has 1 running
      expect(await queue.complete(first!.id, 'w1')).toBe(true);
      expect((await queue.claim(['train'], 'w3', 1000, cap))?.payload).toEqual({ who: 'a', i: 1 });
      expect((await queue.claim(['train'], 'w4', 1000))?.payload).toEqual({ who: 'a', i: 2 }); // no cap given
    });

    it('never hands the same job to two concurrent claimers', async () => {
      const { queue } = await create();
      for (let i = 0; i < 10; i++) await queue.enqueue('train', { i });
      const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => queue.claim(['train'], `w${i}`, 1000)));
      const ids = claims.filter((c) => c !== null).map((c) => c.id);
      expect(ids).toHaveLength(10);
      expect(new Set(ids).size).toBe(10);
    });

    it('completes and fails only for the worker that holds the job', async () => {
      const { queue } = await create();
      const id = await queue.enqueue('train', {});
      await queue.claim(['train'], 'w1', 1000);
      expect(await queue.complete(id, 'someone-else')).toBe(false);
      expect(await queue.complete(id, 'w1')).toBe(true);
      expect((await queue.get(id))?.state).toBe('completed');
      expect(await queue.fail(id, 'w1', 'late')).toBe(false);

      const id2 = await queue.enqueue('train', {});
      await queue.claim(['train'], 'w1', 1000);
      expect(await queue.fail(id2, 'w1', 'bad data')).toBe(true);
      const failed = await queue.get(id2);
      expect(failed?.state).toBe('failed');
      expect(failed?.lastError).toBe('bad data');
    });

    it('takes a released job back at once, without counting the attempt, only from its worker', async () => {
      const { queue } = await create();
      const id = await queue.enqueue('train', { n: 1 });
      await queue.claim(['train'], 'w1', 60_000);
      expect(await queue.release(id, 'someone-else')).toBe(false);
      expect(await queue.release(id, 'w1')).toBe(true);
      expect(await queue.release(id, 'w1')).toBe(false);
      const back = await queue.get(id);
      expect([back?.state, back?.attempts]).toEqual(['waiting', 0]);
      const again = await queue.claim(['train'], 'w2', 60_000);
      expect([again?.id, again?.attempts]).toEqual([id, 1]);
      expect(await queue.complete(id, 'w1')).toBe(false);
      expect(await queue.complete(id, 'w2')).toBe(true);
    });

    it('requeues a job whose lease expired, and the next claim runs it again', async () => {
      const h = await create();
      const id = await h.queue.enqueue('train', {});
      await h.queue.claim(['train'], 'dead-worker', 1000);
      expect(await h.queue.requeueExpired(h.nowMs())).toEqual({ requeued: 0, failed: [] });
      h.advance(1001);
      expect((await h.queue.requeueExpired(h.nowMs())).requeued).toBe(1);
      const again = await h.queue.claim(['train'], 'w2', 1000);
      expect(again?.id).toBe(id);
      expect(again?.attempts).toBe(2);
      // The dead worker lost the job: its heartbeat and completion are refused.
      expect(await h.queue.heartbeat(id, 'dead-worker', 1000)).toBe(false);
      expect(await h.queue.complete(id, 'dead-worker')).toBe(false);
      expect(await h.queue.complete(id, 'w2')).toBe(true);
    });

    it('heartbeats keep a lease alive', async () => {
      const h = await create();
      const id = await h.queue.enqueue('train', {});
      await h.queue.claim(['train'], 'w1', 1000);
      h.advance(800);
      expect(await h.queue.heartbeat(id, 'w1', 1000)).toBe(true);
      h.advance(800);
      expect((await h.queue.requeueExpired(h.nowMs())).requeued).toBe(0);
      expect((await h.queue.get(id))?.state).toBe('running');
    });

    it('gives up after maxAttempts lost leases and reports the job', async () => {
      const h = await create();
      const id = await h.queue.enqueue('train', { p: 'x' }, { maxAttempts: 2 });
      for (let attempt = 1; attempt <= 2; attempt++) {
        expect((await h.queue.claim(['train'], `w${attempt}`, 10))?.id).toBe(id);
        h.advance(11);
        const r = await h.queue.requeueExpired(h.nowMs());
        if (attempt === 1) expect(r.requeued).toBe(1);
        else expect(r.failed.map((j) => j.payload)).toEqual([{ p: 'x' }]);
      }
      expect((await h.queue.get(id))?.state).toBe('failed');
      expect(await h.queue.claim(['train'], 'w3', 10)).toBeNull();
    });

    it('counts waiting and running jobs by kind', async () => {
      const { queue } = await create();
      expect(await queue.countActive()).toEqual([]);
      await queue.enqueue('train', {});
      await queue.enqueue('train', {});
      const done = await queue.enqueue('retrain', {});
      await queue.enqueue('batch_predict', {});
      await queue.claim(['train'], 'w1', 1000);
      expect((await queue.claim(['retrain'], 'w2', 1000))?.id).toBe(done);
      await queue.complete(done, 'w2');
      expect(await queue.countActive()).toEqual([
        { kind: 'batch_predict', state: 'waiting', count: 1 },
        { kind: 'train', state: 'running', count: 1 },
        { kind: 'train', state: 'waiting', count: 1 },
      ]);
    });
  });
}
