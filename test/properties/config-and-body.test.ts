/**
 * Property tests of the two parsers every client reaches with arbitrary JSON: the training config
 * (planTraining) and the inference body (parseInferenceRequest). Whatever they are given, they
 * return or throw a catalogued AppError — never a TypeError, a RangeError or anything internal —
 * and the message never carries a stack or a file path. (Linear time of the CSV reader and the
 * number scanner is checked where they live: src/formats/csv-reader.test.ts, src/ingest/values.test.ts.)
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { parseInferenceRequest } from '../../src/deploy/index.js';
import { AppError, CATALOGUE } from '../../src/domain/errors.js';
import { profileFile, type DatasetProfile } from '../../src/ingest/index.js';
import { CONFIG_KEYS, planTraining } from '../../src/services/train-config.js';
import { binaryCsv } from '../helpers/harness.js';

/** An AppError of the catalogue whose message shows nothing internal. */
function expectCatalogued(err: unknown): void {
  expect(err).toBeInstanceOf(AppError);
  const e = err as AppError;
  expect(Object.hasOwn(CATALOGUE, e.kind)).toBe(true);
  expect(e.status).toBeLessThan(500);
  expect(e.message).not.toMatch(/ at .*:\d+:\d+|\/work\/|node_modules|TypeError|RangeError|undefined is not/);
}

function outcome(run: () => unknown): void {
  try {
    run();
  } catch (err) {
    expectCatalogued(err);
  }
}

let profile: DatasetProfile;
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'yosoku-prop-'));
  const path = join(dir, 'learn.csv');
  await writeFile(path, binaryCsv(60));
  profile = await profileFile(path, { delimiter: ',', encoding: 'utf-8', target: 'churn' });
});

const limits = loadConfig({}).limits;
/** Values of the kinds a JSON body can carry, biased to the ones the config reads. */
const jsonish = fc.oneof(
  fc.constantFrom(
    'churn',
    'score',
    'plan',
    'age',
    'yes',
    'no',
    'binary_classification',
    'multi_classification',
    'regression',
    'true',
    'false',
    '',
    '2',
    '-1',
    '1e9',
    '__proto__',
  ),
  fc.integer({ min: -3, max: 2_000_000 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
);
const configKey = fc.oneof(fc.constantFrom(...CONFIG_KEYS), fc.constantFrom('__proto__', 'constructor', 'toString', 'depth'), fc.string({ maxLength: 6 }));

describe('planTraining on arbitrary configs', () => {
  it('returns a plan or throws a catalogued AppError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.dictionary(configKey, jsonish, { maxKeys: 8 }), fc.anything()), (config) => {
        outcome(() => planTraining({ config, learn: profile, evalColumns: null, userTypes: null, limits, timeBudgetSeconds: 60, seed: 1 }));
      }),
      { numRuns: 3000, seed: 21 },
    );
  });

  it('accepts only cv and time_budget within the operator limits', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 100_000 }), fc.integer({ min: -5, max: 100_000 }), (cv, budget) => {
        const config = { tc: 'score', tt: 'regression', cv, time_budget: budget };
        let plan: ReturnType<typeof planTraining>;
        try {
          plan = planTraining({ config, learn: profile, evalColumns: null, userTypes: null, limits, timeBudgetSeconds: 60, seed: 1 });
        } catch (err) {
          expectCatalogued(err);
          expect((err as AppError).kind).toBe('INVALID_CONFIG');
          expect(cv < -1 || cv > limits.maxCvFolds || budget < 1 || budget > limits.maxTimeBudgetSeconds).toBe(true);
          return;
        }
        expect(plan.settings.cv).toBe(cv);
        expect(plan.settings.timeBudgetSeconds).toBeLessThanOrEqual(limits.maxTimeBudgetSeconds);
      }),
      { numRuns: 2000, seed: 22 },
    );
  });
});

const base64ish = fc.oneof(
  fc.string({ unit: fc.constantFrom('A', 'Q', 'w', '+', '/', '=', ' ', '\n', '!', 'Y'), maxLength: 24 }),
  fc.constantFrom('YSxiCjEsMgo=', 'YSxiCjEsMgo', 'YR==', 'AAAA', ''),
);
const input = fc.record(
  {
    name: fc.oneof(fc.constantFrom('pr', 'ar', 'ad', 'nc', 'nr', 'pc'), fc.string({ maxLength: 3 })),
    type: fc.oneof(fc.constantFrom('csv', 'boolean', 'string'), jsonish),
    data: fc.oneof(base64ish, jsonish),
  },
  { requiredKeys: [] },
);

describe('parseInferenceRequest on arbitrary bodies', () => {
  it('returns a request or throws the documented 4001030104', () => {
    fc.assert(
      fc.property(fc.oneof(fc.record({ inputs: fc.array(input, { maxLength: 6 }) }), fc.record({ inputs: fc.anything() }), fc.anything()), (body) => {
        try {
          parseInferenceRequest(body, { maxCsvBytes: 1024 });
        } catch (err) {
          expectCatalogued(err);
          expect((err as AppError).kind).toBe('INFERENCE_INVALID_REQUEST');
        }
      }),
      { numRuns: 5000, seed: 23 },
    );
  });
});
