/**
 * Coverage of the 90% band on origins the model never saw, through the trainer and forecaster the
 * API uses: a series with known noise, and one whose noise doubles near the end of the training
 * data (the band must follow the shift, not the calm history before it).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../engine/index.js';
import type { TypedTable } from '../../table/table.js';
import { forecastAutoModel, trainAutoModel } from '../pipeline.js';
import { gaussian, rowsUpTo, selectRows, settingsFor, syntheticTable } from './fixtures.js';

const D = 86400;
const T0 = Date.UTC(2024, 0, 1) / 1000;
const LENGTH = 1000;
const TRAIN = 700;

/** The synthetic series with extra noise from position `from` on, so its σ goes from 2 to 4. */
function withNoiseShift(table: TypedTable, from: number, seed: number): TypedTable {
  const rng = new Rng(seed);
  const extra = Math.sqrt(4 * 4 - 2 * 2);
  return {
    ...table,
    columns: table.columns.map((c) =>
      c.name === 'sales' && c.type === 'float' ? { ...c, values: c.values.map((v, i) => (i >= from ? v + extra * gaussian(rng) : v)) } : c,
    ),
  };
}

/** Trains on the first TRAIN days, forecasts steps 1–7 from every later origin, returns the share inside. */
function coverageAfterTraining(table: TypedTable): { coverage: number; count: number; reported: number } {
  const train = selectRows(
    table,
    Array.from({ length: TRAIN }, (_, i) => i),
  );
  const out = trainAutoModel(
    {
      train,
      settings: {
        target: 'sales',
        task: 'regression',
        cv: 0,
        imbalance: false,
        timeBudgetSeconds: 600,
        seed: 5,
        timeSeries: settingsFor(train, { toStep: 7 }),
      },
    },
    {},
  );
  const column = table.columns.find((c) => c.name === 'sales');
  if (column?.type !== 'float') throw new Error('sales is not a float column');
  const y = column;
  let inside = 0;
  let count = 0;
  for (let origin = TRAIN - 1; origin + 7 < LENGTH; origin += 2) {
    for (const r of forecastAutoModel(out.model, rowsUpTo(table, T0 + origin * D), { reasons: false })) {
      const actual = y.values[(r.time - T0) / D]!;
      if (actual >= r.lower && actual <= r.upper) inside++;
      count++;
    }
  }
  return { coverage: inside / count, count, reported: Number(out.metrics.coverage) };
}

describe('the 90% band on unseen origins', () => {
  it('covers 87–93% of a series with known noise', () => {
    const { coverage, count } = coverageAfterTraining(syntheticTable([{ length: LENGTH, noise: 2, amplitude: 6 }], { seed: 21 }));
    expect(count).toBeGreaterThan(900);
    expect(coverage).toBeGreaterThan(0.87);
    expect(coverage).toBeLessThan(0.93);
  });

  it('covers 87–93% after the noise doubles near the end of the training data', () => {
    const table = withNoiseShift(syntheticTable([{ length: LENGTH, noise: 2, amplitude: 6 }], { seed: 22 }), 600, 23);
    const { coverage, count } = coverageAfterTraining(table);
    expect(count).toBeGreaterThan(900);
    expect(coverage).toBeGreaterThan(0.87);
    expect(coverage).toBeLessThan(0.93);
  });
});
