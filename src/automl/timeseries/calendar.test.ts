import { describe, expect, it } from 'vitest';
import { lagSteps, positionOf, seasonLength, spanName, timeAt, windowSteps } from './calendar.js';

const utc = (y: number, m: number, d: number, h = 0): number => Date.UTC(y, m - 1, d, h) / 1000;

describe('time grid', () => {
  it('steps fixed units by seconds and finds positions', () => {
    const grid = { unit: 'hour' as const, interval: 2, anchor: utc(2024, 1, 1) };
    expect(timeAt(grid, 3)).toBe(utc(2024, 1, 1, 6));
    expect(positionOf(grid, utc(2024, 1, 1, 6))).toEqual({ position: 3, exact: true });
    expect(positionOf(grid, utc(2024, 1, 1, 7)).exact).toBe(false);
  });

  it('steps months by the calendar, clamping the day to the month length', () => {
    const grid = { unit: 'month' as const, interval: 1, anchor: utc(2024, 1, 31) };
    expect(timeAt(grid, 1)).toBe(utc(2024, 2, 29));
    expect(timeAt(grid, 2)).toBe(utc(2024, 3, 31));
    expect(positionOf(grid, utc(2024, 3, 31))).toEqual({ position: 2, exact: true });
  });

  it('steps month ends to the last day of every month, and years by 12 months', () => {
    const eom = { unit: 'eom' as const, interval: 1, anchor: utc(2023, 1, 31) };
    expect([1, 2, 3].map((k) => timeAt(eom, k))).toEqual([utc(2023, 2, 28), utc(2023, 3, 31), utc(2023, 4, 30)]);
    const year = { unit: 'year' as const, interval: 1, anchor: utc(2020, 2, 29) };
    expect(timeAt(year, 1)).toBe(utc(2021, 2, 28));
    expect(timeAt(year, -1)).toBe(utc(2019, 2, 28));
  });

  it('derives the season and the lags from the unit and interval', () => {
    expect(seasonLength('hour', 1)).toBe(24);
    expect(seasonLength('hour', 5)).toBe(1);
    expect(seasonLength('day', 1)).toBe(7);
    expect(seasonLength('month', 3)).toBe(4);
    expect(seasonLength('year', 1)).toBe(1);
    expect(lagSteps('day', 1)).toEqual([...Array.from({ length: 14 }, (_, i) => i + 1), 21, 28, 35, 364]);
    expect(lagSteps('month', 1)).toContain(24);
    expect(lagSteps('hour', 1)).toContain(168);
    expect(lagSteps('hour', 2)).toContain(84);
    expect(windowSteps('day', 1)).toEqual([7, 28]);
    expect(spanName('day', 1, 7)).toBe('7 days');
    expect(spanName('hour', 2, 1)).toBe('2 hours');
    expect(spanName('month', 1, 1)).toBe('1 month');
  });
});
