/**
 * Calendar arithmetic of a time-series grid: one step = `interval` × `unit`. Month, end-of-month
 * and year steps are calendar steps (January 31 + 1 month end = February 28/29), not fixed seconds.
 *
 * Times are epoch seconds of the file's wall-clock time read as UTC (domain/time-series.ts), so UTC
 * calendar functions give the file's own calendar parts.
 */
import type { TimeUnit } from '../../domain/time-series.js';

const FIXED_SECONDS: Partial<Record<TimeUnit, number>> = { minute: 60, hour: 3600, day: 86400 };

/** A regular grid anchored at one time. */
export interface TimeGrid {
  readonly unit: TimeUnit;
  readonly interval: number;
  /** The time of position 0 (the earliest observed time of the series). */
  readonly anchor: number;
}

function monthIndexOf(t: number): number {
  const d = new Date(t * 1000);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

function secondsOfDay(t: number): number {
  return ((t % 86400) + 86400) % 86400;
}

/** Days in the month with index y*12+m. */
function daysInMonth(monthIndex: number): number {
  const y = Math.floor(monthIndex / 12);
  const m = monthIndex - y * 12;
  return new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
}

/** The time `k` steps after the grid's anchor (k may be negative). */
export function timeAt(grid: TimeGrid, k: number): number {
  const fixed = FIXED_SECONDS[grid.unit];
  if (fixed !== undefined) return grid.anchor + k * fixed * grid.interval;
  const months = grid.unit === 'year' ? 12 * grid.interval : grid.interval;
  const target = monthIndexOf(grid.anchor) + k * months;
  const y = Math.floor(target / 12);
  const m = target - y * 12;
  const anchorDay = new Date(grid.anchor * 1000).getUTCDate();
  // eom: always the month's last day; month/year: the anchor's day, clamped to the month's length.
  const day = grid.unit === 'eom' ? daysInMonth(target) : Math.min(anchorDay, daysInMonth(target));
  return Date.UTC(y, m, day) / 1000 + secondsOfDay(grid.anchor);
}

/**
 * The grid position of a time: the number of steps from the anchor, rounded down for calendar units
 * and to the nearest step for fixed ones; `exact` tells whether the time lies on the grid.
 */
export function positionOf(grid: TimeGrid, t: number): { readonly position: number; readonly exact: boolean } {
  const fixed = FIXED_SECONDS[grid.unit];
  let position: number;
  if (fixed !== undefined) position = Math.round((t - grid.anchor) / (fixed * grid.interval));
  else {
    const months = grid.unit === 'year' ? 12 * grid.interval : grid.interval;
    position = Math.floor((monthIndexOf(t) - monthIndexOf(grid.anchor)) / months);
  }
  return { position, exact: timeAt(grid, position) === t };
}

/**
 * The season the unit implies, in steps: a day of hours, a week of days, a year of months, an hour
 * of minutes; 1 (no season) for years or when the interval does not divide the period.
 */
export function seasonLength(unit: TimeUnit, interval: number): number {
  const period = { minute: 60, hour: 24, day: 7, month: 12, eom: 12, year: 1 }[unit];
  return period % interval === 0 && period / interval >= 2 ? period / interval : 1;
}

/** Lags of the target (in units, before the target time) that the unit implies. */
const LAGS_IN_UNITS: Record<TimeUnit, readonly number[]> = {
  minute: [...range(1, 30), 45, 60, 90, 120, 180, 1440],
  hour: [...range(1, 48), 72, 96, 120, 144, 168, 336],
  day: [...range(1, 14), 21, 28, 35, 364],
  month: [...range(1, 12), 24],
  eom: [...range(1, 12), 24],
  year: range(1, 5),
};

/** Windows (in units, ending at the origin) of the rolling means, spreads and trends. */
const WINDOWS_IN_UNITS: Record<TimeUnit, readonly number[]> = {
  minute: [15, 60],
  hour: [6, 24, 168],
  day: [7, 28],
  month: [3, 12],
  eom: [3, 12],
  year: [3],
};

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function inSteps(units: readonly number[], interval: number): number[] {
  return [...new Set(units.filter((u) => u % interval === 0).map((u) => u / interval))].filter((s) => s >= 1);
}

/** Target lags in grid steps: the unit's lags that the interval divides. */
export function lagSteps(unit: TimeUnit, interval: number): number[] {
  const steps = inSteps(LAGS_IN_UNITS[unit], interval);
  return steps.length > 0 ? steps : [1];
}

/** Rolling windows in grid steps (at least 2 steps each). */
export function windowSteps(unit: TimeUnit, interval: number): number[] {
  return inSteps(WINDOWS_IN_UNITS[unit], interval).filter((w) => w >= 2);
}

const UNIT_WORDS: Record<TimeUnit, readonly [string, string]> = {
  minute: ['minute', 'minutes'],
  hour: ['hour', 'hours'],
  day: ['day', 'days'],
  month: ['month', 'months'],
  eom: ['month end', 'month ends'],
  year: ['year', 'years'],
};

/** `7 days`, `1 hour`: a span of grid steps in the unit's words. */
export function spanName(unit: TimeUnit, interval: number, steps: number): string {
  const n = steps * interval;
  const [one, many] = UNIT_WORDS[unit];
  return `${n} ${n === 1 ? one : many}`;
}
