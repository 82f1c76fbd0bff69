/**
 * The Create Model `config` (spec §5) against the uploaded data and the limits (spec §8, DESIGN §1
 * rows 10–11, 30). Pure: the config and the profile come in, settings or an AppError come out.
 * The config's shapes and coercion ("2" and 2, "true" and true) are the schema's
 * (domain/train-config.ts, also the API's); here are the checks that need the data. Every message
 * names the key, the value received and what is allowed.
 */
import type { TaskType, TrainSettings } from '../automl/types.js';
import type { Limits, TimeSeriesLimits } from '../config.js';
import type { TimeSeriesSettings } from '../domain/time-series.js';

/** TimeSeriesSettings before the timestamps are read: `unit` / `interval` only when configured. */
export type TimeSeriesDraft = Omit<TimeSeriesSettings, 'unit' | 'interval'> & Partial<Pick<TimeSeriesSettings, 'unit' | 'interval'>>;
import { holidayCalendar } from '../automl/timeseries/holidays.js';
import { AppError } from '../domain/errors.js';
import { checkTrainConfig, type TrainConfig } from '../domain/train-config.js';

/** The accepted config keys (the schema's, domain/train-config.ts). */
export { CONFIG_KEY_NAMES as CONFIG_KEYS } from '../domain/train-config.js';
import type { ColumnProfile, DatasetProfile } from '../ingest/index.js';
import type { ColumnType } from '../table/table.js';

export interface TrainingPlan {
  /** Without `timeSeries` until the data checks resolved it (time-series-plan.ts). */
  readonly settings: TrainSettings;
  /** Time-series mode: the settings the config and the columns decide; `tsu` / `tsi` only when given. */
  readonly timeSeries?: TimeSeriesDraft;
  /** Type per column for reading the files: column_info.csv, else detection; useless columns ignored. */
  readonly columnTypes: Readonly<Record<string, ColumnType>>;
  readonly dateFormats: Readonly<Record<string, string>>;
}

