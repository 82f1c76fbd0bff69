/**
 * The known bug: a process that died after the model row was written but before the process was
 * marked finished created a second model on the rerun. Models are now unique per process.
 */
import { describe, expect, it } from 'vitest';
import type { TrainingOutput, TrainingRunner } from '../../src/compute/training-runner.js';
import { TRAIN_JOB, TrainingJobHandler } from '../../src/services/index.js';
import type { ProcessRepo } from '../../src/storage/ports.js';
import { binaryCsv, createHarness } from '../helpers/harness.js';

const CANNED: TrainingOutput = {
  modelText: '{"m":1}',
  resultFiles: [{ name: 'metrics.csv', content: 'metric,value\n' }],
  metrics: { rmse: 1 },
  task: 'regression',
};
const runner: TrainingRunner = { run: async () => CANNED, close: async () => {} };

describe('training job rerun after a crash between the model row and the finished status', () => {
  it('keeps exactly one model and finishes the process with it', async () => {
    const h = await createHarness();
    const { train, userId } = await h.user('alice');
    const pid = await h.upload(train, { learn: binaryCsv(30) });
    expect((await h.post('/v1/external/models', train, { external_process_id: pid, config: { tc: 'score', tt: 'regression' } })).statusCode).toBe(200);
    const job = (await h.storage.jobs.claim([TRAIN_JOB], 'w', 60_000))!;

    // First run: the "process dies" when it marks the process finished.
    const real = h.deps.processes;
    const crashing: ProcessRepo = {
      create: (p) => real.create(p),
      get: (u, id) => real.get(u, id),
      getById: (id) => real.getById(id),
      updateIfStatus: (id, e, p) => real.updateIfStatus(id, e, p),
      countOpen: (u) => real.countOpen(u),
      update: async (id, patch) => {
        if (patch.status === 'finished') throw new Error('killed');
        return real.update(id, patch);
      },
    };
    await expect(new TrainingJobHandler({ ...h.deps, processes: crashing }, { runner, version: 't' }).handle(job)).rejects.toThrow('killed');
    expect((await h.storage.models.list(userId, { offset: 0, limit: 10 })).total).toBe(1);
    expect((await real.getById(pid))?.status).toBe('running');

    // The rerun finishes with the same model.
    await new TrainingJobHandler(h.deps, { runner, version: 't' }).handle(job);
    const models = await h.storage.models.list(userId, { offset: 0, limit: 10 });
    expect(models.total).toBe(1);
    expect(await real.getById(pid)).toMatchObject({ status: 'finished', modelId: models.items[0]!.id });
  });
});
