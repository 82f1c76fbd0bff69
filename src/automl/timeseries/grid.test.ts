import { describe, expect, it } from 'vitest';
import type { TypedTable } from '../../table/table.js';
import { seriesGrids, sourceColumnsOf } from './grid.js';
import { settingsFor } from './fixtures.js';

const D = 86400;
const T0 = Date.UTC(2024, 0, 1) / 1000;

function table(times: number[], y: number[], keys?: number[]): TypedTable {
  return {
    nRows: times.length,
    columns: [
      { name: 'date', type: 'date', values: Float64Array.from(times), format: 'yyyy-MM-dd' },
      { name: 'sales', type: 'float', values: Float64Array.from(y) },
      ...(keys ? [{ name: 'store', type: 'string' as const, codes: Int32Array.from(keys), levels: ['a', 'b'] }] : []),
      { name: 'temp', type: 'float', values: Float64Array.from(y, (v) => v * 10) },
    ],
  };
}

describe('series grids', () => {
  it('sorts by time and leaves gaps as missing cells', () => {
    const t = table([T0 + 3 * D, T0, T0 + D], [4, 1, 2]);
    const [s] = seriesGrids(t, 'sales', settingsFor(t), sourceColumnsOf(t, 'sales', settingsFor(t)));
    expect(s!.length).toBe(4);
    expect(Array.from(s!.y)).toEqual([1, 2, NaN, 4]);
    expect(Array.from(s!.x[0]!)).toEqual([10, 20, NaN, 40]);
    expect(s!.lastObserved).toBe(3);
    expect(s!.nObserved).toBe(3);
  });

  it('averages duplicate steps and ends a series at its last observed target', () => {
    const t = table([T0, T0, T0 + D, T0 + 2 * D], [1, 3, 5, NaN]);
    const [s] = seriesGrids(t, 'sales', settingsFor(t), sourceColumnsOf(t, 'sales', settingsFor(t)));
    expect(Array.from(s!.y)).toEqual([2, 5, NaN]);
    expect(s!.lastObserved).toBe(1);
    expect(s!.x[0]![2]).toBe(NaN);
  });

  it('splits series of different lengths by the series column', () => {
    const t = table([T0, T0 + D, T0 + 2 * D, T0 + D, T0 + 5 * D], [1, 2, 3, 7, 8], [0, 0, 0, 1, 1]);
    const ts = settingsFor(t);
    const grids = seriesGrids(t, 'sales', ts, sourceColumnsOf(t, 'sales', ts));
    expect(grids.map((g) => g.key)).toEqual(['a', 'b']);
    expect(grids.map((g) => g.length)).toEqual([3, 5]);
    expect(grids[1]!.grid.anchor).toBe(T0 + D);
  });

  it('uses every numeric and string column but time, target and series as a source column', () => {
    const t = table([T0], [1], [0]);
    const ts = { ...settingsFor(t), knownFuture: ['temp'] };
    expect(sourceColumnsOf(t, 'sales', ts)).toEqual([{ name: 'temp', kind: 'numeric', knownFuture: true }]);
  });
});
