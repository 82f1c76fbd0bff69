/**
 * date → year, month, day, weekday, day of year, hour (when any training value has a time of day)
 * and elapsed days since 1970, in UTC wall-clock terms. NaN in, NaN out. The trend parts (year,
 * elapsed) can be left out when the validation prefers that on a time-ordered file (`omit`).
 */
import type { TypedColumn } from '../../table/table.js';
import { columnDates } from '../column-values.js';
import type { ColumnEncoder, EncodedColumn, FeaturePart, FitResult } from './encoder.js';
import { numericFeature } from './encoder.js';

export interface DateState {
  readonly kind: 'date';
  readonly name: string;
  readonly hasTime: boolean;
  /** Parts left out (the trend parts of a time-ordered file, when validation prefers that). */
  readonly omit?: readonly FeaturePart[];
}

const DAY = 86400;

/** Parts of a date that only grow with time: a model cannot extrapolate them into the future. */
export const TREND_PARTS: readonly FeaturePart[] = ['year', 'elapsed'];

/** Date parts of epoch seconds (UTC wall clock): NaN in, NaN out. */
export function dateParts(values: Float64Array, hasTime: boolean): [FeaturePart, Float64Array][] {
  const n = values.length;
  const parts: FeaturePart[] = ['year', 'month', 'day', 'weekday', 'dayofyear', ...(hasTime ? (['hour'] as const) : []), 'elapsed'];
  const cols = parts.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const t = values[i]!;
    if (Number.isNaN(t)) {
      for (const c of cols) c[i] = NaN;
      continue;
    }
    const d = new Date(t * 1000);
    const year = d.getUTCFullYear();
    const startOfYear = Date.UTC(year, 0, 1) / 1000;
    const row = [
      year,
      d.getUTCMonth() + 1,
      d.getUTCDate(),
      d.getUTCDay(),
      Math.floor((t - startOfYear) / DAY) + 1,
      ...(hasTime ? [d.getUTCHours()] : []),
      t / DAY,
    ];
    for (let p = 0; p < cols.length; p++) cols[p]![i] = row[p]!;
  }
  return parts.map((p, k) => [p, cols[k]!]);
}

function encode(state: DateState, values: Float64Array): EncodedColumn {
  const parts: FeaturePart[] = [];
  const columns = [];
  for (const [part, v] of dateParts(values, state.hasTime)) {
    if (state.omit?.includes(part)) continue;
    parts.push(part);
    columns.push(numericFeature(state.name, part, v));
  }
  return { parts, columns };
}

export const dateEncoder: ColumnEncoder<DateState> = {
  kind: 'date',
  fit(column: TypedColumn): FitResult<DateState> {
    if (column.type !== 'date') throw new TypeError(`date encoder on a ${column.type} column`);
    let hasTime = false;
    for (let i = 0; i < column.values.length && !hasTime; i++) {
      const v = column.values[i]!;
      if (!Number.isNaN(v) && v % DAY !== 0) hasTime = true;
    }
    const state: DateState = { kind: 'date', name: column.name, hasTime };
    return { state, train: encode(state, column.values) };
  },
  apply(state, ctx) {
    return encode(state, columnDates(ctx.column(state.name), ctx.nRows));
  },
};
