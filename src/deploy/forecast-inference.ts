/**
 * Inference through a deployed time-series model (docs/timeseries.md §API): the `pr` CSV holds the
 * recent history in the training file's columns (time, target, the other columns, `tss`), and
 * optionally rows after each series' last observed target, target empty, carrying the
 * known-future columns of the forecast times. The history is checked (the training checks, with
 * the model's unit and interval), the known-future values are looked up, the model forecasts
 * every step tsf..tst, and the answer holds one row per series and forecast time.
 *
 * Every problem is an `Invalid request` (4001030104) whose detail names the check (`TS_…`), the
 * column, the row or time and what was expected; the model's own AppErrors pass through as they are.
 */
import { AppError } from '../domain/errors.js';
import type { ForecastNeeds, ForecastOptions, ForecastReason, ForecastRow, TimeSeriesSettings } from '../domain/time-series.js';
import { writeCsv } from '../formats/csv.js';
import { addUnits, checkTimeSeries, timeSeriesDataOf, type TimeSeriesCheckResult } from '../ingest/index.js';
import type { TypedColumn, TypedTable } from '../table/table.js';
import {
  ANALYSIS_FILE,
  formatContribution,
  formatNumber,
  N_REASONS,
  PREDICTION_HEADER,
  REASON_DOWN_HEADERS,
  REASON_UP_HEADERS,
  VALID_FILE,
  type InferenceOutputs,
  type OutputFile,
} from './inference-output.js';
import { invalidRequest } from './inference-request.js';
import { readInferenceTable } from './inference-table.js';
import { formatTime } from './time-format.js';

export const HORIZON_HEADER = 'horizon';
export const LOWER_HEADER = 'lower';
export const UPPER_HEADER = 'upper';

/** What inference needs of a deployed forecaster (automl `forecastAutoModel` bound to one model). */
export interface Forecaster {
  /** The target column (`AutoModelInfo.target`). */
  readonly target: string;
  readonly needs: ForecastNeeds;
  forecast(history: TypedTable, options: ForecastOptions): readonly ForecastRow[];
}

export interface ForecastRequest {
  readonly csvText: string;
  readonly withReasons: boolean;
  /** The training file's format of the time column (the answer's times are written in it). */
  readonly timeFormat: string | null;
  readonly referenceYear: number;
  readonly maxRows?: number;
}

export interface ForecastAnswer extends InferenceOutputs {
  /** Data rows in the request. */
  readonly nRows: number;
  /** Forecast rows in the answer. */
  readonly nForecasts: number;
  /** Request-level notes, e.g. a lag-only column missing from the CSV (read as missing). */
  readonly warnings: readonly string[];
}

const q = (s: string): string => JSON.stringify(s);

/** The checks' AppError as the prediction API's `Invalid request`, its code name leading the detail. */
function asInvalidRequest(err: unknown): unknown {
  if (!(err instanceof AppError) || err.kind === 'INFERENCE_INVALID_REQUEST') return err;
  return invalidRequest(`${err.error}: ${err.detail ?? err.message}`);
}

/** The request's history as the model reads it: the time column as dates, the others typed as in training. */
function historyTable(read: TypedTable, settings: TimeSeriesSettings, checked: TimeSeriesCheckResult): TypedTable {
  const columns: TypedColumn[] = read.columns.map((c) =>
    c.name === settings.timeColumn ? { name: c.name, type: 'date', values: checked.epochs, format: checked.dateFormat } : c,
  );
  return { nRows: read.nRows, columns };
}

/** Every known-future column has a value at every forecast time of every series. */
function checkKnownFuture(read: TypedTable, settings: TimeSeriesSettings, checked: TimeSeriesCheckResult, format: string, target: string): void {
  if (settings.knownFuture.length === 0) return;
  const columns = settings.knownFuture.map((name) => read.columns.find((c) => c.name === name)!);
  const isMissing = (c: TypedColumn, row: number): boolean =>
    c.type === 'string' ? c.codes[row]! < 0 : c.type === 'text' ? c.values[row] === '' : c.type === 'ignore' ? true : Number.isNaN(c.values[row]!);
  for (const s of checked.series) {
    const rowAt = new Map<number, number>();
    for (const row of s.rows.slice(s.nObserved)) rowAt.set(checked.epochs[row]!, row);
    for (let h = settings.fromStep; h <= settings.toStep; h++) {
      const t = addUnits(s.lastObserved, h * settings.interval, settings.unit);
      const row = rowAt.get(t);
      const where = `${s.series === null ? '' : `series ${q(s.series)} (${settings.seriesColumn}), `}time ${q(formatTime(t, format))} (horizon ${h})`;
      if (row === undefined) {
        throw invalidRequest(
          `TS_KNOWN_FUTURE_MISSING: ${where} has no row; the model uses the known-future columns ${settings.knownFuture.map(q).join(', ')}, so add a row per forecast time after the last observed ${q(target)} with the time, these values and the target empty`,
        );
      }
      const empty = columns.find((c) => isMissing(c, row));
      if (empty !== undefined)
        throw invalidRequest(`TS_KNOWN_FUTURE_MISSING: column ${q(empty.name)}, row ${row + 1} (${where}) is empty; expected its known-future value`);
    }
  }
}

