/**
 * The Create Model `config` (spec §5) as a zod schema: shapes and coercion only ("2" and 2,
 * "true" and true, `tsine` a string or an array). Checks against the data (is `tc` a column, does
 * `tv` occur, class counts, limits) stay in services/train-config.ts, which runs this schema first.
 *
 * One key = one entry of CONFIG_KEYS, checked in that order (the first problem is the one
 * reported). To add a key (time-series keys, for example): add its entry, its field in
 * TrainConfig, and a row in docs/api.md §4. zod only.
 */
import { z } from 'zod';
import { booleanOf, fail, got, integerOf, type SchemaErrorKind } from './loose.js';

export const TASK_TYPES = ['binary_classification', 'multi_classification', 'regression'] as const;
export type TaskType = (typeof TASK_TYPES)[number];
export const TIME_UNITS = ['year', 'month', 'day', 'hour', 'minute', 'eom'] as const;
/** Ours (not in Prediction One): the AutoML search budget in seconds. */
export const TIME_BUDGET_KEY = 'time_budget';
export const MAX_TIME_BUDGET_SECONDS = 86_400;

/** The config after coercion. Absent optional keys are absent. */
export interface TrainConfig {
  /** Absent only when the schema runs without the data (the service then reports it with the column list). */
  readonly tc?: string;
  readonly tt: TaskType;
  /** As text; compared with the target's values by the service. */
  readonly tv?: string;
  readonly cv: number;
  readonly im: boolean;
  readonly tsm: boolean;
  readonly tsin: boolean;
  readonly tsu?: (typeof TIME_UNITS)[number];
  readonly tsc?: string;
  readonly tss?: string;
  readonly tsi?: number;
  readonly tsf?: number;
  readonly tst?: number;
  readonly tsine?: readonly string[];
  readonly time_budget?: number;
}

/** The config as a client may send it: every value also as a string. */
export type TrainConfigInput = {
  readonly [K in keyof TrainConfig]?: TrainConfig[K] extends number | undefined
    ? number | string
    : TrainConfig[K] extends boolean
      ? boolean | string
      : TrainConfig[K] extends readonly string[] | undefined
        ? string | readonly string[]
        : string;
};

/** Why a value is refused, or its coerced value. */
type Check = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: SchemaErrorKind; readonly message: string };

const ok = (value: unknown): Check => ({ ok: true, value });
const bad = (key: string, value: unknown, allowed: string): Check => ({ ok: false, error: 'INVALID_CONFIG', message: `${key}: got ${got(value)}; allowed: ${allowed}` });

function scalar(key: string, v: unknown): Check {
  if (typeof v === 'string') return ok(v);
  if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') return ok(String(v));
  return bad(key, v, 'a string');
}

function bool(key: string, v: unknown): Check {
  const b = booleanOf(v, true);
  return b === null ? bad(key, v, 'true or false') : ok(b);
}

function integer(key: string, v: unknown, min: number, allowed: string, max = Number.MAX_SAFE_INTEGER): Check {
  const n = integerOf(v);
  return n === null || n < min || n > max ? bad(key, v, allowed) : ok(n);
}

export interface ConfigKey {
  readonly key: keyof TrainConfig & string;
  /** The JSON Schema of the value as sent, for the OpenAPI document. */
  readonly json: Record<string, unknown>;
  /** Checks a present value; `cfg` holds the values coerced so far (earlier keys). */
  check(value: unknown, cfg: Readonly<Record<string, unknown>>): Check;
  /** Value when absent. */
  readonly fallback?: unknown;
}

