/**
 * The shape of a result-file string catalogue (ja.ts, en.ts implement it; catalogue.ts picks
 * from them). In a file of its own so that the catalogues and their users import it without a cycle.
 */
import type { DropReason } from '../encoders/index.js';
import type { TaskType } from '../types.js';

/** A sentence in both report languages. */
export interface Bilingual {
  readonly ja: string;
  readonly en: string;
}

export interface Chart {
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
