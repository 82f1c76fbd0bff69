/**
 * The training job through the job workers: success (model, result zip, result_url), failures
 * told to the user, shutdown leaving the job claimable, and the real worker-thread runner with
 * the real AutoML on a small file.
 */
import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { RunnerClosed, type TrainingOutput, type TrainingRequest, type TrainingRunner } from '../../src/compute/training-runner.js';
import { AppError } from '../../src/domain/errors.js';
import { WorkerThreadRunner } from '../../src/compute/worker-pool.js';
import { JobWorkers } from '../../src/jobs/worker-loop.js';
import { TRAIN_JOB, TrainingJobHandler } from '../../src/services/index.js';
import { binaryCsv, createHarness, type Harness } from '../helpers/harness.js';

/** Test-only runner: answers with canned output (or an error) instead of training. */
class ScriptedRunner implements TrainingRunner {
  requests: TrainingRequest[] = [];
  constructor(readonly answer: (req: TrainingRequest, progress: (f: number) => void) => Promise<TrainingOutput>) {}
  run(req: TrainingRequest, hooks: { onProgress?(f: number, p: string): void } = {}) {
    this.requests.push(req);
    return this.answer(req, (f) => hooks.onProgress?.(f, 'search'));
  }
  async close() {}
}

const CANNED: TrainingOutput = {
  modelText: '{"test":"model"}',
  resultFiles: [
    { name: 'metrics.csv', content: 'metric,value\nrmse,1\n' },
    { name: 'model.json', content: new TextEncoder().encode('{"m":1}') },
  ],
  metrics: { rmse: 1 },
  task: 'regression',
};

