import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { constantTree, type Tree } from '../tree/tree.js';
import { predictRaw } from '../predict/predict.js';
import { shapValues } from '../explain/tree-shap.js';
import { buildTree } from '../testing/tree-builder.js';
import { mixedFeatures, randomModel, randomRows, testParams } from '../testing/random-trees.js';
import type { GbdtModel } from './model.js';
import { MODEL_FORMAT_VERSION } from './model.js';
import { deserializeModel, serializeModel } from './serialize.js';

const TREE_ARRAY_KEYS = [
  'splitFeature',
  'threshold',
  'missingGoesLeft',
  'isCategorical',
  'leftChild',
  'rightChild',
  'splitGain',
  'internalCover',
  'catOffset',
  'catBits',
  'leafValue',
  'leafCover',
] as const;

function bytesOf(arr: ArrayBufferView): number[] {
  return Array.from(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength));
}

/** Every typed array bit-identical (same type, same bytes), every scalar Object.is-equal. */
function expectIdentical(a: GbdtModel, b: GbdtModel): void {
  expect(b.formatVersion).toBe(MODEL_FORMAT_VERSION);
  expect(b.objective).toBe(a.objective);
  expect(b.nClasses).toBe(a.nClasses);
  expect(b.nOutputs).toBe(a.nOutputs);
  expect(b.nRoundsKept).toBe(a.nRoundsKept);
  expect(b.metricName).toBe(a.metricName);
  expect(b.initScore).toBeInstanceOf(Float64Array);
  expect(bytesOf(b.initScore)).toEqual(bytesOf(a.initScore));
  expect(b.features).toEqual(a.features);
  expect(b.params).toEqual(a.params);
  expect(b.history.length).toBe(a.history.length);
  a.history.forEach((h, i) => {
    const g = b.history[i]!;
    expect(g.round).toBe(h.round);
    expect(Object.is(g.train, h.train)).toBe(true);
    expect(Object.is(g.valid, h.valid)).toBe(true);
  });
  expect(b.trees.length).toBe(a.trees.length);
  a.trees.forEach((t, i) => {
    const u = b.trees[i]!;
    expect(u.nInternal).toBe(t.nInternal);
    expect(u.nLeaves).toBe(t.nLeaves);
    for (const key of TREE_ARRAY_KEYS) {
      expect(u[key].constructor).toBe(t[key].constructor);
      expect(bytesOf(u[key])).toEqual(bytesOf(t[key]));
    }
  });
}

/** A Float64 NaN whose payload is not the canonical one. */
function payloadNaN(): Float64Array {
  const arr = new Float64Array(1);
  const words = new Uint32Array(arr.buffer);
  const le = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
  words[le ? 1 : 0] = 0x7ff80000;
  words[le ? 0 : 1] = 0x00000123;
  return arr;
}

function exoticModel(): GbdtModel {
  const rng = new Rng(3);
  const features = mixedFeatures(4, [2], 70);
  const model = randomModel(rng, { objective: 'multiclass', nClasses: 3, nRounds: 5, features, maxLeaves: 20, exoticThresholds: true });
  const special = buildTree({
    feature: 0,
    threshold: -0,
    missingGoesLeft: true,
    left: { feature: 2, categories: [0, 65], left: { leaf: -0, cover: 0.1 }, right: { leaf: 1e-300, cover: 2.5 } },
    right: { feature: 1, threshold: Infinity, left: { leaf: Number.MAX_VALUE, cover: 1 }, right: { leaf: -Infinity, cover: 3 } },
  });
  (special.threshold as Float64Array).set(payloadNaN(), 0);
  const trees: Tree[] = [...model.trees];
  trees[0] = special;
  trees[1] = constantTree(0.25, 10);
  return {
    ...model,
    trees,
    initScore: Float64Array.of(-0, 0.1 + 0.2, -1e-320),
    metricName: 'multi_logloss',
    history: [{ round: 0, train: 1.0986, valid: 1.1 }, { round: 1, train: NaN, valid: Infinity }, { round: 2, valid: -0 }, { round: 3 }],
    params: testParams({ objective: 'multiclass', nClasses: 3, learningRate: 0.1 + 0.2, metric: 'NaN' }),
    nRoundsKept: 4,
  };
}

