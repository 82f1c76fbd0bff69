/**
 * Synthetic series for the tests: typed tables with a date column, a target with a known season,
 * trend and noise, and optional extra columns. Seeded, so every test sees the same data.
 */
import { Rng } from '../../engine/index.js';
import type { TimeSeriesSettings, TimeUnit } from '../../domain/time-series.js';
import type { TypedColumn, TypedTable } from '../../table/table.js';

export interface SyntheticSeries {
  readonly key?: string;
  readonly length: number;
  readonly level?: number;
  readonly amplitude?: number;
  readonly noise?: number;
  readonly trend?: number;
}

const STEP: Partial<Record<TimeUnit, number>> = { hour: 3600, day: 86400 };

/** A table of one or more series on an hourly or daily grid (start 2024-01-01). */
export function syntheticTable(
  series: readonly SyntheticSeries[],
  opts: { unit?: 'hour' | 'day'; seed?: number; season?: number; known?: boolean; lagOnly?: boolean; gaps?: readonly number[] } = {},
): TypedTable {
  const unit = opts.unit ?? 'day';
  const step = STEP[unit]!;
  const season = opts.season ?? (unit === 'day' ? 7 : 24);
  const rng = new Rng(opts.seed ?? 1);
  const times: number[] = [];
  const y: number[] = [];
  const keys: number[] = [];
  const known: number[] = [];
  const lagOnly: number[] = [];
  const start = Date.UTC(2024, 0, 1) / 1000;
  const gaps = new Set(opts.gaps ?? []);
  series.forEach((s, k) => {
    for (let i = 0; i < s.length; i++) {
      if (gaps.has(i)) continue;
      const promo = rng.nextFloat() < 0.2 ? 1 : 0;
      const noise = (s.noise ?? 1) * gaussian(rng);
      times.push(start + i * step);
      y.push((s.level ?? 20) + (s.amplitude ?? 5) * Math.sin((2 * Math.PI * i) / season) + (s.trend ?? 0) * i + (opts.known ? 8 * promo : 0) + noise);
      keys.push(k);
      known.push(promo);
      lagOnly.push(rng.nextFloat());
    }
  });
  const columns: TypedColumn[] = [
    { name: 'date', type: 'date', values: Float64Array.from(times), format: unit === 'day' ? 'yyyy-MM-dd' : 'yyyy-MM-dd HH:mm:ss' },
    { name: 'sales', type: 'float', values: Float64Array.from(y) },
  ];
  if (series.length > 1) columns.push({ name: 'store', type: 'string', codes: Int32Array.from(keys), levels: series.map((s, k) => s.key ?? `s${k}`) });
  if (opts.known) columns.push({ name: 'promo', type: 'integer', values: Float64Array.from(known) });
  if (opts.lagOnly) columns.push({ name: 'visitors', type: 'float', values: Float64Array.from(lagOnly) });
  return { nRows: times.length, columns };
}

export function gaussian(rng: Rng): number {
  const u = Math.max(1e-12, rng.nextFloat());
  const v = rng.nextFloat();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function settingsFor(table: TypedTable, over: Partial<TimeSeriesSettings> = {}): TimeSeriesSettings {
  const hasStore = table.columns.some((c) => c.name === 'store');
  const hasPromo = table.columns.some((c) => c.name === 'promo');
  return {
    timeColumn: 'date',
    unit: 'day',
    interval: 1,
    fromStep: 1,
    toStep: 7,
    ...(hasStore ? { seriesColumn: 'store' } : {}),
    knownFuture: hasPromo ? ['promo'] : [],
    holidays: 'none',
    ...over,
  };
}

/** The rows of a table whose time is at most `t` (a history cut at an origin). */
export function rowsUpTo(table: TypedTable, t: number): TypedTable {
  const time = table.columns.find((c) => c.name === 'date')!;
  const keep: number[] = [];
  for (let i = 0; i < table.nRows; i++) if (time.type === 'date' && time.values[i]! <= t) keep.push(i);
  return selectRows(table, keep);
}

export function selectRows(table: TypedTable, rows: readonly number[]): TypedTable {
  return {
    nRows: rows.length,
    columns: table.columns.map((c): TypedColumn => {
      switch (c.type) {
        case 'integer':
        case 'float':
          return { ...c, values: Float64Array.from(rows, (i) => c.values[i]!) };
        case 'date':
          return { ...c, values: Float64Array.from(rows, (i) => c.values[i]!) };
        case 'string':
          return { ...c, codes: Int32Array.from(rows, (i) => c.codes[i]!) };
        case 'text':
          return { ...c, values: rows.map((i) => c.values[i]!) };
        case 'ignore':
          return c;
      }
    }),
  };
}
