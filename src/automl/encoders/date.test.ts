import { describe, expect, it } from 'vitest';
import type { NumericColumn } from '../../engine/index.js';
import type { TypedColumn } from '../../table/table.js';
import { stringColumn } from '../test-fixtures.js';
import { dateEncoder } from './date.js';
import { applyContextOf } from './encoder.js';
import { cases, contextWithoutOof, expectSameEncoding, randomTarget } from './property.js';

function fit(col: TypedColumn & { values: Float64Array }) {
  const out = dateEncoder.fit(col, contextWithoutOof([col], randomTarget(cases(1, 2)[0]!, col.values.length, 'binary_classification'), 1));
  if ('dropped' in out) throw new Error('dropped');
  return out;
}

describe('date encoder', () => {
  it('property: applying the fitted state to the training rows gives the training features exactly', () => {
    for (const rng of cases(30, 2)) {
      const n = 1 + rng.nextInt(300);
      const withTime = rng.nextFloat() < 0.5;
      const missing = rng.nextFloat() * 0.6;
      // From 1900 to 2100; whole days, or with a time of day.
      const values = Float64Array.from({ length: n }, () => {
        if (rng.nextFloat() < missing) return NaN;
        const day = Math.floor((rng.nextFloat() - 0.35) * 73000) * 86400;
        return withTime ? day + rng.nextInt(86400) : day;
      });
      const col = { name: 'd', type: 'date' as const, values, format: 'yyyy-MM-dd' };
      const { state, train } = fit(col);
      const omitTrend = rng.nextFloat() < 0.3;
      const s = omitTrend ? { ...state, omit: ['year', 'elapsed'] as const } : state;
      const applied = dateEncoder.apply(s, applyContextOf({ nRows: n, columns: [col] }));
      if (omitTrend) expect(applied.parts).not.toContain('year');
      else expectSameEncoding(applied, train);
    }
  });

  it('decomposes a date into its parts, the hour only when some value has a time', () => {
    const t = Date.UTC(2024, 1, 29, 13, 5) / 1000;
    const { state, train } = fit({ name: 'd', type: 'date', values: Float64Array.of(t, NaN), format: 'yyyy-MM-dd HH:mm' });
    expect(state.hasTime).toBe(true);
    expect(train.parts).toEqual(['year', 'month', 'day', 'weekday', 'dayofyear', 'hour', 'elapsed']);
    expect(train.columns.map((c) => (c as NumericColumn).values[0])).toEqual([2024, 2, 29, 4, 60, 13, t / 86400]);
    expect(train.columns.every((c) => Number.isNaN((c as NumericColumn).values[1]!))).toBe(true);
    expect(fit({ name: 'd', type: 'date', values: Float64Array.of(0, 86400), format: 'yyyy-MM-dd' }).train.parts).not.toContain('hour');
  });

  it('reads a column of another type as missing dates', () => {
    const { state } = fit({ name: 'd', type: 'date', values: Float64Array.of(0, 86400), format: 'yyyy-MM-dd' });
    const applied = dateEncoder.apply(state, applyContextOf({ nRows: 1, columns: [stringColumn('d', ['2020-01-01'])] }));
    expect(applied.columns.every((c) => Number.isNaN((c as NumericColumn).values[0]!))).toBe(true);
  });
});
