/**
 * Puts each series of a table on its regular time grid: rows sorted by time, one cell per step
 * from the series' first to its last time. A step with no row is a gap: its target (and every
 * other column) is missing (NaN) there. Several rows on one step (duplicates) are averaged
 * (numbers) or the first one is kept (categories); the data checks normally reject them before.
 */
import type { TimeSeriesSettings } from '../../domain/time-series.js';
import type { TypedColumn, TypedTable } from '../../table/table.js';
import { positionOf } from './calendar.js';
import type { TimeGrid } from './calendar.js';

/** A feature column of the source table as the forecaster reads it. */
export interface SourceColumn {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical';
  /** Categorical: the training levels (code = index); unseen values read as missing. */
  readonly levels?: readonly string[];
  /** Known at the forecast time (also used at the target time), else only as lags. */
  readonly knownFuture: boolean;
}

export interface SeriesGrid {
  /** The series value; null without a series column. */
  readonly key: string | null;
  readonly grid: TimeGrid;
  /** Number of grid steps from the first to the last row of the series. */
  readonly length: number;
  /** Target per step; NaN = gap or missing. */
  readonly y: Float64Array;
  /** Per source column, value per step (categorical: the code; NaN = missing). */
  readonly x: readonly Float64Array[];
  /** Position of the last step with an observed target; -1 when none. */
  readonly lastObserved: number;
  /** Steps with an observed target. */
  readonly nObserved: number;
}

function findColumn(table: TypedTable, name: string): TypedColumn | undefined {
  return table.columns.find((c) => c.name === name);
}

/** The source columns of a training table: every usable column but time, target and series. */
export function sourceColumnsOf(table: TypedTable, target: string, ts: TimeSeriesSettings): SourceColumn[] {
  const skip = new Set([target, ts.timeColumn, ts.seriesColumn ?? '']);
  const known = new Set(ts.knownFuture);
  const out: SourceColumn[] = [];
  for (const c of table.columns) {
    if (skip.has(c.name)) continue;
    if (c.type === 'integer' || c.type === 'float') out.push({ name: c.name, kind: 'numeric', knownFuture: known.has(c.name) });
    else if (c.type === 'string') out.push({ name: c.name, kind: 'categorical', levels: c.levels.slice(0, 200), knownFuture: known.has(c.name) });
  }
  return out;
}

/** Value reader of one source column of a table (NaN = missing). */
function columnReader(table: TypedTable, col: SourceColumn): (row: number) => number {
  const c = findColumn(table, col.name);
  if (c === undefined) return () => NaN;
  if (col.kind === 'numeric') return c.type === 'integer' || c.type === 'float' ? (i) => c.values[i]! : () => NaN;
  if (c.type !== 'string') return () => NaN;
  const index = new Map((col.levels ?? []).map((l, k) => [l, k]));
  const codeOf = c.levels.map((l) => index.get(l) ?? NaN);
  return (i) => {
    const code = c.codes[i]!;
    return code < 0 ? NaN : codeOf[code]!;
  };
}

/** The series key of every row (null without a series column; undefined = missing key). */
function seriesKeys(table: TypedTable, seriesColumn: string | undefined): (string | null | undefined)[] {
  if (seriesColumn === undefined) return new Array<null>(table.nRows).fill(null);
  const c = findColumn(table, seriesColumn);
  const out: (string | undefined)[] = [];
  for (let i = 0; i < table.nRows; i++) {
    if (c === undefined) out.push(undefined);
    else if (c.type === 'string') out.push(c.codes[i]! < 0 ? undefined : c.levels[c.codes[i]!]);
    else if (c.type === 'integer' || c.type === 'float' || c.type === 'date') out.push(Number.isNaN(c.values[i]!) ? undefined : String(c.values[i]));
    else if (c.type === 'text') out.push(c.values[i] === '' ? undefined : c.values[i]);
    else out.push(undefined);
  }
  return out;
}

/**
 * The series of a table on their grids, in order of first appearance of their keys. Rows with a
 * missing time or series key are left out.
 */
export function seriesGrids(table: TypedTable, target: string, ts: TimeSeriesSettings, columns: readonly SourceColumn[]): SeriesGrid[] {
  const timeCol = findColumn(table, ts.timeColumn);
  const times = timeCol !== undefined && timeCol.type === 'date' ? timeCol.values : new Float64Array(table.nRows).fill(NaN);
  const targetCol = findColumn(table, target);
  const yOf = (i: number): number => (targetCol !== undefined && (targetCol.type === 'integer' || targetCol.type === 'float') ? targetCol.values[i]! : NaN);
  const readers = columns.map((c) => columnReader(table, c));
  const keys = seriesKeys(table, ts.seriesColumn);
  const rowsByKey = new Map<string | null, number[]>();
  for (let i = 0; i < table.nRows; i++) {
    const k = keys[i];
    if (k === undefined || Number.isNaN(times[i]!)) continue;
    let rows = rowsByKey.get(k);
    if (rows === undefined) rowsByKey.set(k, (rows = []));
    rows.push(i);
  }
  const out: SeriesGrid[] = [];
  for (const [key, rows] of rowsByKey) {
    rows.sort((a, b) => times[a]! - times[b]! || a - b);
    const grid: TimeGrid = { unit: ts.unit, interval: ts.interval, anchor: times[rows[0]!]! };
    const positions = rows.map((r) => positionOf(grid, times[r]!).position);
    const length = positions[positions.length - 1]! + 1;
    const y = new Float64Array(length).fill(NaN);
    const x = columns.map(() => new Float64Array(length).fill(NaN));
    const counts = new Float64Array(length);
    const sums = new Float64Array(length);
    const xSums = columns.map(() => new Float64Array(length));
    const xCounts = columns.map(() => new Float64Array(length));
    rows.forEach((r, j) => {
      const p = positions[j]!;
      const v = yOf(r);
      if (!Number.isNaN(v)) {
        sums[p]! += v;
        counts[p]! += 1;
      }
      columns.forEach((c, f) => {
        const xv = readers[f]!(r);
        if (Number.isNaN(xv)) return;
        if (c.kind === 'categorical') {
          if (xCounts[f]![p] === 0) xSums[f]![p] = xv;
          xCounts[f]![p] = 1;
        } else {
          xSums[f]![p]! += xv;
          xCounts[f]![p]! += 1;
        }
      });
    });
    let lastObserved = -1;
    let nObserved = 0;
    for (let p = 0; p < length; p++) {
      if (counts[p]! > 0) {
        y[p] = sums[p]! / counts[p]!;
        lastObserved = p;
        nObserved++;
      }
      for (let f = 0; f < columns.length; f++) if (xCounts[f]![p]! > 0) x[f]![p] = xSums[f]![p]! / xCounts[f]![p]!;
    }
    out.push({ key, grid, length, y, x, lastObserved, nObserved });
  }
  return out;
}
