/**
 * The data checks of time-series mode (docs/timeseries.md §API), before anything is trained or
 * forecast: every time parses, each series is in ascending order without duplicate times, its
 * steps lie on one regular grid (gaps allowed), the target is present, and each series is long
 * enough for the horizon. Also infers `tsu` / `tsi` when omitted. Pure: arrays in, a result or an
 * AppError out; every message names the column, the row or time, and what was expected.
 */
import { AppError } from '../domain/errors.js';
import { MAX_INTERVAL } from '../domain/train-config.js';
import type { TimeUnit } from '../domain/time-series.js';
import { DATE_FORMATS, detectDateFormat, guessTimeUnit, parseDate, TIME_UNIT } from '../formats/dates.js';
import type { TypedColumn, TypedTable } from '../table/table.js';

export interface TimeSeriesData {
  /** The time column's cells as text ('' = empty), one per data row. */
  readonly times: readonly string[];
  /** The training file's format of the time column; null: detect it from the cells. */
  readonly dateFormat: string | null;
  /** The target per row; NaN = empty. */
  readonly target: ArrayLike<number>;
  /** The series value per row, or null without `tss`. */
  readonly series: readonly string[] | null;
  readonly timeColumn: string;
  readonly targetColumn: string;
  readonly seriesColumn?: string;
}

export interface TimeSeriesRules {
  /** `tsu` / `tsi` when given (a deployed model's are always given). */
  readonly unit?: TimeUnit;
  readonly interval?: number;
  /** Observed periods each series needs (2·tst+1 in training, the model's lags at inference). */
  readonly minPeriods: number;
  /** Why minPeriods, for the message: e.g. `2×tst+1 with tst=7`. */
  readonly minPeriodsReason: string;
  readonly maxSeries: number;
  /**
   * Training: every row needs a target. Inference: rows after a series' last target are forecast
   * rows (their target empty); an empty target before it is still an error.
   */
  readonly trailingEmptyTargets: boolean;
  readonly referenceYear: number;
}

export interface SeriesFacts {
  /** The `tss` value; null without a series column. */
  readonly series: string | null;
  /** Data rows (0-based) of the series, earliest first. */
  readonly rows: readonly number[];
  /** Rows with an observed target (a prefix of `rows`). */
  readonly nObserved: number;
  /** Epoch seconds of the last observed target. */
  readonly lastObserved: number;
}

export interface TimeSeriesCheckResult {
  readonly unit: TimeUnit;
  readonly interval: number;
  readonly dateFormat: string;
  /** Epoch seconds per row. */
  readonly epochs: Float64Array;
  readonly series: readonly SeriesFacts[];
}

const UNIT_OF_CODE: Readonly<Record<number, TimeUnit>> = {
  [TIME_UNIT.year]: 'year',
  [TIME_UNIT.month]: 'month',
  [TIME_UNIT.day]: 'day',
  [TIME_UNIT.hour]: 'hour',
  [TIME_UNIT.minute]: 'minute',
  [TIME_UNIT.endOfMonth]: 'eom',
};

const SECONDS: Partial<Record<TimeUnit, number>> = { minute: 60, hour: 3600, day: 86_400 };

const q = (s: string): string => JSON.stringify(s);

