import { describe, expect, it } from 'vitest';
import { foldRows, makeValidationPlan, oofFolds, sortedDirection } from './validation.js';

function classes(n: number, positiveEvery: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => (i % positiveEvery === 0 ? 1 : 0));
}

describe('makeValidationPlan', () => {
  it('cv 0: 3-fold CV; a 9:1 hold-out of very large data, and of the latest rows of a time-sorted file', () => {
    expect(makeValidationPlan(1000, 0, null, 1)).toMatchObject({ kind: 'kfold', nFolds: 3 });
    expect(makeValidationPlan(100, 0, classes(100, 50), 1).nFolds).toBe(2);
    const big = makeValidationPlan(200_001, 0, null, 1);
    expect(big.kind).toBe('holdout');
    expect(foldRows(big, 0).valid.length).toBe(20_000);
    const sorted = makeValidationPlan(1000, 0, null, 1, { column: 'day', direction: 1 });
    expect(sorted).toMatchObject({ kind: 'holdout', timeOrderedBy: 'day' });
    expect(makeValidationPlan(500, 0, null, 1, { column: 'day', direction: 1 }).kind).toBe('kfold');
  });

  it('cv -1: CV with 5 folds, fewer when the smallest class is tiny', () => {
    expect(makeValidationPlan(200, -1, classes(200, 4), 1).nFolds).toBe(5);
    expect(makeValidationPlan(200, -1, classes(200, 67), 1).nFolds).toBe(3);
  });

  it('cv 1: hold-out; cv k ≥ 2: k folds covering every row once', () => {
    expect(makeValidationPlan(50, 1, null, 1).kind).toBe('holdout');
    const plan = makeValidationPlan(90, 3, null, 1);
    expect(plan.nFolds).toBe(3);
    const seen = new Int32Array(90);
    for (let f = 0; f < 3; f++) for (const i of foldRows(plan, f).valid) seen[i]!++;
    expect([...seen].every((c) => c === 1)).toBe(true);
  });

  it('stratifies classification folds', () => {
    const y = classes(400, 5); // 80 positives
    const plan = makeValidationPlan(400, 4, y, 3);
    for (let f = 0; f < 4; f++) {
      const valid = foldRows(plan, f).valid;
      const pos = [...valid].filter((i) => y[i] === 1).length;
      expect(pos).toBe(20);
    }
  });

  it('is seeded: same seed same folds, other seed other folds', () => {
    const a = makeValidationPlan(300, 3, null, 5).foldOf;
    expect(makeValidationPlan(300, 3, null, 5).foldOf).toEqual(a);
    expect(makeValidationPlan(300, 3, null, 6).foldOf).not.toEqual(a);
    expect(oofFolds(300, 5, null, 1)).toEqual(oofFolds(300, 5, null, 1));
  });

  it('holds out the latest rows of a file sorted by a date column', () => {
    const plan = makeValidationPlan(1000, 0, null, 1, { column: 'day', direction: 1 });
    expect(plan.timeOrderedBy).toBe('day');
    expect([...foldRows(plan, 0).valid]).toEqual(Array.from({ length: 100 }, (_, i) => 900 + i));
    const desc = makeValidationPlan(1000, 1, null, 1, { column: 'day', direction: -1 });
    expect(foldRows(desc, 0).valid[99]).toBe(99);
    // k-fold ignores the order
    expect(makeValidationPlan(300, 0, null, 1, { column: 'day', direction: 1 }).timeOrderedBy).toBeUndefined();
  });

  it('detects ascending, descending and unsorted date columns', () => {
    expect(sortedDirection(Float64Array.of(1, 2, 2, NaN, 3, 5))).toBe(1);
    expect(sortedDirection(Float64Array.of(9, 8, 8, 1))).toBe(-1);
    expect(sortedDirection(Float64Array.of(1, 3, 2, 4))).toBe(0);
    expect(sortedDirection(Float64Array.of(4, 4, 4))).toBe(0);
  });

  it('rejects cv below -1', () => {
    expect(() => makeValidationPlan(10, -2, null, 1)).toThrow(RangeError);
  });
});
