/**
 * The string catalogues of the result files: every sentence a user reads in the report and its
 * warnings, once per language (ja.ts, en.ts), behind one interface so that a missing translation
 * is a type error. `both` picks the same entry from each catalogue for the bilingual report.
 */
import type { DropReason } from '../encoders/index.js';
import type { TaskType } from '../types.js';
import { en } from './en.js';
import { ja } from './ja.js';

/** A sentence in both report languages. */
export interface Bilingual {
  readonly ja: string;
  readonly en: string;
}

interface Chart {
  readonly title: string;
  readonly note: string;
}

export interface Catalogue {
  /** Metric names by metrics.csv key. */
  readonly metric: Readonly<Record<string, string>>;
  readonly dropReason: Readonly<Record<DropReason, string>>;
  readonly task: Readonly<Record<TaskType, string>>;
  readonly report: {
    readonly title: string;
    readonly trainingRows: (n: number) => string;
    readonly rows: (n: number) => string;
    readonly modelLevel: string;
    readonly warnings: string;
    readonly metrics: string;
    readonly charts: string;
    readonly columnsLeftOut: string;
    readonly noColumnLeftOut: string;
    readonly column: string;
    readonly reason: string;
    readonly footer: string;
  };
  readonly chart: {
    readonly confusion: Chart;
    readonly roc: Chart;
    readonly distribution: { readonly title: string; readonly note: (positive: string) => string };
    readonly calibration: Chart;
    readonly topN: Chart;
    readonly perClass: { readonly title: string };
    readonly scatter: Chart;
    readonly errors: Chart;
    readonly importance: Chart;
  };
  readonly warning: {
    /** The headline metric is implausibly high and these columns alone reach it (name, score), best first. */
    readonly suspectedLeak: (metric: string, headline: string, suspects: readonly { column: string; score: string }[]) => string;
    readonly rareClass: (label: string, rows: number) => string;
    readonly columnLeftOut: (column: string, reason: string, detail: string) => string;
    readonly stoppedByTime: string;
    readonly fewEvaluationRows: (rows: number) => string;
  };
  readonly source: {
    readonly evaluationFile: string;
    readonly latestRows: (column: string) => string;
    readonly holdout: string;
    readonly kfold: (folds: number) => string;
  };
}

export const CATALOGUES: Readonly<Record<keyof Bilingual, Catalogue>> = { ja, en };

/** The same entry of every catalogue. */
export function both(pick: (c: Catalogue) => string): Bilingual {
  return { ja: pick(ja), en: pick(en) };
}

export function metricLabel(name: string): Bilingual {
  return both((c) => c.metric[name] ?? name);
}

export function dropReasonLabel(reason: string): Bilingual {
  return both((c) => c.dropReason[reason as DropReason] ?? reason);
}
