import { describe, expect, it } from 'vitest';
import { Rng, toRowMajor, type FeatureTable } from '../engine/index.js';
import { fitLinearLearner, linearRaw, linearShap } from './linear.js';

function table(n: number, seed: number): { t: FeatureTable; yBin: Float64Array; yReg: Float64Array; yMulti: Float64Array } {
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  const codes = new Int32Array(n);
  const yBin = new Float64Array(n);
  const yReg = new Float64Array(n);
  const yMulti = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = rng.nextFloat() < 0.1 ? NaN : rng.nextFloat() * 4 - 2;
    codes[i] = rng.nextFloat() < 0.05 ? -1 : rng.nextInt(3);
    const s = (Number.isNaN(x[i]!) ? 0 : x[i]!) + (codes[i] === 2 ? 1 : 0);
    yBin[i] = s + (rng.nextFloat() - 0.5) > 0.3 ? 1 : 0;
    yReg[i] = 3 * s + 10;
    yMulti[i] = s < -0.5 ? 0 : s < 0.8 ? 1 : 2;
  }
  const t: FeatureTable = {
    nRows: n,
    columns: [
      { kind: 'numeric', name: 'x', values: x },
      { kind: 'categorical', name: 'c', codes, nCategories: 3 },
    ],
  };
  return { t, yBin, yReg, yMulti };
}

describe('linear learner', () => {
  const { t, yBin, yReg, yMulti } = table(400, 1);
  const rows = toRowMajor(t);

  it('SHAP values plus the expected value add up to the raw score, for every loss', () => {
    for (const [task, y, k] of [
      ['binary', yBin, 2],
      ['regression', yReg, 0],
      ['multiclass', yMulti, 3],
    ] as const) {
      const m = fitLinearLearner(t, rows, y, undefined, task, k, 1e-3, 7);
      const raw = linearRaw(m, rows, 20);
      const shap = linearShap(m, rows, 20);
      const K = m.nOutputs;
      for (let i = 0; i < 20; i++) {
        for (let o = 0; o < K; o++) {
          const base = (i * K + o) * 3;
          expect(shap[base]! + shap[base + 1]! + shap[base + 2]!).toBeCloseTo(raw[i * K + o]!, 8);
        }
      }
    }
  });

  it('learns the direction of the signal and is deterministic', () => {
    const m = fitLinearLearner(t, rows, yReg, undefined, 'regression', 0, 1e-3, 7);
    const raw = linearRaw(m, rows, t.nRows);
    let se = 0;
    let st = 0;
    for (let i = 0; i < t.nRows; i++) {
      se += (raw[i]! - yReg[i]!) ** 2;
      st += (yReg[i]! - 10) ** 2;
    }
    expect(se / st).toBeLessThan(0.2);
    expect(fitLinearLearner(t, rows, yReg, undefined, 'regression', 0, 1e-3, 7).weights).toEqual(m.weights);
  });
});
