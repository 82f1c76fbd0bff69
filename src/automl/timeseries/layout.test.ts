import { describe, expect, it } from 'vitest';
import type { SeriesGrid } from './grid.js';
import { chooseLayout } from './layout.js';
import { settingsFor, syntheticTable } from './fixtures.js';

const grid = (n: number): SeriesGrid => ({ key: null, grid: { unit: 'day', interval: 1, anchor: 0 }, length: n, y: new Float64Array(n), x: [], lastObserved: n - 1, nObserved: n });

describe('feature layout', () => {
  const ts = { ...settingsFor(syntheticTable([{ length: 10 }])), holidays: 'JP' };
  it('keeps the yearly lag only when the data is long enough for it', () => {
    expect(chooseLayout('y', ts, [grid(200)], []).lags).not.toContain(364);
    expect(chooseLayout('y', ts, [grid(800)], []).lags).toContain(364);
  });
  it('uses holiday marks for daily data unless holidays is none, and a series feature for several series', () => {
    expect(chooseLayout('y', ts, [grid(100)], []).holidayMarks).toBe(true);
    expect(chooseLayout('y', { ...ts, holidays: 'none' }, [grid(100)], []).holidayMarks).toBe(false);
    expect(chooseLayout('y', { ...ts, unit: 'month' }, [grid(100)], []).holidayMarks).toBe(false);
    expect(chooseLayout('y', ts, [grid(100), grid(50)], []).nSeries).toBe(2);
  });
});
