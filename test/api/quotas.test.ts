/** Per-user quotas: open processes and stored bytes (the running-jobs quota is in the queue contract). */
import { describe, expect, it } from 'vitest';
import { binaryCsv, createHarness, expectError } from '../helpers/harness.js';

describe('per-user quotas', () => {
  it('refuses a new process beyond USER_MAX_OPEN_PROCESSES; other users and finished processes do not count', async () => {
    const h = await createHarness({ USER_MAX_OPEN_PROCESSES: '2' });
    const alice = await h.user('alice');
    const bob = await h.user('bob');
    const open = () => h.get('/v1/external/data-sets/upload-url', alice.train);
    expect((await open()).statusCode).toBe(200);
    const second = (await open()).json().external_process_id;
    expectError(await open(), 4091000520, /^Too many open processes for this user: 2 processes are open .*allowed: 2 \(USER_MAX_OPEN_PROCESSES\)$/);
    expect((await h.get('/v1/external/data-sets/upload-url', bob.train)).statusCode).toBe(200);
    await h.storage.processes.update(second, { updatedAt: '2026-03-01T00:00:00.000Z', status: 'failed' });
    expect((await open()).statusCode).toBe(200);
  });

  it('refuses an upload that would pass USER_MAX_STORED_BYTES, counting what the user stores less the file it replaces', async () => {
    const csv = binaryCsv(40);
    const h = await createHarness({ USER_MAX_STORED_BYTES: String(Math.floor(csv.length * 2.5)) });
    const { train } = await h.user('alice');
    const other = await h.user('bob');
    const urls = async (key: string) => (await h.get('/v1/external/data-sets/upload-url', key)).json();
    const a = await urls(train);
    expect((await h.put(a.learn_data_set_upload_url, csv)).statusCode).toBe(200);
    expect((await h.put(a.learn_data_set_upload_url, csv)).statusCode).toBe(200); // a replacement: still one file stored
    expect((await h.put(a.eval_data_set_upload_url, csv)).statusCode).toBe(200);
    const b = await urls(train);
    expectError(await h.put(b.learn_data_set_upload_url, csv), 4131000601, /this file has \d+; allowed: \d+ in all \(USER_MAX_STORED_BYTES\)/);
    expect((await h.get('/v1/external/data-sets', train)).json().data_sets).toHaveLength(2);
    expect((await h.put((await urls(other.train)).learn_data_set_upload_url, csv)).statusCode).toBe(200);
  });
});
