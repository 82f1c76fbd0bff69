import { describe, expect, it } from 'vitest';
import type { FeatureTable } from '../data/columns.js';
import { auc, rmse } from '../metrics/index.js';
import { leafIndexOf } from '../tree/tree.js';
import type { GbdtModel } from './model.js';
import { resolveParams } from './params.js';
import { TrainingCancelledError, binTrainingTable, trainGbdt } from './train.js';
import { numericTable, syntheticProblem } from './train-fixtures.js';
import { toRowMajor } from '../data/columns.js';

/** Raw scores of output 0..K-1 by walking every tree on raw feature values (row-major result). */
function predictRaw(model: GbdtModel, table: FeatureTable): Float64Array {
  const rows = toRowMajor(table);
  const nF = table.columns.length;
  const k = model.nOutputs;
  const out = new Float64Array(table.nRows * k);
  for (let i = 0; i < table.nRows; i++) {
    for (let o = 0; o < k; o++) out[i * k + o] = model.initScore[o]!;
    for (let t = 0; t < model.trees.length; t++) {
      const tree = model.trees[t]!;
      out[i * k + (t % k)]! += tree.leafValue[leafIndexOf(tree, rows, i * nF)]!;
    }
  }
  return out;
}

function split<T extends { table: FeatureTable; label: Float64Array }>(p: T, nTrain: number) {
  const sub = (from: number, to: number) => ({
    table: {
      nRows: to - from,
      columns: p.table.columns.map((c) => (c.kind === 'numeric' ? { ...c, values: c.values.slice(from, to) } : { ...c, codes: c.codes.slice(from, to) })),
    } as FeatureTable,
    label: p.label.slice(from, to),
  });
  return { train: sub(0, nTrain), valid: sub(nTrain, p.table.nRows) };
}

