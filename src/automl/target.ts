/**
 * The target column: class labels (binary: [negative, positive]) or numeric values, rows with a
 * missing target, and how a table's column reads as labels.
 */
import { AppError } from '../domain/errors.js';
import type { TypedColumn, TypedTable } from '../ingest/table.js';
import type { TaskType } from './types.js';

export interface TargetInfo {
  readonly task: TaskType;
  readonly name: string;
  /** Classification: labels in output order; regression: []. */
  readonly classes: readonly string[];
  /** Rows (of the table) whose target is present, ascending. */
  readonly rows: Int32Array;
  /** Per kept row: class index (classification) or value (regression). */
  readonly y: Float64Array;
}

/** Number → label text: JavaScript's shortest round-trip form (integers without a decimal point). */
export function formatNumber(v: number): string {
  return String(v);
}

/** The label text of every row of a column ('' = missing). */
export function columnLabels(col: TypedColumn | undefined, nRows: number): string[] {
  const out = new Array<string>(nRows).fill('');
  if (col === undefined) return out;
  if (col.type === 'integer' || col.type === 'float' || col.type === 'date') {
    for (let i = 0; i < nRows; i++) out[i] = Number.isNaN(col.values[i]!) ? '' : formatNumber(col.values[i]!);
  } else if (col.type === 'string') {
    for (let i = 0; i < nRows; i++) out[i] = col.codes[i]! < 0 ? '' : col.levels[col.codes[i]!]!;
  } else if (col.type === 'text') {
    for (let i = 0; i < nRows; i++) out[i] = col.values[i]!.trim();
  }
  return out;
}

function compareLabels(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Reads the target of a training table.
 * @throws AppError (TARGET_NOT_FOUND, TARGET_TYPE_INVALID, CLASS_COUNT_INVALID, POSITIVE_LABEL_INVALID) when the target column is absent, has the wrong number of classes, the
 *   positive label does not occur, or a regression target is not numeric
 */
export function readTarget(table: TypedTable, name: string, task: TaskType, positiveLabel?: string): TargetInfo {
  const col = table.columns.find((c) => c.name === name);
  if (col === undefined) throw new AppError('TARGET_NOT_FOUND', `target column '${name}' is not in the training data`);
  if (task === 'regression') {
    if (col.type !== 'integer' && col.type !== 'float') {
      throw new AppError('TARGET_TYPE_INVALID', `regression needs a numeric target; '${name}' is ${col.type}`);
    }
    const rows: number[] = [];
    for (let i = 0; i < table.nRows; i++) if (!Number.isNaN(col.values[i]!)) rows.push(i);
    const idx = Int32Array.from(rows);
    const y = new Float64Array(idx.length);
    for (let r = 0; r < idx.length; r++) y[r] = col.values[idx[r]!]!;
    return { task, name, classes: [], rows: idx, y };
  }
  const labels = columnLabels(col, table.nRows);
  const distinct = [...new Set(labels.filter((l) => l !== ''))].sort(compareLabels);
  let classes: string[];
  if (task === 'binary_classification') {
    if (distinct.length !== 2) {
      throw new AppError('CLASS_COUNT_INVALID', `binary classification needs exactly 2 target values; '${name}' has ${distinct.length}`);
    }
    const pos = positiveLabel ?? distinct[1]!;
    if (!distinct.includes(pos)) throw new AppError('POSITIVE_LABEL_INVALID', `positive label '${pos}' does not occur in '${name}'`);
    classes = [distinct.find((l) => l !== pos)!, pos];
  } else {
    if (distinct.length < 3 || distinct.length > 200) {
      throw new AppError('CLASS_COUNT_INVALID', `multi-class classification needs 3 to 200 target values; '${name}' has ${distinct.length}`);
    }
    classes = distinct;
  }
  const index = new Map(classes.map((c, k) => [c, k]));
  const rows: number[] = [];
  for (let i = 0; i < table.nRows; i++) if (labels[i] !== '') rows.push(i);
  const idx = Int32Array.from(rows);
  const y = new Float64Array(idx.length);
  for (let r = 0; r < idx.length; r++) y[r] = index.get(labels[idx[r]!]!)!;
  return { task, name, classes, rows: idx, y };
}

/** Evaluation-file target in the training classes' indices (NaN = missing or unknown label). */
export function readEvalTarget(table: TypedTable, target: TargetInfo): Float64Array {
  const col = table.columns.find((c) => c.name === target.name);
  const out = new Float64Array(table.nRows).fill(NaN);
  if (col === undefined) return out;
  if (target.task === 'regression') {
    if (col.type === 'integer' || col.type === 'float') out.set(col.values);
    else columnLabels(col, table.nRows).forEach((l, i) => (out[i] = l === '' ? NaN : Number(l)));
    return out;
  }
  const index = new Map(target.classes.map((c, k) => [c, k]));
  columnLabels(col, table.nRows).forEach((l, i) => (out[i] = index.get(l) ?? NaN));
  return out;
}

/** Rows subset of a table (column-major copy). */
export function takeRows(table: TypedTable, rows: Int32Array): TypedTable {
  const n = rows.length;
  const columns = table.columns.map((c): TypedColumn => {
    switch (c.type) {
      case 'integer':
      case 'float':
      case 'date': {
        const v = new Float64Array(n);
        for (let r = 0; r < n; r++) v[r] = c.values[rows[r]!]!;
        return { ...c, values: v };
      }
      case 'string': {
        const codes = new Int32Array(n);
        for (let r = 0; r < n; r++) codes[r] = c.codes[rows[r]!]!;
        return { ...c, codes };
      }
      case 'text':
        return { ...c, values: Array.from(rows, (i) => c.values[i]!) };
      default:
        return c;
    }
  });
  return { nRows: n, columns };
}
