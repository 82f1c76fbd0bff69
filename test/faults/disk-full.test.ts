/**
 * A full disk (ENOSPC from the blob store, as a wrapper injects it) during an upload and while a
 * trained model is written: a clear error, nothing recorded as done, the process failed exactly
 * once, and everything works again once there is space.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TRAIN_JOB, TrainingJobHandler } from '../../src/services/index.js';
import type { BlobStore } from '../../src/storage/ports.js';
import { closeRunner, sharedRunner } from '../helpers/deploy.js';
import { binaryCsv, createHarness, expectError } from '../helpers/harness.js';

afterAll(() => closeRunner());

function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
}

/** The blob store, with writes of keys matching `full` failing as on a full disk while `on()`. */
function fullDisk(real: BlobStore, full: RegExp, on: () => boolean): BlobStore {
  return new Proxy(real, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'put' || prop === 'putFile') {
        return async (key: string, ...rest: unknown[]) => {
          if (on() && full.test(key)) throw enospc();
          return (value as (...a: unknown[]) => Promise<void>).call(target, key, ...rest);
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

describe('a full disk', () => {
  it('during an upload: a clear error, no data set, and the same URL works once there is space', async () => {
    let full = true;
    const h = await createHarness();
    const blobs = fullDisk(h.deps.blobs, /learn/, () => full);
    const h2 = await createHarness({}, { blobs });
    const { train } = await h2.user('alice');
    const opened = (await h2.get('/v1/external/data-sets/upload-url', train)).json();
    expectError(
      await h2.put(opened.learn_data_set_upload_url, binaryCsv(30)),
      5001000201,
      'Internal server error.: the server is out of disk space; nothing was stored, try again later',
    );
    expect((await h2.get('/v1/external/data-sets', train)).json().data_sets).toEqual([]);
    expect((await h2.storage.processes.getById(opened.external_process_id))?.learn).toBeNull();
    full = false;
    expect((await h2.put(opened.learn_data_set_upload_url, binaryCsv(30))).statusCode).toBe(200);
    void h;
  });

  it('while the model is written: the process fails once with what happened, no model is recorded, and training again works', {
    timeout: 120_000,
  }, async () => {
    let full = true;
    const base = await createHarness({ TRAINING_TIME_BUDGET_SECONDS: '1' });
    const h = await createHarness({ TRAINING_TIME_BUDGET_SECONDS: '1' }, { blobs: fullDisk(base.deps.blobs, /model\.json$/, () => full) });
    const { userId, train } = await h.user('alice');
    const pid = await h.upload(train, { learn: binaryCsv(60) });
    expect(
      (await h.post('/v1/external/models', train, { external_process_id: pid, config: { tc: 'churn', tt: 'binary_classification', tv: 'yes' } })).statusCode,
    ).toBe(200);
    const handler = new TrainingJobHandler(h.deps, { runner: sharedRunner(), version: 'test' });
    const job = (await h.storage.jobs.claim([TRAIN_JOB], 'w', 60_000))!;
    await handler.handle(job);
    const failed = await h.storage.processes.getById(pid);
    expect(failed).toMatchObject({
      status: 'failed',
      modelId: null,
      message: 'Training finished, but the server ran out of disk space while storing the model; request training again once space is freed.',
    });
    expect((await h.storage.models.list(userId, { offset: 0, limit: 10 })).total).toBe(0);
    const status = (await h.get(`/v1/external/models/results?external_process_id=${pid}`, train)).json();
    expect(status).toMatchObject({ status: 'failed' });
    expect(status.result_url).toBeUndefined();
    // Space again: a new process trains and finishes.
    full = false;
    const again = await h.upload(train, { learn: binaryCsv(60) });
    await h.post('/v1/external/models', train, { external_process_id: again, config: { tc: 'churn', tt: 'binary_classification', tv: 'yes' } });
    await handler.handle((await h.storage.jobs.claim([TRAIN_JOB], 'w', 60_000))!);
    expect((await h.storage.processes.getById(again))?.status).toBe('finished');
  });
});