describe('trainGbdt on toy data with known trees', () => {
  it('finds the exact threshold of a step function', () => {
    const x = Float64Array.from({ length: 100 }, (_, i) => i);
    const y = Float64Array.from(x, (v) => (v <= 37 ? 0 : 10));
    const model = trainGbdt({ table: numericTable([x]), label: y }, { objective: 'regression', nRounds: 1, maxLeaves: 2, learningRate: 1, minDataInLeaf: 1 });
    const tree = model.trees[0]!;
    expect(tree.nInternal).toBe(1);
    expect(tree.threshold[0]).toBe(37.5);
    expect(model.initScore[0]).toBeCloseTo(6.2, 12);
    // Gradients are float32, so leaf values are exact to ~1e-7.
    expect(tree.leafValue[0]).toBeCloseTo(-6.2, 6);
    expect(tree.leafValue[1]).toBeCloseTo(3.8, 6);
    expect(Array.from(tree.leafCover)).toEqual([38, 62]);
    expect(Array.from(tree.internalCover)).toEqual([100]);
  });

  it('grows the 3-leaf tree of a two-step function best-first', () => {
    const x = Float64Array.from({ length: 90 }, (_, i) => i);
    const y = Float64Array.from(x, (v) => (v < 30 ? 0 : v < 60 ? 1 : 10));
    const model = trainGbdt({ table: numericTable([x]), label: y }, { objective: 'regression', nRounds: 1, maxLeaves: 3, learningRate: 1, minDataInLeaf: 1 });
    const tree = model.trees[0]!;
    expect(tree.nInternal).toBe(2);
    expect(tree.threshold[0]).toBe(59.5); // the bigger step first
    expect(tree.threshold[1]).toBe(29.5);
    const pred = predictRaw(model, numericTable([Float64Array.of(10, 45, 80)]));
    expect(Array.from(pred).map((v) => Math.round(v * 1e5) / 1e5 + 0)).toEqual([0, 1, 10]);
  });

  it('learns where missing values go', () => {
    const n = 200;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i % 4 === 0 ? NaN : i;
      // missing rows behave like the large values
      y[i] = Number.isNaN(x[i]!) || x[i]! > 100 ? 5 : 0;
    }
    const model = trainGbdt({ table: numericTable([x]), label: y }, { objective: 'regression', nRounds: 1, maxLeaves: 2, learningRate: 1, minDataInLeaf: 1 });
    const tree = model.trees[0]!;
    expect(tree.threshold[0]).toBe(100); // between 99 and 101 (100 itself is a missing row)
    expect(tree.missingGoesLeft[0]).toBe(0);
    const pred = predictRaw(model, numericTable([Float64Array.of(NaN, 3, 150)]));
    expect(pred[0]).toBeCloseTo(5, 9);
    expect(pred[1]).toBeCloseTo(0, 9);
    expect(pred[2]).toBeCloseTo(5, 9);
  });

  it('splits a categorical feature on the set of categories with high targets', () => {
    const n = 600;
    const codes = new Int32Array(n);
    const y = new Float64Array(n);
    const high = new Set([1, 4, 6]);
    for (let i = 0; i < n; i++) {
      codes[i] = i % 8;
      y[i] = high.has(codes[i]!) ? 3 : 0;
    }
    codes[7] = -1; // one missing row (target 0) goes right with the low categories
    const table: FeatureTable = { nRows: n, columns: [{ kind: 'categorical', name: 'c', codes, nCategories: 8 }] };
    const model = trainGbdt(
      { table, label: y },
      { objective: 'regression', nRounds: 1, maxLeaves: 2, learningRate: 1, minDataInLeaf: 1, minDataPerGroup: 1, catSmooth: 1 },
    );
    const tree = model.trees[0]!;
    expect(tree.isCategorical[0]).toBe(1);
    const left = [0, 1, 2, 3, 4, 5, 6, 7].filter((c) => ((tree.catBits[0]! >>> c) & 1) === 1);
    // The smaller-ratio side is scanned first: whichever side is "left", it is exactly one group.
    expect([JSON.stringify(left)]).toContain(left.length === 3 ? JSON.stringify([1, 4, 6]) : JSON.stringify([0, 2, 3, 5, 7]));
    const pred = predictRaw(model, { nRows: 3, columns: [{ kind: 'categorical', name: 'c', codes: Int32Array.of(4, 2, -1), nCategories: 8 }] });
    expect(pred[0]).toBeCloseTo(3, 6);
    expect(pred[1]).toBeCloseTo(0, 1);
  });
  it('splits a categorical feature with more categories than maxBin on ordinal codes', () => {
    const n = 400;
    const codes = Int32Array.from({ length: n }, (_, i) => i % 100);
    const y = Float64Array.from(codes, (c) => (c < 40 ? 0 : 1));
    const table: FeatureTable = { nRows: n, columns: [{ kind: 'categorical', name: 'id', codes, nCategories: 100 }] };
    const model = trainGbdt({ table, label: y }, { objective: 'regression', nRounds: 1, maxLeaves: 2, learningRate: 1, minDataInLeaf: 1, maxBin: 16 });
    const tree = model.trees[0]!;
    expect(tree.isCategorical[0]).toBe(0);
    const pred = predictRaw(model, { nRows: 2, columns: [{ kind: 'categorical', name: 'id', codes: Int32Array.of(10, 90), nCategories: 100 }] });
    expect(pred[0]).toBeLessThan(pred[1]!);
  });
});

