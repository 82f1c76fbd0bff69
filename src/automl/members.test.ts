import { describe, expect, it } from 'vitest';
import { toRowMajor, trainGbdt } from '../engine/index.js';
import { fitLinearLearner } from './linear.js';
import { ensembleExpected, ensembleRaw, ensembleShap, memberFromDoc, memberRaw, memberShap, memberShapOfOutput, memberToDoc } from './members.js';
import type { Member } from './members.js';
import { fitPlan } from './plan.js';
import { readTarget } from './target.js';
import { mixedTable } from './test-fixtures.js';

function members(task: 'binary' | 'multiclass'): { list: Member[]; rows: Float64Array; n: number; F: number; nOut: number } {
  const table = mixedTable(200, 4, task);
  const target = readTarget(table, 'target', task === 'binary' ? 'binary_classification' : 'multi_classification', task === 'binary' ? 'yes' : undefined);
  const { train } = fitPlan(table, target, { folds: null, seed: 1 });
  const rows = toRowMajor(train);
  const gbdt = trainGbdt(
    { table: train, label: target.y },
    { objective: task, ...(task === 'multiclass' ? { nClasses: 3 } : {}), nRounds: 20, maxLeaves: 7, minDataInLeaf: 5, seed: 1 },
  );
  const linear = fitLinearLearner(train, rows, target.y, undefined, task, target.classes.length, 1e-3, 2);
  return {
    list: [
      { kind: 'gbdt', gbdt },
      { kind: 'linear', linear },
    ],
    rows,
    n: train.nRows,
    F: train.columns.length,
    nOut: task === 'binary' ? 1 : 3,
  };
}

describe('ensemble members', () => {
  for (const task of ['binary', 'multiclass'] as const) {
    const { list, rows, n, F, nOut } = members(task);
    const weights = [0.7, 0.3];

    it(`${task}: the blend is the weighted sum of the members' raw scores`, () => {
      const blend = ensembleRaw(list, weights, rows, n);
      const a = memberRaw(list[0]!, rows, n);
      const b = memberRaw(list[1]!, rows, n);
      for (let e = 0; e < blend.length; e += 17) expect(blend[e]).toBeCloseTo(0.7 * a[e]! + 0.3 * b[e]!, 12);
    });

    it(`${task}: ensemble SHAP values add up to the blended raw score, per output`, () => {
      const shap = ensembleShap(list, weights, rows, n);
      const raw = ensembleRaw(list, weights, rows, n);
      const base = ensembleExpected(list, weights, F);
      for (let i = 0; i < n; i += 13) {
        for (let o = 0; o < nOut; o++) {
          const off = (i * nOut + o) * (F + 1);
          let sum = 0;
          for (let f = 0; f <= F; f++) sum += shap[off + f]!;
          expect(sum).toBeCloseTo(raw[i * nOut + o]!, 8);
          expect(shap[off + F]).toBeCloseTo(base[o]!, 8);
        }
      }
    });

    it(`${task}: one output's SHAP equals that slice of the full SHAP`, () => {
      for (const m of list) {
        const full = memberShap(m, rows, 5);
        const one = memberShapOfOutput(m, rows, 5, nOut - 1);
        for (let i = 0; i < 5; i++) {
          for (let f = 0; f <= F; f++) expect(one[i * (F + 1) + f]).toBeCloseTo(full[(i * nOut + nOut - 1) * (F + 1) + f]!, 10);
        }
      }
    });

    it(`${task}: members survive their document form`, () => {
      for (const m of list) {
        const back = memberFromDoc(
          JSON.parse(JSON.stringify(memberToDoc(m), (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v))) as {
            kind: string;
            model: unknown;
          },
        );
        const restored: Member =
          back.kind === 'linear'
            ? {
                kind: 'linear',
                linear: {
                  ...back.linear,
                  weights: Float64Array.from(back.linear.weights),
                  bias: Float64Array.from(back.linear.bias),
                  inputMeans: Float64Array.from(back.linear.inputMeans),
                },
              }
            : back;
        expect(Array.from(memberRaw(restored, rows, n))).toEqual(Array.from(memberRaw(m, rows, n)));
      }
    });
  }

  it('rejects an unknown member kind', () => {
    expect(() => memberFromDoc({ kind: 'forest', model: null })).toThrow(/unknown ensemble member kind/);
  });
});
