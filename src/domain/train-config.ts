/**
 * The Create Model `config` (spec §5): its keys, their shapes and coercion ("2" and 2, "true" and
 * true, `tsine` a string or an array). Pure and dependency-free: the API's zod schema
 * (api/schemas/train-config.ts) wraps it, and services/train-config.ts runs it before the checks
 * against the data (is `tc` a column, does `tv` occur, class counts, limits).
 *
 * One key = one entry of CONFIG_KEYS, checked in that order (the first problem is the one
 * reported). To add a key (time-series keys, for example): add its entry, its field in
 * TrainConfig, and a row in docs/api.md §4.
 */

/** The catalogue entries (domain/errors.ts) a config problem answers. */
export type ConfigErrorKind = 'INVALID_BODY' | 'INVALID_CONFIG' | 'UNKNOWN_CONFIG_KEY' | 'TIME_SERIES_UNSUPPORTED_OPTION';

const got = (value: unknown): string => JSON.stringify(value ?? null);

function integerOf(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) ? n : null;
}

function booleanOf(v: unknown): boolean | null {
  if (v === true || v === 'true' || v === 'True' || v === 'TRUE') return true;
  if (v === false || v === 'false' || v === 'False' || v === 'FALSE') return false;
  return null;
}

export const TASK_TYPES = ['binary_classification', 'multi_classification', 'regression'] as const;
export type TaskType = (typeof TASK_TYPES)[number];
export { TIME_UNITS } from './time-series.js';
import { TIME_UNITS, type TimeUnit } from './time-series.js';
/** Ours (not in Prediction One): the holiday calendar of time-series features, ISO 3166-1 alpha-2 or `none`. */
export const HOLIDAYS_KEY = 'holidays';
export const DEFAULT_HOLIDAYS = 'JP';
/** Ours (not in Prediction One): the AutoML search budget in seconds. */
export const TIME_BUDGET_KEY = 'time_budget';
/** The bounds the server applies unless configured (MAX_CV_FOLDS, MAX_TIME_BUDGET_SECONDS). */
export const DEFAULT_MAX_CV_FOLDS = 10;
export const DEFAULT_MAX_TIME_BUDGET_SECONDS = 3600;

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
  readonly tsu?: TimeUnit;
  readonly tsc?: string;
  readonly tss?: string;
  readonly tsi?: number;
  readonly tsf?: number;
  readonly tst?: number;
  readonly tsine?: readonly string[];
  /** Set (default `JP`) only with tsm=true. */
  readonly holidays?: string;
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
export type ConfigCheck = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: ConfigErrorKind; readonly message: string };
type Check = ConfigCheck;

const ok = (value: unknown): Check => ({ ok: true, value });
const bad = (key: string, value: unknown, allowed: string): Check => ({
  ok: false,
  error: 'INVALID_CONFIG',
  message: `${key}: got ${got(value)}; allowed: ${allowed}`,
});

function scalar(key: string, v: unknown): Check {
  if (typeof v === 'string') return ok(v);
  if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') return ok(String(v));
  return bad(key, v, 'a string');
}

function bool(key: string, v: unknown): Check {
  const b = booleanOf(v);
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
  check(value: unknown, cfg: Readonly<Record<string, unknown>>, bounds: Bounds): Check;
  /** Value when absent. */
  readonly fallback?: unknown;
}