function monthIndex(d: Date): number {
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

function isMonthEnd(d: Date): boolean {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate() === d.getUTCDate();
}

/** Whole steps of `unit` from `a` to `b` (b > a), or null when b is not a whole number of units after a. */
export function unitsBetween(a: number, b: number, unit: TimeUnit): number | null {
  const secs = SECONDS[unit];
  if (secs !== undefined) {
    const n = (b - a) / secs;
    return Number.isInteger(n) ? n : null;
  }
  const da = new Date(a * 1000);
  const db = new Date(b * 1000);
  const sameTime = a % 86_400 === b % 86_400;
  if (!sameTime) return null;
  const months = monthIndex(db) - monthIndex(da);
  if (unit === 'eom') return isMonthEnd(da) && isMonthEnd(db) ? months : null;
  if (da.getUTCDate() !== db.getUTCDate()) return null;
  if (unit === 'month') return months;
  return months % 12 === 0 ? months / 12 : null;
}

/** `t` moved `n` steps of `unit` (month ends stay month ends). */
export function addUnits(t: number, n: number, unit: TimeUnit): number {
  const secs = SECONDS[unit];
  if (secs !== undefined) return t + n * secs;
  const d = new Date(t * 1000);
  const timeOfDay = ((t % 86_400) + 86_400) % 86_400;
  const months = unit === 'year' ? 12 * n : n;
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const day = unit === 'eom' ? new Date(Date.UTC(y, m + 1, 0)).getUTCDate() : d.getUTCDate();
  return Date.UTC(y, m, day) / 1000 + timeOfDay;
}

/** The unit the timestamps imply: formats/dates' guess, and monthly data on one day of the month. */
function inferUnit(format: string, epochs: Float64Array): TimeUnit {
  const unit = UNIT_OF_CODE[guessTimeUnit(format, epochs)] ?? 'day';
  if (unit !== 'day' || epochs.length < 2) return unit;
  const first = new Date(epochs[0]! * 1000).getUTCDate();
  for (let i = 1; i < epochs.length; i++) if (new Date(epochs[i]! * 1000).getUTCDate() !== first) return unit;
  const months = new Set(Array.from(epochs, (t) => monthIndex(new Date(t * 1000))));
  return months.size === epochs.length ? 'month' : unit;
}

/**
 * The step of the grid: the smallest step when every step is a multiple of it (a regular series
 * with gaps), else the most common one (the odd steps are then reported against it).
 */
function inferInterval(steps: ReadonlyMap<number, number>): number {
  if (steps.size === 0) return 1;
  const sizes = [...steps.keys()].sort((a, b) => a - b);
  const smallest = sizes[0]!;
  if (sizes.every((n) => n % smallest === 0)) return smallest;
  let mode = smallest;
  for (const n of sizes) if (steps.get(n)! > steps.get(mode)!) mode = n;
  return mode;
}

/** The format every cell should have: the given one, one that fits all cells, else the one most cells fit. */
function formatOf(data: TimeSeriesData, referenceYear: number): string {
  if (data.dateFormat !== null && data.dateFormat !== '') return data.dateFormat;
  const cells = data.times.filter((t) => t !== '');
  const all = detectDateFormat(cells.slice(0, 1000), { columnName: data.timeColumn, referenceYear });
  if (all !== null) return all;
  let best = '';
  let bestHits = 0;
  const sample = cells.slice(0, 1000);
  for (const f of DATE_FORMATS) {
    let hits = 0;
    for (const c of sample) if (!Number.isNaN(parseDate(c, f, { referenceYear }))) hits++;
    if (hits > bestHits) [best, bestHits] = [f, hits];
  }
  if (best === '') {
    throw new AppError(
      'TS_TIME_INVALID',
      `tsc: column ${q(data.timeColumn)} holds no dates; row 1 has ${q(data.times[0] ?? '')}; expected dates in one format such as yyyy-MM-dd or yyyy-MM-dd HH:mm (docs/timeseries.md §API)`,
      { column: data.timeColumn, row: 1 },
    );
  }
  return best;
}

function parseTimes(data: TimeSeriesData, format: string, referenceYear: number): Float64Array {
  const epochs = new Float64Array(data.times.length);
  for (let i = 0; i < data.times.length; i++) {
    const cell = data.times[i]!;
    const t = cell === '' ? NaN : parseDate(cell, format, { referenceYear });
    if (Number.isNaN(t)) {
      const what = cell === '' ? 'is empty' : `has ${q(cell)}`;
      throw new AppError('TS_TIME_INVALID', `tsc: column ${q(data.timeColumn)}, row ${i + 1} ${what}; expected a date in the column's format ${format}`, {
        column: data.timeColumn,
        row: i + 1,
        value: cell,
      });
    }
    epochs[i] = t;
  }
  return epochs;
}

function groupSeries(data: TimeSeriesData, maxSeries: number): { key: string | null; rows: number[] }[] {
  if (data.series === null) return [{ key: null, rows: Array.from(data.times, (_t, i) => i) }];
  const groups = new Map<string, number[]>();
  for (let i = 0; i < data.series.length; i++) {
    const key = data.series[i]!;
    let rows = groups.get(key);
    if (rows === undefined) {
      if (groups.size === maxSeries) {
        throw new AppError(
          'TS_TOO_MANY_SERIES',
          `tss: column ${q(data.seriesColumn ?? '')} has more than ${maxSeries} distinct values (row ${i + 1} starts series ${q(key)}); allowed: at most ${maxSeries} series (TS_MAX_SERIES)`,
          { column: data.seriesColumn ?? '', row: i + 1 },
        );
      }
      rows = [];
      groups.set(key, rows);
    }
    rows.push(i);
  }
  return [...groups].map(([key, rows]) => ({ key, rows }));
}

const inSeries = (key: string | null, col?: string): string => (key === null ? '' : ` of series ${q(key)} (${col ?? 'tss'})`);

/**
 * Runs every check in the documented order and answers the resolved unit and interval.
 * @example checkTimeSeries({ times: ['2024-01-01', '2024-01-02', …], dateFormat: 'yyyy-MM-dd', target, series: null, timeColumn: 'date', targetColumn: 'sales' }, rules).unit // → 'day'
 */
export function checkTimeSeries(data: TimeSeriesData, rules: TimeSeriesRules): TimeSeriesCheckResult {
  const { timeColumn: tc, targetColumn } = data;
  const format = formatOf(data, rules.referenceYear);
  const epochs = parseTimes(data, format, rules.referenceYear);
  const groups = groupSeries(data, rules.maxSeries);
  const cell = (row: number) => q(data.times[row] ?? '');

  // Order and duplicates first: the grid is only meaningful on sorted, distinct times. A series
  // may run ascending or descending (spec §8); a descending one is checked from its earliest row.
  for (const group of groups) {
    const { key, rows } = group;
    const descending = rows.length > 1 && epochs[rows[1]!]! < epochs[rows[0]!]!;
    for (let k = 1; k < rows.length; k++) {
      const prev = rows[k - 1]!;
      const row = rows[k]!;
      if (epochs[row]! === epochs[prev]!) {
        throw new AppError(
          'TS_DUPLICATE_TIME',
          `tsc: column ${q(tc)}, rows ${prev + 1} and ${row + 1}${inSeries(key, data.seriesColumn)} both have ${cell(row)}; expected one row per time in each series`,
          { column: tc, row: row + 1, value: data.times[row] ?? '' },
        );
      }
      if (descending ? epochs[row]! > epochs[prev]! : epochs[row]! < epochs[prev]!) {
        const order = descending ? 'later' : 'earlier';
        const expected = descending ? 'descending times, as the series starts (or sort the file by time)' : 'ascending times (sort the file by time)';
        throw new AppError(
          'TS_TIME_ORDER',
          `tsc: column ${q(tc)}, row ${row + 1}${inSeries(key, data.seriesColumn)} has ${cell(row)}, ${order} than ${cell(prev)} in row ${prev + 1}; expected ${expected}`,
          { column: tc, row: row + 1, value: data.times[row] ?? '' },
        );
      }
    }
    if (descending) rows.reverse();
  }

  const given = rules.unit !== undefined;
  const unit = rules.unit ?? inferUnit(format, epochs);
  const how = given ? `tsu=${unit}` : `the inferred unit ${unit} (set tsu to choose another)`;
  const steps = new Map<number, number>();
  for (const { key, rows } of groups) {
    for (let k = 1; k < rows.length; k++) {
      const prev = rows[k - 1]!;
      const row = rows[k]!;
      const n = unitsBetween(epochs[prev]!, epochs[row]!, unit);
      if (n === null) {
        throw new AppError(
          'TS_IRREGULAR_INTERVAL',
          `tsc: column ${q(tc)}, row ${row + 1}${inSeries(key, data.seriesColumn)} has ${cell(row)}, which is not a whole number of ${unit} steps after ${cell(prev)} (row ${prev + 1}); expected times on one grid of ${how}`,
          { column: tc, row: row + 1, value: data.times[row] ?? '' },
        );
      }
      steps.set(n, (steps.get(n) ?? 0) + 1);
    }
  }
  const interval = rules.interval ?? inferInterval(steps);
  if (interval > MAX_INTERVAL[unit]) {
    throw new AppError(
      'TS_IRREGULAR_INTERVAL',
      `tsc: column ${q(tc)}: the smallest step is ${interval} ${unit}s; supported intervals are 1 to ${MAX_INTERVAL[unit]} ${unit}s, set tsu (and tsi) to a coarser unit`,
      { column: tc },
    );
  }

  const series: SeriesFacts[] = [];
  for (const { key, rows } of groups) {
    let gaps = 0;
    for (let k = 1; k < rows.length; k++) {
      const prev = rows[k - 1]!;
      const row = rows[k]!;
      const n = unitsBetween(epochs[prev]!, epochs[row]!, unit)!;
      if (n % interval !== 0) {
        throw new AppError(
          'TS_IRREGULAR_INTERVAL',
          `tsc: column ${q(tc)}, row ${row + 1}${inSeries(key, data.seriesColumn)} has ${cell(row)}, ${n} ${unit}s after ${cell(prev)} (row ${prev + 1}); expected a multiple of the interval ${interval} ${unit}${interval === 1 ? '' : 's'} (${how}${rules.interval === undefined ? ', tsi inferred' : ''})`,
          { column: tc, row: row + 1, value: data.times[row] ?? '' },
        );
      }
      gaps += n / interval - 1;
    }
    if (gaps > rows.length) {
      throw new AppError(
        'TS_IRREGULAR_INTERVAL',
        `tsc: column ${q(tc)}${inSeries(key, data.seriesColumn)}: ${gaps} of its ${gaps + rows.length} grid points (every ${interval} ${unit}) have no row; expected mostly evenly spaced times (at most half of the grid missing)`,
        { column: tc },
      );
    }
    let nObserved = rows.length;
    if (rules.trailingEmptyTargets) while (nObserved > 0 && Number.isNaN(data.target[rows[nObserved - 1]!]!)) nObserved--;
    for (let k = 0; k < nObserved; k++) {
      const row = rows[k]!;
      if (Number.isNaN(data.target[row]!)) {
        const where = rules.trailingEmptyTargets ? ' before the last observed value' : '';
        throw new AppError(
          'TS_MISSING_TARGET',
          `tc: column ${q(targetColumn)}, row ${row + 1} (time ${cell(row)}${inSeries(key, data.seriesColumn).replace(/^ of/, ',')}) is empty${where}; expected a number on every row of the history (fill it, or drop the row: gaps are allowed)`,
          { column: targetColumn, row: row + 1, value: data.times[row] ?? '' },
        );
      }
    }
    if (nObserved < rules.minPeriods) {
      const name = key === null ? 'the series' : `series ${q(key)} (${data.seriesColumn ?? 'tss'})`;
      throw new AppError(
        'TS_SERIES_TOO_SHORT',
        `${name} has ${nObserved} periods with a value in ${q(targetColumn)}; at least ${rules.minPeriods} are required (${rules.minPeriodsReason})`,
        { column: targetColumn },
      );
    }
    series.push({ series: key, rows, nObserved, lastObserved: nObserved === 0 ? NaN : epochs[rows[nObserved - 1]!]! });
  }
  return { unit, interval, dateFormat: format, epochs, series };
}

/** A column's cells as text: text columns as they are, strings by level, numbers printed. */
function cellsOf(column: TypedColumn): string[] {
  switch (column.type) {
    case 'text':
      return [...column.values];
    case 'string':
      return Array.from(column.codes, (c) => (c < 0 ? '' : column.levels[c]!));
    case 'integer':
    case 'float':
      return Array.from(column.values, (v) => (Number.isNaN(v) ? '' : String(v)));
    default:
      throw new Error(`column ${column.name} has type ${column.type}; read it as text`);
  }
}

/**
 * The data of the checks from a table read with the time column as `text` (the cells are needed
 * verbatim for the messages), the target numeric and the series column as a string.
 */
export function timeSeriesDataOf(
  table: TypedTable,
  names: { readonly time: string; readonly target: string; readonly series?: string; readonly dateFormat: string | null },
): TimeSeriesData {
  const find = (name: string): TypedColumn => {
    const c = table.columns.find((col) => col.name === name);
    if (c === undefined) throw new Error(`column ${name} was not read`);
    return c;
  };
  const target = find(names.target);
  if (target.type !== 'integer' && target.type !== 'float') throw new Error(`target ${names.target} was not read as a number`);
  return {
    times: cellsOf(find(names.time)),
    dateFormat: names.dateFormat,
    target: target.values,
    series: names.series === undefined ? null : cellsOf(find(names.series)),
    timeColumn: names.time,
    targetColumn: names.target,
    ...(names.series === undefined ? {} : { seriesColumn: names.series }),
  };
}
