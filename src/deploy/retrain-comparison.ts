/**
 * A retrain's comparison files: the new and the previous model scored on the same rows (the retrain
 * evaluation file, else its training file), as the CSVs of the comparison zip. Runs where the
 * models are loaded: in a compute thread (compute/compare-task.ts, which reads the file), off the event loop.
 */
import { evaluate, type Evaluation } from '../automl/evaluate.js';
import { predictAutoModel } from '../automl/pipeline.js';
import { confusionMatrixCsv, metricsCsv } from '../automl/results/index.js';
import type { AutoModel, ResultFile } from '../automl/types.js';
import { toCsvLine } from '../formats/csv.js';
import { compareRetrainedForecasters } from './retrain-forecast-comparison.js';
import type { ColumnType, TypedTable } from '../table/table.js';

export interface RetrainComparisonInput {
  /** Local path of the normalised file both models are scored on. */
  readonly filePath: string;
  readonly delimiter: ',' | '\t';
  readonly columnTypes: Readonly<Record<string, ColumnType>>;
  readonly dateFormats: Readonly<Record<string, string>>;
  readonly target: string;
  /** True when `filePath` is the retrain training file (the new model's figures are then in-sample). */
  readonly inSample: boolean;
  readonly newModelId: number;
  readonly previousModelId: number;
}

/** What the comparison needs beside the rows: the file's reading options are the compute thread's. */
export type RetrainComparisonFacts = Pick<RetrainComparisonInput, 'target' | 'inSample' | 'newModelId' | 'previousModelId'>;

/** The comparison zip's CSV files, both models scored on `table` (the file of `RetrainComparisonInput`, read). */
export function compareRetrainedModels(next: AutoModel, previous: AutoModel, table: TypedTable, input: RetrainComparisonFacts): ResultFile[] {
  if (next.info.timeSeries !== undefined && previous.info.timeSeries !== undefined) return compareRetrainedForecasters(next, previous, table, input);
  const { target } = input;
  const a = scoreOn(next, table, target);
  const b = scoreOn(previous, table, target);
  const source = input.inSample ? 'retrain training file (in-sample for the new model)' : 'retrain evaluation file';
  const classesOf = (m: AutoModel) => m.info.classes;
  const files: ResultFile[] = [
    { name: 'metrics.csv', content: metricsCsv(a.ev, classesOf(next)) },
    { name: 'metrics_previous_model.csv', content: metricsCsv(b.ev, classesOf(previous)) },
    { name: 'metrics_comparison.csv', content: comparisonCsv(a.ev, b.ev, source, input.newModelId, input.previousModelId) },
    { name: 'evaluation_results_comparison.csv', content: resultsComparisonCsv(table, target, a, b) },
  ];
  if (a.ev.confusion !== null) files.push({ name: 'confusion_matrix.csv', content: confusionMatrixCsv(a.ev, classesOf(next)) });
  if (b.ev.confusion !== null) files.push({ name: 'confusion_matrix_previous_model.csv', content: confusionMatrixCsv(b.ev, classesOf(previous)) });
  return files;
}

interface Scored {
  readonly ev: Evaluation;
  /** Rows of the table that were scored (known target value). */
  readonly rows: number[];
  readonly predicted: string[];
}

/** The target cell of each row as text ('' = missing). */
function targetTexts(table: TypedTable, target: string): string[] {
  const col = table.columns.find((c) => c.name === target);
  const out: string[] = new Array(table.nRows).fill('');
  if (col === undefined) return out;
  for (let i = 0; i < table.nRows; i++) {
    if (col.type === 'string') out[i] = col.codes[i]! < 0 ? '' : col.levels[col.codes[i]!]!;
    else if (col.type === 'integer' || col.type === 'float') out[i] = Number.isNaN(col.values[i]!) ? '' : String(col.values[i]);
    else if (col.type === 'text') out[i] = col.values[i]!;
  }
  return out;
}

function scoreOn(model: AutoModel, table: TypedTable, target: string): Scored {
  const { info } = model;
  const pred = predictAutoModel(model, table, { reasons: false });
  const texts = targetTexts(table, target);
  const K = info.classes.length;
  const rows: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < table.nRows; i++) {
    if (texts[i] === '') continue;
    if (info.task === 'regression') {
      const v = Number(texts[i]);
      if (!Number.isFinite(v)) continue;
      ys.push(v);
    } else {
      const k = info.classes.indexOf(texts[i]!);
      if (k < 0) continue; // a class the model never saw cannot be scored
      ys.push(k);
    }
    rows.push(i);
  }
  const y = Float64Array.from(ys);
  let probs: Float64Array | null = null;
  let values: Float64Array | null = null;
  if (info.task === 'regression') values = Float64Array.from(rows, (i) => pred.values![i]!);
  else {
    probs = new Float64Array(rows.length * K);
    rows.forEach((i, r) => probs!.set(pred.probabilities!.subarray(i * K, (i + 1) * K), r * K));
  }
  const ev = evaluate(info.task, K, y, probs, values, info.threshold ?? 0.5);
  const predicted = rows.map((i) => (info.task === 'regression' ? String(pred.values![i]) : pred.labels![i]!));
  return { ev, rows, predicted };
}

/** A result CSV for Excel: BOM, quoting and formula neutralisation by formats/csv.ts. */
function csv(lines: (string | number)[][]): string {
  return '\uFEFF' + lines.map((l) => toCsvLine(l)).join('\n') + '\n';
}

function comparisonCsv(a: Evaluation, b: Evaluation, source: string, newId: number, oldId: number): string {
  const lines: (string | number)[][] = [['metric', 'new_model', 'previous_model', 'difference']];
  lines.push(['model_id', newId, oldId, '']);
  for (const [k, v] of Object.entries(a.metrics)) {
    const w = b.metrics[k];
    lines.push([k, v, w ?? '', w === undefined ? '' : v - w]);
  }
  lines.push(['model_level', a.stars, b.stars, a.stars - b.stars]);
  lines.push(['evaluation_rows', a.nRows, b.nRows, '']);
  lines.push(['evaluation_data', source, source, '']);
  return csv(lines);
}

function resultsComparisonCsv(table: TypedTable, target: string, a: Scored, b: Scored): string {
  const texts = targetTexts(table, target);
  const prevByRow = new Map(b.rows.map((r, j) => [r, b.predicted[j]!]));
  const lines: (string | number)[][] = [['row', 'actual', 'predicted_new_model', 'predicted_previous_model']];
  a.rows.forEach((r, j) => lines.push([r + 1, texts[r]!, a.predicted[j]!, prevByRow.get(r) ?? '']));
  return csv(lines);
}