const STRING = { anyOf: [{ type: 'string' }, { type: 'number' }] };
const BOOLEAN = { anyOf: [{ type: 'boolean' }, { type: 'string', enum: ['true', 'false', 'True', 'False', 'TRUE', 'FALSE'] }] };
const INTEGER = { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^\\s*-?\\d+\\s*$' }] };
interface Bounds {
  readonly maxCvFolds: number;
  readonly maxTimeBudgetSeconds: number;
}

const cvAllowed = (b: Bounds) => `0 (automatic), -1 (cross-validation, automatic k), 1 (no cross-validation) or 2 to ${b.maxCvFolds} folds`;
const budgetAllowed = (b: Bounds) => `an integer number of seconds from 1 to ${b.maxTimeBudgetSeconds}`;

/** Every config key, in the order the checks run. */
export const CONFIG_KEYS: readonly ConfigKey[] = [
  { key: 'tc', json: { ...STRING, description: 'Target column (required)', example: 'churn' }, check: (v) => scalar('tc', v) },
  {
    key: 'tt',
    json: { type: 'string', enum: [...TASK_TYPES], description: 'Prediction type (required)', example: 'binary_classification' },
    check: (v) => ((TASK_TYPES as readonly unknown[]).includes(v) ? ok(v) : bad('tt', v, TASK_TYPES.join(', '))),
  },
  {
    key: 'tv',
    json: { ...STRING, description: 'Positive value of a binary target (required for binary, refused otherwise)', example: 'yes' },
    check: (v) => scalar('tv', v),
  },
  {
    key: 'cv',
    json: { ...INTEGER, description: '0 (automatic), -1 (cross-validation, automatic k), 1 (no cross-validation) or 2 to MAX_CV_FOLDS (10) folds', default: 0 },
    fallback: 0,
    // Bounded: each fold builds its own binned tables in the training.
    check: (v, _cfg, b) => integer('cv', v, -1, cvAllowed(b), b.maxCvFolds),
  },
  {
    key: 'im',
    json: { ...BOOLEAN, description: 'Class imbalance handling (classification only)', default: false },
    fallback: false,
    check: (v) => bool('im', v),
  },
  { key: 'tsm', json: { ...BOOLEAN, description: 'Time-series mode', default: false }, fallback: false, check: (v) => bool('tsm', v) },
  { key: 'tsin', json: { ...BOOLEAN, default: false }, fallback: false, check: (v) => bool('tsin', v) },
  {
    key: 'tsu',
    json: { type: 'string', enum: [...TIME_UNITS], description: 'Time unit' },
    check: (v) => ((TIME_UNITS as readonly unknown[]).includes(v) ? ok(v) : bad('tsu', v, TIME_UNITS.join(', '))),
  },
  { key: 'tsc', json: { ...STRING, description: 'Time column' }, check: (v) => scalar('tsc', v) },
  { key: 'tss', json: { ...STRING, description: 'Series column' }, check: (v) => scalar('tss', v) },
  {
    key: 'tsi',
    json: { ...INTEGER, description: 'Interval in tsu units (0 = automatic): years 1–10, months 1–11, days 1–28, hours 1–23, minutes 1–59' },
    check: (v, cfg) => {
      const n = integer('tsi', v, 0, 'an integer ≥ 0 (0 = automatic)');
      if (!n.ok || n.value === 0 || typeof cfg.tsu !== 'string') return n;
      const max = MAX_INTERVAL[cfg.tsu as TimeUnit];
      return (n.value as number) > max ? bad('tsi', v, `0 (automatic) or 1 to ${max} with tsu=${cfg.tsu}`) : n;
    },
  },
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
  {
    key: 'holidays',
    json: {
      type: 'string',
      description: 'Ours: holiday calendar of the time-series features, an ISO 3166-1 alpha-2 country code or "none"',
      default: DEFAULT_HOLIDAYS,
      example: 'JP',
    },
    check: (v) => {
      if (typeof v === 'string' && /^[A-Za-z]{2}$/.test(v)) return ok(v.toUpperCase());
      if (typeof v === 'string' && v.toLowerCase() === 'none') return ok('none');
      return bad('holidays', v, 'an ISO 3166-1 alpha-2 country code (e.g. JP, US, DE) or "none"');
    },
  },
];

/** The largest `tsi` per unit (spec §5: years 1–10, months 1–11, days 1–28, hours 1–23, minutes 1–59). */
export const MAX_INTERVAL: Readonly<Record<TimeUnit, number>> = { year: 10, month: 11, eom: 11, day: 28, hour: 23, minute: 59 };

/** Keys that only mean something in time-series mode; any of them asks for it. */
const TIME_SERIES_KEYS = ['tsu', 'tsc', 'tsi', 'tsf', 'tst', 'tss', 'tsine', HOLIDAYS_KEY] as const;

const TIME_BUDGET: ConfigKey = {
  key: 'time_budget',
  json: {
    ...INTEGER,
    description: 'Ours: the AutoML search budget in seconds, 1 to MAX_TIME_BUDGET_SECONDS (3600; default TRAINING_TIME_BUDGET_SECONDS, 60)',
    example: 60,
  },
  check: (v, _cfg, b) => integer(TIME_BUDGET_KEY, v, 1, budgetAllowed(b), b.maxTimeBudgetSeconds),
};

/** Every accepted key name, in the documented order (spec §5; the checks run in CONFIG_KEYS' order). */
export const CONFIG_KEY_NAMES: readonly string[] = [
  'tc',
  'tt',
  'tv',
  'cv',
  'im',
  'tsm',
  'tsu',
  'tsc',
  'tsi',
  'tsf',
  'tst',
  'tss',
  'tsin',
  'tsine',
  HOLIDAYS_KEY,
  TIME_BUDGET_KEY,
];

export interface TrainConfigContext {
  /** The training file's columns: a missing `tc` is then reported with them. */
  readonly columnNames?: readonly string[];
  /** The server's bounds (Config.limits); the defaults otherwise. */
  readonly maxCvFolds?: number;
  readonly maxTimeBudgetSeconds?: number;
}

function listColumns(names: readonly string[]): string {
  const shown = names
    .slice(0, 20)
    .map((n) => JSON.stringify(n))
    .join(', ');
  return names.length > 20 ? `${shown}, … (${names.length} columns)` : shown;
}

/** The first problem of a config, or its coerced value (a TrainConfig). */
export function checkTrainConfig(config: unknown, context: TrainConfigContext = {}): Check {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    return { ok: false, error: 'INVALID_BODY', message: `config: got ${got(config)}; allowed: an object with tc, tt, …` };
  }
  const cfg = config as Record<string, unknown>;
  const unknown = Object.keys(cfg).find((k) => !CONFIG_KEY_NAMES.includes(k));
  if (unknown !== undefined) return { ok: false, error: 'UNKNOWN_CONFIG_KEY', message: `config.${unknown}; allowed: ${CONFIG_KEY_NAMES.join(', ')}` };
  const bounds: Bounds = {
    maxCvFolds: context.maxCvFolds ?? DEFAULT_MAX_CV_FOLDS,
    maxTimeBudgetSeconds: context.maxTimeBudgetSeconds ?? DEFAULT_MAX_TIME_BUDGET_SECONDS,
  };
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
    const r = def.check(v, out, bounds);
    if (!r.ok) return r;
    out[def.key] = r.value;
    if (def.key === 'im' && r.value === true && out.tt === 'regression')
      return bad('im', v, 'false with tt=regression (class imbalance applies to classification only)');
  }
  const ts = checkTimeSeriesKeys(cfg, out);
  if (ts !== null) return ts;
  if (cfg[TIME_BUDGET_KEY] !== undefined) {
    const r = TIME_BUDGET.check(cfg[TIME_BUDGET_KEY], out, bounds);
    if (!r.ok) return r;
    out[TIME_BUDGET_KEY] = r.value;
  }
  return ok(out as unknown as TrainConfig);
}

