/**
 * Validation of the Create Model `config` (spec §5) against the uploaded data and the limits
 * (spec §8, DESIGN §1 rows 10–11, 30). Pure: the profile comes in, settings or an AppError come
 * out. Every message names the key, the value received and what is allowed.
 *
 * Values may be strings or native JSON types ("2" and 2, "true" and true); `tsine` may be a
 * string or an array of strings.
 */
import type { TaskType, TrainSettings } from '../automl/types.js';
import type { Limits } from '../config.js';
import { AppError } from '../domain/errors.js';
import type { ColumnProfile, DatasetProfile } from '../ingest/index.js';
import type { ColumnType } from '../ingest/table.js';

/**
 * Our extension key (not in Prediction One): the AutoML search budget in seconds. It scales the
 * deterministic search work (a budget of 600 searches about 10× as much as the default 60) and is
 * the wall-clock safety stop of the search.
 */
export const TIME_BUDGET_KEY = 'time_budget';
export const CONFIG_KEYS = ['tc', 'tt', 'tv', 'cv', 'im', 'tsm', 'tsu', 'tsc', 'tsi', 'tsf', 'tst', 'tss', 'tsin', 'tsine', TIME_BUDGET_KEY] as const;
export const TASK_TYPES: readonly TaskType[] = ['binary_classification', 'multi_classification', 'regression'];
const TIME_UNITS = ['year', 'month', 'day', 'hour', 'minute', 'eom'] as const;
/** Keys that only mean something in time-series mode; any of them asks for it. */
const TIME_SERIES_KEYS = ['tsu', 'tsc', 'tsi', 'tsf', 'tst', 'tss', 'tsine'] as const;

export interface TrainingPlan {
  readonly settings: TrainSettings;
  /** Type per column for reading the files: column_info.csv, else detection; useless columns ignored. */
  readonly columnTypes: Readonly<Record<string, ColumnType>>;
  readonly dateFormats: Readonly<Record<string, string>>;
}

export interface PlanInput {
  readonly config: unknown;
  readonly learn: DatasetProfile;
  readonly evalColumns: readonly string[] | null;
  /** Types from column_info.csv (they win over detection). */
  readonly userTypes: Readonly<Record<string, ColumnType>> | null;
  readonly limits: Limits;
  /** The server's default search budget; the config's `time_budget` overrides it. */
  readonly timeBudgetSeconds: number;
  readonly seed: number;
}

function bad(key: string, value: unknown, allowed: string): AppError {
  return new AppError('INVALID_CONFIG', `${key}: got ${JSON.stringify(value)}; allowed: ${allowed}`);
}

function scalarString(key: string, v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  throw bad(key, v, 'a string');
}

function bool(key: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (v === true || v === 'true' || v === 'True' || v === 'TRUE') return true;
  if (v === false || v === 'false' || v === 'False' || v === 'FALSE') return false;
  throw bad(key, v, 'true or false');
}

function integer(key: string, v: unknown, min: number, allowed: string): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw bad(key, v, allowed);
  return n;
}

function listColumns(names: readonly string[]): string {
  const shown = names.slice(0, 20).map((n) => JSON.stringify(n)).join(', ');
  return names.length > 20 ? `${shown}, … (${names.length} columns)` : shown;
}

/** Time-series keys: their shapes are checked, then the mode is refused (not implemented yet). */
function checkTimeSeries(cfg: Record<string, unknown>): void {
  const tsm = bool('tsm', cfg.tsm, false);
  bool('tsin', cfg.tsin, false);
  if (cfg.tsu !== undefined && !(TIME_UNITS as readonly unknown[]).includes(cfg.tsu)) throw bad('tsu', cfg.tsu, TIME_UNITS.join(', '));
  for (const k of ['tsc', 'tss'] as const) if (cfg[k] !== undefined) scalarString(k, cfg[k]);
  integer('tsi', cfg.tsi, 0, 'an integer ≥ 0 (0 = automatic)');
  const tsf = integer('tsf', cfg.tsf, 1, 'an integer ≥ 1');
  const tst = integer('tst', cfg.tst, 1, 'an integer ≥ tsf');
  if (tsf !== undefined && tst !== undefined && tst < tsf) throw bad('tst', cfg.tst, `an integer ≥ tsf (${tsf})`);
  if (cfg.tsine !== undefined) {
    const list = Array.isArray(cfg.tsine) ? cfg.tsine : [cfg.tsine];
    for (const item of list) if (typeof item !== 'string') throw bad('tsine', cfg.tsine, 'a column name or an array of column names');
  }
  const asked = TIME_SERIES_KEYS.filter((k) => cfg[k] !== undefined);
  if (tsm || asked.length > 0) {
    const why = tsm ? 'tsm=true' : `${asked.join(', ')} given`;
    throw new AppError('TIME_SERIES_NOT_SUPPORTED', `${why}; train without tsm and the ts* keys (time-series mode is planned)`);
  }
}