export interface PlanInput {
  /** The config as sent (POST /models) or as stored (retrains): checked by the schema first. */
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

function listColumns(names: readonly string[]): string {
  const shown = names
    .slice(0, 20)
    .map((n) => JSON.stringify(n))
    .join(', ');
  return names.length > 20 ? `${shown}, … (${names.length} columns)` : shown;
}

/**
 * The config after the schema, with a missing `tc` reported with the file's columns and the
 * server's bounds on cv and time_budget. Throws AppError.
 */
export function parseTrainConfig(config: unknown, columnNames: readonly string[], limits: Pick<Limits, 'maxCvFolds' | 'maxTimeBudgetSeconds'>): TrainConfig {
  const r = checkTrainConfig(config, { columnNames, maxCvFolds: limits.maxCvFolds, maxTimeBudgetSeconds: limits.maxTimeBudgetSeconds });
  if (!r.ok) throw new AppError(r.error, r.message);
  return r.value as TrainConfig;
}

function sameValue(a: string, b: string): boolean {
  if (a === b) return true;
  const x = Number(a);
  const y = Number(b);
  return a.trim() !== '' && b.trim() !== '' && Number.isFinite(x) && Number.isFinite(y) && x === y;
}

function checkTarget(task: TaskType, target: ColumnProfile, type: ColumnType, cfg: TrainConfig, limits: Limits): string | undefined {
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
    throw new AppError(
      'CLASS_COUNT_INVALID',
      `tt=multi_classification needs 3 to ${limits.maxClasses} distinct values in ${JSON.stringify(target.name)}; it has ${nValues}`,
    );
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
  const tv = cfg.tv;
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
  const { learn, limits } = input;
  const cfg = parseTrainConfig(input.config, learn.columnNames, limits);
  const tc = cfg.tc!;
  const task = cfg.tt;
  const { cv, im: imbalance } = cfg;
  const timeBudgetSeconds = cfg.time_budget ?? Math.min(input.timeBudgetSeconds, limits.maxTimeBudgetSeconds);

  checkFileSize(learn.columnNames.length, null, limits);
  const target = learn.columns.find((c) => c.name === tc);
  if (target === undefined) throw new AppError('TARGET_NOT_FOUND', `tc: got ${JSON.stringify(tc)}; allowed: ${listColumns(learn.columnNames)}`);
  checkFileSize(learn.columnNames.length, learn.rowCount, limits);
  if (cfg.tsm) checkTimeSeriesSize(learn, limits.timeSeries);
  const usableRows = learn.rowCount - target.missingCount;
  if (usableRows < limits.minRows) {
    throw new AppError(
      'TOO_FEW_ROWS',
      `the training file has ${usableRows} data rows with a value in ${JSON.stringify(tc)}; at least ${limits.minRows} are required`,
    );
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
  if (cfg.tsm && input.evalColumns !== null) {
    throw new AppError(
      'TIME_SERIES_UNSUPPORTED_OPTION',
      'an evaluation file was uploaded; allowed: no evaluation file with tsm=true (time-series models are evaluated on rolling origins at the end of the training data); open a new process without eval_data_set_upload_url',
    );
  }
  const timeSeries = cfg.tsm ? timeSeriesDraft(cfg, learn.columnNames, columnTypes) : undefined;
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
  return { settings, columnTypes, dateFormats, ...(timeSeries === undefined ? {} : { timeSeries }) };
}

/** Spec §8's time-series limits (20–10,000 rows, ≤ 200 columns; TS_* settings). */
function checkTimeSeriesSize(learn: DatasetProfile, ts: TimeSeriesLimits): void {
  const n = learn.columnNames.length;
  if (n > ts.maxColumns)
    throw new AppError('COLUMN_COUNT_INVALID', `the training file has ${n} columns; allowed with tsm=true: at most ${ts.maxColumns} (TS_MAX_COLUMNS)`);
  if (learn.rowCount < ts.minRows)
    throw new AppError('TOO_FEW_ROWS', `the training file has ${learn.rowCount} data rows; at least ${ts.minRows} are required with tsm=true (TS_MIN_ROWS)`);
  if (learn.rowCount > ts.maxRows)
    throw new AppError('TOO_MANY_ROWS', `the training file has ${learn.rowCount} data rows; allowed with tsm=true: at most ${ts.maxRows} (TS_MAX_ROWS)`);
}

/**
 * The time-series settings the columns decide: tsc, tss and tsine are columns of the file, and
 * `tsin` + `tsine` become one list of known-future columns (tsin=false: tsine lists the known
 * ones; tsin=true: the ones NOT known). Forces the time column to a date and the series column to
 * a string. `unit` / `interval` are absent here when not given (time-series-plan.ts infers them).
 */
function timeSeriesDraft(cfg: TrainConfig, names: readonly string[], columnTypes: Record<string, ColumnType>): TimeSeriesDraft {
  const tc = cfg.tc!;
  const column = (key: 'tsc' | 'tss' | 'tsine', name: string, reserved: readonly string[]): void => {
    if (!names.includes(name)) throw bad(key, name, `a column of the training file: ${listColumns(names)}`);
    if (reserved.includes(name)) throw bad(key, name, `a column other than ${reserved.map((r) => JSON.stringify(r)).join(' and ')}`);
  };
  const tsc = cfg.tsc!;
  column('tsc', tsc, [tc]);
  const tss = cfg.tss;
  if (tss !== undefined) column('tss', tss, [tc, tsc]);
  const reserved = [tc, tsc, ...(tss === undefined ? [] : [tss])];
  columnTypes[tsc] = 'date';
  if (tss !== undefined) columnTypes[tss] = 'string';
  const features = names.filter((n) => !reserved.includes(n) && columnTypes[n] !== 'ignore');
  const tsine = [...new Set(cfg.tsine ?? [])];
  for (const name of tsine) {
    column('tsine', name, reserved);
    if (columnTypes[name] === 'ignore')
      throw bad('tsine', name, `a column the model uses; ${JSON.stringify(name)} is ignored (constant, empty, ID-like or typed ignore in column_info.csv)`);
  }
  const holidays = cfg.holidays ?? 'JP';
  try {
    holidayCalendar(holidays);
  } catch {
    throw bad('holidays', holidays, 'an ISO 3166-1 alpha-2 country code that has a holiday calendar (JP, US, DE, …) or "none"');
  }
  const knownFuture = cfg.tsin ? features.filter((n) => !tsine.includes(n)) : features.filter((n) => tsine.includes(n));
  return {
    timeColumn: tsc,
    ...(cfg.tsu === undefined ? {} : { unit: cfg.tsu }),
    ...(cfg.tsi === undefined ? {} : { interval: cfg.tsi }),
    fromStep: cfg.tsf!,
    toStep: cfg.tst!,
    ...(tss === undefined ? {} : { seriesColumn: tss }),
    knownFuture,
    holidays,
  };
}
