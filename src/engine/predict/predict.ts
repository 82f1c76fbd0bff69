/**
 * Batch prediction over the flat trees: raw margins (`predictRaw`) and class probabilities
 * (`predictProba`).
 *
 * Loop order is tree-outer, row-inner: each tree's arrays are loaded into locals once and stay hot in
 * cache while every row walks them, and nothing is allocated inside the loops. `predictRawNaive`
 * (predict-naive.ts) is the row-at-a-time twin this is tested against.
 */
import type { GbdtModel } from '../boosting/model.js';
import type { RawScores } from '../dtypes.js';
import type { Tree } from '../tree/tree.js';
import { compiledFormOf } from '../serving.js';
import { predictRowRaw, ROW_PREDICT_MAX_ROWS } from './row-predict.js';
import { softmaxInPlace, sigmoid } from './transform.js';

/**
 * Number of rounds to use: `nRounds` if given, else every kept round. Validates the inputs shared by
 * predictRaw, predictProba and shapValues.
 *
 * @internal
 */
export function resolvePredictArgs(model: GbdtModel, rows: Float64Array, nRows: number, nRounds: number | undefined, fn: string): number {
  const nFeatures = model.features.length;
  const nRoundsTotal = Math.floor(model.trees.length / model.nOutputs);
  if (!Number.isInteger(nRows) || nRows < 0) throw new RangeError(`${fn}: nRows must be a non-negative integer, got ${nRows}`);
  if (rows.length < nRows * nFeatures) {
    throw new RangeError(`${fn}: rows has length ${rows.length}, expected at least ${nRows} rows × ${nFeatures} features = ${nRows * nFeatures}`);
  }
  const rounds = nRounds ?? Math.min(model.nRoundsKept, nRoundsTotal);
  if (!Number.isInteger(rounds) || rounds < 0 || rounds > nRoundsTotal) {
    throw new RangeError(`${fn}: nRounds must be an integer in [0, ${nRoundsTotal}], got ${nRounds}`);
  }
  return rounds;
}

/**
 * Adds one tree's output for each row to `out[row * outStride + outIdx]`.
 * Kernel: no checks; rows are row-major with `nFeatures` columns.
 */
function addTree(
  tree: Tree,
  rows: Float64Array, // IN  nRows × nFeatures
  nRows: number,
  nFeatures: number,
  out: Float64Array, // OUT nRows × outStride, accumulated
  outStride: number,
  outIdx: number,
): void {
  const leafValue = tree.leafValue;
  if (tree.nInternal === 0) {
    const v = leafValue[0]!;
    for (let i = 0; i < nRows; i++) out[i * outStride + outIdx]! += v;
    return;
  }
  const splitFeature = tree.splitFeature;
  const threshold = tree.threshold;
  const missingGoesLeft = tree.missingGoesLeft;
  const isCategorical = tree.isCategorical;
  const leftChild = tree.leftChild;
  const rightChild = tree.rightChild;
  const catOffset = tree.catOffset;
  const catBits = tree.catBits;
  for (let i = 0; i < nRows; i++) {
    const rowOffset = i * nFeatures;
    let node = 0;
    while (node >= 0) {
      const v = rows[rowOffset + splitFeature[node]!]!;
      let left: boolean;
      if (v !== v) left = missingGoesLeft[node] === 1;
      else if (isCategorical[node] === 1) {
        // Same rule as decision.ts goesLeft, inlined: only integer codes inside the bitset can go left.
        const start = catOffset[node]!;
        left = false;
        if (v >= 0 && v < (catOffset[node + 1]! - start) << 5) {
          const code = v | 0;
          left = code === v && ((catBits[start + (code >>> 5)]! >>> (code & 31)) & 1) === 1;
        }
      } else left = v <= threshold[node]!;
      node = left ? leftChild[node]! : rightChild[node]!;
    }
    out[i * outStride + outIdx]! += leafValue[~node]!;
  }
}

/**
 * Raw margins: initScore[k] + Σ over rounds of tree (round, k) for each row and output k.
 *
 * @param model    the trained model
 * @param rows     row-major nRows × nFeatures (nFeatures = model.features.length); categorical
 *                 codes as numbers, NaN = missing
 * @param nRows    number of rows to predict
 * @param out      nRows × nOutputs, row-major (OUT; overwritten). Allocated when omitted.
 * @param nRounds  use only the first nRounds rounds (default: every kept round)
 * @returns `out`
 *
 * @example
 * const raw = predictRaw(model, toRowMajor(table), table.nRows);
 */
export function predictRaw(model: GbdtModel, rows: Float64Array, nRows: number, out?: RawScores, nRounds?: number): RawScores {
  const rounds = resolvePredictArgs(model, rows, nRows, nRounds, 'predictRaw');
  const nOutputs = model.nOutputs;
  const nFeatures = model.features.length;
  const result = out ?? new Float64Array(nRows * nOutputs);
  if (result.length < nRows * nOutputs) {
    throw new RangeError(`predictRaw: out has length ${result.length}, expected ${nRows * nOutputs}`);
  }
  if (nRows <= ROW_PREDICT_MAX_ROWS) {
    // One-row serving calls: the flat forest of the model's compiled form (serving.ts), if any.
    const forest = compiledFormOf(model)?.forest;
    if (forest !== undefined && forest.rounds === rounds) {
      for (let i = 0; i < nRows; i++) predictRowRaw(forest, rows, i * nFeatures, result, i * nOutputs);
      return result;
    }
  }
  const initScore = model.initScore;
  for (let i = 0; i < nRows; i++) {
    for (let k = 0; k < nOutputs; k++) result[i * nOutputs + k] = initScore[k]!;
  }
  const trees = model.trees;
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < nOutputs; k++) addTree(trees[r * nOutputs + k]!, rows, nRows, nFeatures, result, nOutputs, k);
  }
  return result;
}

/**
 * Class probabilities.
 * - binary: nRows × 2, row-major [p(class 0), p(class 1)] with p1 = sigmoid(raw)
 * - multiclass: nRows × K, softmax of the raw margins
 *
 * @param out  nRows × (binary ? 2 : K) (OUT). Allocated when omitted.
 * @throws TypeError for regression objectives, which have no probabilities
 */
export function predictProba(model: GbdtModel, rows: Float64Array, nRows: number, out?: Float64Array, nRounds?: number): Float64Array {
  if (model.objective !== 'binary' && model.objective !== 'multiclass') {
    throw new TypeError(`predictProba: objective '${model.objective}' is not a classification objective`);
  }
  if (model.objective === 'binary') {
    const raw = predictRaw(model, rows, nRows, undefined, nRounds);
    const result = out ?? new Float64Array(nRows * 2);
    if (result.length < nRows * 2) throw new RangeError(`predictProba: out has length ${result.length}, expected ${nRows * 2}`);
    for (let i = 0; i < nRows; i++) {
      const p1 = sigmoid(raw[i]!);
      result[2 * i] = 1 - p1;
      result[2 * i + 1] = p1;
    }
    return result;
  }
  const k = model.nOutputs;
  const result = out ?? new Float64Array(nRows * k);
  // The raw margins have the same shape as the probabilities: compute them in place.
  predictRaw(model, rows, nRows, result, nRounds);
  for (let i = 0; i < nRows; i++) softmaxInPlace(result, i * k, k);
  return result;
}