function sameValue(a: string, b: string): boolean {
  if (a === b) return true;
  const x = Number(a);
  const y = Number(b);
  return a.trim() !== '' && b.trim() !== '' && Number.isFinite(x) && Number.isFinite(y) && x === y;
}

function checkTarget(task: TaskType, target: ColumnProfile, type: ColumnType, cfg: Record<string, unknown>, limits: Limits): string | undefined {
  const isNumeric = type === 'integer' || type === 'float';
  if (type === 'ignore' || type === 'text' || type === 'date') {
    throw new AppError('TARGET_TYPE_INVALID', `tc: column ${JSON.stringify(target.name)} is of type ${type}; the target must be a string or numeric column`);
  }
  if (task === 'regression' && !isNumeric) {
    throw new AppError('TARGET_TYPE_INVALID', `tc: column ${JSON.stringify(target.name)} is of type ${type}; tt=regression needs a numeric target`);
  }
  const nValues = target.uniqueCount;
  if (task === 'binary_classification' && nValues !== 2) {
    throw new AppError('CLASS_COUNT_INVALID', `tt=binary_classification needs exactly 2 distinct values in ${JSON.stringify(target.name)}; it has ${nValues}`);
  }
  if (task === 'multi_classification' && (nValues < 3 || nValues > limits.maxClasses)) {
    throw new AppError('CLASS_COUNT_INVALID', `tt=multi_classification needs 3 to ${limits.maxClasses} distinct values in ${JSON.stringify(target.name)}; it has ${nValues}`);
  }
  if (task !== 'binary_classification') {
    if (cfg.tv !== undefined) throw bad('tv', cfg.tv, 'nothing: tv is only used with tt=binary_classification');
    return undefined;
  }
  const values = target.topValues.map((t) => t.value);
  const allowed = values.map((v) => JSON.stringify(v)).join(' or ');
  if (cfg.tv === undefined || cfg.tv === '') {
    throw new AppError('POSITIVE_LABEL_INVALID', `tv is required with tt=binary_classification; allowed: ${allowed}`);
  }
  const tv = scalarString('tv', cfg.tv);
  const hit = values.find((v) => sameValue(v, tv));
  if (hit === undefined) throw new AppError('POSITIVE_LABEL_INVALID', `tv: got ${JSON.stringify(cfg.tv)}; allowed: ${allowed}`);
  return hit;
}

/**
 * The column and row limits of a training file (`nRows` null: columns only). Checked from the
 * upload's facts before a file is profiled, so an oversized file never reaches DuckDB.
 */
export function checkFileSize(nColumns: number, nRows: number | null, limits: Limits): void {
  if (nColumns < limits.minColumns || nColumns > limits.maxColumns) {
    throw new AppError('COLUMN_COUNT_INVALID', `the training file has ${nColumns} columns; allowed: ${limits.minColumns} to ${limits.maxColumns}`);
  }
  if (nRows !== null && nRows > limits.maxRows) {
    throw new AppError('TOO_MANY_ROWS', `the training file has ${nRows} data rows; allowed: at most ${limits.maxRows}`);
  }
}

