/** The report's warnings and its "evaluated on" line, in both languages (catalogue.ts). */
import type { TypedTable } from '../../table/table.js';
import type { Evaluation } from '../evaluate.js';
import { columnsAloneReaching } from '../leakage.js';
import type { PreprocessPlan } from '../plan.js';
import type { TargetInfo } from '../target.js';
import type { TaskType } from '../types.js';
import type { ValidationPlan } from '../validation.js';
import { both } from './catalogue.js';
import type { Bilingual } from './catalogue.js';

/** Headline score at or above which the report asks the user to check for leakage. */
export const LEAK_SUSPECT = 0.99;
/** A column "reaches" the headline when it alone scores at least the headline minus this (or LEAK_SUSPECT). */
const SUSPECT_MARGIN = 0.005;
const MAX_SUSPECTS = 3;
/** Classes with fewer training rows get a warning. */
export const RARE_CLASS_ROWS = 10;
/** Fewer evaluation rows than this: the metrics are noisy. */
export const FEW_EVALUATION_ROWS = 50;

export interface WarningFacts {
  readonly task: TaskType;
  /** The training rows with a target (row r ↔ target.y[r]): the suspects of a leak are looked for there. */
  readonly table: TypedTable;
  readonly evaluation: Evaluation;
  readonly plan: PreprocessPlan;
  readonly target: TargetInfo;
  readonly stoppedByTime: boolean;
}

export function buildWarnings(f: WarningFacts): Bilingual[] {
  const w: Bilingual[] = [];
  const m = f.evaluation.metrics;
  const headline = f.task === 'binary_classification' ? m.auc! : f.task === 'multi_classification' ? m.accuracy! : m.r2!;
  if (headline >= LEAK_SUSPECT) {
    // Name the columns that alone reach (almost) the accuracy; a high accuracy that no single
    // column explains (many columns together, or a name's characters) is not a suspected leak.
    const used = new Set(f.plan.columns.map((c) => c.name));
    const suspects = columnsAloneReaching(
      f.table.columns.filter((c) => used.has(c.name)),
      f.target,
      Math.min(LEAK_SUSPECT, headline - SUSPECT_MARGIN),
    ).slice(0, MAX_SUSPECTS);
    if (suspects.length > 0) {
      const metric = f.task === 'binary_classification' ? 'AUC' : f.task === 'multi_classification' ? 'accuracy' : 'R²';
      const shown = suspects.map((x) => ({ column: x.column, score: x.score.toFixed(4) }));
      w.push(both((c) => c.warning.suspectedLeak(metric, headline.toFixed(4), shown)));
    }
  }
  if (f.task !== 'regression') {
    f.target.classes.forEach((label, k) => {
      let count = 0;
      for (const y of f.target.y) if (y === k) count++;
      if (count < RARE_CLASS_ROWS) w.push(both((c) => c.warning.rareClass(label, count)));
    });
  }
  for (const d of f.plan.dropped) {
    if (d.reason === 'ignored') continue;
    w.push(both((c) => c.warning.columnLeftOut(d.name, c.dropReason[d.reason], d.detail)));
  }
  if (f.stoppedByTime) w.push(both((c) => c.warning.stoppedByTime));
  if (f.evaluation.nRows < FEW_EVALUATION_ROWS) w.push(both((c) => c.warning.fewEvaluationRows(f.evaluation.nRows)));
  return w;
}

/** Which rows the metrics come from. */
export function evaluationSource(evaluationFile: boolean, validation: ValidationPlan): Bilingual {
  if (evaluationFile) return both((c) => c.source.evaluationFile);
  if (validation.kind === 'holdout' && validation.timeOrderedBy !== undefined) return both((c) => c.source.latestRows(validation.timeOrderedBy!));
  if (validation.kind === 'holdout') return both((c) => c.source.holdout);
  return both((c) => c.source.kfold(validation.nFolds));
}