const STRING = { anyOf: [{ type: 'string' }, { type: 'number' }] };
const BOOLEAN = { anyOf: [{ type: 'boolean' }, { type: 'string', enum: ['true', 'false', 'True', 'False', 'TRUE', 'FALSE'] }] };
const INTEGER = { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^\\s*-?\\d+\\s*$' }] };
const CV_ALLOWED = '0 (automatic), -1 (cross-validation, automatic k), 1 (no cross-validation) or k ≥ 2 folds';
const BUDGET_ALLOWED = `an integer number of seconds from 1 to ${MAX_TIME_BUDGET_SECONDS}`;

/** Every config key, in the order the checks run. */
export const CONFIG_KEYS: readonly ConfigKey[] = [
  { key: 'tc', json: { ...STRING, description: 'Target column (required)', example: 'churn' }, check: (v) => scalar('tc', v) },
  {
    key: 'tt',
    json: { type: 'string', enum: [...TASK_TYPES], description: 'Prediction type (required)', example: 'binary_classification' },
    check: (v) => ((TASK_TYPES as readonly unknown[]).includes(v) ? ok(v) : bad('tt', v, TASK_TYPES.join(', '))),
  },
  { key: 'tv', json: { ...STRING, description: 'Positive value of a binary target (required for binary, refused otherwise)', example: 'yes' }, check: (v) => scalar('tv', v) },
  { key: 'cv', json: { ...INTEGER, description: CV_ALLOWED, default: 0 }, fallback: 0, check: (v) => integer('cv', v, -1, CV_ALLOWED) },
  { key: 'im', json: { ...BOOLEAN, description: 'Class imbalance handling (classification only)', default: false }, fallback: false, check: (v) => bool('im', v) },
  { key: 'tsm', json: { ...BOOLEAN, description: 'Time-series mode', default: false }, fallback: false, check: (v) => bool('tsm', v) },
  { key: 'tsin', json: { ...BOOLEAN, default: false }, fallback: false, check: (v) => bool('tsin', v) },
  { key: 'tsu', json: { type: 'string', enum: [...TIME_UNITS], description: 'Time unit' }, check: (v) => ((TIME_UNITS as readonly unknown[]).includes(v) ? ok(v) : bad('tsu', v, TIME_UNITS.join(', '))) },
  { key: 'tsc', json: { ...STRING, description: 'Time column' }, check: (v) => scalar('tsc', v) },
  { key: 'tss', json: { ...STRING, description: 'Series column' }, check: (v) => scalar('tss', v) },
  { key: 'tsi', json: { ...INTEGER, description: 'Interval (0 = automatic)' }, check: (v) => integer('tsi', v, 0, 'an integer ≥ 0 (0 = automatic)') },
  { key: 'tsf', json: { ...INTEGER, description: 'First horizon' }, check: (v) => integer('tsf', v, 1, 'an integer ≥ 1') },
  {
    key: 'tst',
    json: { ...INTEGER, description: 'Last horizon (≥ tsf)' },
    check: (v, cfg) => {
      const n = integer('tst', v, 1, 'an integer ≥ tsf');
      if (n.ok && typeof cfg.tsf === 'number' && (n.value as number) < cfg.tsf) return bad('tst', v, `an integer ≥ tsf (${cfg.tsf})`);
      return n;
    },
  },
  {
    key: 'tsine',
    json: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], description: 'Known-future columns: a name or an array of names' },
    check: (v) => {
      const list = Array.isArray(v) ? v : [v];
      return list.every((item) => typeof item === 'string') ? ok(list) : bad('tsine', v, 'a column name or an array of column names');
    },
  },
];

/** Keys that only mean something in time-series mode; any of them asks for it. */
const TIME_SERIES_KEYS = ['tsu', 'tsc', 'tsi', 'tsf', 'tst', 'tss', 'tsine'] as const;

const TIME_BUDGET: ConfigKey = {
  key: 'time_budget',
  json: { ...INTEGER, description: `Ours: the AutoML search budget in seconds, 1–${MAX_TIME_BUDGET_SECONDS} (default TRAINING_TIME_BUDGET_SECONDS)`, example: 60 },
  check: (v) => integer(TIME_BUDGET_KEY, v, 1, BUDGET_ALLOWED, MAX_TIME_BUDGET_SECONDS),
};

