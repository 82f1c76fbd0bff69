/**
 * Costly inference off the event loop: a large body or many rows × a big model is computed in a
 * compute thread (the real pool), a one-row request stays inline, and either way the answer is the
 * same bytes as the inline computation, errors included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThreadPool } from '../../src/compute/thread-pool.js';
import type { InferenceRunRequest } from '../../src/compute/inference-runner.js';
import { WorkerThreadInferenceRunner } from '../../src/compute/worker-pool.js';
import { runInference } from '../../src/deploy/index.js';
import type { AppError } from '../../src/domain/errors.js';
import { errorBody } from '../../src/api/compat/errors.js';
import { inferenceModelOf } from '../../src/deploy/inference-model.js';
import { apiKey, closeRunner, deploy, infer, inferBody, trainModel } from '../helpers/deploy.js';
import { binaryCsv, createHarness, expectError, type Harness } from '../helpers/harness.js';

const pool = new ThreadPool({ maxThreads: 1 });
const threads = new WorkerThreadInferenceRunner(pool);
const sent: InferenceRunRequest['body']['kind'][] = [];
const counting = {
  infer(request: InferenceRunRequest) {
    sent.push(request.body.kind);
    return threads.infer(request);
  },
};

let h: Harness;
let c: { url: string; api_key: string; model_id: number };
let userId: string;

beforeAll(async () => {
  // A small model: a lower inline limit than the default makes 400 rows with reasons costly.
  h = await createHarness({ TRAINING_TIME_BUDGET_SECONDS: '1', INFERENCE_INLINE_MAX_COST: '2000' }, { inferenceRunner: counting });
  const u = await h.user('alice');
  userId = (await h.storage.users.findByName('alice'))!.id;
  const modelId = await trainModel(h, u.train, binaryCsv(80), { tc: 'churn', tt: 'binary_classification', tv: 'yes' });
  c = (await deploy(h, await apiKey(h, u.secret, 'deploy'), modelId)) as never;
}, 120_000);

afterAll(async () => {
  await h.services.deployment.settled();
  await pool.close();
  await closeRunner();
});

function rows(n: number): string {
  const lines = ['age,plan,score'];
  for (let i = 0; i < n; i++) lines.push(`${20 + (i % 50)},${['basic', 'pro', 'max', 'gold'][i % 4]},${(i % 97) / 10}`);
  return lines.join('\n') + '\n';
}

/** The answer computed inline, on this thread, by the same functions. */
async function inline(body: unknown): Promise<{ status: number; text: string }> {
  const model = inferenceModelOf(await h.services.models.get(userId, c.model_id));
  try {
    const { response } = runInference(body, model, {
      version: '1',
      referenceYear: 2026,
      maxRows: h.config.inferenceMaxRows,
      maxCsvBytes: h.config.inferenceMaxCsvBytes,
    });
    return { status: 200, text: JSON.stringify(response) };
  } catch (err) {
    const e = err as AppError;
    return { status: e.status, text: JSON.stringify(errorBody(e)) };
  }
}

describe('inference dispatch by cost', () => {
  it('keeps a one-row request inline', async () => {
    sent.length = 0;
    const body = inferBody(rows(1));
    const res = await infer(h, c, body);
    expect(res.statusCode).toBe(200);
    expect(sent).toEqual([]);
    expect(res.body).toBe((await inline(body)).text);
  });

  it('sends many rows with reasons to a thread, decoded, and answers the same bytes', async () => {
    sent.length = 0;
    const body = inferBody(rows(400));
    const res = await infer(h, c, body);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(sent).toEqual(['decoded']);
    expect(res.body).toBe((await inline(body)).text);
  });

  it('sends a body over 64 KiB to a thread unparsed, and answers the same bytes', async () => {
    sent.length = 0;
    const body = inferBody(rows(6000), { ar: false, ad: true });
    const res = await infer(h, c, body);
    expect(res.statusCode).toBe(200);
    expect(sent).toEqual(['json']);
    expect(res.body).toBe((await inline(body)).text);
  });

  it('answers a malformed large body with the documented error from the thread', async () => {
    sent.length = 0;
    const badBase64 = { inputs: [{ name: 'pr', type: 'csv', data: `${'A'.repeat(100_000)}!` }] };
    const res = await infer(h, c, badBase64);
    expectError(res, 4001030104, 'Invalid request');
    const { request_id: _id, ...answer } = res.json() as Record<string, unknown>;
    expect(answer).toEqual(JSON.parse((await inline(badBase64)).text));
    expectError(await infer(h, c, `{"inputs": [${' '.repeat(100_000)}`), 4001030104, 'Invalid request');
    const tooMany = inferBody(rows(h.config.inferenceMaxRows + 1));
    expectError(await infer(h, c, tooMany), 4001030104, 'Invalid request');
    expect(sent).toEqual(['json', 'json', 'json']);
  });
});
