/**
 * Property tests of the prediction API over HTTP (the whole route: body reading, JSON parsing,
 * schema, base64 and CSV decoding, the model): whatever body a client sends, the answer is a 200
 * with the documented outputs or a catalogued 4xx in the documented shape — never a 5xx, never a
 * stack, a file path or an internal error name — and the server keeps answering good requests.
 * (The parser alone is checked with many more runs in test/properties/config-and-body.test.ts.)
 */
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/domain/errors.js';
import { apiKey, b64, closeRunner, deploy, infer, inferBody, trainModel } from '../helpers/deploy.js';
import { binaryCsv, createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let c: { url: string; api_key: string };

beforeAll(async () => {
  h = await createHarness({ TRAINING_TIME_BUDGET_SECONDS: '1', INFERENCE_MAX_ROWS: '50', INFERENCE_MAX_CSV_BYTES: '4096' });
  const u = await h.user('alice');
  const modelId = await trainModel(h, u.train, binaryCsv(80), { tc: 'churn', tt: 'binary_classification', tv: 'yes' });
  c = (await deploy(h, await apiKey(h, u.secret, 'deploy'), modelId)) as { url: string; api_key: string };
}, 120_000);

afterAll(() => closeRunner());

const CODES = new Set(Object.values(CATALOGUE).map((s) => s.code));
const LEAK = / at .*:\d+:\d+|\/work\/|\/tmp\/|node_modules|TypeError|RangeError|SyntaxError|undefined is not|Cannot read prop/;

/** A 200 with output files, or a catalogued 4xx in the error shape; nothing internal either way. */
function expectDocumented(res: LightMyRequestResponse): void {
  expect(res.statusCode, res.body).toBeLessThan(500);
  expect(res.body).not.toMatch(LEAK);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  if (res.statusCode === 200) {
    expect(Array.isArray(body.outputs), res.body).toBe(true);
    return;
  }
  expect(CODES.has(body.code as number), res.body).toBe(true);
  expect(Math.floor((body.code as number) / 10_000_000), res.body).toBe(res.statusCode);
  expect(typeof body.error).toBe('string');
  expect(typeof body.message).toBe('string');
}

const header = fc.constantFrom(
  'age,plan,score',
  'age,plan',
  'plan,age,score,extra',
  '__proto__,constructor,age',
  'age,age,plan',
  '',
  '"a""b",plan',
  'age;plan;score',
);
const cell = fc.oneof(
  fc.constantFrom(
    '',
    '30',
    '-1.5',
    '1e308',
    '1e999',
    'NaN',
    '=cmd|" /C calc"!A0',
    'basic',
    'pro',
    '"quoted, comma"',
    '"unterminated',
    '\u0000',
    '２０',
    '1'.repeat(400) + 'x',
  ),
  fc.string({ maxLength: 12 }),
  fc.double().map(String),
);
const row = fc.array(cell, { minLength: 0, maxLength: 5 }).map((cells) => cells.join(','));
const csv = fc.tuple(header, fc.array(row, { maxLength: 60 }), fc.constantFrom('\n', '\r\n', '\r')).map(([h0, rows, eol]) => [h0, ...rows].join(eol) + eol);
const flag = fc.oneof(fc.boolean(), fc.constantFrom('true', 'false', 1, 0, null, 'yes'));
const goodShape = fc.record(
  {
    csv,
    ar: flag,
    ad: flag,
    nc: flag,
    nr: flag,
    pc: fc.oneof(fc.constantFrom('age', 'plan', 'nope', ''), fc.string({ maxLength: 4 })),
  },
  { requiredKeys: ['csv'] },
);

/** Bodies close to valid ones: the CSV, flags of any type, extra and missing pieces. */
const nearlyValid = goodShape.map(({ csv: text, ...flags }) => {
  const inputs: unknown[] = [{ name: 'pr', type: 'csv', data: b64(text) }];
  for (const [name, data] of Object.entries(flags)) inputs.push({ name, type: name === 'pc' ? 'string' : 'boolean', data });
  return JSON.stringify({ inputs });
});
/** Anything JSON, and text that is not JSON at all. */
const arbitrary = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.anything({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc.string({ maxLength: 64 }),
  fc.constantFrom(
    '{"inputs":',
    '[]',
    'null',
    '{"inputs":[{"name":"pr","type":"csv","data":"!!!"}]}',
    '{"__proto__":{"inputs":[]}}',
    '{"inputs":[{"name":"pr","type":"csv","data":"' + 'A'.repeat(9000) + '"}]}',
  ),
  fc.integer({ min: 1, max: 3000 }).map((d) => '['.repeat(d) + ']'.repeat(d)),
  fc.integer({ min: 1, max: 3000 }).map((d) => '{"a":'.repeat(d) + '1' + '}'.repeat(d)),
);

describe('the prediction API on generated bodies', () => {
  it('answers every nearly valid body with predictions or a documented 4xx', async () => {
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(nearlyValid, async (body) => {
        const res = await infer(h, c, body);
        expectDocumented(res);
        seen.add(res.statusCode);
      }),
      { numRuns: 300, seed: 31 },
    );
    // The generator reaches both sides: predictions and refusals.
    expect([...seen].sort()).toEqual(expect.arrayContaining([200, 400]));
  }, 120_000);

  it('answers every arbitrary body (JSON or not, deep, huge, prototype keys) with a documented 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(arbitrary, async (body) => {
        const res = await infer(h, c, body);
        expectDocumented(res);
      }),
      { numRuns: 300, seed: 32 },
    );
  }, 120_000);

  it('answers a body sent with another content type, or none, with a documented 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        nearlyValid,
        fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', ''),
        async (body, type) => {
          const res = await h.app.inject({
            method: 'POST',
            url: new URL(c.url).pathname,
            headers: { 'x-api-key': c.api_key, ...(type === '' ? {} : { 'content-type': type }) },
            payload: body,
          });
          expect(res.statusCode, res.body).toBeLessThan(500);
          expect(res.body).not.toMatch(LEAK);
        },
      ),
      { numRuns: 60, seed: 33 },
    );
  }, 120_000);

  it('still predicts a good request after all of that', async () => {
    const res = await infer(h, c, inferBody('age,plan,score\n30,pro,7.5\n', { ar: true }));
    expect(res.statusCode, res.body).toBe(200);
    expectDocumented(res);
  });
});
