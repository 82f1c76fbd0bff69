/** Get/Delete Data Set and Get/Delete Model, and user isolation across every resource. */
import { describe, expect, it } from 'vitest';
import { binaryCsv, createHarness, expectError, type Harness } from '../helpers/harness.js';

async function addModel(h: Harness, userId: string, name: string) {
  return h.storage.models.create({
    userId,
    processId: `p-${name}`,
    name,
    task: 'regression',
    version: '0.1.0',
    config: { tc: 'score', tt: 'regression' },
    blobKey: `models/${name}.json`,
    metrics: { rmse: 1 },
    createdAt: '2026-03-01T00:00:00.000Z',
    updatedAt: '2026-03-01T00:00:00.000Z',
  });
}

describe('data sets', () => {
  it('lists newest first with offset/limit, serves download_url without a key, deletes', async () => {
    const h = await createHarness();
    const { train, userId } = await h.user('alice');
    for (let i = 0; i < 3; i++) await h.upload(train, { learn: binaryCsv(20 + i) });
    const page = (await h.get('/v1/external/data-sets?offset=1&limit=1', train)).json();
    expect(page.metadata).toEqual({ offset: 1, limit: 1, total: 3 });
    const item = page.data_sets[0];
    expect(item).toMatchObject({ owner_user_id: userId, name: 'learn.csv', extension: 'csv', column_count: 4, data_count: 21 });
    expect(Object.keys(item).sort()).toEqual([
      'column_count',
      'created_date',
      'data_count',
      'data_set_id',
      'data_size',
      'download_url',
      'extension',
      'name',
      'owner_user_id',
      'updated_date',
    ]);
    const download = await h.get(item.download_url);
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe(binaryCsv(21));
    // Change the signature's first character to a different one (a fixed '0' is a no-op 1 time in 16).
    const altered = (item.download_url as string).replace(/sig=(.)/, (_m, c: string) => `sig=${c === '0' ? '1' : '0'}`);
    expectError(await h.get(altered), 4001000320, /invalid or was altered/);

    expect((await h.del(`/v1/external/data-sets/${item.data_set_id}`, train)).json()).toEqual({});
    expect((await h.get('/v1/external/data-sets', train)).json().metadata.total).toBe(2);
    expectError(await h.del(`/v1/external/data-sets/${item.data_set_id}`, train), 4041000402, `Not found data set: data_set_id ${item.data_set_id}`);
    expectError(await h.get(item.download_url), 4041000402, 'Not found data set');
    expectError(await h.del('/v1/external/data-sets/abc', train), 4001000301, /data_set_id: got "abc"/);
    expectError(await h.get('/v1/external/data-sets?limit=0', train), 4001000301, /limit: got "0"; allowed: an integer in \[1, 1000\]/);
    expectError(await h.get('/v1/external/data-sets?offset=-1', train), 4001000301, /offset: got "-1"/);
    expectError(await h.get('/v1/external/data-sets'), 4001000204, 'invalid_api_key.');
  });
});

describe('models', () => {
  it('lists the documented shape and deletes', async () => {
    const h = await createHarness();
    const { train, userId } = await h.user('alice');
    const m1 = await addModel(h, userId, 'one');
    const m2 = await addModel(h, userId, 'two');
    const list = (await h.get('/v1/external/models', train)).json();
    expect(list.metadata).toEqual({ offset: 0, limit: 30, total: 2 });
    expect(list.models.map((m: { model_id: number }) => m.model_id)).toEqual([m2.id, m1.id]);
    expect(list.models[0]).toEqual({
      model_id: m2.id,
      owner_user_id: userId,
      target_type: 'regression',
      name: 'two',
      version: '0.1.0',
      config: { tc: 'score', tt: 'regression' },
      external_process_id: 'p-two',
      metrics: { rmse: 1 },
      is_api_option: false,
      updated_date: '2026-03-01T00:00:00.000Z',
      created_date: '2026-03-01T00:00:00.000Z',
    });
    expect((await h.del(`/v1/external/models/${m1.id}`, train)).json()).toEqual({});
    expectError(await h.del(`/v1/external/models/${m1.id}`, train), 4041000403, `Not found model: model_id ${m1.id}`);
    expectError(await h.del('/v1/external/models/x', train), 4001000301, /model_id: got "x"/);
  });
});

describe('user isolation', () => {
  it("treats another user's processes, data sets and models as not found", async () => {
    const h = await createHarness();
    const a = await h.user('alice');
    const b = await h.user('bob');
    const pid = await h.upload(a.train, { learn: binaryCsv(30) });
    const model = await addModel(h, a.userId, 'secret-model');
    const dataSetId = (await h.get('/v1/external/data-sets', a.train)).json().data_sets[0].data_set_id;

    expectError(await h.get(`/v1/external/data-sets/column-info?external_process_id=${pid}`, b.train), 4041000401, /Not found external_process_id/);
    expectError(
      await h.post('/v1/external/models', b.train, { external_process_id: pid, config: { tc: 'score', tt: 'regression' } }),
      4041000401,
      /Not found external_process_id/,
    );
    expectError(await h.get(`/v1/external/models/results?external_process_id=${pid}`, b.train), 4041000401, /Not found external_process_id/);
    expect((await h.get('/v1/external/data-sets', b.train)).json()).toEqual({ data_sets: [], metadata: { offset: 0, limit: 30, total: 0 } });
    expect((await h.get('/v1/external/models', b.train)).json().models).toEqual([]);
    expectError(await h.del(`/v1/external/data-sets/${dataSetId}`, b.train), 4041000402, /Not found data set/);
    expectError(await h.del(`/v1/external/models/${model.id}`, b.train), 4041000403, /Not found model/);
    expectError(await h.get(`/v1/external/api-key?credential_type=retrain&model_id=${model.id}`, b.secret), 4001000204, 'This model may be deleted.');
    // Still there for their owner.
    expect((await h.get('/v1/external/models', a.train)).json().metadata.total).toBe(1);
    expect((await h.get('/v1/external/data-sets', a.train)).json().metadata.total).toBe(1);
  });
});
