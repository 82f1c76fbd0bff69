import { describe, expect, it } from 'vitest';
import type { SeriesGrid } from './grid.js';
import { MAX_VALIDATION_ORIGINS, seriesSplit, trainingPoints } from './rolling-origin.js';

function grid(n: number, gaps: number[] = []): SeriesGrid {
  const y = Float64Array.from({ length: n }, (_, i) => (gaps.includes(i) ? NaN : i));
  return { key: null, grid: { unit: 'day', interval: 1, anchor: 0 }, length: n, y, x: [], lastObserved: n - 1, nObserved: n - gaps.length };
}

describe('rolling-origin validation', () => {
  it('holds back the last origins, in time order, with targets inside the series', () => {
    const s = grid(100);
    const split = seriesSplit(s, 1, 7);
    expect(split.cut).toBe(79);
    const origins = split.points.map((p) => p.origin);
    expect(origins[0]).toBe(79);
    expect(Math.max(...origins)).toBe(98);
    expect(origins).toEqual([...origins].sort((a, b) => a - b));
    for (const p of split.points) expect(p.origin + p.h).toBeLessThanOrEqual(99);
  });

  it('caps the number of held-back origins on long series', () => {
    const split = seriesSplit(grid(20_000), 1, 1);
    expect(new Set(split.points.map((p) => p.origin)).size).toBe(MAX_VALIDATION_ORIGINS);
  });

  it('trains only on targets at or before the cut and skips gaps', () => {
    const s = grid(50, [10, 20]);
    const pts = trainingPoints(s, 1, 3, 0, 30);
    for (const p of pts) {
      expect(p.origin + p.h).toBeLessThanOrEqual(30);
      expect(p.origin === 10 || p.origin === 20 || p.origin + p.h === 10 || p.origin + p.h === 20).toBe(false);
    }
    expect(pts.length).toBeGreaterThan(70);
  });
});
