/** The error catalogue: documented in docs/errors.md, internal errors leak nothing, missing results. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRORS, httpStatusOf } from '../../src/domain/errors.js';
import { REPO_ROOT } from '../helpers/server-process.js';
import { binaryCsv, createHarness, expectError } from '../helpers/harness.js';

describe('error catalogue', () => {
  it('is listed in docs/errors.md with code, HTTP status, name and message', async () => {
    const doc = await readFile(join(REPO_ROOT, 'docs/errors.md'), 'utf8');
    for (const spec of Object.values(ERRORS)) {
      const row = `| ${spec.code} | ${httpStatusOf(spec.code)} | ${spec.error} | \`${spec.message}\` |`;
      expect(doc, row).toContain(row);
    }
  });

  it('uses the documented scheme for our own codes', () => {
    for (const spec of Object.values(ERRORS)) {
      expect(String(spec.code)).toMatch(/^(400|404|409|413|429|500)100\d{4}$/);
    }
  });
});

describe('unexpected failures', () => {
  it('answer 500 with the documented internal error and no internals', async () => {
    const h = await createHarness();
    const { train } = await h.user('alice');
    h.services.catalog.listModels = async () => {
      throw new Error('SQLITE_CORRUPT: secret path /var/db');
    };
    const res = await h.get('/v1/external/models', train);
    expectError(res, 5001000201, 'Internal server error.');
    expect(res.body).not.toContain('SQLITE');
  });
});

describe('request size and deleted inputs', () => {
  it('answers 413 for a JSON body over 1 MiB', async () => {
    const h = await createHarness();
    const { train } = await h.user('alice');
    const res = await h.post('/v1/external/models', train, { external_process_id: 'x', name: 'n'.repeat(1024 * 1024), config: {} });
    expectError(res, 4131000601, 'The upload exceeds the size limit: the request body is too large');
  });

  it('answers LEARN_DATA_MISSING when the training data set was deleted before training', async () => {
    const h = await createHarness();
    const { train } = await h.user('alice');
    const pid = await h.upload(train, { learn: binaryCsv(20) });
    const id = (await h.get('/v1/external/data-sets', train)).json().data_sets[0].data_set_id;
    await h.del(`/v1/external/data-sets/${id}`, train);
    const res = await h.post('/v1/external/models', train, { external_process_id: pid, config: { tc: 'score', tt: 'regression' } });
    expectError(res, 4091000501, /the learn file was deleted/);
  });
});

describe('result downloads', () => {
  it('answer RESULT_NOT_FOUND when no result exists for a validly signed URL', async () => {
    const h = await createHarness();
    const { train } = await h.user('alice');
    const pid = await h.upload(train, { learn: binaryCsv(20) });
    const url = h.deps.signer.sign('GET', `/downloads/results/${pid}/result.zip`, h.deps.clock.now().getTime());
    expectError(await h.get(url), 4041000405, 'Not found result');
    const other = h.deps.signer.sign('GET', '/downloads/elsewhere', h.deps.clock.now().getTime());
    expectError(await h.get(other), 4001000320, 'The signed URL is invalid or was altered');
  });
});
