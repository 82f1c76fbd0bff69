/**
 * The column encoder contract: one encoder per column kind keeps its `fit` (decide the state on the
 * training rows, encode them) and its `apply` (encode any rows with that state) side by side, so
 * the two cannot drift apart. The state is plain data: it is stored in the model (plan.ts) and
 * read back by `apply` at prediction time.
 *
 * An encoder reads its own column, but both contexts give access to the whole table, so encoders
 * that need other columns (a time series' lags and rolling windows read the time and series-key
 * columns and the target's history) fit the same contract: add the state to `ColumnPlan` (plan.ts)
 * and the encoder to the table in encoders/index.ts.
 */
import type { FeatureColumn } from '../../engine/index.js';
import type { TypedColumn, TypedTable } from '../../table/table.js';
import type { SparseDocs } from '../text.js';
import type { TaskType } from '../types.js';

export type DropReason = 'ignored' | 'constant' | 'all_missing' | 'id_like' | 'target_leak' | 'no_words';

export interface DroppedColumn {
  readonly name: string;
  readonly reason: DropReason;
  readonly detail: string;
}

/** What an engine feature is, within its column. */
export type FeaturePart =
  | 'value'
  | 'code'
  | 'frequency'
  | `stat${number}`
  | `text${number}`
  | 'year'
  | 'month'
  | 'day'
  | 'weekday'
  | 'dayofyear'
  | 'hour'
  | 'elapsed';

/** One engine feature and the original column it comes from. */
export interface FeatureSource {
  readonly column: string;
  readonly part: FeaturePart;
}

/** Encoded features of one column, in a fixed order. */
export interface EncodedColumn {
  readonly parts: readonly FeaturePart[];
  readonly columns: readonly FeatureColumn[];
  /** Columns with a text score: the rows' sparse documents (for per-word contributions). */
  readonly docs?: SparseDocs;
}

/**
 * Per-row targets the supervised encoders (target statistics, text scores) learn from:
 * nRows × nOut, see targets.ts.
 */
export interface EncoderTargets {
  readonly t: Float64Array;
  readonly nOut: number;
}

/** Folds for out-of-fold training features of the supervised encoders. */
export interface OofFolds {
  readonly fold: Int32Array;
  readonly n: number;
}

export interface FitContext {
  /** The training rows (row r ↔ the target's row r). */
  readonly table: TypedTable;
  readonly task: TaskType;
  readonly targets: EncoderTargets;
  /**
   * Out-of-fold folds, or null: then the supervised encoders' training features come from the
   * full-data state, exactly what `apply` gives (used by the property tests).
   */
  readonly folds: OofFolds | null;
  readonly seed: number;
}

export interface ApplyContext {
  readonly nRows: number;
  /** A column of the table being encoded by name (undefined: absent, reads as missing). */
  column(name: string): TypedColumn | undefined;
}

export type FitResult<S> = { readonly state: S; readonly train: EncodedColumn } | { readonly dropped: DroppedColumn };

export interface ColumnEncoder<S extends { readonly kind: string; readonly name: string }> {
  readonly kind: S['kind'];
  /** Decides the state on the training rows of `column` and encodes them. */
  fit(column: TypedColumn, ctx: FitContext): FitResult<S>;
  /** Encodes any rows with a fitted state: unseen levels, wrong types and absent columns included. */
  apply(state: S, ctx: ApplyContext): EncodedColumn;
}

/** The engine name of a feature. */
export function featureName(column: string, part: FeaturePart): string {
  return `${column}#${part}`;
}

export function numericFeature(column: string, part: FeaturePart, values: Float64Array): FeatureColumn {
  return { kind: 'numeric', name: featureName(column, part), values };
}

export function applyContextOf(table: TypedTable): ApplyContext {
  const byName = new Map<string, TypedColumn>(table.columns.map((c) => [c.name, c]));
  return { nRows: table.nRows, column: (name) => byName.get(name) };
}
