/**
 * The encoder factory: which encoder fits a training column (by its type), and which one applies
 * a stored state (by its kind). A new kind of feature (the time-series lags, rolling windows and
 * calendar parts, say) is a new state in ColumnPlan, its encoder file, and one entry in ENCODERS.
 */
import type { TypedColumn } from '../../table/table.js';
import { categoryEncoder } from './category.js';
import type { CategoryState } from './category.js';
import { dateEncoder } from './date.js';
import type { DateState } from './date.js';
import type { ApplyContext, ColumnEncoder, EncodedColumn } from './encoder.js';
import { numericEncoder } from './numeric.js';
import type { NumericState } from './numeric.js';
import { textEncoder } from './text.js';
import type { TextState } from './text.js';

/** A fitted column: the state of its encoder (stored in the model). */
export type ColumnPlan = NumericState | DateState | CategoryState | TextState;

type EncoderTable = { readonly [K in ColumnPlan['kind']]: ColumnEncoder<Extract<ColumnPlan, { kind: K }>> };

const ENCODERS: EncoderTable = {
  numeric: numericEncoder,
  date: dateEncoder,
  category: categoryEncoder,
  text: textEncoder,
};

/** The encoder that fits a training column of this type (null: the type carries no features). */
export function encoderForColumn(column: TypedColumn): ColumnEncoder<ColumnPlan> | null {
  switch (column.type) {
    case 'integer':
    case 'float':
      return ENCODERS.numeric as ColumnEncoder<ColumnPlan>;
    case 'date':
      return ENCODERS.date as ColumnEncoder<ColumnPlan>;
    case 'string':
      return ENCODERS.category as ColumnEncoder<ColumnPlan>;
    case 'text':
      return ENCODERS.text as ColumnEncoder<ColumnPlan>;
    default:
      return null;
  }
}

/** Encodes rows with a stored state, by the encoder of its kind. */
export function applyState(state: ColumnPlan, ctx: ApplyContext): EncodedColumn {
  const encoder = ENCODERS[state.kind] as ColumnEncoder<ColumnPlan> | undefined;
  if (encoder === undefined) throw new TypeError(`unknown column encoder kind '${(state as { kind: string }).kind}'`);
  return encoder.apply(state, ctx);
}

export type { ApplyContext, ColumnEncoder, DroppedColumn, DropReason, EncodedColumn, FeaturePart, FeatureSource, FitContext, OofFolds } from './encoder.js';
export type { CategoryState, TargetStats } from './category.js';
export type { DateState } from './date.js';
export type { NumericState } from './numeric.js';
export type { TextScore, TextState } from './text.js';
export { MAX_CATEGORICAL_LEVELS, looksCodeLike } from './category.js';
export { dateParts, TREND_PARTS } from './date.js';
export { applyContextOf } from './encoder.js';
export { encoderTargets } from './targets.js';
