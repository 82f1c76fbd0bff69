/**
 * Reading a typed column as the kind of values a plan step wants, whatever type the caller parsed
 * it as: absent column → all missing, unparsable → missing.
 */
import type { TypedColumn } from '../table/table.js';

/** Numbers (NaN = missing). Strings are parsed; text and ignored columns read as missing. */
export function columnNumbers(col: TypedColumn | undefined, n: number): Float64Array {
  const out = new Float64Array(n).fill(NaN);
  if (col === undefined) return out;
  if (col.type === 'integer' || col.type === 'float') out.set(col.values.subarray(0, n));
  else if (col.type === 'string') {
    const parsed = col.levels.map(parseNumberOrNaN);
    for (let i = 0; i < n; i++) out[i] = col.codes[i]! < 0 ? NaN : parsed[col.codes[i]!]!;
  } else if (col.type === 'text') {
    for (let i = 0; i < n; i++) out[i] = parseNumberOrNaN(col.values[i]!);
  }
  return out;
}

/** Epoch seconds (NaN = missing); only date columns carry dates. */
export function columnDates(col: TypedColumn | undefined, n: number): Float64Array {
  const out = new Float64Array(n).fill(NaN);
  if (col !== undefined && col.type === 'date') out.set(col.values.subarray(0, n));
  return out;
}

/** Strings (null = missing); numbers are formatted as they read. */
export function columnStrings(col: TypedColumn | undefined, n: number): (string | null)[] {
  const out = new Array<string | null>(n).fill(null);
  if (col === undefined) return out;
  if (col.type === 'string') {
    for (let i = 0; i < n; i++) out[i] = col.codes[i]! < 0 ? null : col.levels[col.codes[i]!]!;
  } else if (col.type === 'integer' || col.type === 'float') {
    for (let i = 0; i < n; i++) out[i] = Number.isNaN(col.values[i]!) ? null : String(col.values[i]!);
  } else if (col.type === 'text') {
    for (let i = 0; i < n; i++) out[i] = col.values[i]!.trim() === '' ? null : col.values[i]!;
  }
  return out;
}

/** Text ('' = missing). */
export function columnTexts(col: TypedColumn | undefined, n: number): string[] {
  if (col === undefined) return new Array<string>(n).fill('');
  if (col.type === 'text') return col.values.slice(0, n);
  return columnStrings(col, n).map((v) => v ?? '');
}

function parseNumberOrNaN(s: string): number {
  const t = s.trim().replace(/,/g, '');
  if (t === '') return NaN;
  const v = Number(t);
  return Number.isFinite(v) ? v : NaN;
}
