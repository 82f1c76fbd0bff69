/**
 * Column type detection over the first 1,000 rows, as the product does (spec §8).
 *
 * Rules, in order, over the non-empty values:
 * 1. none → 'string' (an all-missing column; it is listed as useless anyway);
 * 2. every value a date in one consistent format (formats/dates: digit-only `yyyyMMdd`/`yyyyMM` need
 *    valid dates in 1900..2100, a bare `yyyy` also a year-like column name) → 'date';
 * 3. every value an integer literal → 'integer'; every value a decimal number → 'float';
 * 4. long strings (mean length > 40 characters, or ≥ 6 space-separated words per cell) → 'text';
 * 5. otherwise 'string'.
 */
import { detectDateFormat } from '../formats/dates.js';
import type { ColumnType } from '../table/table.js';
import { isIntegerText, isNumberText } from './values.js';

/** Rows the product looks at to choose a type. */
export const TYPE_DETECT_ROWS = 1000;
/** Mean characters per cell above which a string column is free text (spec §4.1: "about 40–50"). */
export const TEXT_MIN_MEAN_LENGTH = 40;
/** Mean words per cell from which a string column is free text (English sentences). */
export const TEXT_MIN_MEAN_WORDS = 6;

export interface DetectedType {
  readonly type: Exclude<ColumnType, 'ignore'>;
  readonly dateFormat?: string;
}

export function detectColumnType(name: string, values: readonly string[], referenceYear: number): DetectedType {
  let nNonEmpty = 0;
  let isAllInteger = true;
  let isAllNumber = true;
  let totalLength = 0;
  let totalWords = 0;
  for (const v of values) {
    if (v === '') continue;
    nNonEmpty++;
    totalLength += v.length;
    if (isAllNumber && !isNumberText(v)) isAllNumber = false;
    if (isAllInteger && !isIntegerText(v)) isAllInteger = false;
  }
  if (nNonEmpty === 0) return { type: 'string' };
  const dateFormat = detectDateFormat(values, { columnName: name, referenceYear });
  if (dateFormat !== null) return { type: 'date', dateFormat };
  if (isAllInteger) return { type: 'integer' };
  if (isAllNumber) return { type: 'float' };
  if (totalLength / nNonEmpty > TEXT_MIN_MEAN_LENGTH) return { type: 'text' };
  for (const v of values) if (v !== '') totalWords += countWords(v);
  if (totalWords / nNonEmpty >= TEXT_MIN_MEAN_WORDS) return { type: 'text' };
  return { type: 'string' };
}

function countWords(v: string): number {
  let n = 0;
  let isInWord = false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    const isSpace = c === 32 || c === 9 || c === 10 || c === 13 || c === 0x3000;
    if (!isSpace && !isInWord) n++;
    isInWord = !isSpace;
  }
  return n;
}

/**
 * Types a user may switch a column to, by code order: numbers can become strings, strings text and
 * back, dates strings; digit-only dates (20190105) also numbers. Always includes the detected type
 * and 'ignore'.
 */
export function availableTypesFor(detected: DetectedType): ColumnType[] {
  const types = new Set<ColumnType>(['ignore', detected.type]);
  switch (detected.type) {
    case 'integer':
      types.add('float').add('string');
      break;
    case 'float':
      types.add('string');
      break;
    case 'string':
    case 'text':
      types.add('string').add('text');
      break;
    case 'date':
      types.add('string');
      if (detected.dateFormat !== undefined && /^y+M*d*$/.test(detected.dateFormat)) types.add('integer').add('float');
      break;
  }
  const order: ColumnType[] = ['ignore', 'integer', 'float', 'string', 'text', 'date'];
  return order.filter((t) => types.has(t));
}