/** Every accepted key name, in the documented order. */
export const CONFIG_KEY_NAMES: readonly string[] = [...CONFIG_KEYS.map((k) => k.key), TIME_BUDGET.key];

export interface TrainConfigContext {
  /** The training file's columns: a missing `tc` is then reported with them. */
  readonly columnNames?: readonly string[];
}

function listColumns(names: readonly string[]): string {
  const shown = names.slice(0, 20).map((n) => JSON.stringify(n)).join(', ');
  return names.length > 20 ? `${shown}, … (${names.length} columns)` : shown;
}

/** The first problem of a config, or its coerced value. */
export function checkTrainConfig(config: unknown, context: TrainConfigContext = {}): Check {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    return { ok: false, error: 'INVALID_BODY', message: `config: got ${got(config)}; allowed: an object with tc, tt, …` };
  }
  const cfg = config as Record<string, unknown>;
  const unknown = Object.keys(cfg).find((k) => !CONFIG_KEY_NAMES.includes(k));
  if (unknown !== undefined) return { ok: false, error: 'UNKNOWN_CONFIG_KEY', message: `config.${unknown}; allowed: ${CONFIG_KEY_NAMES.join(', ')}` };
  const out: Record<string, unknown> = {};
  for (const def of CONFIG_KEYS) {
    const v = cfg[def.key];
    if (def.key === 'tc' && (v === undefined || v === '')) {
      if (context.columnNames === undefined) continue;
      return bad('tc', v ?? null, `the target column, one of ${listColumns(context.columnNames)}`);
    }
    if (def.key === 'tt' && v === undefined) return bad('tt', null, TASK_TYPES.join(', '));
    // tv is checked against the target's values later: its shape only here, once it is given.
    if (v === undefined || (def.key === 'tv' && v === '')) {
      if (def.fallback !== undefined) out[def.key] = def.fallback;
      continue;
    }
    const r = def.check(v, out);
    if (!r.ok) return r;
    out[def.key] = r.value;
    if (def.key === 'im' && r.value === true && out.tt === 'regression') return bad('im', v, 'false with tt=regression (class imbalance applies to classification only)');
  }
  // Time-series mode is not implemented yet: its keys' shapes are checked above, then it is refused.
  const asked = TIME_SERIES_KEYS.filter((k) => cfg[k] !== undefined);
  if (out.tsm === true || asked.length > 0) {
    const why = out.tsm === true ? 'tsm=true' : `${asked.join(', ')} given`;
    return { ok: false, error: 'TIME_SERIES_NOT_SUPPORTED', message: `${why}; train without tsm and the ts* keys (time-series mode is planned)` };
  }
  if (cfg[TIME_BUDGET_KEY] !== undefined) {
    const r = TIME_BUDGET.check(cfg[TIME_BUDGET_KEY], out);
    if (!r.ok) return r;
    out[TIME_BUDGET_KEY] = r.value;
  }
  return ok(out as unknown as TrainConfig);
}

/** The JSON Schema of `config` as sent (OpenAPI). */
export function trainConfigJsonSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const def of [...CONFIG_KEYS, TIME_BUDGET]) properties[def.key] = def.json;
  return { type: 'object', properties, required: ['tc', 'tt'], additionalProperties: false, example: { tc: 'churn', tt: 'binary_classification', tv: 'yes' } };
}

/**
 * `config` as a zod schema: coerces, and reports the first problem as one issue naming its
 * catalogue entry. Without `context.columnNames` a missing `tc` passes (the service, which knows
 * the columns, reports it).
 * @example trainConfigSchema().parse({ tc: 'churn', tt: 'binary_classification', tv: 'yes', cv: '5' }).cv // → 5
 */
export function trainConfigSchema(context: TrainConfigContext = {}) {
  return z
    .custom<TrainConfigInput>()
    .transform((v, ctx): TrainConfig => {
      const r = checkTrainConfig(v, context);
      if (!r.ok) return fail(ctx, r.error, r.message);
      return r.value as TrainConfig;
    })
    .meta(trainConfigJsonSchema());
}
