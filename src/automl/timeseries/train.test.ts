import { describe, expect, it } from 'vitest';
import { AppError } from '../../domain/errors.js';
import type { TrainSettings } from '../../domain/records.js';
import type { TypedTable } from '../../table/table.js';
import { autoModelInfo, deserializeAutoModel, forecastAutoModel, serializeAutoModel, trainAutoModel } from '../pipeline.js';
import { rowsUpTo, selectRows, settingsFor, syntheticTable } from './fixtures.js';
import type { TimeSeriesSettings } from '../../domain/time-series.js';

const D = 86400;
const T0 = Date.UTC(2024, 0, 1) / 1000;

function settings(table: TypedTable, over: Partial<TimeSeriesSettings> = {}): TrainSettings {
  return { target: 'sales', task: 'regression', cv: 0, imbalance: false, timeBudgetSeconds: 600, seed: 3, timeSeries: settingsFor(table, over) };
}

function train(table: TypedTable, over: Partial<TimeSeriesSettings> = {}) {
  return trainAutoModel({ train: table, settings: settings(table, over) }, {});
}

function detailOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).kind).toBe('INFERENCE_INVALID_REQUEST');
    return String((e as AppError).detail);
  }
  throw new Error('expected an AppError');
}

function setTarget(table: TypedTable, rows: (i: number) => boolean): TypedTable {
  return { ...table, columns: table.columns.map((c) => (c.name === 'sales' && c.type === 'float' ? { ...c, values: c.values.map((v, i) => (rows(i) ? NaN : v)) } : c)) };
}

