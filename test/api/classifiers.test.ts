/**
 * Create / Get / Update / Delete Classifier and Inference over HTTP (app.inject), on a model that
 * was really trained (small table, 1 s budget): lifecycle, lock, IP rules, keys, every documented
 * inference error, and inference answers equal to the model's own predictions and TreeSHAP reasons.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deserializeAutoModel, predictAutoModel } from '../../src/automl/pipeline.js';
import { DEFAULT_BINDING_TTL_MS, formatReason } from '../../src/deploy/index.js';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { loadConfig } from '../../src/config.js';
import { readTypedTable } from '../../src/ingest/index.js';
import { apiKey, CLASSIFIERS, closeRunner, deploy, infer, inferBody, output, patch, trainModel } from '../helpers/deploy.js';
import { binaryCsv, createHarness, expectError, PUBLIC_URL, type Harness } from '../helpers/harness.js';

let h: Harness;
let alice: { secret: string; train: string; deploy: string };
let modelId: number;

beforeAll(async () => {
  h = await createHarness({ TRAINING_TIME_BUDGET_SECONDS: '1' });
  const u = await h.user('alice');
  alice = { ...u, deploy: await apiKey(h, u.secret, 'deploy') };
  modelId = await trainModel(h, u.train, binaryCsv(80), { tc: 'churn', tt: 'binary_classification', tv: 'yes' });
}, 120_000);

afterAll(async () => {
  await h.services.deployment.settled();
  await closeRunner();
});

async function loadModel() {
  const userId = (await h.storage.users.findByName('alice'))!.id;
  const stored = (await h.storage.models.get(userId, modelId))!;
  return deserializeAutoModel(await readFile(await h.deps.blobs.localPath(stored.blobKey), 'utf8'));
}

const ROWS = 'age,plan,score\n25,basic,1.5\n61,max,8.2\n40,pro,\n33,gold,4.9\n';

describe('Create / Get Classifier', () => {
  it('creates building, then runs with a url; Get returns it with its key, rules and string version', async () => {
    const res = await h.post(CLASSIFIERS, alice.deploy, { model_id: modelId, rules: [{ source: '0.0.0.0/0', order: 'allow', priority: 0 }] });
    expect(res.statusCode).toBe(200);
    const created = res.json();
    expect(created).toEqual({ classifier_id: expect.stringMatching(/^[0-9a-z]{16}$/), api_key: expect.any(String), version: '1' });
    const building = (await h.get(`${CLASSIFIERS}/${created.classifier_id}`, alice.deploy)).json().classifier;
    expect(['building', 'running']).toContain(building.status); // the build is quick; see the hold test below
    await h.services.deployment.settled();
    const c = (await h.get(`${CLASSIFIERS}/${created.classifier_id}`, alice.deploy)).json().classifier;
    expect(c).toEqual({
      classifier_id: created.classifier_id,
      model_id: modelId,
      status: 'running',
      api_key: created.api_key,
      version: '1',
      url: expect.stringMatching(new RegExp(`^${PUBLIC_URL}/v1/groups/[0-9a-z]{16}/classifiers/${created.classifier_id}/inference$`)),
      active: true,
      is_editable: true,
      create_datetime: '2026-03-01T00:00:00.000Z',
      update_datetime: expect.any(String),
      rules: [{ source: '0.0.0.0/0', order: 'allow', priority: 0 }],
    });
  });

  it('lists newest first with offset/limit paging', async () => {
    const u = await h.user('lister');
    const key = await apiKey(h, u.secret, 'deploy');
    const m = await h.storage.models.get((await h.storage.users.findByName('alice'))!.id, modelId);
    // bob cannot deploy alice's model
    expectError(await h.post(CLASSIFIERS, key, { model_id: modelId }), 4041000403, `Not found model: model_id ${modelId}`);
    expect(m).not.toBeNull();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      h.advance(1000);
      ids.push((await deploy(h, alice.deploy, modelId)).classifier_id);
    }
    const all = (await h.get(`${CLASSIFIERS}?limit=1000`, alice.deploy)).json();
    expect(all.classifiers.slice(0, 3).map((c: { classifier_id: string }) => c.classifier_id)).toEqual(ids.reverse());
    const page = (await h.get(`${CLASSIFIERS}?offset=1&limit=1`, alice.deploy)).json();
    expect(page.classifiers.map((c: { classifier_id: string }) => c.classifier_id)).toEqual([ids[1]]);
    expect(page.metadata).toEqual({ offset: 1, limit: 1, total: all.metadata.total });
  });

  it('validates the body and the rules', async () => {
    expectError(await h.post(CLASSIFIERS, alice.deploy, { rules: [] }), 4001000301, /model_id: got undefined/);
    expectError(await h.post(CLASSIFIERS, alice.deploy, { model_id: 999999 }), 4041000403, 'Not found model: model_id 999999');
    expectError(
      await h.post(CLASSIFIERS, alice.deploy, { model_id: modelId, rules: [{ source: '203.0.113.5/24', order: 'allow', priority: 0 }] }),
      4001000302,
      /rules\[0\]\.source: "203\.0\.113\.5\/24" has host bits set/,
    );
    expectError(
      await h.post(CLASSIFIERS, alice.deploy, { model_id: modelId, rules: [{ source: '1.2.3.4', order: 'allow', priority: 0 }] }),
      4001000302,
      /not in CIDR/,
    );
    expectError(await h.post(CLASSIFIERS, alice.deploy, 'nope'), 4001000302, /not valid JSON/);
  });

  it('needs a deploy key; another user cannot see, change or delete the classifier', async () => {
    const c = await deploy(h, alice.deploy, modelId);
    expectError(await h.get(CLASSIFIERS, alice.train), 4001000204, 'Not_found_credential.');
    expectError(await h.get(CLASSIFIERS), 4001000204, 'invalid_api_key.');
    const bob = await h.user('bob');
    const bobKey = await apiKey(h, bob.secret, 'deploy');
    expect((await h.get(CLASSIFIERS, bobKey)).json().classifiers).toEqual([]);
    const notFound = `Not found classifier_id: ${c.classifier_id}`;
    expectError(await h.get(`${CLASSIFIERS}/${c.classifier_id}`, bobKey), 4041000406, notFound);
    expectError(await patch(h, `${CLASSIFIERS}/${c.classifier_id}`, bobKey, { active: false }), 4041000406, notFound);
    expectError(await h.del(`${CLASSIFIERS}/${c.classifier_id}`, bobKey), 4041000406, notFound);
    expect((await h.get(`${CLASSIFIERS}/${c.classifier_id}`, alice.deploy)).json().classifier.status).toBe('running');
  });
});

describe('Update / Delete Classifier', () => {
  it('stops (terminating → terminated, 503 stopped) and starts again', async () => {
    const c = await deploy(h, alice.deploy, modelId);
    const url = `${CLASSIFIERS}/${c.classifier_id}`;
    const stopping = await patch(h, url, alice.deploy, { active: false });
    expect(stopping.statusCode).toBe(200);
    expect(stopping.json().classifier).toMatchObject({ status: 'terminating', active: false });
    expectError(await infer(h, c as never, inferBody(ROWS)), 5031030101, 'status is not running (status: stopped)');
    await h.services.deployment.settled();
    expect((await h.get(url, alice.deploy)).json().classifier.status).toBe('terminated');
    expectError(await infer(h, c as never, inferBody(ROWS)), 5031030101, 'status is not running (status: stopped)');
    const started = (await patch(h, url, alice.deploy, { active: true })).json().classifier;
    expect(started).toMatchObject({ status: 'running', active: true, url: c.url, api_key: c.api_key });
    expect((await infer(h, c as never, inferBody(ROWS))).statusCode).toBe(200);
  });

  it('locks: no stop, no rule change, no delete; unlocking in the same request allows them', async () => {
    const c = await deploy(h, alice.deploy, modelId);
    const url = `${CLASSIFIERS}/${c.classifier_id}`;
    expect((await patch(h, url, alice.deploy, { is_editable: false })).json().classifier.is_editable).toBe(false);
    expectError(await patch(h, url, alice.deploy, { active: false }), 4091000510, /locked and cannot be stopped/);
    expectError(await patch(h, url, alice.deploy, { rules: [{ source: '10.0.0.0/8', order: 'allow', priority: 1 }] }), 4091000510, /rules cannot be changed/);
    expect((await patch(h, url, alice.deploy, { rules: [] })).statusCode).toBe(200); // the same rules: not a change
    expectError(await h.del(url, alice.deploy), 4091000510, /cannot be deleted/);
    const res = await patch(h, url, alice.deploy, { is_editable: true, rules: [{ source: '10.0.0.0/8', order: 'allow', priority: 1 }] });
    expect(res.json().classifier).toMatchObject({ is_editable: true, rules: [{ source: '10.0.0.0/8', order: 'allow', priority: 1 }] });
    expectError(await patch(h, url, alice.deploy, { active: 'maybe' }), 4001000302, /active: got "maybe"/);
    const del = await h.del(url, alice.deploy);
    expect(del.statusCode).toBe(200);
    expect(del.json()).toEqual({});
    expectError(await h.get(url, alice.deploy), 4041000406, /Not found classifier_id/);
    expectError(await infer(h, c as never, inferBody(ROWS)), 4001030101, 'Not found classifier in classifiers table');
  });

  it('refuses a stop while building (409 busy); inference answers 503 building until it runs', async () => {
    const running = await deploy(h, alice.deploy, modelId);
    const release = h.services.deployment.holdBuilds();
    const res = await h.post(CLASSIFIERS, alice.deploy, { model_id: modelId });
    const { classifier_id: id, api_key } = res.json();
    const url = `${CLASSIFIERS}/${id}`;
    const path = new URL(running.url).pathname.replace(running.classifier_id, id);
    expect((await h.get(url, alice.deploy)).json().classifier).toMatchObject({ status: 'building', url: null });
    expectError(await patch(h, url, alice.deploy, { active: false }), 4091000511, /building/);
    expectError(await infer(h, { url: '', api_key }, inferBody(ROWS), { path }), 5031030101, 'status is not running (status: building)');
    release();
    await h.services.deployment.settled();
    expect((await h.get(url, alice.deploy)).json().classifier.status).toBe('running');
    expect((await infer(h, { url: '', api_key }, inferBody(ROWS), { path })).statusCode).toBe(200);
  });

  it('a model that cannot load leaves the classifier failed (503 failed); active:true retries the build', async () => {
    const userId = (await h.storage.users.findByName('alice'))!.id;
    const broken = await h.storage.models.create({
      userId,
      processId: 'broken',
      name: 'broken',
      task: 'regression',
      version: 't',
      config: {},
      blobKey: 'models/missing.json',
      metrics: {},
      createdAt: '2026-03-01T00:00:00.000Z',
      updatedAt: '2026-03-01T00:00:00.000Z',
    });
    const c = await deploy(h, alice.deploy, broken.id);
    expect(c).toMatchObject({ status: 'failed', url: null, active: true });
    const running = await deploy(h, alice.deploy, modelId);
    const path = new URL(running.url).pathname.replace(running.classifier_id, c.classifier_id);
    expectError(await infer(h, { url: '', api_key: c.api_key }, inferBody(ROWS), { path }), 5031030101, 'status is not running (status: failed)');
    const retry = (await patch(h, `${CLASSIFIERS}/${c.classifier_id}`, alice.deploy, { active: true })).json().classifier;
    expect(retry.status).toBe('building');
    await h.services.deployment.settled();
    expect((await h.get(`${CLASSIFIERS}/${c.classifier_id}`, alice.deploy)).json().classifier.status).toBe('failed');
    // Stopping a failed classifier keeps it failed, inactive; it can then be deleted.
    expect((await patch(h, `${CLASSIFIERS}/${c.classifier_id}`, alice.deploy, { active: false })).json().classifier).toMatchObject({
      status: 'failed',
      active: false,
    });
    expect((await h.del(`${CLASSIFIERS}/${c.classifier_id}`, alice.deploy)).statusCode).toBe(200);
  });

  it('a served model cannot be deleted (409); once the classifier is gone it can', async () => {
    const u = await h.user('deleter');
    const deployKey = await apiKey(h, u.secret, 'deploy');
    const m = await trainModel(h, u.train, binaryCsv(40), { tc: 'churn', tt: 'binary_classification', tv: 'yes' });
    const c = await deploy(h, deployKey, m);
    expectError(await h.del(`/v1/external/models/${m}`, u.train), 4091000505, new RegExp(`classifier_id ${c.classifier_id}`));
    expect((await h.del(`${CLASSIFIERS}/${c.classifier_id}`, deployKey)).statusCode).toBe(200);
    expect((await h.del(`/v1/external/models/${m}`, u.train)).statusCode).toBe(200);
  }, 60_000);
});

describe('Inference', () => {
  it('answers N rows with the documented outputs, equal to predictAutoModel and its TreeSHAP reasons', async () => {
    const c = await deploy(h, alice.deploy, modelId);
    const res = await infer(h, c as never, inferBody(ROWS, { ar: true, nc: false }));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.version).toBe('1');
    expect(body.outputs.map((o: { name: string }) => o.name)).toEqual(['prediction_valid.csv', 'prediction_analysis.csv']);
    expect(res.headers['access-control-allow-origin']).toBe('*');

    const model = await loadModel();
    const dir = await mkdtemp(join(tmpdir(), 'yosoku-infer-'));
    await writeFile(join(dir, 'rows.csv'), ROWS);
    const types = Object.fromEntries(model.info.inputColumns.map((col) => [col.name, col.type]));
    const table = await readTypedTable(join(dir, 'rows.csv'), { delimiter: ',', types, minColumns: 2 });
    const expected = predictAutoModel(model, table, { reasons: true });

    const valid = output(res, 'prediction_valid.csv')!
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    expect(valid[0]).toEqual(['row_number', 'prediction', ...model.info.classes]);
    expect(valid).toHaveLength(5);
    const analysis = output(res, 'prediction_analysis.csv')!.trim().split('\n');
    expect(analysis[0]).toBe(
      ['row_number', 'prediction', ...model.info.classes, 'reason_up_1', 'reason_up_2', 'reason_up_3', 'reason_down_1', 'reason_down_2', 'reason_down_3'].join(
        ',',
      ),
    );
    for (let r = 0; r < 4; r++) {
      const row = valid[r + 1]!;
      expect(row[0]).toBe(String(r + 1));
      expect(row[1]).toBe(expected.labels![r]);
      expect(Number(row[2])).toBe(expected.probabilities![2 * r]);
      expect(Number(row[3])).toBe(expected.probabilities![2 * r + 1]);
      // Reasons: TreeSHAP's top 3 each way, up positive and decreasing, down negative and increasing.
      const reasons = expected.reasons![r]!;
      const cells = analysis[r + 1]!.split(',').slice(4);
      const want = [0, 1, 2].map((k) => (reasons.up[k] === undefined ? '' : formatReason(reasons.up[k]!)));
      want.push(...[0, 1, 2].map((k) => (reasons.down[k] === undefined ? '' : formatReason(reasons.down[k]!))));
      expect(cells).toEqual(want);
      for (const x of reasons.up) expect(x.contribution).toBeGreaterThan(0);
      for (const x of reasons.down) expect(x.contribution).toBeLessThan(0);
      for (let k = 1; k < reasons.up.length; k++) expect(reasons.up[k]!.contribution).toBeLessThanOrEqual(reasons.up[k - 1]!.contribution);
      for (let k = 1; k < reasons.down.length; k++) expect(reasons.down[k]!.contribution).toBeGreaterThanOrEqual(reasons.down[k - 1]!.contribution);
    }
  });

  it('handles row problems row by row: unknown category, empty cell, missing and extra columns, unparsable values', async () => {
    const c = await deploy(h, alice.deploy, modelId);
    const res = await infer(h, c as never, inferBody('age,plan,extra\n30,platinum,x\nabc,basic,y\n,,z\n', { ar: false, pc: 'extra' }));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const info = (await loadModel()).info;
    const missing = info.inputColumns.map((col) => col.name).filter((n) => !['age', 'plan'].includes(n));
    const warnings = missing.map((n) => `column "${n}" is missing from the CSV; it was read as missing in every row`);
    expect(body.warnings).toEqual(warnings.length > 0 ? warnings : undefined);
    expect(body.outputs.map((o: { name: string }) => o.name)).toEqual(['prediction_valid.csv', 'prediction_invalid.csv']);
    const valid = output(res, 'prediction_valid.csv')!.trim().split('\n');
    expect(valid.map((l) => l.split(',')[0])).toEqual(['extra', 'x', 'z']);
    expect(output(res, 'prediction_invalid.csv')!.trim().split('\n')).toEqual(['row_number,extra,reason', '2,y,"column ""age"": ""abc"" is not a number"']);
  });

  it('answers every documented error', async () => {
    const c = await deploy(h, alice.deploy, modelId);
    const path = new URL(c.url).pathname;
    expectError(
      await infer(h, c as never, inferBody(ROWS), { path: path.replace(c.classifier_id, 'nosuchclassifier') }),
      4001030101,
      'Not found classifier in classifiers table',
    );
    expectError(await infer(h, c as never, inferBody(ROWS), { path: path.replace(/groups\/[^/]+/, 'groups/othergroup') }), 4031030201, 'Invalid classifier id');
    expectError(await infer(h, c as never, inferBody(ROWS), { key: 'wrong' }), 4031030201, 'Invalid API key');
    expectError(
      await h.app.inject({ method: 'POST', url: path, payload: JSON.stringify(inferBody(ROWS)), headers: { 'content-type': 'application/json' } }),
      4031030201,
      'Invalid API key',
    );
    expectError(await infer(h, c as never, { inputs: [{ name: 'pr', type: 'csv', data: '!!!' }] }), 4001030104, 'Invalid request');
    expectError(await infer(h, c as never, '{not json'), 4001030104, 'Invalid request');
    expectError(await infer(h, c as never, inferBody('a,b\n1,2\n')), 4001030104, 'Invalid request');
    expectError(await infer(h, c as never, {}), 4001030104, 'Invalid request');
    // The documented message stays fixed; the additive `detail` says what to fix.
    const wrongColumns = (await infer(h, c as never, inferBody('a,b\n1,2\n'))).json();
    expect(wrongColumns.detail).toMatch(/^the CSV has none of the model's columns \("/);
    expect((await infer(h, c as never, { inputs: [{ name: 'pr', type: 'csv', data: '!!!' }] })).json().detail).toMatch(/base64/);
    // Access errors: the detail names only what the caller sent.
    expect((await infer(h, c as never, inferBody(ROWS), { key: 'wrong' })).json()).not.toHaveProperty('detail');
    // Another classifier's key does not open this one.
    const other = await deploy(h, alice.deploy, modelId);
    expectError(await infer(h, c as never, inferBody(ROWS), { key: other.api_key }), 4031030201, 'Invalid API key');
  });

  it('checks classifier, key and IP rule before it reads the body (a refused caller gets no JSON parse)', async () => {
    const c = await deploy(h, alice.deploy, modelId, [{ source: '203.0.113.0/24', order: 'allow', priority: 0 }]);
    const path = new URL(c.url).pathname;
    // Not JSON and over the body limit: answered by the access check, not by the parser.
    const huge = '{'.repeat(60 * 1024 * 1024);
    const send = (opts: { key?: string; ip?: string; url?: string; payload?: string }) =>
      h.app.inject({
        method: 'POST',
        url: opts.url ?? path,
        remoteAddress: opts.ip ?? '203.0.113.9',
        headers: { 'x-api-key': opts.key ?? c.api_key, 'content-type': 'application/json' },
        payload: opts.payload ?? huge,
      });
    const wrongKey = await send({ key: 'wrong' });
    expectError(wrongKey, 4031030201, 'Invalid API key');
    expect(wrongKey.headers.connection).toBe('close');
    expect(wrongKey.headers['access-control-allow-origin']).toBe('*');
    expectError(await send({ ip: '198.51.100.1' }), 4031030201, 'Not allowed source ip');
    expectError(await send({ url: path.replace(c.classifier_id, 'nosuchclassifier') }), 4001030101, 'Not found classifier in classifiers table');
    // An allowed caller still meets the body limit and the JSON check.
    expectError(await send({}), 4001030104, 'Invalid request');
    expectError(await send({ payload: '{not json' }), 4001030104, 'Invalid request');
  });

  it('enforces IP rules on request.ip: lowest priority first, deny before allow, no match = deny, before the key check', async () => {
    const c = await deploy(h, alice.deploy, modelId, [
      { source: '203.0.113.0/24', order: 'allow', priority: 10 },
      { source: '203.0.113.7/32', order: 'deny', priority: 5 },
      { source: '2001:db8::/32', order: 'allow', priority: 0 },
    ]);
    const call = (ip: string, key?: string) =>
      infer(h, c as never, inferBody(ROWS, { ar: false }), { remoteAddress: ip, ...(key === undefined ? {} : { key }) });
    expect((await call('203.0.113.8')).statusCode).toBe(200);
    expect((await call('::ffff:203.0.113.8')).statusCode).toBe(200);
    expect((await call('2001:db8::1')).statusCode).toBe(200);
    expectError(await call('203.0.113.7'), 4031030201, 'Not allowed source ip');
    expectError(await call('198.51.100.1'), 4031030201, 'Not allowed source ip');
    expectError(await call('198.51.100.1', 'wrong-key'), 4031030201, 'Not allowed source ip');
    // X-Forwarded-For is ignored while trustProxy is off (the default).
    const spoofed = await h.app.inject({
      method: 'POST',
      url: new URL(c.url).pathname,
      remoteAddress: '198.51.100.1',
      headers: { 'x-api-key': c.api_key, 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.8' },
      payload: JSON.stringify(inferBody(ROWS)),
    });
    expectError(spoofed, 4031030201, 'Not allowed source ip');
    // Rules change with PATCH (whole list replaced); an empty list allows everyone.
    await patch(h, `${CLASSIFIERS}/${c.classifier_id}`, alice.deploy, { rules: [] });
    expect((await call('198.51.100.1')).statusCode).toBe(200);
  });

  it('behind TRUST_PROXY (a hop count or proxy addresses) takes the address the proxy saw, not one the client wrote', async () => {
    const c = await deploy(h, alice.deploy, modelId, [{ source: '203.0.113.0/24', order: 'allow', priority: 0 }]);
    const call = (app: FastifyInstance, socket: string, forwardedFor: string) =>
      app.inject({
        method: 'POST',
        url: new URL(c.url).pathname,
        remoteAddress: socket,
        headers: { 'x-api-key': c.api_key, 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
        payload: JSON.stringify(inferBody(ROWS, { ar: false })),
      });
    for (const setting of ['1', '10.0.0.0/8']) {
      const app = buildApp(h.services, { trustProxy: loadConfig({ TRUST_PROXY: setting }).trustProxy });
      // The client wrote an allowed address first; the proxy appended the one it saw.
      expectError(await call(app, '10.0.0.5', '203.0.113.8, 198.51.100.1'), 4031030201, 'Not allowed source ip');
      expect((await call(app, '10.0.0.5', '198.51.100.1, 203.0.113.8')).statusCode).toBe(200);
      await app.close();
    }
    // A socket that is not a listed proxy: its X-Forwarded-For is not believed at all.
    const listed = buildApp(h.services, { trustProxy: loadConfig({ TRUST_PROXY: '10.0.0.0/8' }).trustProxy });
    expectError(await call(listed, '198.51.100.7', '203.0.113.8'), 4031030201, 'Not allowed source ip');
    await listed.close();
  });

  it('takes classifiers stuck in updating past the switch lease back to running, and leaves a fresh switch alone', async () => {
    const stale = await deploy(h, alice.deploy, modelId);
    const fresh = await deploy(h, alice.deploy, modelId);
    await h.storage.classifiers.update(stale.classifier_id, { updatedAt: '2026-02-28T23:00:00.000Z', status: 'updating' });
    await h.storage.classifiers.update(fresh.classifier_id, { updatedAt: '2026-03-01T00:00:00.000Z', status: 'updating' });
    expect(await h.services.deployment.recoverStuckSwitches(new Date('2026-02-28T23:50:00Z'))).toBe(1);
    expect((await h.get(`${CLASSIFIERS}/${stale.classifier_id}`, alice.deploy)).json().classifier).toMatchObject({ status: 'running', model_id: modelId });
    expect((await h.get(`${CLASSIFIERS}/${fresh.classifier_id}`, alice.deploy)).json().classifier.status).toBe('updating');
    expect(await h.services.deployment.recoverStuckSwitches(null)).toBe(1);
    expect((await h.get(`${CLASSIFIERS}/${fresh.classifier_id}`, alice.deploy)).json().classifier.status).toBe('running');
  });

  it('sees a change written by another process (not through this process) after the 1 s classifier cache', async () => {
    const c = await deploy(h, alice.deploy, modelId);
    expect((await infer(h, c as never, inferBody(ROWS, { ar: false }))).statusCode).toBe(200); // the row is cached now
    // Another server of a scale-out deployment changes the rules: straight to the shared table.
    await h.storage.classifiers.update(c.classifier_id, {
      updatedAt: '2026-03-01T00:00:01.000Z',
      rules: [{ source: '198.51.100.0/24', order: 'allow', priority: 0 }],
    });
    await new Promise((resolve) => setTimeout(resolve, DEFAULT_BINDING_TTL_MS + 20));
    expectError(await infer(h, c as never, inferBody(ROWS, { ar: false })), 4031030201, 'Not allowed source ip');
  });
});
