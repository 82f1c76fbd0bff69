/**
 * The split decision at one internal node, shared by prediction and TreeSHAP so that both always
 * send a row down the same way.
 *
 * Categorical codes are trusted to be non-negative integers (the preprocessing plan maps strings to
 * codes), but this check stays strict anyway: a value that is negative, fractional or beyond the
 * node's bitset words is "not in the set" and goes right, per the Tree contract, rather than
 * aliasing onto a low bit through `>>>` wrap-around.
 */
import type { Tree } from '../tree/tree.js';

/**
 * True if raw value `v` goes to the left child of internal node `node`.
 * Missing (NaN) follows `missingGoesLeft`; numeric: v <= threshold; categorical: v in the bitset.
 */
export function goesLeft(tree: Tree, node: number, v: number): boolean {
  if (v !== v) return tree.missingGoesLeft[node] === 1; // NaN
  if (tree.isCategorical[node] === 1) {
    const start = tree.catOffset[node]!;
    const nCodes = (tree.catOffset[node + 1]! - start) << 5;
    if (!(v >= 0 && v < nCodes)) return false;
    const code = v | 0;
    if (code !== v) return false;
    return ((tree.catBits[start + (code >>> 5)]! >>> (code & 31)) & 1) === 1;
  }
  return v <= tree.threshold[node]!;
}