describe('time-series training and forecasting', () => {
  const table = syntheticTable([{ length: 300, noise: 1 }], { known: true, lagOnly: true });
  const out = train(selectRows(table, Array.from({ length: 280 }, (_, i) => i)));

  it('forecasts steps tsf..tst after the last observed target, with the band and reasons', () => {
    const history = setTarget(selectRows(table, Array.from({ length: 287 }, (_, i) => i)), (i) => i >= 280);
    const rows = forecastAutoModel(out.model, history, { reasons: true });
    expect(rows.map((r) => r.horizon)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(rows.map((r) => r.time)).toEqual([1, 2, 3, 4, 5, 6, 7].map((h) => T0 + (279 + h) * D));
    for (const r of rows) {
      expect(r.lower).toBeLessThan(r.prediction);
      expect(r.upper).toBeGreaterThan(r.prediction);
      expect(r.series).toBeNull();
    }
    expect(rows.some((r) => (r.reasons?.up.length ?? 0) + (r.reasons?.down.length ?? 0) > 0)).toBe(true);
  });

  const short = selectRows(table, Array.from({ length: 160 }, (_, i) => i));
  const shortOver = { fromStep: 3, toStep: 5, knownFuture: [] };
  const m = train(short, shortOver);

  it('honours tsf > 1: forecasts only steps tsf..tst', () => {
    const t = short;
    const rows = forecastAutoModel(m.model, rowsUpTo(t, T0 + 199 * D), { reasons: false });
    expect(rows.map((r) => [r.horizon, r.time])).toEqual([3, 4, 5].map((h) => [h, T0 + (159 + h) * D]));
  });

  it('does not let values after the origin change a forecast', () => {
    const base = setTarget(selectRows(table, Array.from({ length: 287 }, (_, i) => i)), (i) => i >= 280);
    const a = forecastAutoModel(out.model, base, { reasons: false });
    // Later rows with targets of their own, and other lag-only values after the origin: the
    // origin moves only if a target is observed, so give them targets after the forecast window.
    const perturbed: TypedTable = {
      ...base,
      columns: base.columns.map((c) => (c.name === 'visitors' && c.type === 'float' ? { ...c, values: c.values.map((v, i) => (i >= 280 ? 99 : v)) } : c)),
    };
    expect(forecastAutoModel(out.model, perturbed, { reasons: false })).toEqual(a);
  });

  it('needs the known-future columns at every forecast time, and enough history', () => {
    const noFuture = rowsUpTo(table, T0 + 279 * D);
    expect(detailOf(() => forecastAutoModel(out.model, noFuture, { reasons: false }))).toMatch(/known-future column promo has no value at 2024-10-07/);
    const short = setTarget(selectRows(table, Array.from({ length: 17 }, (_, i) => 270 + i)), (i) => i >= 10);
    expect(detailOf(() => forecastAutoModel(out.model, short, { reasons: false }))).toMatch(/the history holds 10 steps up to 2024-10-06 .*the model needs \d+ steps of sales/);
  });

  it('reports metrics beside seasonal naive and the coverage of the band', () => {
    expect(Object.keys(out.metrics)).toEqual(expect.arrayContaining(['rmse', 'mae', 'mase', 'coverage', 'seasonal_naive_rmse']));
    expect(out.metrics.rmse!).toBeLessThanOrEqual(out.metrics.seasonal_naive_rmse!);
    const names = out.resultFiles.map((f) => f.name);
    expect(names).toEqual(['metrics.csv', 'analysis_summary.csv', 'evaluation_raw_data.csv', 'report.html', 'model.json']);
    const metrics = String(out.resultFiles[0]!.content);
    expect(metrics).toContain('horizon 7,rmse,');
    expect(metrics).toContain('all,coverage,');
    const raw = String(out.resultFiles[2]!.content);
    expect(raw.split('\n')[0]).toBe('\uFEFForigin,date,horizon,actual,prediction,lower,upper,method,reasons_up,reasons_down');
    expect(String(out.resultFiles[1]!.content)).toMatch(/sales \(\d+ days? before\)|sales \(mean of/);
  });

  it('describes its needs and round-trips through serialization byte for byte', () => {
    const info = autoModelInfo(out.model);
    expect(info.timeSeries?.minHistory).toBeGreaterThan(7);
    expect(info.timeSeries?.columns.map((c) => c.name)).toEqual(['date', 'sales', 'promo', 'visitors']);
    const text = serializeAutoModel(out.model);
    const again = deserializeAutoModel(text);
    expect(serializeAutoModel(again)).toBe(text);
    const history = setTarget(selectRows(table, Array.from({ length: 287 }, (_, i) => i)), (i) => i >= 280);
    expect(forecastAutoModel(again, history, { reasons: true })).toEqual(forecastAutoModel(out.model, history, { reasons: true }));
  });

  it('gives the same model bytes for the same data, settings and seed', () => {
    expect(serializeAutoModel(train(short, shortOver).model)).toBe(serializeAutoModel(m.model));
  });
});

describe('time-series edge cases', () => {
  it('pools series of different lengths and falls back to the simple models for a short one', () => {
    const t = syntheticTable([{ key: 'a', length: 150 }, { key: 'b', length: 110, level: 60, amplitude: 15 }, { key: 'c', length: 30, level: 5 }], { seed: 5 });
    const out = train(t);
    const model = JSON.parse(String(out.resultFiles.find((f) => f.name === 'model.json')!.content)) as { series: { series: string; method: string; note?: string }[] };
    const c = model.series.find((s) => s.series === 'c')!;
    expect(['seasonal naive', 'ETS']).toContain(c.method);
    expect(c.note).toMatch(/too short for the lags/);
    const rows = forecastAutoModel(out.model, t, { reasons: false });
    expect(new Set(rows.map((r) => r.series))).toEqual(new Set(['a', 'b', 'c']));
    const lastB = T0 + 109 * D;
    expect(rows.filter((r) => r.series === 'b').map((r) => r.time)).toEqual([1, 2, 3, 4, 5, 6, 7].map((h) => lastB + h * D));
    // A history of one series alone forecasts that series as in the full history.
    const store = t.columns.find((c) => c.name === 'store')!;
    const onlyB = selectRows(t, Array.from({ length: t.nRows }, (_, i) => i).filter((i) => store.type === 'string' && store.codes[i] === 1));
    expect(forecastAutoModel(out.model, onlyB, { reasons: false })).toEqual(rows.filter((r) => r.series === 'b'));
  });

  it('never forecasts a negative count', () => {
    const t = syntheticTable([{ length: 220, level: 0.6, amplitude: 1, noise: 0.8 }], { seed: 9 });
    const counts = { ...t, columns: t.columns.map((c) => (c.name === 'sales' && c.type === 'float' ? { ...c, type: 'integer' as const, values: c.values.map((v) => Math.max(0, Math.round(v))) } : c)) };
    const out = train(counts);
    const rows = forecastAutoModel(out.model, counts, { reasons: false });
    for (const r of rows) {
      expect(r.prediction).toBeGreaterThanOrEqual(0);
      expect(r.lower).toBeGreaterThanOrEqual(0);
    }
  });

  it('covers about 90% of new actuals on a series with known noise', () => {
    const t = syntheticTable([{ length: 700, noise: 2, amplitude: 6 }], { seed: 11 });
    const n = 500;
    const out = train(selectRows(t, Array.from({ length: n }, (_, i) => i)));
    let inside = 0;
    let total = 0;
    const y = t.columns[1]!;
    for (let origin = n - 1; origin + 7 < 700; origin += 7) {
      const rows = forecastAutoModel(out.model, rowsUpTo(t, T0 + origin * D), { reasons: false });
      for (const r of rows) {
        const actual = y.type === 'float' ? y.values[(r.time - T0) / D]! : NaN;
        if (actual >= r.lower && actual <= r.upper) inside++;
        total++;
      }
    }
    expect(total).toBeGreaterThan(150);
    expect(inside / total).toBeGreaterThan(0.82);
    expect(inside / total).toBeLessThan(0.97);
  });
});
