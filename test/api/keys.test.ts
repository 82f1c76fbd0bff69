/** GET /v1/external/api-key and key checking: every documented auth error. */
import { describe, expect, it } from 'vitest';
import { hashKey } from '../../src/domain/ids.js';
import { createHarness, expectError } from '../helpers/harness.js';

const DAY = 24 * 3600 * 1000;

describe('GET /v1/external/api-key', () => {
  it('exchanges a secret key for train, deploy and retrain keys with an ISO end_date 30 days out', async () => {
    const h = await createHarness();
    const { secret, userId } = await h.user('alice');
    const res = await h.get('/v1/external/api-key?credential_type=train', secret);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.api_key).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.end_date).toBe(new Date(h.deps.clock.now().getTime() + 30 * DAY).toISOString());
    expect((await h.get('/v1/external/api-key?credential_type=deploy', secret)).statusCode).toBe(200);
    // Keys are stored hashed only.
    const stored = await h.storage.keys.findByHash(hashKey(body.api_key));
    expect(stored).toMatchObject({ userId, scope: 'train', endDate: body.end_date });
    const raw = JSON.stringify(await h.storage.keys.findByHash(hashKey(body.api_key)));
    expect(raw).not.toContain(body.api_key);

    const model = await h.storage.models.create({
      userId,
      processId: 'p',
      name: null,
      task: 'regression',
      version: 'v',
      config: {},
      blobKey: 'b',
      metrics: {},
      createdAt: 'x',
      updatedAt: 'x',
    });
    const retrain = await h.get(`/v1/external/api-key?credential_type=retrain&model_id=${model.id}`, secret);
    expect(retrain.statusCode).toBe(200);
    expect((await h.storage.keys.findByHash(hashKey(retrain.json().api_key)))?.modelId).toBe(model.id);
  });

  it('answers the documented credential errors', async () => {
    const h = await createHarness();
    const { secret, train, userId } = await h.user('alice');
    expectError(await h.get('/v1/external/api-key?credential_type=train'), 4001000204, 'invalid_api_key.');
    expectError(await h.get('/v1/external/api-key?credential_type=train', 'no-such-key'), 4001000204, 'invalid_api_key.');
    // A train key is not a secret key, and a secret key is not a train key.
    expectError(await h.get('/v1/external/api-key?credential_type=train', train), 4001000204, 'Not_found_credential.');
    expectError(await h.get('/v1/external/models', secret), 4001000204, 'Not_found_credential.');
    h.advance(31 * DAY);
    expectError(await h.get('/v1/external/models', train), 4001000204, 'Inactive_credential.');
    await h.storage.users.markDeleted(userId, 'now');
    expectError(await h.get('/v1/external/api-key?credential_type=train', secret), 4001000204, 'This user may be deleted.');
  });

  it('validates credential_type and model_id', async () => {
    const h = await createHarness();
    const { secret } = await h.user('alice');
    expectError(await h.get('/v1/external/api-key', secret), 4001000301, /^Invalid parameter: credential_type: got null; allowed: train, deploy, retrain$/);
    expectError(await h.get('/v1/external/api-key?credential_type=admin', secret), 4001000301, /credential_type: got "admin"/);
    expectError(await h.get('/v1/external/api-key?credential_type=retrain', secret), 4001000204, 'Model id is required.');
    expectError(await h.get('/v1/external/api-key?credential_type=retrain&model_id=abc', secret), 4001000301, /model_id: got "abc"/);
    expectError(await h.get('/v1/external/api-key?credential_type=retrain&model_id=999', secret), 4001000204, 'This model may be deleted.');
  });
});

describe('unknown routes', () => {
  it('answer the compat error body', async () => {
    const h = await createHarness();
    expectError(await h.get('/v1/external/nothing'), 4041000404, 'Not found: GET /v1/external/nothing');
  });
});
