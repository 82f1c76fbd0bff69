/**
 * The result files of a training (spec §7): metrics.csv, analysis_summary.csv,
 * evaluation_raw_data.csv, confusion_matrix.csv (classification), report.html and model.json,
 * from the phases' outputs. Sentences come from the string catalogues (catalogue.ts).
 */
import { analysisSummaryCsv } from '../summary.js';
import { columnLabels } from '../target.js';
import type { TargetInfo } from '../target.js';
import type { ResultFile } from '../types.js';
import type { TypedTable } from '../../table/table.js';
import type { EvaluationRows } from '../phases/evaluation.js';
import type { Explanations } from '../phases/explanation.js';
import { predictedClassOf } from '../phases/explanation.js';
import { confusionMatrixCsv, evaluationRawCsv, metricsCsv } from './files.js';
import type { RawRow } from './files.js';
import { buildManifest } from './manifest.js';
import type { ManifestFacts } from './manifest.js';
import { renderReport } from './report.js';
import { buildWarnings, evaluationSource } from './warnings.js';

export type { Bilingual, Catalogue } from './catalogue.js';
export { CATALOGUES, both, dropReasonLabel, metricLabel } from './catalogue.js';
export { confusionMatrixCsv, evaluationRawCsv, metricsCsv } from './files.js';
export { AUTOML_VERSION } from './manifest.js';
export { renderReport, renderSvg } from './report.js';

export interface ResultFacts extends Omit<ManifestFacts, 'importance' | 'importanceDetail' | 'evaluation' | 'threshold' | 'classWeights'> {
  readonly target: TargetInfo;
  /** The training rows with a target. */
  readonly table: TypedTable;
  readonly rows: EvaluationRows;
  readonly explanations: Explanations;
}

function rawRows(f: ResultFacts): RawRow[] {
  const { rows, target } = f;
  const task = target.task;
  const nClasses = target.classes.length;
  const actual = columnLabels(
    rows.table.columns.find((c) => c.name === target.name),
    rows.table.nRows,
  );
  return Array.from(
    rows.y,
    (_, i): RawRow => ({
      rowNumber: rows.sourceRows[i]! + 1,
      actual: actual[i]!,
      predicted: task === 'regression' ? String(Number(rows.raw[i]!.toPrecision(8))) : target.classes[predictedClassOf(rows, nClasses, i)]!,
      probabilities: rows.probs === null ? null : Array.from(rows.probs.subarray(i * nClasses, (i + 1) * nClasses)),
      fold: rows.fold === null ? null : rows.fold[i]!,
      reasons: f.explanations.reasonsOf.get(i) ?? null,
    }),
  );
}

export function writeResultFiles(f: ResultFacts): ResultFile[] {
  const { target, rows, explanations } = f;
  const evaluation = rows.evaluation;
  const task = target.task;
  const report = renderReport({
    task,
    target: target.name,
    classes: target.classes,
    evaluation,
    importance: explanations.importance,
    dropped: f.plan.dropped,
    warnings: buildWarnings({ task, table: f.table, evaluation, plan: f.plan, target, stoppedByTime: f.search.stoppedByTime || f.refit.stoppedByTime }),
    evaluationSource: evaluationSource(f.input.eval !== undefined, f.validation),
    nTrainRows: f.nTrain,
    classCounts: target.classes.map((_, k) => target.y.reduce((s, c) => s + (c === k ? 1 : 0), 0)),
  });
  const manifest = buildManifest({
    ...f,
    evaluation,
    threshold: rows.threshold,
    classWeights: rows.classWeights,
    importance: explanations.importance,
    importanceDetail: explanations.importanceDetail,
  });
  return [
    { name: 'metrics.csv', content: metricsCsv(evaluation, target.classes) },
    { name: 'analysis_summary.csv', content: analysisSummaryCsv(explanations.summaryBlocks, explanations.directions) },
    { name: 'evaluation_raw_data.csv', content: evaluationRawCsv(task, target.classes, rawRows(f), rows.fold !== null) },
    ...(evaluation.confusion !== null ? [{ name: 'confusion_matrix.csv', content: confusionMatrixCsv(evaluation, target.classes) }] : []),
    { name: 'report.html', content: report },
    { name: 'model.json', content: JSON.stringify(manifest, null, 2) + '\n' },
  ];
}
