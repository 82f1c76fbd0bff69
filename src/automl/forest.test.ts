import { describe, expect, it } from 'vitest';
import { predictRaw } from '../engine/predict/index.js';
import { shapValues } from '../engine/explain/index.js';
import { Rng } from '../engine/rng.js';
import { toRowMajor } from '../engine/data/columns.js';
import { trainForest } from './forest.js';

const rng = new Rng(5);
const n = 600;
const x1 = Float64Array.from({ length: n }, () => rng.nextFloat() * 10);
const x2 = Float64Array.from({ length: n }, () => rng.nextInt(5));
const y = Float64Array.from(x1, (v, i) => Math.sin(v) * 3 + x2[i]! + rng.nextFloat());
const table = {
  nRows: n,
  columns: [
    { kind: 'numeric' as const, name: 'x1', values: x1 },
    { kind: 'numeric' as const, name: 'x2', values: x2 },
  ],
};
const rows = toRowMajor(table);

describe('trainForest', () => {
  it('one tree on all rows and features predicts the mean target of each leaf (a regression tree)', () => {
    const model = trainForest(
      { table, label: y },
      { objective: 'regression' },
      { trees: 1, maxLeaves: 16, minDataInLeaf: 5, featureFraction: 1, baggingFraction: 1 },
      1,
    );
    const raw = predictRaw(model, rows, n);
    const byLeaf = new Map<number, { sum: number; count: number }>();
    for (let i = 0; i < n; i++) {
      const g = byLeaf.get(raw[i]!) ?? { sum: 0, count: 0 };
      g.sum += y[i]!;
      g.count++;
      byLeaf.set(raw[i]!, g);
    }
    expect(byLeaf.size).toBeGreaterThan(8);
    for (const [value, g] of byLeaf) expect(value).toBeCloseTo(g.sum / g.count, 6);
  });

  it('many randomised trees: the initial score plus the mean of the trees, explained exactly by TreeSHAP', () => {
    const model = trainForest(
      { table, label: y },
      { objective: 'regression' },
      { trees: 30, maxLeaves: 32, minDataInLeaf: 5, featureFraction: 0.5, baggingFraction: 0.63 },
      2,
    );
    expect(model.nRoundsKept).toBe(30);
    const raw = predictRaw(model, rows, n);
    let sse = 0;
    let sst = 0;
    const mean = y.reduce((a, b) => a + b, 0) / n;
    for (let i = 0; i < n; i++) {
      sse += (raw[i]! - y[i]!) ** 2;
      sst += (y[i]! - mean) ** 2;
    }
    expect(1 - sse / sst).toBeGreaterThan(0.7);
    const shap = shapValues(model, rows.subarray(0, 10 * 2), 10);
    for (let i = 0; i < 10; i++) expect(shap[i * 3]! + shap[i * 3 + 1]! + shap[i * 3 + 2]!).toBeCloseTo(raw[i]!, 6);
  });

  it('classification: log-odds of the trees averaged, same seed same trees', () => {
    const label = Float64Array.from(y, (v) => (v > 2 ? 1 : 0));
    const p = { trees: 20, maxLeaves: 16, minDataInLeaf: 3, featureFraction: 0.6, baggingFraction: 0.63 };
    const a = trainForest({ table, label }, { objective: 'binary' }, p, 3);
    const b = trainForest({ table, label }, { objective: 'binary' }, p, 3);
    expect(Array.from(predictRaw(a, rows, n))).toEqual(Array.from(predictRaw(b, rows, n)));
    const raw = predictRaw(a, rows, n);
    let correct = 0;
    for (let i = 0; i < n; i++) if ((raw[i]! > 0 ? 1 : 0) === label[i]) correct++;
    expect(correct / n).toBeGreaterThan(0.85);
  });
});