describe('trainGbdt behaviour', () => {
  const problem = syntheticProblem(6000, 8, 1, 'binary');
  const { train, valid } = split(problem, 4000);

  it('reaches a high validation AUC on a synthetic binary problem', () => {
    const model = trainGbdt(train, { objective: 'binary', nRounds: 80 }, { valid });
    const raw = predictRaw(model, valid.table);
    expect(auc(valid.label, raw)).toBeGreaterThan(0.9);
    expect(model.history.length).toBe(80);
    // A validation set without early stopping only records history: every round is kept.
    expect(model.nRoundsKept).toBe(80);
    expect(model.trees.length).toBe(80);
    expect(model.metricName).toBe('logloss');
  });

  it('is byte-for-byte deterministic for a seed, with bagging and feature sampling', () => {
    const p = { objective: 'binary' as const, nRounds: 15, baggingFraction: 0.7, featureFraction: 0.6, seed: 5 };
    const a = trainGbdt(train, p);
    const b = trainGbdt(train, p);
    expect(a.trees.length).toBe(15);
    for (let t = 0; t < a.trees.length; t++) expect(a.trees[t]).toEqual(b.trees[t]);
    const c = trainGbdt(train, { ...p, seed: 6 });
    expect(c.trees.some((t, i) => t.leafValue[0] !== a.trees[i]!.leafValue[0])).toBe(true);
  });

  it('scores the training rows on bins exactly as the raw thresholds do', () => {
    // Same rows as train and valid: the trainer's leaf-slice scores and the tree walk must agree exactly.
    const sameAsTrain = { table: train.table, label: train.label };
    const model = trainGbdt(train, { objective: 'binary', nRounds: 10, baggingFraction: 0.5 }, { valid: sameAsTrain, recordTrainMetric: true });
    for (const h of model.history) expect(h.train).toBe(h.valid);
  });

  it('stops early and keeps the best round', () => {
    const noisy = syntheticProblem(1500, 5, 3, 'binary');
    const s = split(noisy, 500);
    const model = trainGbdt(
      s.train,
      { objective: 'binary', nRounds: 500, learningRate: 0.3, maxLeaves: 63, minDataInLeaf: 2, earlyStoppingRounds: 10 },
      { valid: s.valid },
    );
    expect(model.history.length).toBeLessThan(500);
    expect(model.history.length).toBe(model.nRoundsKept + 10);
    expect(model.trees.length).toBe(model.nRoundsKept);
    const best = Math.min(...model.history.map((h) => h.valid!));
    expect(model.history[model.nRoundsKept - 1]!.valid).toBe(best);
  });

  it('early-stops on AUC (higher is better)', () => {
    const model = trainGbdt(train, { objective: 'binary', nRounds: 300, metric: 'auc', earlyStoppingRounds: 5, learningRate: 0.5 }, { valid });
    expect(model.metricName).toBe('auc');
    const best = Math.max(...model.history.map((h) => h.valid!));
    expect(model.history[model.nRoundsKept - 1]!.valid).toBe(best);
  });

  it('calls onRound and honours cancellation between rounds', () => {
    const rounds: number[] = [];
    expect(() =>
      trainGbdt(
        train,
        { objective: 'binary', nRounds: 50 },
        {
          hooks: { onRound: (r) => rounds.push(r), isCancelled: () => rounds.length >= 3 },
        },
      ),
    ).toThrow(TrainingCancelledError);
    expect(rounds).toEqual([0, 1, 2]);
  });

  it('trains multiclass with one tree per class per round', () => {
    const p = syntheticProblem(3000, 6, 4, 'multiclass');
    const s = split(p, 2000);
    const model = trainGbdt(s.train, { objective: 'multiclass', nRounds: 30 }, { valid: s.valid });
    expect(model.nOutputs).toBe(3);
    expect(model.trees.length).toBe(90);
    const first = model.history[0]!.valid!;
    const last = model.history[model.history.length - 1]!.valid!;
    expect(last).toBeLessThan(first * 0.8);
  });

  it('fits regression, Huber and L1 better than the constant prior', () => {
    const p = syntheticProblem(3000, 6, 5, 'regression');
    const s = split(p, 2000);
    const prior = rmse(s.valid.label, new Float64Array(s.valid.label.length).fill(s.train.label.reduce((a, b) => a + b) / 2000));
    for (const objective of ['regression', 'huber', 'l1'] as const) {
      const model = trainGbdt(s.train, { objective, nRounds: 60 }, { valid: s.valid });
      const r = rmse(s.valid.label, predictRaw(model, s.valid.table));
      expect(r, objective).toBeLessThan(prior * 0.7);
    }
  });

  it('treats integer weights like repeated rows', () => {
    const x = Float64Array.from({ length: 40 }, (_, i) => i % 10);
    const y = Float64Array.from(x, (v, i) => (v > 4 ? 2 : 0) + (i % 3));
    const w = Float64Array.from(x, (_, i) => 1 + (i % 2));
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < 40; i++) for (let r = 0; r < w[i]!; r++) xs.push(x[i]!), ys.push(y[i]!);
    const p = { objective: 'regression' as const, nRounds: 3, minDataInLeaf: 1, minSumHessian: 0, maxLeaves: 4 };
    const a = trainGbdt({ table: numericTable([x]), label: y, weight: w }, p);
    const b = trainGbdt({ table: numericTable([Float64Array.from(xs)]), label: Float64Array.from(ys) }, p);
    for (let t = 0; t < 3; t++) {
      expect(Array.from(a.trees[t]!.threshold)).toEqual(Array.from(b.trees[t]!.threshold));
      for (let l = 0; l < a.trees[t]!.nLeaves; l++) expect(a.trees[t]!.leafValue[l]).toBeCloseTo(b.trees[t]!.leafValue[l]!, 9);
      expect(Array.from(a.trees[t]!.leafCover)).toEqual(Array.from(b.trees[t]!.leafCover));
    }
  });

  it('learns as well from quantized gradients, deterministically, for every objective', () => {
    // quantizeMinRows 0 quantizes these 4,000 rows (16,777 levels); binary, multiclass, regression, L1.
    const float = trainGbdt(train, { objective: 'binary', nRounds: 40 });
    const quant = trainGbdt(train, { objective: 'binary', nRounds: 40, quantizeMinRows: 0 });
    expect(quant.trees).not.toEqual(float.trees);
    expect(auc(valid.label, predictRaw(quant, valid.table))).toBeCloseTo(auc(valid.label, predictRaw(float, valid.table)), 2);
    expect(trainGbdt(train, { objective: 'binary', nRounds: 40, quantizeMinRows: 0 }).trees).toEqual(quant.trees);
    const p = syntheticProblem(3000, 6, 5, 'regression');
    const s = split(p, 2000);
    for (const objective of ['regression', 'l1'] as const) {
      const rf = rmse(s.valid.label, predictRaw(trainGbdt(s.train, { objective, nRounds: 60 }), s.valid.table));
      const rq = rmse(s.valid.label, predictRaw(trainGbdt(s.train, { objective, nRounds: 60, quantizeMinRows: 0 }), s.valid.table));
      expect(Math.abs(rq - rf) / rf, objective).toBeLessThan(0.02);
    }
    const m = syntheticProblem(3000, 6, 2, 'multiclass');
    const mq = trainGbdt(m, { objective: 'multiclass', nRounds: 10, quantizeMinRows: 0 });
    expect(mq.trees.length).toBe(10 * mq.nOutputs);
  });

  it('respects maxDepth and maxLeaves', () => {
    const model = trainGbdt(train, { objective: 'binary', nRounds: 3, maxDepth: 2, maxLeaves: 31 });
    for (const t of model.trees) expect(t.nLeaves).toBeLessThanOrEqual(4);
    const m2 = trainGbdt(train, { objective: 'binary', nRounds: 3, maxLeaves: 7 });
    for (const t of m2.trees) expect(t.nLeaves).toBe(7);
  });

  it('trains from a shared binned table exactly as from the table, and rejects a mismatched one', () => {
    const binned = binTrainingTable(train.table, { seed: 3, binSampleSize: 500 });
    for (const objective of ['binary', 'regression'] as const) {
      const params = { objective, nRounds: 4, maxLeaves: 9, seed: 3, binSampleSize: 500 };
      expect(trainGbdt(train, params, { binned }).trees).toEqual(trainGbdt(train, params).trees);
    }
    expect(() => trainGbdt(train, { objective: 'binary', nRounds: 1, maxBin: 63, binSampleSize: 500 }, { binned })).toThrow(/maxBin 255/);
    const other = { ...train, table: { ...train.table } };
    expect(() => trainGbdt(other, { objective: 'binary', nRounds: 1, binSampleSize: 500 }, { binned })).toThrow(/another table/);
  });

  it('rejects bad inputs with errors naming the value', () => {
    expect(() => trainGbdt({ ...train, label: train.label.slice(1) }, { objective: 'binary' })).toThrow(/label has length/);
    const bad = train.label.slice();
    bad[3] = 2;
    expect(() => trainGbdt({ ...train, label: bad }, { objective: 'binary' })).toThrow(/got 2 at row 3/);
  });
});

describe('resolveParams', () => {
  it('fills LightGBM-like defaults', () => {
    const p = resolveParams({ objective: 'regression' });
    expect(p).toMatchObject({ learningRate: 0.1, maxLeaves: 31, maxDepth: 0, minDataInLeaf: 20, maxBin: 255, lambdaL2: 0, nThreads: 1 });
  });

  it.each([
    ['learningRate', 0],
    ['maxLeaves', 1],
    ['maxBin', 300],
    ['featureFraction', 1.5],
    ['nRounds', 2.5],
    ['minSumHessian', -1],
    ['nThreads', 0],
    ['quantizeMinRows', -1],
  ])('rejects %s = %s', (key, value) => {
    expect(() => resolveParams({ objective: 'binary', [key]: value })).toThrow(new RegExp(`${key}.*${value}`));
  });

  it('rejects metrics that do not suit the objective and multiclass without classes', () => {
    expect(() => resolveParams({ objective: 'regression', metric: 'auc' })).toThrow(RangeError);
    expect(() => resolveParams({ objective: 'multiclass' })).toThrow(/nClasses/);
    expect(() => resolveParams({ objective: 'binary', metric: 'nope' })).toThrow(/nope/);
  });
});