/**
 * The time-series rules that need several keys (spec §5): ts* keys only with tsm=true; tsm only
 * with tt=regression, with tsc, tsf and tst, and without cv (rolling-origin validation replaces
 * it). The eval file is refused by the service, which knows whether one was uploaded.
 */
function checkTimeSeriesKeys(cfg: Readonly<Record<string, unknown>>, out: Record<string, unknown>): Check | null {
  if (out.tsm !== true) {
    const given = TIME_SERIES_KEYS.find((k) => cfg[k] !== undefined);
    return given === undefined ? null : bad(given, cfg[given], 'only with tsm=true (time-series mode)');
  }
  if (out.tt !== 'regression') return bad('tsm', cfg.tsm, `true only with tt=regression (got tt=${String(out.tt)})`);
  if (cfg.cv !== undefined) {
    return {
      ok: false,
      error: 'TIME_SERIES_UNSUPPORTED_OPTION',
      message: `cv: got ${got(cfg.cv)}; allowed: no cv with tsm=true (time-series models are validated on rolling origins at the end of the data)`,
    };
  }
  for (const key of ['tsc', 'tsf', 'tst'] as const) {
    if (out[key] === undefined || out[key] === '')
      return bad(key, cfg[key], key === 'tsc' ? 'the time column (required with tsm=true)' : 'an integer ≥ 1 (required with tsm=true)');
  }
  if (out.tss === '') delete out.tss;
  if (out.tsi === 0) delete out.tsi;
  if (out.tsi !== undefined && out.tsu === undefined) return bad('tsi', cfg.tsi, '0 (automatic) unless tsu is given too');
  out.holidays ??= DEFAULT_HOLIDAYS;
  return null;
}

/** The JSON Schema of `config` as sent (OpenAPI). */
export function trainConfigJsonSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const def of [...CONFIG_KEYS, TIME_BUDGET]) properties[def.key] = def.json;
  return { type: 'object', properties, required: ['tc', 'tt'], additionalProperties: false, example: { tc: 'churn', tt: 'binary_classification', tv: 'yes' } };
}
