/**
 * CSV → engine tables for the `gbdt` CLI: column typing, categorical level codes and label mapping,
 * and the schema saved with the model so that prediction files are encoded the same way.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { FeatureColumn, FeatureTable } from '../engine/index.js';

export interface CsvData {
  readonly header: string[];
  /** Column-major cells: cells[c][r]. */
  readonly cells: string[][];
  readonly nRows: number;
}

export function readCsv(path: string): CsvData {
  const text = readFileSync(path, 'utf8');
  const records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  if (records.length === 0) throw new Error(`${path}: empty file`);
  const header = records[0]!;
  const nRows = records.length - 1;
  const cells = header.map((_, c) => {
    const col = new Array<string>(nRows);
    for (let r = 0; r < nRows; r++) col[r] = (records[r + 1]![c] ?? '').trim();
    return col;
  });
  return { header, cells, nRows };
}

export interface ColumnSchema {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical';
  /** Categorical: sorted training levels; the code of a level is its index. */
  readonly levels?: string[];
}

export interface TableSchema {
  readonly target: string;
  readonly task: 'binary' | 'multiclass' | 'regression';
  /** Classification: label values in class-index order. */
  readonly classes: string[] | null;
  readonly columns: ColumnSchema[];
}

const isMissing = (s: string): boolean => s === '';
const parseNumber = (s: string): number => (s.trim() === '' ? NaN : Number(s));

function allNumeric(values: string[]): boolean {
  for (const v of values) if (!isMissing(v) && !Number.isFinite(parseNumber(v))) return false;
  return true;
}

/** Distinct non-missing values, numerically sorted when all are numbers, else by code point. */
function sortedLevels(values: string[]): string[] {
  const set = [...new Set(values.filter((v) => !isMissing(v)))];
  if (allNumeric(set)) return set.sort((a, b) => parseNumber(a) - parseNumber(b));
  return set.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Decides column kinds and levels from the training file. */
export function inferSchema(data: CsvData, target: string, task: TableSchema['task']): TableSchema {
  const targetIdx = data.header.indexOf(target);
  if (targetIdx < 0) throw new Error(`target column '${target}' not found; columns: ${data.header.join(', ')}`);
  const columns: ColumnSchema[] = [];
  data.header.forEach((name, c) => {
    if (c === targetIdx) return;
    const values = data.cells[c]!;
    if (allNumeric(values)) columns.push({ name, kind: 'numeric' });
    else columns.push({ name, kind: 'categorical', levels: sortedLevels(values) });
  });
  let classes: string[] | null = null;
  if (task !== 'regression') {
    classes = sortedLevels(data.cells[targetIdx]!);
    if (task === 'binary' && classes.length !== 2) {
      throw new Error(`binary target '${target}' must have exactly 2 distinct values, found ${classes.length}`);
    }
    if (task === 'multiclass' && (classes.length < 3 || classes.length > 200)) {
      throw new Error(`multiclass target '${target}' must have 3..200 distinct values, found ${classes.length}`);
    }
  }
  return { target, task, classes, columns };
}

/** Encodes a file with a schema. Rows whose target is missing are dropped when the target is needed. */
export function encodeTable(data: CsvData, schema: TableSchema, needTarget: boolean): { table: FeatureTable; label: Float64Array | null; rowsKept: number[] } {
  const colIdx = schema.columns.map((c) => {
    const i = data.header.indexOf(c.name);
    if (i < 0) throw new Error(`column '${c.name}' is missing from the file`);
    return i;
  });
  const targetIdx = data.header.indexOf(schema.target);
  if (needTarget && targetIdx < 0) throw new Error(`target column '${schema.target}' not found`);
  const rowsKept: number[] = [];
  for (let r = 0; r < data.nRows; r++) if (!needTarget || !isMissing(data.cells[targetIdx]![r]!)) rowsKept.push(r);
  const n = rowsKept.length;
  let label: Float64Array | null = null;
  if (needTarget) {
    label = new Float64Array(n);
    const cells = data.cells[targetIdx]!;
    const classIndex = new Map((schema.classes ?? []).map((v, i) => [v, i]));
    for (let j = 0; j < n; j++) {
      const s = cells[rowsKept[j]!]!;
      if (schema.classes === null) {
        const v = parseNumber(s);
        if (!Number.isFinite(v)) throw new Error(`target value '${s}' on data row ${rowsKept[j]! + 1} is not a number`);
        label[j] = v;
      } else {
        const k = classIndex.get(s);
        if (k === undefined) throw new Error(`target value '${s}' on data row ${rowsKept[j]! + 1} was not seen in training`);
        label[j] = k;
      }
    }
  }
  const columns: FeatureColumn[] = schema.columns.map((c, f) => {
    const cells = data.cells[colIdx[f]!]!;
    if (c.kind === 'numeric') {
      const values = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        const v = parseNumber(cells[rowsKept[j]!]!);
        values[j] = Number.isFinite(v) ? v : NaN;
      }
      return { kind: 'numeric', name: c.name, values };
    }
    const levels = new Map(c.levels!.map((v, i) => [v, i]));
    const codes = new Int32Array(n);
    // Missing and unseen levels are both -1: categorical splits send them right.
    for (let j = 0; j < n; j++) codes[j] = levels.get(cells[rowsKept[j]!]!) ?? -1;
    return { kind: 'categorical', name: c.name, codes, nCategories: c.levels!.length };
  });
  return { table: { nRows: n, columns }, label, rowsKept };
}
