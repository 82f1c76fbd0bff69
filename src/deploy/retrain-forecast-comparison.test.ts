import { describe, expect, it } from 'vitest';
import { trainAutoModel } from '../automl/pipeline.js';
import type { ResultFile } from '../automl/types.js';
import { settingsFor, syntheticTable } from '../automl/timeseries/fixtures.js';
import type { TimeSeriesSettings } from '../domain/time-series.js';
import type { TypedColumn, TypedTable } from '../table/table.js';
import { compareRetrainedForecasters } from './retrain-forecast-comparison.js';

const facts = { target: 'sales', newModelId: 2, previousModelId: 1 };

function train(table: TypedTable, over: Partial<TimeSeriesSettings> = {}, seed = 3) {
  const settings = {
    target: 'sales',
    task: 'regression' as const,
    cv: 0,
    imbalance: false,
    timeBudgetSeconds: 600,
    seed,
    timeSeries: settingsFor(table, over),
  };
  return trainAutoModel({ train: table, settings }, {}).model;
}

const file = (files: readonly ResultFile[], name: string) => String(files.find((f) => f.name === name)!.content).replace(/^\uFEFF/, '');
const rowsOf = (csv: string) =>
  csv
    .trim()
    .split('\n')
    .map((l) => l.split(','));
const metric = (csv: string, name: string) => rowsOf(csv).find((r) => r[0] === name)!;

/** The table with the cells of `column` at the last `last` rows of each store replaced by `value(row)`. */
function overwriteTail(table: TypedTable, column: string, last: number, value: (r: number) => number): TypedTable {
  const store = table.columns.find((c) => c.name === 'store')!;
  const rowsBy = new Map<number, number[]>();
  for (let r = 0; r < table.nRows; r++) {
    const k = store.type === 'string' ? store.codes[r]! : 0;
    rowsBy.set(k, [...(rowsBy.get(k) ?? []), r]);
  }
  const tail = new Set([...rowsBy.values()].flatMap((rows) => rows.slice(-last)));
  const columns = table.columns.map(
    (c): TypedColumn => (c.name === column && c.type === 'float' ? { ...c, values: c.values.map((v, r) => (tail.has(r) ? value(r) : v)) } : c),
  );
  return { ...table, columns };
}

describe('time-series retrain comparison', () => {
  const table = syntheticTable(
    [
      { key: 'a', length: 120 },
      { key: 'b', length: 120, level: 40 },
    ],
    { known: true, lagOnly: true },
  );
  const next = train(table);
  const previous = train(
    syntheticTable(
      [
        { key: 'a', length: 90 },
        { key: 'b', length: 90, level: 40 },
      ],
      { known: true, lagOnly: true, seed: 9 },
    ),
    {},
    5,
  );

  it('scores both models on steps tsf..tst after an origin tst steps before each series end, and says it is in-sample', () => {
    const files = compareRetrainedForecasters(next, previous, table, facts);
    const metrics = file(files, 'metrics_comparison.csv');
    expect(metric(metrics, 'evaluation_rows')).toEqual(['evaluation_rows', '14', '14', '']);
    expect(metrics).toMatch(/steps 1\.\.7 after an origin 7 steps before the end .*in-sample for the new model/);
    const results = rowsOf(file(files, 'evaluation_results_comparison.csv'));
    expect(results[0]).toEqual(['date', 'store', 'actual', 'predicted_new_model', 'predicted_previous_model']);
    // 120 days from 2024-01-01 end on 2024-04-29: the origin is 2024-04-22.
    const week = ['2024-04-23', '2024-04-24', '2024-04-25', '2024-04-26', '2024-04-27', '2024-04-28', '2024-04-29'];
    expect(results.slice(1).map((r) => `${r[1]} ${r[0]}`)).toEqual(['a', 'b'].flatMap((s) => week.map((d) => `${s} ${d}`)));
    const [mae, rmse] = [metric(metrics, 'mae'), metric(metrics, 'rmse')];
    expect(Number(mae[3])).toBeCloseTo(Number(mae[1]) - Number(mae[2]), 9);
    expect(Number(rmse[1])).toBeGreaterThanOrEqual(Number(mae[1]));
  }, 120_000);

  it('lets no target or lag-only value after the origin reach either model', () => {
    const base = compareRetrainedForecasters(next, previous, table, facts);
    // The held-back rows' target and lag-only column changed wildly: the forecasts must not move.
    const moved = overwriteTail(
      overwriteTail(table, 'sales', 7, (r) => 1000 + r),
      'visitors',
      7,
      (r) => -500 * r,
    );
    const other = compareRetrainedForecasters(next, previous, moved, facts);
    const forecasts = (files: typeof base) => rowsOf(file(files, 'evaluation_results_comparison.csv')).map((r) => [r[0], r[1], r[3], r[4]]);
    expect(forecasts(other)).toEqual(forecasts(base));
    // ...while the actuals they are scored on did change.
    expect(metric(file(other, 'metrics_comparison.csv'), 'mae')[1]).not.toBe(metric(file(base, 'metrics_comparison.csv'), 'mae')[1]);
  }, 120_000);

  it('scores the same model against itself at zero difference, and only the steps from tsf', () => {
    // tst = 5: the origin is 2024-04-24; steps 3..5 are 04-27..04-29.
    const late = train(table, { fromStep: 3, toStep: 5 });
    const files = compareRetrainedForecasters(late, late, table, facts);
    const metrics = file(files, 'metrics_comparison.csv');
    expect(metric(metrics, 'evaluation_rows')).toEqual(['evaluation_rows', '6', '6', '']);
    expect(metric(metrics, 'mae')[3]).toBe('0');
    expect(
      rowsOf(file(files, 'evaluation_results_comparison.csv'))
        .slice(1)
        .map((r) => `${r[1]} ${r[0]}`),
    ).toEqual(['a', 'b'].flatMap((s) => ['2024-04-27', '2024-04-28', '2024-04-29'].map((d) => `${s} ${d}`)));
  }, 120_000);
});
