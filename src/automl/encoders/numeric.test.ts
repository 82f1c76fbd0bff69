import { describe, expect, it } from 'vitest';
import type { NumericColumn } from '../../engine/index.js';
import type { TypedColumn } from '../../table/table.js';
import { stringColumn } from '../test-fixtures.js';
import { applyContextOf } from './encoder.js';
import { numericEncoder } from './numeric.js';
import { cases, contextWithoutOof, expectSameEncoding, randomNumbers, randomTarget } from './property.js';

function fit(col: TypedColumn) {
  const rng = cases(1, 3)[0]!;
  const out = numericEncoder.fit(
    col,
    contextWithoutOof([col], randomTarget(rng, col.type === 'string' ? col.codes.length : (col as { values: Float64Array }).values.length, 'regression'), 1),
  );
  if ('dropped' in out) throw new Error('dropped');
  return out;
}

describe('numeric encoder', () => {
  it('property: applying the fitted state to the training rows gives the training features exactly', () => {
    for (const rng of cases(30, 1)) {
      const n = 1 + rng.nextInt(300);
      const integers = rng.nextFloat() < 0.5;
      const col: TypedColumn = { name: 'v', type: integers ? 'integer' : 'float', values: randomNumbers(rng, n, rng.nextFloat() * 0.6, integers) };
      const { state, train } = fit(col);
      expect(state).toEqual({ kind: 'numeric', name: 'v', type: col.type });
      expectSameEncoding(numericEncoder.apply(state, applyContextOf({ nRows: n, columns: [col] })), train);
    }
  });

  it('parses numbers sent as strings, reads unparsable and absent values as missing', () => {
    const { state } = fit({ name: 'v', type: 'float', values: Float64Array.of(1, 2, NaN) });
    const asText = stringColumn('v', ['1,500', ' 2.5 ', 'abc', null]);
    const values = (numericEncoder.apply(state, applyContextOf({ nRows: 4, columns: [asText] })).columns[0] as NumericColumn).values;
    expect(Array.from(values)).toEqual([1500, 2.5, NaN, NaN]);
    const absent = (numericEncoder.apply(state, applyContextOf({ nRows: 2, columns: [] })).columns[0] as NumericColumn).values;
    expect(Array.from(absent)).toEqual([NaN, NaN]);
  });
});
