/**
 * Batch prediction over a whole file (docs/deploy.md §9): the same readInferenceTable → predict →
 * buildInferenceOutputs path as a request, in chunks of `chunkRows` data rows, with row numbers
 * running over the whole file. Writes prediction_valid.csv, prediction_analysis.csv (with `ar`) and
 * prediction_invalid.csv (when some rows were not predicted) into `outDir`.
 */
import { open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeBytes } from '../ingest/encoding.js';
import { ANALYSIS_FILE, buildInferenceOutputs, INVALID_FILE, VALID_FILE } from './inference-output.js';
import type { InferenceFlags } from './inference-request.js';
import { readInferenceTable } from './inference-table.js';
import { emptyPredictions } from './inference.js';
import { forecastInference, type Forecaster } from './forecast-inference.js';
import type { InferenceModel } from './inference.js';

/** A batch predicts through the same model view as one inference request. */
export type BatchModel = InferenceModel;

export interface BatchInput {
  readonly inputPath: string;
  readonly outDir: string;
  readonly flags: InferenceFlags;
  readonly referenceYear: number;
  readonly chunkRows?: number;
  onProgress?(fraction: number): void;
}

export interface BatchOutput {
  /** Files written, in response order. */
  readonly files: readonly string[];
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

/** @throws AppError INFERENCE_INVALID_REQUEST (invalid CSV as a whole: no header, pc missing, none of the model's columns) */
export async function runBatchPrediction(model: BatchModel, input: BatchInput): Promise<BatchOutput> {
  const text = decodeBytes(await readFile(input.inputPath)).text.replace(/^\uFEFF/, '');
  if (model.forecaster !== undefined) return runBatchForecast(model, model.forecaster, text, input);
  const chunkRows = input.chunkRows ?? BATCH_CHUNK_ROWS;
  const records = splitCsvRecords(text);
  const header = records[0] ?? '';
  const total = Math.max(0, records.length - 1);
  const paths = { valid: join(input.outDir, VALID_FILE), analysis: join(input.outDir, ANALYSIS_FILE), invalid: join(input.outDir, INVALID_FILE) };
  const valid = await open(paths.valid, 'w');
  const analysis = input.flags.withReasons ? await open(paths.analysis, 'w') : null;
  const invalid = await open(paths.invalid, 'w');
  let predicted = 0;
  let nInvalid = 0;
  let invalidHeaderWritten = false;
  let warnings: readonly string[] = [];
  try {
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
        table.table.nRows === 0
          ? emptyPredictions(model.info, input.flags.withReasons)
          : model.predict(table.table, { reasons: input.flags.withReasons });
      const out = buildInferenceOutputs({ info: model.info, predictions, table: shifted, flags: input.flags });
      const first = from === 1;
      await valid.write(first ? out.valid : withoutHeader(out.valid));
      if (analysis !== null && out.analysis !== null) await analysis.write(first ? out.analysis : withoutHeader(out.analysis));
      if (out.invalid !== null) {
        await invalid.write(invalidHeaderWritten ? withoutHeader(out.invalid) : out.invalid);
        invalidHeaderWritten = true;
      }
      predicted += table.table.nRows;
      nInvalid += table.invalidRows.length;
      input.onProgress?.(Math.min(1, (from - 1 + chunkRows) / Math.max(1, total)));
    }
  } finally {
    await valid.close();
    await analysis?.close();
    await invalid.close();
  }
  const files = [paths.valid];
  if (analysis !== null) files.push(paths.analysis);
  if (nInvalid > 0) files.push(paths.invalid);
  else await rm(paths.invalid, { force: true });
  return { files, rows: { total, predicted, invalid: nInvalid }, warnings };
}


/**
 * A time-series model's batch: the whole file is one history (every series at once; a history
 * cannot be cut into chunks), answered as one request is (docs/timeseries.md §API).
 */
async function runBatchForecast(model: BatchModel, forecaster: Forecaster, text: string, input: BatchInput): Promise<BatchOutput> {
  const tsc = forecaster.needs.settings.timeColumn;
  const timeFormat = model.dateFormats !== undefined && Object.hasOwn(model.dateFormats, tsc) ? model.dateFormats[tsc]! : null;
  const total = Math.max(0, splitCsvRecords(text).length - 1);
  const answer = forecastInference({ csvText: text, withReasons: input.flags.withReasons, timeFormat, referenceYear: input.referenceYear, maxRows: Math.max(1, total) }, forecaster);
  const files = [join(input.outDir, VALID_FILE)];
  await writeFile(files[0]!, answer.valid);
  if (answer.analysis !== null) {
    files.push(join(input.outDir, ANALYSIS_FILE));
    await writeFile(files[1]!, answer.analysis);
  }
  input.onProgress?.(1);
  return { files, rows: { total, predicted: answer.nForecasts, invalid: 0 }, warnings: [] };
}
