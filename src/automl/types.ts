/**
 * The AutoML contract: what the training job hands to AutoML and what it gets back, and what the
 * prediction side (inference, batch prediction, retraining comparisons) calls on a trained model.
 *
 * Everything here is pure computation over typed tables (table/table.ts); no I/O, no clock.
 * The implementation lives in automl/pipeline.ts (trainAutoModel, predictAutoModel,
 * serializeAutoModel, deserializeAutoModel).
 */
import type { TrainingParallelism } from '../engine/index.js';
import type { TaskType, TrainSettings } from '../domain/records.js';
import type { ColumnType, TypedTable } from '../table/table.js';
import type { ForecastNeeds } from '../domain/time-series.js';

export type { TaskType, TrainSettings };

export interface AutoTrainInput {
  /** Training rows, typed with the column types in `columnTypes`. */
  readonly train: TypedTable;
  /** Optional evaluation file (same columns); only evaluates, never fits or selects (DESIGN §1 row 7). */
  readonly eval?: TypedTable;
  readonly settings: TrainSettings;
}

export interface AutoTrainHooks {
  /** Progress in [0, 1] with the phase name ('plan', 'validate', 'search', 'ensemble', 'refit', 'evaluate', 'explain', 'report'). */
  onProgress?(fraction: number, phase: string): void;
  /** Seconds elapsed since training started (the caller owns the clock); used for the time budget. */
  elapsedSeconds?(): number;
  /** Checked between boosting rounds and search steps; true aborts with an AutoMlCancelled error. */
  isCancelled?(): boolean;
  /**
   * Optional threads for the GBDT trainer's histograms, partitions and gradients
   * (compute/parallel-training.ts, created and closed by the caller). Models are identical with or without it; only speed changes.
   */
  readonly parallel?: TrainingParallelism;
}

export interface ResultFile {
  readonly name: string;
  readonly content: string | Uint8Array;
}

export interface AutoTrainOutput {
  readonly model: AutoModel;
  /** metrics.csv, analysis_summary.csv, evaluation_raw_data.csv, confusion_matrix.csv (classification), report.html, model.json */
  readonly resultFiles: readonly ResultFile[];
  /** Headline metrics by name (e.g. auc, accuracy, rmse) on the evaluation data. */
  readonly metrics: Readonly<Record<string, number>>;
}

/** What a trained model tells its callers without exposing its internals. */
export interface AutoModelInfo {
  readonly task: TaskType;
  readonly target: string;
  /** Classification: class labels in output order (binary: [negative, positive]); regression: []. */
  readonly classes: readonly string[];
  /** Columns the model reads at prediction time, with the type to parse each one as. */
  readonly inputColumns: readonly {
    readonly name: string;
    readonly type: ColumnType;
    /** Date columns: the training file's detected format (ingest/dates), to parse requests the same way. */
    readonly dateFormat?: string;
  }[];
  /** Binary: probability threshold for the positive class. */
  readonly threshold?: number;
  /**
   * Multi-class: the predicted class is the argmax of probability × this weight (chosen for macro F1
   * on out-of-sample rows, decision.ts); absent = the plain argmax.
   */
  readonly classWeights?: readonly number[];
  /** A forecaster (time-series mode): what its forecast requests need (domain/time-series.ts). */
  readonly timeSeries?: ForecastNeeds;
}

/** Opaque trained model (plan + learners + ensemble weights); serialize it to store it. */
export interface AutoModel {
  readonly info: AutoModelInfo;
}

export interface Reason {
  readonly column: string;
  /** The row's value, or the value range / word that the contribution belongs to. */
  readonly value: string;
  /** Change in probability (binary), in the predicted value (regression) or in the class score (multi-class). */
  readonly contribution: number;
}

export interface AutoPredictions {
  readonly nRows: number;
  /** Classification: probabilities, row-major nRows × classes.length. */
  readonly probabilities: Float64Array | null;
  /** Classification: predicted class label per row. */
  readonly labels: readonly string[] | null;
  /** Regression: predicted value per row. */
  readonly values: Float64Array | null;
  /** Per-row top reasons (up to 3 each way), when asked for. */
  readonly reasons: readonly { readonly up: readonly Reason[]; readonly down: readonly Reason[] }[] | null;
}
