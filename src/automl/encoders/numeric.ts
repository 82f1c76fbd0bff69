/**
 * integer / float → one numeric feature, the value itself (NaN = missing: every split learns where
 * missing rows go, so missing is a state of its own). At prediction, strings are parsed as numbers
 * and anything unparsable is missing (column-values.ts).
 */
import type { TypedColumn } from '../../table/table.js';
import { columnNumbers } from '../column-values.js';
import type { ColumnEncoder, EncodedColumn, FitResult } from './encoder.js';
import { numericFeature } from './encoder.js';

export interface NumericState {
  readonly kind: 'numeric';
  readonly name: string;
  readonly type: 'integer' | 'float';
}

function encode(name: string, values: Float64Array): EncodedColumn {
  return { parts: ['value'], columns: [numericFeature(name, 'value', values)] };
}

export const numericEncoder: ColumnEncoder<NumericState> = {
  kind: 'numeric',
  fit(column: TypedColumn): FitResult<NumericState> {
    if (column.type !== 'integer' && column.type !== 'float') throw new TypeError(`numeric encoder on a ${column.type} column`);
    return { state: { kind: 'numeric', name: column.name, type: column.type }, train: encode(column.name, Float64Array.from(column.values)) };
  },
  apply(state, ctx) {
    return encode(state.name, columnNumbers(ctx.column(state.name), ctx.nRows));
  },
};
