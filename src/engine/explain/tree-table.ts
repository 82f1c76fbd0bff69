/**
 * Whole-tree SHAP tables for small trees: a row's contributions from one tree depend on nothing but
 * which way the row goes at each internal node (the hot masks of shap-plan.ts are built from those
 * decisions alone). A tree with n internal nodes and k distinct split features therefore has at most
 * 2^n different contribution vectors of length k, and for the small trees AutoML often grows
 * (7 leaves: n = 6, 64 rows) they can all be computed once per model. Explaining a row is then n
 * decisions, one table row and k additions instead of the masks, one table row per leaf and one
 * addition per (leaf, path feature): a 426-tree, 7-leaf model did ~18 additions per tree.
 *
 * A table row is the sum, over the leaves in leaf order, of the leaves' contributions as the leaf
 * kernel (or its tables) gives them, summed per feature from 0. The per-leaf route adds the same
 * contributions to φ one by one instead, so the two differ by rounding only (~1e-16 relative); every
 * route (one row, a batch, with or without leaf tables) uses a tree's table whenever it has one, so
 * a row gets the same bits whichever way it is explained.
 *
 * Row index: bit j set iff the row goes left at the j-th internal node of the plan's parents-first
 * `order` (the kernels visit nodes in that order).
 */
import type { Tree } from '../tree/tree.js';
import { leafShapley } from './leaf-shapley.js';

/** A tree gets a table when 2^nInternal · k ≤ this many doubles (4 KiB): up to 6 splits on 8 features, 9 on 1. */
export const MAX_TREE_TABLE_DOUBLES = 512;

/** What building a tree table reads of the tree's plan (shap-plan.ts). */
export interface TreeTableSource {
  readonly order: Int32Array;
  readonly clearBit: Int32Array;
  readonly leafD: Int32Array;
  readonly leafStart: Int32Array;
  readonly leafFeature: Int32Array;
  readonly leafZero: Float64Array;
}

/** The tree's distinct split features, ascending, or null when its table would be too large. */
export function treeTableFeatures(tree: Tree): Int32Array | null {
  if (tree.nInternal === 0 || tree.nInternal >= 30) return null;
  const features = [...new Set(tree.splitFeature)].sort((a, b) => a - b);
  return (1 << tree.nInternal) * features.length <= MAX_TREE_TABLE_DOUBLES ? Int32Array.from(features) : null;
}

/**
 * Fills out[row · k + j] = Σ over leaves (leaf order) of the contribution of features[j], for every
 * decision row. Runs once per tree at preparation.
 */
export function fillTreeTable(tree: Tree, plan: TreeTableSource, features: Int32Array, out: Float64Array, poly: Float64Array): void {
  const nInternal = tree.nInternal;
  const nLeaves = tree.nLeaves;
  const k = features.length;
  const slotOfFeature = new Map<number, number>();
  features.forEach((f, j) => slotOfFeature.set(f, j));
  const nodeMask = new Int32Array(nInternal);
  const leafMask = new Int32Array(nLeaves);
  const leafOut = new Float64Array(32);
  for (let decisions = 0; decisions < 1 << nInternal; decisions++) {
    nodeMask[0] = -1;
    for (let t = 0; t < nInternal; t++) {
      const node = plan.order[t]!;
      const mask = nodeMask[node]!;
      const left = ((decisions >>> t) & 1) === 1;
      const cleared = mask & plan.clearBit[node]!;
      const l = tree.leftChild[node]!;
      const r = tree.rightChild[node]!;
      if (l >= 0) nodeMask[l] = left ? mask : cleared;
      else leafMask[~l] = left ? mask : cleared;
      if (r >= 0) nodeMask[r] = left ? cleared : mask;
      else leafMask[~r] = left ? cleared : mask;
    }
    const row = decisions * k;
    for (let leaf = 0; leaf < nLeaves; leaf++) {
      const d = plan.leafD[leaf]!;
      const start = plan.leafStart[leaf]!;
      // The leaf kernel itself: leaf tables hold exactly its values, so the sums do not depend on them.
      leafShapley(d, plan.leafZero, start, leafMask[leaf]!, tree.leafValue[leaf]!, leafOut, 0, poly);
      for (let p = 0; p < d; p++) out[row + slotOfFeature.get(plan.leafFeature[start + p]!)!]! += leafOut[p]!;
    }
  }
}