/** The entries of a zip, name → text, in zip order. */
function unzip(bytes: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const entries = new Map<string, string>();
      zip.on('entry', (e: yauzl.Entry) => {
        zip.openReadStream(e, (streamErr, stream) => {
          if (streamErr) return reject(streamErr);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.set(e.fileName, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.readEntry();
    });
  });
}

async function zipNames(bytes: Buffer): Promise<string[]> {
  return [...(await unzip(bytes)).keys()];
}

async function requestTraining(h: Harness, train: string, config: Record<string, unknown> = { tc: 'score', tt: 'regression' }, evalCsv?: string) {
  const pid = await h.upload(train, { learn: binaryCsv(60), ...(evalCsv === undefined ? {} : { eval: evalCsv }) });
  expect((await h.post('/v1/external/models', train, { external_process_id: pid, name: 'mine', config })).statusCode).toBe(200);
  return pid;
}

function workers(h: Harness, runner: TrainingRunner, errors: unknown[] = []) {
  const handler = new TrainingJobHandler(h.deps, { runner, version: 'test' });
  const w = new JobWorkers({
    queue: h.storage.jobs,
    handlers: { [TRAIN_JOB]: handler },
    concurrency: 1,
    workerId: 'test-worker',
    leaseMs: 60_000,
    idleMs: 10,
    onError: (err) => errors.push(err),
    isAbandon: (err) => err instanceof RunnerClosed,
    now: () => h.deps.clock.now().getTime(),
  });
  return { w, handler };
}

async function waitFor(h: Harness, train: string, pid: string, statuses: string[]) {
  for (;;) {
    const body = (await h.get(`/v1/external/models/results?external_process_id=${pid}`, train)).json();
    if (statuses.includes(body.status)) return body;
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('training job', () => {
  it('stores the model and the result zip, and reports model_id and a key-less result_url', async () => {
    const h = await createHarness();
    const { train } = await h.user('alice');
    const pid = await requestTraining(h, train);
    const runner = new ScriptedRunner(async (_req, progress) => {
      progress(0.5);
      return CANNED;
    });
    const { w } = workers(h, runner);
    await w.start({ recoverAll: true });
    const status = await waitFor(h, train, pid, ['finished', 'failed']);
    await w.stop();
    expect(status).toMatchObject({ status: 'finished', progress: 100 });
    expect(runner.requests[0]).toMatchObject({ delimiter: ',', evalPath: null, settings: { target: 'score', task: 'regression', cv: 0 } });
    expect(runner.requests[0]!.columnTypes).toEqual({ age: 'integer', plan: 'string', score: 'float', churn: 'string' });
    const models = (await h.get('/v1/external/models', train)).json().models;
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({ model_id: status.model_id, name: 'mine', target_type: 'regression', config: { tc: 'score', tt: 'regression' } });
    expect(status.result_url).toMatch(/^http:\/\/yosoku\.test\/downloads\/results\/.+\/result\.zip\?expires=\d+&sig=[0-9a-f]{64}$/);
    const zip = await h.get(status.result_url);
    expect(zip.statusCode).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    expect(await zipNames(zip.rawPayload)).toEqual(['metrics.csv', 'model.json']);
    expect((await h.storage.jobs.get(1))?.state).toBe('completed');
  });

  it('tells the user why training failed', async () => {
    const h = await createHarness();
    const { train } = await h.user('alice');
    const pid1 = await requestTraining(h, train);
    const pid2 = await requestTraining(h, train);
    let n = 0;
    const runner = new ScriptedRunner(async () => {
      n++;
      if (n === 1) throw new AppError('CLASS_COUNT_INVALID', 'the target has only one value after dropping missing rows');
      throw new Error('segfault in a kernel');
    });
    const errors: unknown[] = [];
    const { w } = workers(h, runner, errors);
    await w.start({ recoverAll: false });
    const s1 = await waitFor(h, train, pid1, ['failed', 'finished']);
    const s2 = await waitFor(h, train, pid2, ['failed', 'finished']);
    await w.stop();
    expect(s1).toMatchObject({ status: 'failed', message: 'Training failed: the target has only one value after dropping missing rows' });
    expect(s1.result_url).toBeUndefined();
    expect(s2).toMatchObject({ status: 'failed', message: 'Training failed because of an internal error; the server log has the details.' });
    expect(errors.map((e) => (e as Error).message)).toEqual(['segfault in a kernel']);
    expect((await h.storage.jobs.get(2))?.state).toBe('failed');
  });

  it('hands a job back when the server stops mid-training, claims nothing more, and runs it again after restart', async () => {
    const h = await createHarness();
    const { train } = await h.user('alice');
    const pid = await requestTraining(h, train);
    const first = new ScriptedRunner(async () => {
      throw new RunnerClosed('stopping');
    });
    const a = workers(h, first);
    await a.w.start({ recoverAll: false });
    await waitFor(h, train, pid, ['running']);
    while (first.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    await a.w.stop();
    // Back in the queue at once, the attempt not counted; the stopping slot took it only once.
    expect(await h.storage.jobs.get(1)).toMatchObject({ state: 'waiting', attempts: 0 });
    expect(first.requests).toHaveLength(1);

    const b = workers(h, new ScriptedRunner(async () => CANNED));
    await b.w.start({ recoverAll: true }); // a restarted embedded server owns every old lease
    const status = await waitFor(h, train, pid, ['finished', 'failed']);
    await b.w.stop();
    expect(status.status).toBe('finished');
    expect((await h.storage.jobs.get(1))?.attempts).toBe(1);
  });

  it('marks the process failed when the queue gives up on a job', async () => {
    const h = await createHarness();
    const { train } = await h.user('alice');
    const pid = await requestTraining(h, train);
    const { handler } = workers(h, new ScriptedRunner(async () => CANNED));
    const job = (await h.storage.jobs.claim([TRAIN_JOB], 'w', 1000))!;
    await handler.giveUp({ ...job, attempts: 3 });
    const status = (await h.get(`/v1/external/models/results?external_process_id=${pid}`, train)).json();
    expect(status).toMatchObject({ status: 'failed', message: expect.stringMatching(/stopped 3 times/) });
  });

  it('trains for real in a worker thread (real AutoML) with an evaluation file and writes the documented result files', async () => {
    const h = await createHarness({ TRAINING_TIME_BUDGET_SECONDS: '3' });
    const { train } = await h.user('alice');
    const evalCsv = binaryCsv(90).split('\n').slice(61).join('\n');
    const pid = await requestTraining(h, train, { tc: 'churn', tt: 'binary_classification', tv: 'yes' }, 'age,plan,score,churn\n' + evalCsv);
    const runner = new WorkerThreadRunner();
    const { w } = workers(h, runner);
    await w.start({ recoverAll: false });
    const status = await waitFor(h, train, pid, ['finished', 'failed']);
    await w.stop();
    await runner.close();
    expect(status.status, status.message).toBe('finished');
    const entries = await unzip((await h.get(status.result_url)).rawPayload);
    expect([...entries.keys()].sort()).toEqual([
      'analysis_summary.csv',
      'confusion_matrix.csv',
      'evaluation_raw_data.csv',
      'metrics.csv',
      'model.json',
      'report.html',
    ]);
    // The uploaded evaluation file is what gets evaluated: its 30 rows, plus a header.
    expect(entries.get('evaluation_raw_data.csv')!.trim().split('\n')).toHaveLength(31);
  }, 120_000);
});
