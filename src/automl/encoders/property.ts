/**
 * Test support for the encoders' property tests: seeded random columns (missing cells, rare and
 * unseen levels, odd values) and an exact comparison of encoded features. No I/O.
 */
import { expect } from 'vitest';
import { Rng, type FeatureColumn } from '../../engine/index.js';
import type { TypedColumn, TypedTable } from '../../table/table.js';
import type { TargetInfo } from '../target.js';
import { stringColumn } from '../test-fixtures.js';
import type { TaskType } from '../types.js';
import type { EncodedColumn, FitContext } from './encoder.js';
import { encoderTargets } from './targets.js';

export const TASKS: readonly TaskType[] = ['binary_classification', 'multi_classification', 'regression'];

/** A random target of the task over n rows (multi-class: 3 to 13 classes, so more than 10 happens). */
export function randomTarget(rng: Rng, n: number, task: TaskType): TargetInfo {
  const nClasses = task === 'binary_classification' ? 2 : task === 'multi_classification' ? 3 + rng.nextInt(11) : 0;
  const y = Float64Array.from({ length: n }, () => (task === 'regression' ? (rng.nextFloat() - 0.5) * 10 ** rng.nextInt(6) : rng.nextInt(nClasses)));
  return { task, name: 'target', classes: Array.from({ length: nClasses }, (_, k) => `c${k}`), rows: Int32Array.from({ length: n }, (_, i) => i), y };
}

/** A fit context on `columns` with out-of-fold statistics off. */
export function contextWithoutOof(columns: TypedColumn[], target: TargetInfo, seed: number): FitContext {
  const table: TypedTable = { nRows: target.y.length, columns };
  return { table, task: target.task, targets: encoderTargets(target), folds: null, seed };
}

const ODD_NUMBERS = [0, -0, 1e308, -1e308, 5e-324, Infinity, -Infinity, 0.1 + 0.2, 2 ** 53 + 1];

/** Numbers with missing cells (share `missing`), odd values, repeats and integers. */
export function randomNumbers(rng: Rng, n: number, missing: number, integers: boolean): Float64Array {
  const distinct = 1 + rng.nextInt(n);
  return Float64Array.from({ length: n }, () => {
    if (rng.nextFloat() < missing) return NaN;
    if (!integers && rng.nextFloat() < 0.05) return ODD_NUMBERS[rng.nextInt(ODD_NUMBERS.length)]!;
    const v = rng.nextInt(distinct) - distinct / 3;
    return integers ? Math.round(v) : v * 1.37;
  });
}

const ODD_STRINGS = ['', ' ', '  x ', '0', '007', '1e3', 'NaN', 'null', '東京都', 'ｱｲｳ', '😀', 'a,b', '"q"', '\t', 'é', 'e\u0301'];

/**
 * Strings from a skewed pool: a few frequent levels, many rare ones (so that grouping, target
 * statistics and the name-like text score all occur), odd values and missing cells.
 */
export function randomStrings(rng: Rng, n: number, missing: number, poolSize: number): (string | null)[] {
  const pool = Array.from({ length: poolSize }, (_, k) =>
    k < ODD_STRINGS.length && rng.nextFloat() < 0.5 ? ODD_STRINGS[k]! : `${['佐藤', 'Lee', 'x', '山'][k % 4]}${k}${k % 3 === 0 ? '子' : '郎'}`,
  );
  return Array.from({ length: n }, () => {
    if (rng.nextFloat() < missing) return null;
    const u = rng.nextFloat();
    return pool[Math.floor(u * u * u * poolSize)]!;
  });
}

export function randomStringColumn(rng: Rng, name: string, n: number, missing: number, poolSize: number): TypedColumn {
  return stringColumn(name, randomStrings(rng, n, missing, poolSize));
}

const WORDS = ['great', 'bad', 'the', 'box', '配送', '遅い', '良い', 'とても', 'ok', '123', 'x-y', 'Ünïcode'];

export function randomTexts(rng: Rng, n: number, missing: number): string[] {
  return Array.from({ length: n }, () => {
    if (rng.nextFloat() < missing) return rng.nextFloat() < 0.5 ? '' : '   ';
    const len = 1 + rng.nextInt(6);
    return Array.from({ length: len }, () => WORDS[rng.nextInt(WORDS.length)]!).join(rng.nextFloat() < 0.3 ? '' : ' ');
  });
}

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>, label: string): void {
  expect(a.length, label).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) expect(`${label} row ${i}: ${a[i]}`).toBe(`${label} row ${i}: ${b[i]}`);
  }
}

/** Feature `f` of `encoded` equals `expected` exactly (same kind, name, categories; values compared with Object.is). */
export function expectSameFeature(actual: FeatureColumn, expected: FeatureColumn, rows?: number): void {
  expect(actual.name).toBe(expected.name);
  expect(actual.kind).toBe(expected.kind);
  const take = <T extends ArrayLike<number>>(v: T): ArrayLike<number> => (rows === undefined ? v : Array.prototype.slice.call(v, 0, rows));
  if (actual.kind === 'numeric' && expected.kind === 'numeric') sameValues(take(actual.values), take(expected.values), actual.name);
  else if (actual.kind === 'categorical' && expected.kind === 'categorical') {
    expect(actual.nCategories).toBe(expected.nCategories);
    sameValues(take(actual.codes), take(expected.codes), actual.name);
  }
}

/** Applied features equal the training features exactly (on the first `rows` rows when given). */
export function expectSameEncoding(applied: EncodedColumn, train: EncodedColumn, rows?: number): void {
  expect(applied.parts).toEqual(train.parts);
  expect(applied.columns.length).toBe(train.columns.length);
  applied.columns.forEach((c, k) => expectSameFeature(c, train.columns[k]!, rows));
  if (train.docs !== undefined) {
    const a = applied.docs!;
    const b = train.docs;
    const nRows = rows ?? b.offsets.length - 1;
    sameValues(Array.prototype.slice.call(a.offsets, 0, nRows + 1), Array.prototype.slice.call(b.offsets, 0, nRows + 1), 'doc offsets');
    const end = b.offsets[nRows]!;
    sameValues(Array.prototype.slice.call(a.ids, 0, end), Array.prototype.slice.call(b.ids, 0, end), 'doc ids');
    sameValues(Array.prototype.slice.call(a.values, 0, end), Array.prototype.slice.call(b.values, 0, end), 'doc values');
  }
}

/** `k` seeded cases for a property. */
export function cases(k: number, seed: number): Rng[] {
  return Array.from({ length: k }, (_, i) => new Rng(seed * 7919 + i));
}
