/**
 * One inference request end to end, without I/O: body → flags and CSV → typed rows (row-level
 * problems set aside) → the model's predictions → the response's `outputs`. The caller has already
 * checked access (inference-access.ts) and resolved the model once (services/model-store.ts).
 */
import type { AutoModelInfo, AutoPredictions } from '../automl/types.js';
import type { TypedTable } from '../table/table.js';
import { buildInferenceOutputs, type OutputFile } from './inference-output.js';
import { parseInferenceRequest, type InferenceFlags, type InferenceRequest } from './inference-request.js';
import { readInferenceTable } from './inference-table.js';
import { forecastInference, type Forecaster } from './forecast-inference.js';

/** What inference needs from a loaded model (automl `predictAutoModel` bound to one model). */
export interface InferenceModel {
  readonly info: AutoModelInfo;
  predict(table: TypedTable, options: { reasons: boolean }): AutoPredictions;
  /** Training date format per date column, when the model records it (else detected per request). */
  readonly dateFormats?: Readonly<Record<string, string>>;
  /** A time-series model: requests are histories and answers forecasts (forecast-inference.ts). */
  readonly forecaster?: Forecaster;
}

export interface InferenceContext {
  /** The classifier's `version`, echoed in the response. */
  readonly version: string;
  /** Current UTC year (for `mmm-yy` dates); the caller owns the clock. */
  readonly referenceYear: number;
  readonly maxRows?: number;
  readonly maxCsvBytes?: number;
}

/** The documented response plus additive `warnings` (present only when there are any). */
export interface InferenceResponse {
  readonly version: string;
  readonly outputs: readonly OutputFile[];
  readonly warnings?: readonly string[];
}

export interface InferenceResult {
  readonly response: InferenceResponse;
  readonly flags: InferenceFlags;
  /** Data rows in the request, rows predicted, rows set aside (for request logs and counters). */
  readonly nRows: number;
  readonly nPredicted: number;
  readonly nInvalid: number;
}

/** The predictions of a table with no rows (the model is not called). */
export function emptyPredictions(info: AutoModelInfo, withReasons: boolean): AutoPredictions {
  const isClassification = info.task !== 'regression';
  return {
    nRows: 0,
    probabilities: isClassification ? new Float64Array(0) : null,
    labels: isClassification ? [] : null,
    values: isClassification ? null : new Float64Array(0),
    reasons: withReasons ? [] : null,
  };
}

/**
 * Run one request. Throws AppError 4001030104 for a malformed body or an unusable CSV;
 * rows that cannot be read are reported in `prediction_invalid.csv` instead.
 * @example
 * const { response } = runInference(request.body, { info: model.info, predict: (t, o) => predictAutoModel(model, t, o) }, { version: '2', referenceYear: 2026 });
 */
export function runInference(body: unknown, model: InferenceModel, ctx: InferenceContext): InferenceResult {
  return runDecodedInference(parseInferenceRequest(body, ctx.maxCsvBytes === undefined ? {} : { maxCsvBytes: ctx.maxCsvBytes }), model, ctx);
}

/** The same for a request already decoded (`parseInferenceRequest`): CSV text and flags. */
export function runDecodedInference(request: Pick<InferenceRequest, 'csvText' | 'flags'>, model: InferenceModel, ctx: InferenceContext): InferenceResult {
  const { flags } = request;
  if (model.forecaster !== undefined) return runForecast(request, model, model.forecaster, ctx);
  const table = readInferenceTable(request.csvText, {
    inputColumns: model.info.inputColumns,
    keyColumn: flags.keyColumn,
    keepInputCells: flags.appendInput,
    referenceYear: ctx.referenceYear,
    ...(ctx.maxRows === undefined ? {} : { maxRows: ctx.maxRows }),
    ...(model.dateFormats === undefined ? {} : { dateFormats: model.dateFormats }),
  });
  // Labels are asked for only when shown; reasons only when `ar` (TreeSHAP is the expensive part).
  const predictions = table.table.nRows === 0 ? emptyPredictions(model.info, flags.withReasons) : model.predict(table.table, { reasons: flags.withReasons });
  const { outputs } = buildInferenceOutputs({ info: model.info, predictions, table, flags });
  const response: InferenceResponse =
    table.warnings.length > 0 ? { version: ctx.version, outputs, warnings: table.warnings } : { version: ctx.version, outputs };
  return { response, flags, nRows: table.nRows, nPredicted: table.table.nRows, nInvalid: table.invalidRows.length };
}

/** A time-series model's request: the history in, one row per series and forecast time out (`ar` applies; pc, nr, nc, ad do not). */
function runForecast(
  request: Pick<InferenceRequest, 'csvText' | 'flags'>,
  model: InferenceModel,
  forecaster: Forecaster,
  ctx: InferenceContext,
): InferenceResult {
  const tsc = forecaster.needs.settings.timeColumn;
  const timeFormat = model.dateFormats !== undefined && Object.hasOwn(model.dateFormats, tsc) ? model.dateFormats[tsc]! : null;
  const answer = forecastInference(
    {
      csvText: request.csvText,
      withReasons: request.flags.withReasons,
      timeFormat,
      referenceYear: ctx.referenceYear,
      ...(ctx.maxRows === undefined ? {} : { maxRows: ctx.maxRows }),
    },
    forecaster,
  );
  const response: InferenceResponse =
    answer.warnings.length > 0
      ? { version: ctx.version, outputs: answer.outputs, warnings: answer.warnings }
      : { version: ctx.version, outputs: answer.outputs };
  return { response, flags: request.flags, nRows: answer.nRows, nPredicted: answer.nForecasts, nInvalid: 0 };
}
