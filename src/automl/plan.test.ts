import { describe, expect, it } from 'vitest';
import type { CategoricalColumn, NumericColumn } from '../engine/index.js';
import type { TypedTable } from '../table/table.js';
import { applyPlan, fitPlan } from './plan.js';
import { readTarget, takeRows } from './target.js';
import { mixedTable, stringColumn } from './test-fixtures.js';
import { oofFolds } from './validation.js';

function fitted(table: TypedTable) {
  const target = readTarget(table, 'target', 'binary_classification', 'yes');
  const classes = Int32Array.from(target.y);
  return { target, ...fitPlan(table, target, { folds: { fold: oofFolds(table.nRows, 5, classes, 1), n: 5 }, seed: 1 }) };
}

describe('fitPlan / applyPlan', () => {
  const table = mixedTable(300, 11, 'binary');
  const { plan, train } = fitted(table);

  it('drops the ID-like and constant columns with their reasons, never the target', () => {
    const reasons = Object.fromEntries(plan.dropped.map((d) => [d.name, d.reason]));
    expect(reasons).toEqual({ id: 'id_like', const: 'constant' });
    expect(plan.columns.map((c) => c.name)).toEqual(['x', 'grade', 'name', 'review', 'day']);
  });

  it('decomposes dates and reads text as word scores', () => {
    const parts = plan.features.filter((f) => f.column === 'day').map((f) => f.part);
    expect(parts).toEqual(['year', 'month', 'day', 'weekday', 'dayofyear', 'elapsed']);
    expect(plan.features.some((f) => f.column === 'review' && f.part === 'text0')).toBe(true);
  });

  it('applies exactly the training encoding at prediction time when out-of-fold statistics are off', () => {
    const target = readTarget(table, 'target', 'binary_classification', 'yes');
    const direct = fitPlan(table, target, { folds: null, seed: 1 });
    const applied = applyPlan(direct.plan, table).features;
    expect(applied).toEqual(direct.train);
  });

  it('applies the same encoding at prediction time (all but the out-of-fold parts)', () => {
    const applied = applyPlan(plan, table).features;
    expect(applied.columns.map((c) => c.name)).toEqual(train.columns.map((c) => c.name));
    plan.features.forEach((f, k) => {
      if (f.part.startsWith('text') || f.part.startsWith('stat')) return;
      const a = applied.columns[k]!;
      const b = train.columns[k]!;
      if (a.kind === 'numeric') expect(Array.from(a.values)).toEqual(Array.from((b as NumericColumn).values));
      else expect(Array.from(a.codes)).toEqual(Array.from((b as CategoricalColumn).codes));
    });
  });

  it('maps unseen levels to "other", missing columns to missing, and ignores extra columns', () => {
    const sub = takeRows(table, Int32Array.of(0, 1, 2));
    const columns = sub.columns.filter((c) => c.name !== 'x').map((c) => (c.name === 'grade' ? stringColumn('grade', ['Z', null, 'A']) : c));
    const extra = { nRows: 3, columns: [...columns, { name: 'surprise', type: 'float' as const, values: Float64Array.of(1, 2, 3) }] };
    const out = applyPlan(plan, extra).features;
    expect(out.columns.length).toBe(train.columns.length);
    const xCol = out.columns[plan.features.findIndex((f) => f.column === 'x')] as NumericColumn;
    expect(Array.from(xCol.values).every(Number.isNaN)).toBe(true);
    const gradeCol = out.columns[plan.features.findIndex((f) => f.column === 'grade')] as CategoricalColumn;
    const gradePlan = plan.columns.find((c) => c.name === 'grade')!;
    if (gradePlan.kind !== 'category') throw new Error('grade should be a category');
    expect(gradeCol.codes[0]).toBe(gradePlan.levels.length);
    expect(gradeCol.codes[1]).toBe(-1);
    expect(gradeCol.codes[2]).toBe(gradePlan.levels.indexOf('A'));
  });

  it('reads unparsable numbers as missing', () => {
    const sub = takeRows(table, Int32Array.of(0, 1));
    const columns = sub.columns.map((c) => (c.name === 'x' ? stringColumn('x', ['abc', '2.5']) : c));
    const out = applyPlan(plan, { nRows: 2, columns }).features;
    const xCol = out.columns[plan.features.findIndex((f) => f.column === 'x')] as NumericColumn;
    expect(Number.isNaN(xCol.values[0]!)).toBe(true);
    expect(xCol.values[1]).toBe(2.5);
  });

  it('drops a column that copies the target as a leak', () => {
    const target = table.columns.find((c) => c.name === 'target')!;
    const leaky: TypedTable = { nRows: table.nRows, columns: [...table.columns, { ...target, name: 'copy' }] };
    const d = fitted(leaky).plan.dropped.find((x) => x.name === 'copy');
    expect(d?.reason).toBe('target_leak');
  });

  it('gives high-cardinality name columns target statistics and a text score', () => {
    const p = plan.columns.find((c) => c.name === 'name')!;
    expect(p.kind).toBe('category');
    if (p.kind === 'category') {
      expect(p.stats).toBeDefined();
      expect(p.text?.tokens).toContain('e:子');
    }
  });
});
