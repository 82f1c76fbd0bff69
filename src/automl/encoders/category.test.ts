import { describe, expect, it } from 'vitest';
import type { CategoricalColumn, NumericColumn } from '../../engine/index.js';
import type { TypedColumn } from '../../table/table.js';
import { stringColumn } from '../test-fixtures.js';
import { categoryEncoder, MAX_CATEGORICAL_LEVELS } from './category.js';
import type { CategoryState } from './category.js';
import { applyContextOf } from './encoder.js';
import type { EncodedColumn, OofFolds } from './encoder.js';
import { cases, contextWithoutOof, expectSameEncoding, randomStrings, randomTarget, TASKS } from './property.js';
import type { TargetInfo } from '../target.js';

function fit(values: (string | null)[], target: TargetInfo, folds: OofFolds | null = null): { state: CategoryState; train: EncodedColumn } {
  const col = stringColumn('c', values);
  const out = categoryEncoder.fit(col, { ...contextWithoutOof([col], target, 5), folds });
  if ('dropped' in out) throw new Error('dropped');
  return out;
}

const feature = (e: EncodedColumn, part: string) => e.columns[e.parts.indexOf(part as never)]!;

describe('category encoder', () => {
  it('property: the fitted state applied to the training rows gives the training features exactly; unseen levels read as "other"', () => {
    let withStats = 0;
    let withText = 0;
    for (const rng of cases(36, 4)) {
      const n = 20 + rng.nextInt(400);
      const task = TASKS[rng.nextInt(3)]!;
      const values = randomStrings(rng, n, rng.nextFloat() * 0.5, 2 + rng.nextInt(n));
      const { state, train } = fit(values, randomTarget(rng, n, task));
      if (state.stats !== undefined) withStats++;
      if (state.text !== undefined) withText++;
      // The training rows, then unseen levels and missing cells.
      const unseen = ['never seen', null, '未知', ''];
      const extra = stringColumn('c', [...values, ...unseen.filter((u) => !values.includes(u))]);
      if (extra.type !== 'string') throw new Error('string column expected');
      const nAll = extra.codes.length;
      const applied = categoryEncoder.apply(state, applyContextOf({ nRows: nAll, columns: [extra] }));
      expectSameEncoding(applied, train, n);
      const codes = (feature(applied, 'code') as CategoricalColumn).codes;
      for (let i = n; i < nAll; i++) {
        const isNull = i - n < unseen.length && extra.codes[i]! < 0;
        expect(codes[i]).toBe(isNull ? -1 : state.levels.length);
        if (state.stats !== undefined && !isNull) {
          expect((feature(applied, 'frequency') as NumericColumn).values[i]).toBe(0);
          expect((feature(applied, 'stat0') as NumericColumn).values[i]).toBe(state.stats.prior[0]);
        }
      }
    }
    // The random columns reach every branch.
    expect(withStats).toBeGreaterThan(5);
    expect(withText).toBeGreaterThan(2);
  });

  it('the frequency of a level is its share of the training rows, at training and at prediction, missing cells included', () => {
    const values = Array.from({ length: 300 }, (_, i) => (i % 4 === 0 ? null : `level${i % 90}`));
    const target = randomTarget(cases(1, 9)[0]!, 300, 'binary_classification');
    const { state, train } = fit(values, target, { fold: Int32Array.from({ length: 300 }, (_, i) => i % 5), n: 5 });
    expect(state.levels.length).toBeLessThanOrEqual(MAX_CATEGORICAL_LEVELS);
    expect(state.stats?.frequencyRows).toBe(300);
    const freq = (feature(train, 'frequency') as NumericColumn).values;
    const applied = categoryEncoder.apply(state, applyContextOf({ nRows: 300, columns: [stringColumn('c', values)] }));
    expect(Array.from((feature(applied, 'frequency') as NumericColumn).values)).toEqual(Array.from(freq));
    const count1 = values.filter((v) => v === 'level1').length;
    expect(freq[1]).toBe(count1 / 300);
  });

  it('out of fold: training statistics differ from the applied ones, codes and frequency do not', () => {
    const rng = cases(1, 11)[0]!;
    const values = randomStrings(rng, 400, 0.1, 200);
    const target = randomTarget(rng, 400, 'regression');
    const { state, train } = fit(values, target, { fold: Int32Array.from({ length: 400 }, (_, i) => i % 5), n: 5 });
    const applied = categoryEncoder.apply(state, applyContextOf({ nRows: 400, columns: [stringColumn('c', values)] }));
    for (const part of ['code', 'frequency']) expect(feature(applied, part)).toEqual(feature(train, part));
    expect(feature(applied, 'stat0')).not.toEqual(feature(train, 'stat0'));
  });

  it('reads numbers and text as their strings at prediction', () => {
    const target = randomTarget(cases(1, 5)[0]!, 6, 'binary_classification');
    const { state } = fit(['1', '2', '1', '2', 'x', 'x'], target);
    const asNumber: TypedColumn = { name: 'c', type: 'integer', values: Float64Array.of(2, 1, NaN) };
    const codes = (categoryEncoder.apply(state, applyContextOf({ nRows: 3, columns: [asNumber] })).columns[0] as CategoricalColumn).codes;
    expect(Array.from(codes)).toEqual([state.levels.indexOf('2'), state.levels.indexOf('1'), -1]);
  });
});
