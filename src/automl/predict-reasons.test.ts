import { describe, expect, it } from 'vitest';
import { toRowMajor } from '../engine/index.js';
import { explainContext, probabilityScale, rowItems, topReasons } from './explain.js';
import { ensembleShap } from './members.js';
import type { AutoModelData } from './model.js';
import { deserializeAutoModel, predictAutoModel, serializeAutoModel, trainAutoModel } from './pipeline.js';
import { applyPlan } from './plan.js';
import { ENSEMBLE_MIN_GAIN, greedyEnsemble } from './ensemble.js';
import { takeRows } from './target.js';
import { mixedTable } from './test-fixtures.js';
import type { TaskType } from './types.js';

/** Reasons the way they were computed before the per-output path: full ensemble SHAP of every output. */
function referenceReasons(m: AutoModelData, table: ReturnType<typeof mixedTable>, classIdx: readonly number[]): ReturnType<typeof topReasons>[] {
  const { features, docs } = applyPlan(m.plan, table);
  const rows = toRowMajor(features);
  const n = table.nRows;
  const shap = ensembleShap(m.members, m.weights, rows, n);
  const F = m.plan.features.length;
  const nOut = m.info.task === 'multi_classification' ? m.info.classes.length : 1;
  const ctx = explainContext(m.plan, table, docs);
  const kind = m.info.task === 'binary_classification' ? 'binary' : m.info.task === 'multi_classification' ? 'multiclass' : 'regression';
  const raw = new Float64Array(nOut);
  const out: ReturnType<typeof topReasons>[] = [];
  for (let i = 0; i < n; i++) {
    const output = kind === 'multiclass' ? classIdx[i]! : 0;
    const base = Float64Array.from({ length: nOut }, (_, o) => shap[(i * nOut + o) * (F + 1) + F]!);
    for (let o = 0; o < nOut; o++) {
      let s = base[o]!;
      for (let f = 0; f < F; f++) s += shap[(i * nOut + o) * (F + 1) + f]!;
      raw[o] = s;
    }
    out.push(topReasons(rowItems(ctx, shap, (i * nOut + output) * (F + 1), i), probabilityScale(kind, raw, base, output), 3));
  }
  return out;
}

describe('prediction reasons', () => {
  for (const [task, kind] of [
    ['binary_classification', 'binary'],
    ['multi_classification', 'multiclass'],
    ['regression', 'regression'],
  ] as const) {
    it(`${kind}: per-output SHAP with cached base values gives the full-SHAP reasons, batch or row by row`, () => {
      const train = mixedTable(300, 5, kind);
      const out = trainAutoModel(
        {
          train,
          settings: {
            target: 'target',
            task: task as TaskType,
            ...(kind === 'binary' ? { positiveLabel: 'yes' } : {}),
            cv: 2,
            imbalance: false,
            timeBudgetSeconds: 10,
            seed: 1,
          },
        },
        {},
      );
      const model = deserializeAutoModel(serializeAutoModel(out.model)) as AutoModelData;
      const test = mixedTable(40, 9, kind);
      const batch = predictAutoModel(model, test, { reasons: true });
      const classIdx = batch.labels === null ? [] : batch.labels.map((l) => model.info.classes.indexOf(l));
      const ref = referenceReasons(model, test, classIdx);
      for (let i = 0; i < test.nRows; i++) {
        const got = batch.reasons![i]!;
        for (const dir of ['up', 'down'] as const) {
          expect(got[dir].map((r) => [r.column, r.value])).toEqual(ref[i]![dir].map((r) => [r.column, r.value]));
          got[dir].forEach((r, q) => expect(r.contribution).toBeCloseTo(ref[i]![dir][q]!.contribution, 9));
        }
        // Same answer one row at a time (buffers reused across calls).
        const single = predictAutoModel(model, takeRows(test, Int32Array.of(i)), { reasons: true });
        expect(single.reasons![0]).toEqual(got);
      }
    });
  }
});

describe('ensemble selection', () => {
  const rows = Int32Array.from({ length: 8 }, (_, i) => i);
  const y = Float64Array.from([0, 1, 0, 1, 0, 1, 0, 1]);
  it('adds a second member only when it lowers the loss by at least ENSEMBLE_MIN_GAIN', () => {
    const good = Float64Array.from(y, (v) => (v === 1 ? 2 : -2));
    // Nearly the same predictions: blending would gain far less than ENSEMBLE_MIN_GAIN.
    const twin = Float64Array.from(good, (v, i) => v + (i % 2 === 0 ? 1e-4 : -1e-4));
    expect(greedyEnsemble([good, twin], 'binary_classification', 1, y, rows)).toEqual([1, 0]);
    // A complementary member that clearly helps still joins.
    const over = Float64Array.from(y, (v) => (v === 1 ? 6 : -1));
    const under = Float64Array.from(y, (v) => (v === 1 ? 1 : -6));
    const w = greedyEnsemble([over, under], 'binary_classification', 1, y, rows);
    expect(w[0]! > 0 && w[1]! > 0).toBe(true);
    expect(ENSEMBLE_MIN_GAIN).toBeGreaterThan(0);
  });
});
