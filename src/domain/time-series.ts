/**
 * The contract between time-series training/forecasting (src/automl/timeseries/, pure) and the
 * layers around it (config, data checks, services, deploy, web). Both sides code against these
 * types; change them only additively.
 *
 * Times are epoch seconds UTC of the file's wall-clock time, as `DateColumn.values` holds them.
 */

/** `tsu` (spec §5): `eom` steps from one month end to the next. */
export const TIME_UNITS = ['year', 'month', 'day', 'hour', 'minute', 'eom'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

/** `time_unit_id` of the column analysis (spec §4.3 proposal: the `tsu` enum order, from 1). */
export const TIME_UNIT_ID: Readonly<Record<TimeUnit, number>> = { year: 1, month: 2, day: 3, hour: 4, minute: 5, eom: 6 };

/**
 * Time-series settings after validation and inference (the config layer resolves `tsu`/`tsi`
 * when omitted, and `tsin` + `tsine` into one list of known-future columns).
 */
export interface TimeSeriesSettings {
  /** `tsc`: the time column (a date column of the table). */
  readonly timeColumn: string;
  /** `tsu`, given or inferred from the timestamps. */
  readonly unit: TimeUnit;
  /** `tsi` ≥ 1, given or inferred: one step = `interval` × `unit`. */
  readonly interval: number;
  /** `tsf` ≥ 1: the first forecast step after the last observed time. */
  readonly fromStep: number;
  /** `tst` ≥ `tsf`: the last forecast step. */
  readonly toStep: number;
  /** `tss`: the series column, when the file holds several series. */
  readonly seriesColumn?: string;
  /** Non-target, non-time, non-series columns whose values are known at the forecast time. All other feature columns are used only as lags. */
  readonly knownFuture: readonly string[];
  /** Extension key `holidays`: an ISO 3166-1 alpha-2 country code (default 'JP') or 'none'. */
  readonly holidays: string;
}

/** One forecast: a series, a time and a horizon step, with the 90% band. */
export interface ForecastRow {
  /** The `tss` value; null without a series column. */
  readonly series: string | null;
  /** Forecast time, epoch seconds UTC (format it like the time column). */
  readonly time: number;
  /** Steps ahead of the series' last observed target (tsf..tst). */
  readonly horizon: number;
  readonly prediction: number;
  /** 90% band. */
  readonly lower: number;
  readonly upper: number;
  /** Top reasons each way (as for regression), when asked for. */
  readonly reasons?: { readonly up: readonly ForecastReason[]; readonly down: readonly ForecastReason[] };
}

export interface ForecastReason {
  /** Feature named by what it is, e.g. `ridership (7 days before)`, `holiday`, `temperature`. */
  readonly feature: string;
  readonly contribution: number;
}

/**
 * What a deployed forecaster needs in its request's history, so the service can say what is
 * missing before forecasting (`AutoModelInfo.timeSeries`).
 */
export interface ForecastNeeds {
  readonly settings: TimeSeriesSettings;
  /** Rows of observed history per series the lags need (the longest lag/window + 1). */
  readonly minHistory: number;
  /** Columns the history must hold (time, target, series, every feature column). */
  readonly columns: readonly { readonly name: string; readonly type: 'integer' | 'float' | 'string' | 'text' | 'date' }[];
}

/**
 * The forecasting entry point of src/automl (exported from automl/pipeline.ts as
 * `forecastAutoModel(model, history, options)`): `history` is the request's table in the training
 * file's columns; rows after a series' last observed target (target empty) carry the known-future
 * values of the forecast times. Throws AppError for a history too short for the lags or missing
 * known-future values, naming the series, column and time.
 */
export interface ForecastOptions {
  readonly reasons: boolean;
  readonly topK?: number;
}
