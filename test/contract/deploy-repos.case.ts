/**
 * Contract of the deployment repositories (classifiers, retrain jobs, batch predictions) and of
 * the one-model-per-process rule of ModelRepo.create. Run from test/storage/sqlite.test.ts and
 * test/storage/postgres.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Classifier } from '../../src/domain/records.js';
import type { BatchPredictionRepo, ClassifierRepo, ModelRepo, RetrainJobRepo, UserRepo } from '../../src/storage/ports.js';

export interface DeployReposHarness {
  readonly users: UserRepo;
  readonly models: ModelRepo;
  readonly classifiers: ClassifierRepo;
  readonly retrainJobs: RetrainJobRepo;
  readonly batchPredictions: BatchPredictionRepo;
}

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:00:01.000Z';

function classifier(id: string, userId: string, modelId: number, createdAt = T0): Classifier {
  return {
    id,
    userId,
    groupId: 'g'.repeat(16),
    modelId,
    apiKey: `key-${id}`,
    status: 'building',
    active: true,
    isEditable: true,
    version: 1,
    rules: [{ source: '10.0.0.0/8', order: 'allow', priority: 0 }],
    url: null,
    createdAt,
    updatedAt: createdAt,
  };
}

function model(userId: string, processId: string) {
  return {
    userId,
    processId,
    name: 'm',
    task: 'regression' as const,
    version: '1',
    config: {},
    blobKey: `k-${processId}`,
    metrics: {},
    createdAt: T0,
    updatedAt: T0,
  };
}

export function runDeployReposContract(create: () => Promise<DeployReposHarness>): void {
  describe('deployment repositories contract', () => {
    it('ModelRepo.create keeps one model per training process (a rerun returns the first)', async () => {
      const r = await create();
      await r.users.create({ id: 'ua', name: 'alice', createdAt: T0, deletedAt: null });
      const a = await r.models.create(model('ua', 'p1'));
      const again = await r.models.create({ ...model('ua', 'p1'), name: 'second' });
      expect(again).toEqual(a);
      expect((await r.models.list('ua', { offset: 0, limit: 10 })).total).toBe(1);
      expect((await r.models.create(model('ua', 'p2'))).id).not.toBe(a.id);
    });

    it('stores classifiers owner-filtered, lists newest first, compare-and-sets status and switches models', async () => {
      const r = await create();
      await r.users.create({ id: 'ua', name: 'alice', createdAt: T0, deletedAt: null });
      await r.users.create({ id: 'ub', name: 'bob', createdAt: T0, deletedAt: null });
      const c1 = await r.classifiers.create(classifier('c1', 'ua', 7));
      expect(c1).toEqual(classifier('c1', 'ua', 7));
      await r.classifiers.create(classifier('c2', 'ua', 8, T1));
      await r.classifiers.create(classifier('c3', 'ub', 7));
      expect(await r.classifiers.get('ub', 'c1')).toBeNull();
      expect((await r.classifiers.getById('c1'))?.userId).toBe('ua');
      const page = await r.classifiers.list('ua', { offset: 0, limit: 10 });
      expect(page.items.map((c) => c.id)).toEqual(['c2', 'c1']);
      expect(page.total).toBe(2);
      expect((await r.classifiers.listByModel(7)).map((c) => c.id).sort()).toEqual(['c1', 'c3']);
      expect((await r.classifiers.listByStatus(['building'])).length).toBe(3);
      expect(await r.classifiers.updateIfStatus('c1', 'running', { updatedAt: T1, status: 'terminated' })).toBeNull();
      const running = await r.classifiers.updateIfStatus('c1', 'building', { updatedAt: T1, status: 'running', url: 'u', isEditable: false, rules: [] });
      expect(running).toMatchObject({ status: 'running', url: 'u', isEditable: false, rules: [], active: true, updatedAt: T1 });
      expect(await r.classifiers.switchModel('c1', 99, 8, { updatedAt: T1 })).toBeNull();
      const switched = await r.classifiers.switchModel('c1', 7, 8, { updatedAt: T1, status: 'running' });
      expect(switched).toMatchObject({ modelId: 8, version: 2 });
      expect(await r.classifiers.delete('c1')).toBe(true);
      expect(await r.classifiers.delete('c1')).toBe(false);
      expect(await r.classifiers.update('c1', { updatedAt: T1, active: false })).toBeNull();
    });

    it('stores retrain jobs and batch predictions, cancels jobs by model', async () => {
      const r = await create();
      await r.users.create({ id: 'ua', name: 'alice', createdAt: T0, deletedAt: null });
      const j = await r.retrainJobs.create({ id: 'j1', userId: 'ua', modelId: 7, classifierId: null, filename: 'r.csv', createdAt: T0 });
      expect(j).toMatchObject({ status: 'job_waiting', uploadBlobKey: null, cancelledAt: null, newModelId: null });
      expect(await r.retrainJobs.get('ub', 'j1')).toBeNull();
      expect(await r.retrainJobs.updateIfStatus('j1', 'job_running', { updatedAt: T1, status: 'job_finished' })).toBeNull();
      expect(await r.retrainJobs.updateIfStatus('j1', 'job_waiting', { updatedAt: T1, uploadBlobKey: 'k' })).toMatchObject({ uploadBlobKey: 'k' });
      expect(await r.retrainJobs.update('j1', { updatedAt: T1, status: 'job_finished', newModelId: 9, resultBlobKey: 'z' })).toMatchObject({ newModelId: 9 });
      expect(await r.retrainJobs.cancelByModel(7, T1)).toBe(1);
      expect(await r.retrainJobs.cancelByModel(7, T1)).toBe(0);
      expect((await r.retrainJobs.getById('j1'))?.cancelledAt).toBe(T1);

      const b = await r.batchPredictions.create({
        id: 'b1',
        userId: 'ua',
        classifierId: 'c1',
        filename: 'x.csv',
        options: { withReasons: true },
        createdAt: T0,
      });
      expect(b).toMatchObject({ status: 'job_waiting', progress: 0, rows: null, options: { withReasons: true } });
      const done = await r.batchPredictions.update('b1', { updatedAt: T1, status: 'job_finished', rows: { total: 3, predicted: 2, invalid: 1 }, modelId: 7 });
      expect(done).toMatchObject({ rows: { total: 3, predicted: 2, invalid: 1 }, modelId: 7 });
      expect(await r.batchPredictions.get('ub', 'b1')).toBeNull();
      expect(await r.batchPredictions.updateIfStatus('b1', 'job_waiting', { updatedAt: T1 })).toBeNull();
    });
  });
}
