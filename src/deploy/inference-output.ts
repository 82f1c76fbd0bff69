/**
 * The inference response files (spec §2.14, §7.3; DESIGN rows 16–17): `prediction_valid.csv`,
 * `prediction_analysis.csv` (when `ar`) and, only when some rows could not be predicted, the
 * additive `prediction_invalid.csv`. Layouts are documented in docs/deploy.md.
 */
import type { AutoModelInfo, AutoPredictions, Reason } from '../automl/types.js';
import { writeCsv } from '../formats/csv.js';
import type { InferenceFlags } from './inference-request.js';
import type { InferenceTable } from './inference-table.js';

export const VALID_FILE = 'prediction_valid.csv';
export const ANALYSIS_FILE = 'prediction_analysis.csv';
export const INVALID_FILE = 'prediction_invalid.csv';

export const ROW_NUMBER_HEADER = 'row_number';
export const PREDICTION_HEADER = 'prediction';
export const REASON_HEADER = 'reason';
export const N_REASONS = 3;
export const REASON_UP_HEADERS = ['reason_up_1', 'reason_up_2', 'reason_up_3'] as const;
export const REASON_DOWN_HEADERS = ['reason_down_1', 'reason_down_2', 'reason_down_3'] as const;

export interface OutputFile {
  readonly name: string;
  /** Base64 of the UTF-8 CSV (no BOM). */
  readonly data: string;
}

export interface InferenceOutputs {
  /** The response's `outputs`: valid first (clients that read `outputs[0]` get the results), then analysis, then invalid. */
  readonly outputs: readonly OutputFile[];
  /** The same files as text, for tests, logs and the batch endpoint. */
  readonly valid: string;
  readonly analysis: string | null;
  readonly invalid: string | null;
}

type Cell = string | number | null;

/**
 * Shortest text that reads back as the same double; empty for NaN/±Infinity; no "-0".
 * @example formatNumber(0.1 + 0.2) // → '0.30000000000000004'
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return '';
  return x === 0 ? '0' : String(x);
}

/** Contributions are explanations, not results: 6 decimals, trailing zeros dropped. */
export function formatContribution(x: number): string {
  if (!Number.isFinite(x)) return '';
  const rounded = Math.round(x * 1e6) / 1e6;
  return rounded === 0 ? '0' : String(rounded);
}

/** `column:value:contribution` (GUI format `[項目名]:[項目内容]:[寄与度]`); the contribution follows the last colon. */
export function formatReason(reason: Reason): string {
  return `${reason.column}:${reason.value}:${formatContribution(reason.contribution)}`;
}

function toBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/**
 * Build the response files for the rows of `table` that were predicted (`predictions.nRows` must
 * equal `table.table.nRows`). Reasons are read only when `flags.withReasons`.
 * @example
 * const out = buildInferenceOutputs({ info, predictions, table, flags });
 * out.outputs.map((f) => f.name) // → ['prediction_valid.csv', 'prediction_analysis.csv']
 */
export function buildInferenceOutputs(input: {
  readonly info: Pick<AutoModelInfo, 'task' | 'classes'>;
  readonly predictions: AutoPredictions;
  readonly table: Pick<InferenceTable, 'header' | 'rowNumbers' | 'keys' | 'inputCells' | 'invalidRows'>;
  readonly flags: InferenceFlags;
}): InferenceOutputs {
  const { info, predictions, table, flags } = input;
  const nRows = table.rowNumbers.length;
  if (predictions.nRows !== nRows) throw new RangeError(`predictions has ${predictions.nRows} rows, the table ${nRows}`);
  const isClassification = info.task !== 'regression';
  const nClasses = info.classes.length;
  if (isClassification && (predictions.probabilities === null || predictions.probabilities.length !== nRows * nClasses)) {
    throw new RangeError(`classification needs ${nRows} × ${nClasses} probabilities`);
  }
  if (!isClassification && (predictions.values === null || predictions.values.length !== nRows)) throw new RangeError(`regression needs ${nRows} values`);
  const withLabel = isClassification && !flags.omitLabel;
  if (withLabel && (predictions.labels === null || predictions.labels.length !== nRows)) throw new RangeError(`nc=false needs ${nRows} labels`);
  if (flags.appendInput && table.inputCells === null) throw new RangeError('ad=true needs the input cells (keepInputCells)');
  if (flags.withReasons && (predictions.reasons === null || predictions.reasons.length !== nRows)) throw new RangeError(`ar=true needs ${nRows} reason sets`);

  // Left edge: the pc column replaces the row number; nr drops the row number (pc stays).
  const leftHeader: string[] = flags.keyColumn !== null ? [flags.keyColumn] : flags.omitRowNumber ? [] : [ROW_NUMBER_HEADER];
  const header: string[] = [...leftHeader];
  if (withLabel || !isClassification) header.push(PREDICTION_HEADER);
  if (isClassification) header.push(...info.classes);
  if (flags.appendInput) header.push(...table.header);

  const rows: Cell[][] = [];
  for (let r = 0; r < nRows; r++) {
    const row: Cell[] = [];
    if (flags.keyColumn !== null) row.push(table.keys?.[r] ?? '');
    else if (!flags.omitRowNumber) row.push(table.rowNumbers[r]!);
    if (isClassification) {
      if (withLabel) row.push(predictions.labels![r]!);
      const base = r * nClasses;
      for (let k = 0; k < nClasses; k++) row.push(formatNumber(predictions.probabilities![base + k]!));
    } else {
      row.push(formatNumber(predictions.values![r]!));
    }
    if (flags.appendInput) row.push(...table.inputCells![r]!);
    rows.push(row);
  }
  const valid = writeCsv(header, rows);

  let analysis: string | null = null;
  if (flags.withReasons) {
    const analysisRows: Cell[][] = [];
    for (let r = 0; r < nRows; r++) {
      const { up, down } = predictions.reasons![r]!;
      const row = rows[r]!.slice();
      for (let i = 0; i < N_REASONS; i++) row.push(i < up.length ? formatReason(up[i]!) : '');
      for (let i = 0; i < N_REASONS; i++) row.push(i < down.length ? formatReason(down[i]!) : '');
      analysisRows.push(row);
    }
    analysis = writeCsv([...header, ...REASON_UP_HEADERS, ...REASON_DOWN_HEADERS], analysisRows);
  }

  let invalid: string | null = null;
  if (table.invalidRows.length > 0) {
    // Always carries the row number (nr does not apply: it is how the caller finds the row).
    const invalidHeader = flags.keyColumn !== null ? [ROW_NUMBER_HEADER, flags.keyColumn, REASON_HEADER] : [ROW_NUMBER_HEADER, REASON_HEADER];
    invalid = writeCsv(
      invalidHeader,
      table.invalidRows.map((row) => (flags.keyColumn !== null ? [row.rowNumber, row.key ?? '', row.reason] : [row.rowNumber, row.reason])),
    );
  }

  const outputs: OutputFile[] = [{ name: VALID_FILE, data: toBase64(valid) }];
  if (analysis !== null) outputs.push({ name: ANALYSIS_FILE, data: toBase64(analysis) });
  if (invalid !== null) outputs.push({ name: INVALID_FILE, data: toBase64(invalid) });
  return { outputs, valid, analysis, invalid };
}
