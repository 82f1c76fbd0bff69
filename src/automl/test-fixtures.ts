/** Small seeded typed tables for the AutoML tests (numbers, strings, dates, names, text; no I/O). */
import { Rng } from '../engine/index.js';
import type { TypedColumn, TypedTable } from '../table/table.js';

const GIVEN_F = ['あや子', '花子', '美紀子', '陽子', '恵子', '由美'];
const GIVEN_M = ['太郎', '一郎', '健太', '翔', '次郎', '大輔'];
const FAMILY = ['大野', '佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本'];
const WORDS_GOOD = ['great', 'excellent', 'love', 'perfect'];
const WORDS_BAD = ['broken', 'refund', 'terrible', 'late'];
const WORDS_NEUTRAL = ['the', 'item', 'arrived', 'box', 'color', 'size'];

export function stringColumn(name: string, values: readonly (string | null)[]): TypedColumn {
  const levels: string[] = [];
  const index = new Map<string, number>();
  const codes = Int32Array.from(values, (v) => {
    if (v === null) return -1;
    let k = index.get(v);
    if (k === undefined) {
      index.set(v, (k = levels.length));
      levels.push(v);
    }
    return k;
  });
  return { name, type: 'string', codes, levels };
}

/**
 * A table whose target depends on a number, a category, a name ending and review words:
 *   x (float, 5% missing), grade (string A–D), name (Japanese name, mostly unique),
 *   review (English text), day (date), id (row number), const (constant), and the target.
 */
export function mixedTable(nRows: number, seed: number, task: 'binary' | 'multiclass' | 'regression'): TypedTable {
  const rng = new Rng(seed);
  const x = new Float64Array(nRows);
  const grade: string[] = [];
  const names: string[] = [];
  const reviews: string[] = [];
  const day = new Float64Array(nRows);
  const id = new Float64Array(nRows);
  const constant = new Float64Array(nRows).fill(7);
  const target: (string | null)[] = [];
  const value = new Float64Array(nRows);
  for (let i = 0; i < nRows; i++) {
    x[i] = rng.nextFloat() * 10;
    const g = 'ABCD'[rng.nextInt(4)]!;
    grade.push(g);
    const male = rng.nextFloat() < 0.5;
    names.push(`${FAMILY[rng.nextInt(FAMILY.length)]} ${(male ? GIVEN_M : GIVEN_F)[rng.nextInt(6)]}`);
    const good = rng.nextFloat() < 0.5;
    const words = [(good ? WORDS_GOOD : WORDS_BAD)[rng.nextInt(4)]!, WORDS_NEUTRAL[rng.nextInt(6)]!, WORDS_NEUTRAL[rng.nextInt(6)]!];
    reviews.push(words.join(' '));
    day[i] = Date.UTC(2020, rng.nextInt(12), 1 + rng.nextInt(28)) / 1000;
    id[i] = i + 1;
    const score = (x[i]! - 5) / 2 + (g === 'A' ? 1.5 : g === 'D' ? -1.5 : 0) + (male ? 1.2 : -1.2) + (good ? 1 : -1) + (rng.nextFloat() - 0.5) * 1.5;
    value[i] = 10 + 3 * score;
    if (task === 'binary') target.push(score > 0 ? 'yes' : 'no');
    else if (task === 'multiclass') target.push(score < -1 ? 'low' : score < 1 ? 'mid' : 'high');
    if (rng.nextFloat() < 0.05) x[i] = NaN;
  }
  const columns: TypedColumn[] = [
    { name: 'x', type: 'float', values: x },
    stringColumn('grade', grade),
    stringColumn('name', names),
    { name: 'review', type: 'text', values: reviews },
    { name: 'day', type: 'date', values: day, format: 'yyyy-MM-dd' },
    { name: 'id', type: 'integer', values: id },
    { name: 'const', type: 'integer', values: constant },
    task === 'regression' ? { name: 'target', type: 'float', values: value } : stringColumn('target', target),
  ];
  return { nRows, columns };
}

/** Class shares of rareClassTable (like the shuttle data: one dominant class, three of a few dozen rows). */
const RARE_CLASS_SHARES = [0.78, 0.153, 0.056, 0.0029, 0.00086, 0.00022, 0.00017];

/**
 * A shuttle-like multi-class table: 9 integer columns, 7 classes with the shares above, each class
 * a box in two or three of the columns (almost separable, as the shuttle data is), 1 % label noise
 * among the three large classes. Target column 'class' with labels 'c1'…'c7'.
 */
export function rareClassTable(nRows: number, seed: number): TypedTable {
  const rng = new Rng(seed);
  const cols = Array.from({ length: 9 }, () => new Float64Array(nRows));
  const labels: string[] = [];
  const cumulative = RARE_CLASS_SHARES.map((_, k) => RARE_CLASS_SHARES.slice(0, k + 1).reduce((a, b) => a + b, 0));
  for (let i = 0; i < nRows; i++) {
    const u = rng.nextFloat() * cumulative[cumulative.length - 1]!;
    let k = 0;
    while (u > cumulative[k]!) k++;
    for (let j = 0; j < 9; j++) cols[j]![i] = Math.round(rng.nextFloat() * 100 - 50);
    // Each class moves two or three columns into its own range.
    cols[k % 9]![i] = 60 + 20 * k + rng.nextInt(15);
    cols[(k * 4 + 1) % 9]![i] = -70 - 10 * k - rng.nextInt(8);
    if (k >= 3) cols[(k + 5) % 9]![i] = 200 + 5 * k + rng.nextInt(4);
    const noisy = k < 3 && rng.nextFloat() < 0.01;
    labels.push(`c${(noisy ? rng.nextInt(3) : k) + 1}`);
  }
  return {
    nRows,
    columns: [...cols.map((values, j): TypedColumn => ({ name: `a${j + 1}`, type: 'integer', values })), stringColumn('class', labels)],
  };
}