describe('serializeModel / deserializeModel', () => {
  it('round-trips exactly: every typed array bit-identical, NaN payloads, -0 and ±Infinity included', () => {
    const model = exoticModel();
    const back = deserializeModel(serializeModel(model));
    expectIdentical(model, back);
    expect(bytesOf(back.trees[0]!.threshold.subarray(0, 1))).toEqual(bytesOf(payloadNaN()));
    expect(Object.is(back.initScore[0], -0)).toBe(true);
    expect(back.params.metric).toBe('NaN'); // a string that looks like a number stays a string
  });

  it('round-trips random binary, multiclass and regression models', () => {
    const rng = new Rng(12);
    for (const objective of ['binary', 'multiclass', 'regression', 'huber', 'l1'] as const) {
      const features = mixedFeatures(6, [1, 4], 12);
      const model = randomModel(rng, { objective, nClasses: 4, nRounds: 7, features, maxLeaves: 31, exoticThresholds: true });
      expectIdentical(model, deserializeModel(serializeModel(model)));
    }
  });

  it('is deterministic: same model → same bytes, whatever the params key order', () => {
    const model = exoticModel();
    const text = serializeModel(model);
    expect(serializeModel(exoticModel())).toBe(text);
    expect(serializeModel(deserializeModel(text))).toBe(text);
    const reordered = Object.fromEntries(Object.entries(model.params).reverse()) as unknown as GbdtModel['params'];
    expect(serializeModel({ ...model, params: reordered })).toBe(text);
    expect(text).not.toMatch(/\s/);
  });

  it('the round-tripped model predicts and explains identically', () => {
    const rng = new Rng(99);
    const features = mixedFeatures(5, [0], 20);
    const model = randomModel(rng, { objective: 'binary', nRounds: 20, features, maxLeaves: 31 });
    const back = deserializeModel(serializeModel(model));
    const rows = randomRows(rng, features, 200, 0.1);
    expect(predictRaw(back, rows, 200)).toEqual(predictRaw(model, rows, 200));
    expect(shapValues(back, rows, 200)).toEqual(shapValues(model, rows, 200));
    const exotic = exoticModel();
    const exoticRows = randomRows(rng, exotic.features, 100, 0.2);
    expect(predictRaw(deserializeModel(serializeModel(exotic)), exoticRows, 100)).toEqual(predictRaw(exotic, exoticRows, 100));
  });
});

describe('deserializeModel rejects bad input with a clear error', () => {
  const text = serializeModel(exoticModel());
  const edit = (fn: (doc: Record<string, any>) => void): string => {
    const doc = JSON.parse(text) as Record<string, any>;
    fn(doc);
    return JSON.stringify(doc);
  };

  it('unknown format versions', () => {
    expect(() => deserializeModel(edit((d) => (d.formatVersion = 2)))).toThrow(/unsupported model formatVersion 2; this build reads version 1/);
    expect(() => deserializeModel(edit((d) => delete d.formatVersion))).toThrow(RangeError);
    expect(() => deserializeModel(edit((d) => (d.formatVersion = '1')))).toThrow(/formatVersion "1"/);
  });

  it('malformed documents name the field', () => {
    expect(() => deserializeModel('{not json')).toThrow(/not valid JSON/);
    expect(() => deserializeModel('[]')).toThrow(/model must be an object/);
    expect(() => deserializeModel(edit((d) => (d.objective = 'poisson')))).toThrow(/objective must be one of/);
    expect(() => deserializeModel(edit((d) => (d.trees[2].leafValue = d.trees[2].leafValue.slice(0, -4))))).toThrow(/trees\[2\]\.leafValue/);
    expect(() => deserializeModel(edit((d) => (d.trees[2].threshold = '!!!!')))).toThrow(/trees\[2\]\.threshold is not valid base64/);
    expect(() => deserializeModel(edit((d) => (d.initScore = 'AAAA')))).toThrow(/initScore must hold 3 f64 values/);
    expect(() => deserializeModel(edit((d) => d.trees.pop()))).toThrow(/not a multiple of nOutputs/);
    expect(() => deserializeModel(edit((d) => (d.nRoundsKept = 6)))).toThrow(/nRoundsKept/);
    expect(() => deserializeModel(edit((d) => (d.nClasses = 4)))).toThrow(/nOutputs = 3 does not fit objective 'multiclass'/);
    expect(() => deserializeModel(edit((d) => (d.history[0].train = 'x')))).toThrow(/history\[0\]\.train must be a number/);
  });

  it('structurally invalid trees', () => {
    const base = deserializeModel(text);
    const withTree = (tree: Tree) => serializeModel({ ...base, trees: [tree, ...base.trees.slice(1)] });
    const good = buildTree({ feature: 1, threshold: 0, left: { leaf: 1 }, right: { leaf: 2 } });
    const badFeature = { ...good, splitFeature: Int32Array.of(9) };
    expect(() => deserializeModel(withTree(badFeature))).toThrow(/splitFeature\[0\] = 9 is not a feature index/);
    const cycle = { ...good, leftChild: Int32Array.of(0) };
    expect(() => deserializeModel(withTree(cycle))).toThrow(/invalid child reference 0/);
    const badLeaf = { ...good, rightChild: Int32Array.of(~5) };
    expect(() => deserializeModel(withTree(badLeaf))).toThrow(/invalid child reference -6/);
  });
});
