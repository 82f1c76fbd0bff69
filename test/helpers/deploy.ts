/** Deploy test helpers: a really trained model (worker thread, real AutoML), keys, inference bodies. */
import type { LightMyRequestResponse } from 'fastify';
import { ThreadPool } from '../../src/compute/thread-pool.js';
import { WorkerThreadComparisonRunner, WorkerThreadRunner } from '../../src/compute/worker-pool.js';
import { TRAIN_JOB, TrainingJobHandler } from '../../src/services/index.js';
import type { Harness } from './harness.js';

export const CLASSIFIERS = '/v1/external/classifiers';

let pool: ThreadPool | null = null;

/** One shared compute thread pool per test file (trainings and retrain comparisons). */
function sharedPool(): ThreadPool {
  pool ??= new ThreadPool({ maxThreads: 1 });
  return pool;
}

export function sharedRunner(): WorkerThreadRunner {
  return new WorkerThreadRunner(sharedPool());
}

export function sharedComparisons(): WorkerThreadComparisonRunner {
  return new WorkerThreadComparisonRunner(sharedPool());
}

export async function closeRunner(): Promise<void> {
  await pool?.close();
  pool = null;
}

/** Runs every queued train job now, in this test, with the real runner. */
export async function runTrainJobs(h: Harness): Promise<void> {
  const handler = new TrainingJobHandler(h.deps, { runner: sharedRunner(), version: 'test' });
  for (;;) {
    const job = await h.storage.jobs.claim([TRAIN_JOB], 'test', 60_000);
    if (job === null) return;
    await handler.handle(job);
    await h.storage.jobs.complete(job.id, 'test');
  }
}

/** Upload + POST /models + run the job; returns the new model id. */
export async function trainModel(h: Harness, trainKey: string, csv: string, config: Record<string, unknown>): Promise<number> {
  const pid = await h.upload(trainKey, { learn: csv });
  const res = await h.post('/v1/external/models', trainKey, { external_process_id: pid, name: 'm', config });
  if (res.statusCode !== 200) throw new Error(`POST /models: ${res.body}`);
  await runTrainJobs(h);
  const status = (await h.get(`/v1/external/models/results?external_process_id=${pid}`, trainKey)).json();
  if (status.status !== 'finished') throw new Error(`training did not finish: ${JSON.stringify(status)}`);
  return status.model_id as number;
}

export async function apiKey(h: Harness, secret: string, type: 'deploy' | 'retrain' | 'train', modelId?: number): Promise<string> {
  const res = await h.get(`/v1/external/api-key?credential_type=${type}${modelId === undefined ? '' : `&model_id=${modelId}`}`, secret);
  if (res.statusCode !== 200) throw new Error(res.body);
  return res.json().api_key as string;
}

export function patch(h: Harness, url: string, key: string, body: unknown): Promise<LightMyRequestResponse> {
  return h.app.inject({ method: 'PATCH', url, headers: { 'x-api-key': key, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
}

/** Creates a classifier and waits until its build finished; returns the Get Classifier item. */
export async function deploy(h: Harness, deployKey: string, modelId: number, rules: unknown[] = []): Promise<Record<string, any>> {
  const res = await h.post(CLASSIFIERS, deployKey, { model_id: modelId, rules });
  if (res.statusCode !== 200) throw new Error(`create classifier: ${res.body}`);
  await h.services.deployment.settled();
  return (await h.get(`${CLASSIFIERS}/${res.json().classifier_id}`, deployKey)).json().classifier;
}

export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export function inferBody(csv: string, flags: Record<string, boolean | string> = {}): unknown {
  const inputs: unknown[] = [{ name: 'pr', type: 'csv', data: b64(csv) }];
  for (const [name, data] of Object.entries(flags)) inputs.push({ name, type: name === 'pc' ? 'string' : 'boolean', data });
  return { inputs };
}

/** POST the inference URL of a classifier item (path of its `url`). */
export function infer(
  h: Harness,
  c: { url: string; api_key: string },
  body: unknown,
  opts: { key?: string; remoteAddress?: string; path?: string } = {},
): Promise<LightMyRequestResponse> {
  const path = opts.path ?? new URL(c.url).pathname;
  return h.app.inject({
    method: 'POST',
    url: path,
    headers: { 'x-api-key': opts.key ?? c.api_key, 'content-type': 'application/json; charset=utf-8' },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
    ...(opts.remoteAddress === undefined ? {} : { remoteAddress: opts.remoteAddress }),
  });
}

/** The named output file of an inference answer, decoded. */
export function output(res: LightMyRequestResponse, name: string): string | undefined {
  const file = (res.json().outputs as { name: string; data: string }[]).find((o) => o.name === name);
  return file === undefined ? undefined : Buffer.from(file.data, 'base64').toString('utf8');
}
