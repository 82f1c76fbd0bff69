/**
 * Naive twin of tree-shap.ts: exact Shapley values of the path-dependent game by enumerating every
 * feature subset. O(2^nFeatures) per (row, tree): for tests with a handful of features only.
 */
import type { GbdtModel } from '../boosting/model.js';
import type { Tree } from '../tree/tree.js';
import { goesLeft } from '../predict/decision.js';

/**
 * Path-dependent conditional expectation v(S): features with inSet[f] = 1 follow the row, every
 * other split averages its children weighted by cover.
 */
export function pathDependentValue(tree: Tree, rows: Float64Array, rowOffset: number, inSet: Uint8Array): number {
  const visit = (node: number): number => {
    if (node < 0) return tree.leafValue[~node]!;
    const f = tree.splitFeature[node]!;
    const l = tree.leftChild[node]!;
    const r = tree.rightChild[node]!;
    if (inSet[f] === 1) return visit(goesLeft(tree, node, rows[rowOffset + f]!) ? l : r);
    const c = tree.internalCover[node]!;
    if (!(c > 0)) return 0;
    const cl = l >= 0 ? tree.internalCover[l]! : tree.leafCover[~l]!;
    const cr = r >= 0 ? tree.internalCover[r]! : tree.leafCover[~r]!;
    return (cl / c) * visit(l) + (cr / c) * visit(r);
  };
  return tree.nInternal === 0 ? tree.leafValue[0]! : visit(0);
}

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/**
 * Brute-force SHAP values with the same layout as `shapValues`:
 * out[(row * nOutputs + k) * (F + 1) + f], last slot = expected value.
 */
export function shapValuesBruteForce(model: GbdtModel, rows: Float64Array, nRows: number): Float64Array {
  const nOutputs = model.nOutputs;
  const nFeatures = model.features.length;
  const stride = nFeatures + 1;
  const nSubsets = 1 << nFeatures;
  const out = new Float64Array(nRows * nOutputs * stride);
  const values = new Float64Array(nSubsets);
  const inSet = new Uint8Array(nFeatures);
  // Shapley weight of a coalition of size s not containing the player: s!(M-s-1)!/M!
  const coalitionWeight = new Float64Array(nFeatures);
  for (let s = 0; s < nFeatures; s++) {
    coalitionWeight[s] = (factorial(s) * factorial(nFeatures - s - 1)) / factorial(nFeatures);
  }
  const popcount = (m: number): number => {
    let c = 0;
    for (let x = m; x !== 0; x &= x - 1) c++;
    return c;
  };
  for (let i = 0; i < nRows; i++) {
    for (let k = 0; k < nOutputs; k++) {
      const base = (i * nOutputs + k) * stride;
      out[base + nFeatures] = model.initScore[k]!;
      for (let r = 0; r < model.nRoundsKept; r++) {
        const tree = model.trees[r * nOutputs + k]!;
        for (let mask = 0; mask < nSubsets; mask++) {
          for (let f = 0; f < nFeatures; f++) inSet[f] = (mask >> f) & 1;
          values[mask] = pathDependentValue(tree, rows, i * nFeatures, inSet);
        }
        out[base + nFeatures]! += values[0]!;
        for (let f = 0; f < nFeatures; f++) {
          const bit = 1 << f;
          for (let mask = 0; mask < nSubsets; mask++) {
            if ((mask & bit) !== 0) continue;
            out[base + f]! += coalitionWeight[popcount(mask)]! * (values[mask | bit]! - values[mask]!);
          }
        }
      }
    }
  }
  return out;
}
