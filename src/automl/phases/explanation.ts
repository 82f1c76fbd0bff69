/**
 * Phase "explain": TreeSHAP of an evenly spaced sample of the evaluation rows, turned into per-row
 * reasons, importance per column (and per date part and word for model.json) and the analysis
 * summary blocks (one per class for multi-class).
 */
import { predictClass } from '../decision.js';
import { explainContext, probabilityScale, rowItems, topReasons } from '../explain.js';
import type { Item } from '../explain.js';
import type { PreprocessPlan } from '../plan.js';
import { nOutputsOf } from '../search.js';
import { columnImportance, summarizeColumns } from '../summary.js';
import type { ColumnSummary, Importance } from '../summary.js';
import type { TargetInfo } from '../target.js';
import type { Reason } from '../types.js';
import type { EvaluationRows } from './evaluation.js';
import type { TrainingRun } from './run.js';

/**
 * Evaluation rows explained (TreeSHAP) for reasons, importance and the analysis summary: an evenly
 * spaced sample; 500 rows give stable mean |contribution| rankings at half the cost of 1,000.
 */
export const MAX_EXPLAINED_ROWS = 500;
/** Multi-class analysis summaries are written for at most this many classes. */
const MAX_SUMMARY_CLASSES = 20;

export interface ImportanceDetail {
  readonly dateParts: readonly { column: string; part: string; value: number }[];
  readonly words: readonly { column: string; word: string; value: number }[];
}

export interface Explanations {
  /** Top reasons of the explained evaluation rows, by evaluation row. */
  readonly reasonsOf: ReadonlyMap<number, { up: Reason[]; down: Reason[] }>;
  readonly importance: readonly Importance[];
  readonly importanceDetail: ImportanceDetail;
  readonly summaryBlocks: readonly { classLabel: string | null; summaries: ColumnSummary[] }[];
  /** Names of the two directions of the analysis summary (binary: positive, negative class). */
  readonly directions: readonly [string, string];
}

/** Predicted class of evaluation row i, by the model's decision rule. */
export function predictedClassOf(ev: EvaluationRows, nClasses: number, i: number): number {
  return predictClass(ev.evaluation.task, ev.probs!, nClasses, i, ev.threshold ?? 0.5, ev.classWeights);
}

const kindOf = (task: TrainingRun['task']): 'binary' | 'multiclass' | 'regression' =>
  task === 'binary_classification' ? 'binary' : task === 'multi_classification' ? 'multiclass' : 'regression';

export function explainPhase(run: TrainingRun, plan: PreprocessPlan, target: TargetInfo, ev: EvaluationRows): Explanations {
  const task = run.task;
  const nClasses = target.classes.length;
  const nOut = nOutputsOf(task, nClasses);
  const nEval = ev.y.length;
  const F = plan.features.length;
  const step = Math.max(1, Math.ceil(nEval / MAX_EXPLAINED_ROWS));
  const explained = Int32Array.from({ length: Math.ceil(nEval / step) }, (_, j) => j * step);
  const shap = ev.shapOf(explained);
  const ctx = explainContext(plan, ev.table, ev.docs);
  /** Factor from raw units to user units of explained row j for an output. */
  const scaleFor = (j: number, output: number): number => {
    const i = explained[j]!;
    const base = new Float64Array(nOut);
    for (let o = 0; o < nOut; o++) base[o] = shap[(j * nOut + o) * (F + 1) + F]!;
    return probabilityScale(kindOf(task), ev.raw.subarray(i * nOut, (i + 1) * nOut), base, output);
  };
  const itemsFor = (j: number, output: number): Item[] => {
    const scale = scaleFor(j, output);
    return rowItems(ctx, shap, (j * nOut + output) * (F + 1), explained[j]!).map((it) => ({ ...it, contribution: it.contribution * scale }));
  };
  // Finer importance for model.json: per date part and per word (main output).
  const partSum = new Float64Array(F);
  const wordSum = new Map<string, number>();
  const reasonsOf = new Map<number, { up: Reason[]; down: Reason[] }>();
  const mainItems: Item[][] = [];
  for (let j = 0; j < explained.length; j++) {
    const output = task === 'multi_classification' ? predictedClassOf(ev, nClasses, explained[j]!) : 0;
    const items = itemsFor(j, output);
    reasonsOf.set(explained[j]!, topReasons(items, 1, 3));
    mainItems.push(items);
    const scale = scaleFor(j, output);
    for (let f = 0; f < F; f++) partSum[f]! += Math.abs(shap[(j * nOut + output) * (F + 1) + f]! * scale);
    for (const it of items)
      if (it.isWord) wordSum.set(`${it.column}\u0000${it.value}`, (wordSum.get(`${it.column}\u0000${it.value}`) ?? 0) + Math.abs(it.contribution));
  }
  const nExplained = Math.max(1, explained.length);
  const importanceDetail: ImportanceDetail = {
    dateParts: plan.features
      .map((f, k) => ({ column: f.column, part: f.part, value: Number((partSum[k]! / nExplained).toPrecision(6)) }))
      .filter((d) => plan.columns.some((c) => c.kind === 'date' && c.name === d.column)),
    words: [...wordSum.entries()]
      .map(([key, v]) => ({ column: key.split('\u0000')[0]!, word: key.split('\u0000')[1]!, value: Number((v / nExplained).toPrecision(6)) }))
      .sort((a, b) => b.value - a.value || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
      .slice(0, 50),
  };
  const columnNames = plan.columns.map((c) => c.name);
  const sourceCols = new Map(ev.table.columns.map((c) => [c.name, c]));
  const importance = columnImportance(columnNames, task === 'multi_classification' ? perClassItemsUnion(explained, nClasses, itemsFor) : mainItems);
  const summaryBlocks: { classLabel: string | null; summaries: ColumnSummary[] }[] = [];
  if (task === 'multi_classification') {
    for (let k = 0; k < Math.min(nClasses, MAX_SUMMARY_CLASSES); k++) {
      const rowsK = Array.from(explained, (_, j) => itemsFor(j, k));
      summaryBlocks.push({ classLabel: target.classes[k]!, summaries: summarizeColumns(columnImportance(columnNames, rowsK), rowsK, explained, sourceCols) });
    }
  } else {
    summaryBlocks.push({ classLabel: null, summaries: summarizeColumns(importance, mainItems, explained, sourceCols) });
  }
  const directions: [string, string] = task === 'binary_classification' ? [target.classes[1]!, target.classes[0]!] : ['increase', 'decrease'];
  return { reasonsOf, importance, importanceDetail, summaryBlocks, directions };
}

/** Multi-class importance: mean over classes of each column's |contribution|, as one item list per row. */
function perClassItemsUnion(explained: Int32Array, nClasses: number, itemsFor: (j: number, k: number) => Item[]): Item[][] {
  return Array.from(explained, (_, j) => {
    const out: Item[] = [];
    for (let k = 0; k < nClasses; k++) {
      const perCol = new Map<string, number>();
      for (const it of itemsFor(j, k)) perCol.set(it.column, (perCol.get(it.column) ?? 0) + it.contribution);
      for (const [column, v] of perCol) out.push({ column, value: '', isWord: false, contribution: Math.abs(v) / nClasses });
    }
    return out;
  });
}
