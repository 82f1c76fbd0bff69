/**
 * Cover ratios ("zero fractions") of a tree's splits, shared by every TreeSHAP variant and by the
 * expected value so that additivity holds to rounding even when covers do not add up exactly.
 */
import type { Tree } from '../tree/tree.js';

/** Cover of a node in the `~leaf` child encoding. */
function coverOf(tree: Tree, node: number): number {
  return node >= 0 ? tree.internalCover[node]! : tree.leafCover[~node]!;
}

/** child cover / parent cover, or 0 for a zero-cover parent. */
function coverRatio(child: number, parent: number): number {
  return parent > 0 ? child / parent : 0;
}

/**
 * Per internal node, [cover(left) / cover(node), cover(right) / cover(node)] (length 2·nInternal):
 * the zero fractions TreeSHAP needs at every node. Computed once per tree when a model is compiled
 * for serving (serving.ts keeps them for the trees the recursion explains).
 */
export function childFractions(tree: Tree): Float64Array {
  const fractions = new Float64Array(2 * tree.nInternal);
  for (let node = 0; node < tree.nInternal; node++) {
    const cover = tree.internalCover[node]!;
    fractions[2 * node] = coverRatio(coverOf(tree, tree.leftChild[node]!), cover);
    fractions[2 * node + 1] = coverRatio(coverOf(tree, tree.rightChild[node]!), cover);
  }
  return fractions;
}