/** Validates `config` and decides how the files will be read. Throws AppError on the first problem. */
export function planTraining(input: PlanInput): TrainingPlan {
  const { config, learn, limits } = input;
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new AppError('INVALID_BODY', `config: got ${JSON.stringify(config ?? null)}; allowed: an object with tc, tt, …`);
  }
  const cfg = config as Record<string, unknown>;
  for (const key of Object.keys(cfg)) {
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
      throw new AppError('UNKNOWN_CONFIG_KEY', `config.${key}; allowed: ${CONFIG_KEYS.join(', ')}`);
    }
  }
  if (cfg.tc === undefined || cfg.tc === '') throw bad('tc', cfg.tc ?? null, `the target column, one of ${listColumns(learn.columnNames)}`);
  const tc = scalarString('tc', cfg.tc);
  if (cfg.tt === undefined || !(TASK_TYPES as readonly unknown[]).includes(cfg.tt)) throw bad('tt', cfg.tt ?? null, TASK_TYPES.join(', '));
  const task = cfg.tt as TaskType;
  // Bounded here, before anything is queued: each fold builds its own binned tables in the training.
  const cvAllowed = `0 (automatic), -1 (cross-validation, automatic k), 1 (no cross-validation) or 2 to ${limits.maxCvFolds} folds`;
  const cv = integer('cv', cfg.cv, -1, cvAllowed) ?? 0;
  if (cv > limits.maxCvFolds) throw bad('cv', cfg.cv, cvAllowed);
  const imbalance = bool('im', cfg.im, false);
  if (imbalance && task === 'regression') throw bad('im', cfg.im, 'false with tt=regression (class imbalance applies to classification only)');
  checkTimeSeries(cfg);
  const budgetAllowed = `an integer number of seconds from 1 to ${limits.maxTimeBudgetSeconds}`;
  const timeBudgetSeconds = integer(TIME_BUDGET_KEY, cfg[TIME_BUDGET_KEY], 1, budgetAllowed) ?? Math.min(input.timeBudgetSeconds, limits.maxTimeBudgetSeconds);
  if (timeBudgetSeconds > limits.maxTimeBudgetSeconds) throw bad(TIME_BUDGET_KEY, cfg[TIME_BUDGET_KEY], budgetAllowed);

  checkFileSize(learn.columnNames.length, null, limits);
  const target = learn.columns.find((c) => c.name === tc);
  if (target === undefined) throw new AppError('TARGET_NOT_FOUND', `tc: got ${JSON.stringify(tc)}; allowed: ${listColumns(learn.columnNames)}`);
  checkFileSize(learn.columnNames.length, learn.rowCount, limits);
  const usableRows = learn.rowCount - target.missingCount;
  if (usableRows < limits.minRows) {
    throw new AppError('TOO_FEW_ROWS', `the training file has ${usableRows} data rows with a value in ${JSON.stringify(tc)}; at least ${limits.minRows} are required`);
  }

  const userTypes = input.userTypes ?? {};
  // Column names are data: `__proto__` or `constructor` must be looked up and stored as plain keys.
  const typeOf = (c: ColumnProfile): ColumnType =>
    Object.hasOwn(userTypes, c.name) ? userTypes[c.name]! : c.uselessReason !== null && c.name !== tc ? 'ignore' : c.detectedType;
  const positiveLabel = checkTarget(task, target, typeOf(target), cfg, limits);

  const columnTypes = Object.create(null) as Record<string, ColumnType>;
  const dateFormats = Object.create(null) as Record<string, string>;
  for (const c of learn.columns) {
    const type = typeOf(c);
    columnTypes[c.name] = type;
    if (type === 'date' && c.dateFormat !== undefined) dateFormats[c.name] = c.dateFormat;
  }
  if (!learn.columns.some((c) => c.name !== tc && columnTypes[c.name] !== 'ignore')) {
    throw new AppError('COLUMN_COUNT_INVALID', 'no column besides the target is left to learn from (all are ignored or unusable)');
  }
  if (input.evalColumns !== null) {
    const missing = learn.columnNames.filter((n) => !input.evalColumns!.includes(n));
    const extra = input.evalColumns.filter((n) => !learn.columnNames.includes(n));
    if (missing.length > 0 || extra.length > 0) {
      const parts = [missing.length > 0 ? `missing ${listColumns(missing)}` : '', extra.length > 0 ? `extra ${listColumns(extra)}` : ''];
      throw new AppError('EVAL_COLUMNS_MISMATCH', parts.filter((p) => p !== '').join('; '));
    }
  }
  const settings: TrainSettings = {
    target: tc,
    task,
    ...(positiveLabel === undefined ? {} : { positiveLabel }),
    cv,
    imbalance,
    timeBudgetSeconds,
    seed: input.seed,
  };
  return { settings, columnTypes, dateFormats };
}