function reasonText(r: ForecastReason): string {
  return `${r.feature}:${formatContribution(r.contribution)}`;
}

/**
 * One forecast request end to end, without I/O. Throws AppError 4001030104 for an unusable
 * history (what is wrong is in the detail).
 * @example forecastInference({ csvText: 'date,sales\n2024-01-01,3\n…', withReasons: false, timeFormat: 'yyyy-MM-dd', referenceYear: 2026 }, forecaster).valid
 */
export function forecastInference(request: ForecastRequest, model: Forecaster): ForecastAnswer {
  const { settings } = model.needs;
  const targetName = model.target;
  const inputColumns = model.needs.columns.map((c) => ({
    name: c.name,
    type: c.name === settings.timeColumn ? ('text' as const) : c.name === settings.seriesColumn ? ('string' as const) : c.type,
  }));
  const read = readInferenceTable(request.csvText, {
    inputColumns,
    keyColumn: null,
    keepInputCells: false,
    referenceYear: request.referenceYear,
    ...(request.maxRows === undefined ? {} : { maxRows: request.maxRows }),
  });
  const first = read.invalidRows[0];
  if (first !== undefined) throw invalidRequest(`row ${first.rowNumber}: ${first.reason}; every row of a time-series history must be readable`);
  const header = new Set(read.header);
  const needed = [settings.timeColumn, targetName, ...(settings.seriesColumn === undefined ? [] : [settings.seriesColumn]), ...settings.knownFuture];
  const absent = needed.filter((n) => !header.has(n));
  if (absent.length > 0)
    throw invalidRequest(
      `the CSV lacks the column${absent.length > 1 ? 's' : ''} ${absent.map(q).join(', ')}; a time-series history needs the time, the target${settings.seriesColumn === undefined ? '' : ', the series'} and the known-future columns`,
    );

  let checked: TimeSeriesCheckResult;
  try {
    checked = checkTimeSeries(
      timeSeriesDataOf(read.table, {
        time: settings.timeColumn,
        target: targetName,
        ...(settings.seriesColumn === undefined ? {} : { series: settings.seriesColumn }),
        dateFormat: request.timeFormat,
      }),
      {
        unit: settings.unit,
        interval: settings.interval,
        minPeriods: model.needs.minHistory,
        minPeriodsReason: `the model's lags and windows need ${model.needs.minHistory} observed periods per series`,
        maxSeries: Number.MAX_SAFE_INTEGER,
        trailingEmptyTargets: true,
        referenceYear: request.referenceYear,
      },
    );
  } catch (err) {
    throw asInvalidRequest(err);
  }
  const format = request.timeFormat ?? checked.dateFormat;
  checkKnownFuture(read.table, settings, checked, format, targetName);
  let rows: readonly ForecastRow[];
  try {
    rows = model.forecast(historyTable(read.table, settings, checked), { reasons: request.withReasons });
  } catch (err) {
    throw asInvalidRequest(err);
  }
  return { ...forecastOutputs(rows, settings, format, request.withReasons), nRows: read.nRows, nForecasts: rows.length, warnings: read.warnings };
}

function toBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** prediction_valid.csv (tsc, horizon, [tss], prediction, lower, upper) and, with reasons, prediction_analysis.csv. */
export function forecastOutputs(rows: readonly ForecastRow[], settings: TimeSeriesSettings, format: string, withReasons: boolean): InferenceOutputs {
  const header = [
    settings.timeColumn,
    HORIZON_HEADER,
    ...(settings.seriesColumn === undefined ? [] : [settings.seriesColumn]),
    PREDICTION_HEADER,
    LOWER_HEADER,
    UPPER_HEADER,
  ];
  const cells = rows.map((r) => [
    formatTime(r.time, format),
    r.horizon,
    ...(settings.seriesColumn === undefined ? [] : [r.series ?? '']),
    formatNumber(r.prediction),
    formatNumber(r.lower),
    formatNumber(r.upper),
  ]);
  const valid = writeCsv(header, cells);
  const outputs: OutputFile[] = [{ name: VALID_FILE, data: toBase64(valid) }];
  let analysis: string | null = null;
  if (withReasons) {
    const analysisRows = rows.map((r, i) => {
      const up = r.reasons?.up ?? [];
      const down = r.reasons?.down ?? [];
      const row: (string | number)[] = [...cells[i]!];
      for (let k = 0; k < N_REASONS; k++) row.push(k < up.length ? reasonText(up[k]!) : '');
      for (let k = 0; k < N_REASONS; k++) row.push(k < down.length ? reasonText(down[k]!) : '');
      return row;
    });
    analysis = writeCsv([...header, ...REASON_UP_HEADERS, ...REASON_DOWN_HEADERS], analysisRows);
    outputs.push({ name: ANALYSIS_FILE, data: toBase64(analysis) });
  }
  return { outputs, valid, analysis, invalid: null };
}
