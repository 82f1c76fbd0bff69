/**
 * Batch prediction over a whole file (docs/deploy.md §9): the same readInferenceTable → predict →
 * buildInferenceOutputs path as a request, in chunks of `chunkRows` data rows, with row numbers
 * running over the whole file. The three outputs (prediction_valid.csv, prediction_analysis.csv
 * with `ar`, prediction_invalid.csv) go to a `BatchSink` chunk by chunk; reading the input file and
 * writing the outputs is compute/batch-task.ts's (deploy/ does no I/O).
 */
import { buildInferenceOutputs } from './inference-output.js';
import type { InferenceFlags } from './inference-request.js';
import { readInferenceTable } from './inference-table.js';
import { emptyPredictions } from './inference.js';
import { forecastInference, type Forecaster } from './forecast-inference.js';
import type { InferenceModel } from './inference.js';

/** A batch predicts through the same model view as one inference request. */
export type BatchModel = InferenceModel;

export interface BatchInput {
  readonly flags: InferenceFlags;
  readonly referenceYear: number;
  readonly chunkRows?: number;
  onProgress?(fraction: number): void;
}

/** The three output files, in response order. */
export type BatchFile = 'valid' | 'analysis' | 'invalid';

/** Where a batch's output goes, chunk by chunk: each file's header once, then its rows. */
export interface BatchSink {
  write(file: BatchFile, text: string): Promise<void>;
}

export interface BatchPrediction {
  /** Files that hold an answer, in response order: valid, analysis (with `ar`), invalid (when some rows were not predicted). */
  readonly files: readonly BatchFile[];
  readonly rows: { readonly total: number; readonly predicted: number; readonly invalid: number };
  readonly warnings: readonly string[];
}

export const BATCH_CHUNK_ROWS = 10_000;

/** Splits CSV text into records' raw lines (quote-aware: a quoted field may hold newlines). */
export function splitCsvRecords(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */) inQuotes = !inQuotes;
    else if (ch === 10 /* \n */ && !inQuotes) {
      const end = i > start && text.charCodeAt(i - 1) === 13 ? i - 1 : i;
      out.push(text.slice(start, end));
      start = i + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out.filter((line, i) => i === 0 || line !== '');
}

/** Drops the first line of a CSV document (the header of a chunk after the first). */
function withoutHeader(csv: string): string {
  const nl = csv.indexOf('\n');
  return nl < 0 ? '' : csv.slice(nl + 1);
}

/**
 * Predicts every row of `text` (the decoded CSV, BOM removed) and writes the outputs to `sink`.
 * @throws AppError INFERENCE_INVALID_REQUEST (invalid CSV as a whole: no header, pc missing, none of the model's columns)
 */
export async function runBatchPrediction(model: BatchModel, text: string, input: BatchInput, sink: BatchSink): Promise<BatchPrediction> {
  if (model.forecaster !== undefined) return runBatchForecast(model.forecaster, model, text, input, sink);
  const chunkRows = input.chunkRows ?? BATCH_CHUNK_ROWS;
  const records = splitCsvRecords(text);
  const header = records[0] ?? '';
  const total = Math.max(0, records.length - 1);
  let predicted = 0;
  let nInvalid = 0;
  let invalidHeaderWritten = false;
  let warnings: readonly string[] = [];
  for (let from = 1; from <= Math.max(1, total); from += chunkRows) {
    const chunk = [header, ...records.slice(from, from + chunkRows)].join('\n') + '\n';
    const table = readInferenceTable(chunk, {
      inputColumns: model.info.inputColumns,
      keyColumn: input.flags.keyColumn,
      keepInputCells: input.flags.appendInput,
      referenceYear: input.referenceYear,
      maxRows: chunkRows,
      ...(model.dateFormats === undefined ? {} : { dateFormats: model.dateFormats }),
    });
    if (from === 1) warnings = table.warnings;
    const offset = from - 1;
    const shifted = {
      ...table,
      rowNumbers: table.rowNumbers.map((r) => r + offset),
      invalidRows: table.invalidRows.map((r) => ({ ...r, rowNumber: r.rowNumber + offset })),
    };
    const predictions =
      table.table.nRows === 0 ? emptyPredictions(model.info, input.flags.withReasons) : model.predict(table.table, { reasons: input.flags.withReasons });
    const out = buildInferenceOutputs({ info: model.info, predictions, table: shifted, flags: input.flags });
    const first = from === 1;
    await sink.write('valid', first ? out.valid : withoutHeader(out.valid));
    if (input.flags.withReasons && out.analysis !== null) await sink.write('analysis', first ? out.analysis : withoutHeader(out.analysis));
    if (out.invalid !== null) {
      await sink.write('invalid', invalidHeaderWritten ? withoutHeader(out.invalid) : out.invalid);
      invalidHeaderWritten = true;
    }
    predicted += table.table.nRows;
    nInvalid += table.invalidRows.length;
    input.onProgress?.(Math.min(1, (from - 1 + chunkRows) / Math.max(1, total)));
  }
  const files: BatchFile[] = ['valid'];
  if (input.flags.withReasons) files.push('analysis');
  if (nInvalid > 0) files.push('invalid');
  return { files, rows: { total, predicted, invalid: nInvalid }, warnings };
}
/**
 * A time-series model's batch: the whole file is one history (every series at once; a history
 * cannot be cut into chunks), answered as one request is (docs/timeseries.md §API).
 */
async function runBatchForecast(forecaster: Forecaster, model: BatchModel, text: string, input: BatchInput, sink: BatchSink): Promise<BatchPrediction> {
  const tsc = forecaster.needs.settings.timeColumn;
  const timeFormat = model.dateFormats !== undefined && Object.hasOwn(model.dateFormats, tsc) ? (model.dateFormats[tsc] ?? null) : null;
  const total = Math.max(0, splitCsvRecords(text).length - 1);
  const answer = forecastInference(
    { csvText: text, withReasons: input.flags.withReasons, timeFormat, referenceYear: input.referenceYear, maxRows: Math.max(1, total) },
    forecaster,
  );
  const files: BatchFile[] = ['valid'];
  await sink.write('valid', answer.valid);
  if (answer.analysis !== null) {
    files.push('analysis');
    await sink.write('analysis', answer.analysis);
  }
  input.onProgress?.(1);
  return { files, rows: { total, predicted: answer.nForecasts, invalid: 0 }, warnings: answer.warnings };
}
