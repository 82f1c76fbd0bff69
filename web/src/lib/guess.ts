/**
 * First guesses a person would make from the column analysis: the prediction type of the chosen
 * target, its positive value, and why a column will not be used. Each guess carries the message key
 * (and params) of its reason, shown beside it.
 */
import type { ColumnInfoColumn } from './types.js';

export type TaskType = 'binary_classification' | 'multi_classification' | 'regression';

export interface Reason {
  readonly key: string;
  readonly params?: Readonly<Record<string, string | number>>;
}

export interface TypeGuess {
  /** null: the column cannot be a target (the reason says why). */
  readonly type: TaskType | null;
  readonly reason: Reason;
}

/** Type codes of column-info (docs/api.md §3). */
export const TYPE_CODE = { ignore: 0, integer: 1, float: 2, string: 3, text: 4, date: 5 } as const;
/** Classes a multi-class target may have (spec §5 `tt`). */
export const MAX_CLASSES = 200;
/** A numeric column with more distinct values than this reads as a quantity rather than classes. */
const NUMERIC_CLASS_MAX = 20;

export function isNumeric(c: ColumnInfoColumn): boolean {
  return c.initial_data_type === TYPE_CODE.integer || c.initial_data_type === TYPE_CODE.float;
}

/**
 * 2 values → binary; a numeric column with many values (or with fractions) → regression;
 * 3–200 values → multi-class; otherwise none, with the reason.
 */
export function guessType(c: ColumnInfoColumn): TypeGuess {
  const n = c.unique_count;
  if (c.initial_data_type === TYPE_CODE.text || c.initial_data_type === TYPE_CODE.date || c.initial_data_type === TYPE_CODE.ignore) {
    return { type: null, reason: { key: 'guess.notTarget' } };
  }
  if (n < 2) return { type: null, reason: { key: 'guess.oneValue' } };
  if (n === 2) return { type: 'binary_classification', reason: { key: 'guess.binary' } };
  if (isNumeric(c) && (c.initial_data_type === TYPE_CODE.float || n > NUMERIC_CLASS_MAX)) {
    return { type: 'regression', reason: { key: 'guess.regression', params: { n } } };
  }
  if (n <= MAX_CLASSES) return { type: 'multi_classification', reason: { key: 'guess.multi', params: { n } } };
  return { type: null, reason: { key: 'guess.tooMany', params: { n, max: MAX_CLASSES } } };
}

/** Values that read as "the thing to find" (compared NFKC, lower-cased). */
const POSITIVE = new Set([
  '1',
  'yes',
  'y',
  'true',
  't',
  'positive',
  'pos',
  'ok',
  'on',
  '+',
  '陽性',
  'あり',
  '有',
  '有り',
  'はい',
  '○',
  '◯',
  '該当',
  '成約',
  '購入',
  '解約',
  '合格',
  '当選',
  '異常',
  '不良',
]);
const NEGATIVE = new Set([
  '0',
  'no',
  'n',
  'false',
  'f',
  'negative',
  'neg',
  'ng',
  'off',
  '-',
  '陰性',
  'なし',
  '無',
  '無し',
  'いいえ',
  '×',
  '非該当',
  '未成約',
  '未購入',
  '継続',
  '不合格',
  '落選',
  '正常',
  '良',
]);

function norm(v: string): string {
  return v.normalize('NFKC').trim().toLowerCase();
}

export interface PositiveGuess {
  readonly value: string;
  readonly reason: Reason;
}

/**
 * The binary positive value: one that reads as positive (`yes`, `1`, `true`, `陽性`, `あり`…)
 * when the other does not, else the minority class (the rarer value is usually the one to find).
 */
export function guessPositive(values: readonly { readonly name: string; readonly value: number }[]): PositiveGuess | null {
  if (values.length !== 2) return null;
  const [a, b] = values as readonly [{ name: string; value: number }, { name: string; value: number }];
  const reads = (v: string) => (POSITIVE.has(norm(v)) ? 1 : NEGATIVE.has(norm(v)) ? -1 : 0);
  const ra = reads(a.name);
  const rb = reads(b.name);
  if (ra > rb) return { value: a.name, reason: { key: 'guess.positiveWord' } };
  if (rb > ra) return { value: b.name, reason: { key: 'guess.positiveWord' } };
  const minority = a.value < b.value ? a : b.value < a.value ? b : b;
  const total = a.value + b.value;
  return {
    value: minority.name,
    reason: { key: 'guess.positiveMinority', params: { share: total > 0 ? `${((minority.value / total) * 100).toFixed(1)}%` : '—' } },
  };
}

export type UnusedReason = 'ignored' | 'all_missing' | 'constant' | 'id_like';

/**
 * Why the server will leave a column out (docs/api.md §3 `useless_column_list`: constant,
 * all-missing and ID-like columns; a column typed `ignore` by column_info.csv), from its counts.
 */
export function unusedReason(c: ColumnInfoColumn, useless: ReadonlySet<string>): UnusedReason | null {
  if (c.initial_data_type === TYPE_CODE.ignore) return 'ignored';
  if (!useless.has(c.name)) return null;
  if (c.missing_count >= c.data_count) return 'all_missing';
  if (c.unique_count <= 1) return 'constant';
  return 'id_like';
}
