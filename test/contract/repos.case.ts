/** Contract of the metadata repositories (users, keys, processes, data sets, models). */
import { describe, expect, it } from 'vitest';
import type { DataSetRepo, KeyRepo, ModelRepo, ProcessRepo, UserRepo } from '../../src/storage/ports.js';

export interface ReposHarness {
  readonly users: UserRepo;
  readonly keys: KeyRepo;
  readonly processes: ProcessRepo;
  readonly dataSets: DataSetRepo;
  readonly models: ModelRepo;
}

const T0 = '2026-01-01T00:00:00.000Z';

async function twoUsers(r: ReposHarness): Promise<void> {
  await r.users.create({ id: 'ua', name: 'alice', createdAt: T0, deletedAt: null });
  await r.users.create({ id: 'ub', name: 'bob', createdAt: T0, deletedAt: null });
}

function dataSet(userId: string, n: number) {
  return {
    userId,
    processId: `p${n}`,
    name: `d${n}.csv`,
    extension: 'csv' as const,
    columnCount: 3,
    rowCount: 100 + n,
    sizeBytes: 1000,
    blobKey: `k${n}`,
    createdAt: T0,
    updatedAt: T0,
  };
}

export function runReposContract(create: () => Promise<ReposHarness>): void {
  describe('repositories contract', () => {
    it('stores users and hashed keys', async () => {
      const r = await create();
      await twoUsers(r);
      expect(await r.users.count()).toBe(2);
      expect((await r.users.findByName('bob'))?.id).toBe('ub');
      expect(await r.users.get('nobody')).toBeNull();
      await r.keys.create({ keyHash: 'h1', userId: 'ua', scope: 'retrain', modelId: 7, endDate: T0, createdAt: T0 });
      expect(await r.keys.findByHash('h1')).toEqual({ keyHash: 'h1', userId: 'ua', scope: 'retrain', modelId: 7, endDate: T0, createdAt: T0 });
      expect(await r.keys.findByHash('h2')).toBeNull();
      await r.users.markDeleted('ua', T0);
      expect((await r.users.get('ua'))?.deletedAt).toBe(T0);
    });

    it('keeps processes private to their owner and updates them with compare-and-set', async () => {
      const r = await create();
      await twoUsers(r);
      const p = await r.processes.create({ id: 'p1', userId: 'ua', extension: 'csv', createdAt: T0 });
      expect(p.status).toBe('uploading');
      expect(await r.processes.get('ub', 'p1')).toBeNull();
      expect((await r.processes.getById('p1'))?.userId).toBe('ua');
      const updated = await r.processes.update('p1', {
        updatedAt: T0,
        learn: { blobKey: 'b', encoding: 'shift_jis', delimiter: ',', sizeBytes: 5, dataSetId: 1, columnNames: ['年齢'] },
        columnTypes: { 年齢: 'float' },
      });
      expect(updated.learn?.encoding).toBe('shift_jis');
      expect(updated.columnTypes).toEqual({ 年齢: 'float' });
      expect(await r.processes.updateIfStatus('p1', 'uploading', { updatedAt: T0, status: 'waiting', config: { tc: 'y' } })).not.toBeNull();
      expect(await r.processes.updateIfStatus('p1', 'uploading', { updatedAt: T0, status: 'waiting' })).toBeNull();
      const got = await r.processes.get('ua', 'p1');
      expect(got?.status).toBe('waiting');
      expect(got?.config).toEqual({ tc: 'y' });
    });

    it('lists data sets newest first with paging, per user', async () => {
      const r = await create();
      await twoUsers(r);
      const ids: number[] = [];
      for (let n = 0; n < 5; n++) ids.push((await r.dataSets.create(dataSet('ua', n))).id);
      await r.dataSets.create(dataSet('ub', 9));
      const page = await r.dataSets.list('ua', { offset: 1, limit: 2 });
      expect(page.total).toBe(5);
      expect(page.items.map((d) => d.id)).toEqual([ids[3], ids[2]]);
      expect(await r.dataSets.get('ub', ids[0]!)).toBeNull();
      expect(await r.dataSets.rename('ub', ids[0]!, 'theirs.csv', T0)).toBe(false);
      expect(await r.dataSets.rename('ua', ids[0]!, '売上 2026.csv', T0)).toBe(true);
      expect((await r.dataSets.get('ua', ids[0]!))?.name).toBe('売上 2026.csv');
      expect(await r.dataSets.delete('ub', ids[0]!)).toBe(false);
      expect(await r.dataSets.delete('ua', ids[0]!)).toBe(true);
      expect(await r.dataSets.get('ua', ids[0]!)).toBeNull();
    });

    it('stores models with config and metrics, per user', async () => {
      const r = await create();
      await twoUsers(r);
      const m = await r.models.create({
        userId: 'ua',
        processId: 'p1',
        name: 'm',
        task: 'binary_classification',
        version: '0.1.0',
        config: { tc: 'y', cv: '2' },
        blobKey: 'mk',
        metrics: { auc: 0.9 },
        createdAt: T0,
        updatedAt: T0,
      });
      expect((await r.models.get('ua', m.id))?.metrics).toEqual({ auc: 0.9 });
      expect(await r.models.get('ub', m.id)).toBeNull();
      expect((await r.models.list('ub', { offset: 0, limit: 30 })).total).toBe(0);
      expect((await r.models.list('ua', { offset: 0, limit: 30 })).items[0]?.config).toEqual({ tc: 'y', cv: '2' });
      expect(await r.models.delete('ub', m.id)).toBe(false);
      expect(await r.models.delete('ua', m.id)).toBe(true);
    });
  });
}
