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
  /** The prediction of each scored row (a known target value), by row of the table, in row order. */
  readonly predictedByRow: ReadonlyMap<number, string>;
}

/** The target cell of each row as text ('' = missing). */
function targetTexts(table: TypedTable, target: string): string[] {
  const col = table.columns.find((c) => c.name === target);
  if (col === undefined) return new Array<string>(table.nRows).fill('');
  switch (col.type) {
    case 'string':
      return Array.from(col.codes, (code) => (code < 0 ? '' : (col.levels[code] ?? '')));
    case 'integer':
    case 'float':
      return Array.from(col.values, (v) => (Number.isNaN(v) ? '' : String(v)));
    case 'text':
      return [...col.values];
    default:
      return new Array<string>(table.nRows).fill('');
  }
}

function scoreOn(model: AutoModel, table: TypedTable, target: string): Scored {
  const { info } = model;
  const pred = predictAutoModel(model, table, { reasons: false });
  const K = info.classes.length;
  const rows: number[] = [];
  const ys: number[] = [];
  targetTexts(table, target).forEach((text, i) => {
    if (text === '') return;
    const y = info.task === 'regression' ? Number(text) : info.classes.indexOf(text);
    // A value that is no number, or a class the model never saw, cannot be scored.
    if (info.task === 'regression' ? !Number.isFinite(y) : y < 0) return;
    ys.push(y);
    rows.push(i);
  });
  let probs: Float64Array | null = null;
  let values: Float64Array | null = null;
  let predicted: string[];
  if (info.task === 'regression') {
    const predictedValues = pred.values;
    if (predictedValues === null) throw new Error('a regression model predicted no values');
    values = Float64Array.from(rows, (i) => predictedValues[i] ?? NaN);
    predicted = Array.from(values, String);
  } else {
    const { probabilities, labels } = pred;
    if (probabilities === null || labels === null) throw new Error('a classifier predicted no probabilities or labels');
    const scoredProbs = new Float64Array(rows.length * K);
    rows.forEach((i, r) => scoredProbs.set(probabilities.subarray(i * K, (i + 1) * K), r * K));
    probs = scoredProbs;
    predicted = rows.map((i) => labels[i] ?? '');
  }
  const ev = evaluate(info.task, K, Float64Array.from(ys), probs, values, info.threshold ?? 0.5);
  return { ev, predictedByRow: new Map(rows.map((row, j) => [row, predicted[j] ?? ''])) };
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
  const lines: (string | number)[][] = [['row', 'actual', 'predicted_new_model', 'predicted_previous_model']];
  for (const [row, predicted] of a.predictedByRow) lines.push([row + 1, texts[row] ?? '', predicted, b.predictedByRow.get(row) ?? '']);
  return csv(lines);
}
