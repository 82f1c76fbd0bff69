/**
 * The trained tree as flat struct-of-arrays: what prediction, TreeSHAP and serialization read.
 *
 * Node encoding (LightGBM's `~leaf` convention):
 *
 *            node 0 (root, when nInternal > 0)
 *           /      \
 *      left[0]    right[0]      child >= 0 → internal node index
 *                               child <  0 → leaf index ~child  (i.e. -child - 1)
 *
 * A tree with a single leaf has nInternal = 0 and nLeaves = 1; its root is leaf 0.
 *
 * Decision at internal node i for a raw feature value v (row-major Float64, NaN = missing):
 * - missing (NaN):          go left iff missingGoesLeft[i] = 1
 * - numeric split:          go left iff v <= threshold[i]
 * - categorical split:      go left iff category code v (a non-negative integer) is in node i's set,
 *                           stored as a bitset in catBits[catOffset[i] .. catOffset[i + 1]) (32 codes
 *                           per word). Codes outside the bitset (never seen, or beyond its words) go right.
 *
 * `internalCover` / `leafCover` are the sums of training sample weights (plain counts when unweighted)
 * that reached each node: TreeSHAP uses them as the path-dependent "cover".
 */

export const TREE_FLAG_CATEGORICAL = 1;

export interface Tree {
  /** Number of internal (split) nodes. */
  readonly nInternal: number;
  /** Number of leaves (= nInternal + 1 for a binary tree). */
  readonly nLeaves: number;

  // ---- internal nodes, length nInternal ----
  /** Feature index (column of the model's feature list) tested at each node. */
  readonly splitFeature: Int32Array;
  /** Numeric threshold: left iff value <= threshold. Unused (0) for categorical nodes. */
  readonly threshold: Float64Array;
  /** 1 if missing values go left. */
  readonly missingGoesLeft: Uint8Array;
  /** 1 if the split is categorical (set membership), 0 if numeric. */
  readonly isCategorical: Uint8Array;
  /** Child indices, `~leafIdx` for leaves. */
  readonly leftChild: Int32Array;
  readonly rightChild: Int32Array;
  /** Loss reduction of the split (for gain importance and inspection). */
  readonly splitGain: Float64Array;
  /** Sum of sample weights that reached each internal node. */
  readonly internalCover: Float64Array;
  /** Offsets into catBits, length nInternal + 1; equal neighbours for numeric nodes. */
  readonly catOffset: Int32Array;
  /** Concatenated category bitsets of the categorical nodes. */
  readonly catBits: Uint32Array;

  // ---- leaves, length nLeaves ----
  /** Leaf output (already multiplied by the learning rate). */
  readonly leafValue: Float64Array;
  /** Sum of sample weights that reached each leaf. */
  readonly leafCover: Float64Array;
}

/** True if category `code` is in the left set of internal node `node`. */
export function categoryGoesLeft(tree: Tree, node: number, code: number): boolean {
  const start = tree.catOffset[node]!;
  const nWords = tree.catOffset[node + 1]! - start;
  // Fractional, negative or huge codes were never a training category: they go right.
  if (!(code >= 0) || code !== Math.floor(code) || code >= nWords * 32) return false;
  const word = code >>> 5;
  return ((tree.catBits[start + word]! >>> (code & 31)) & 1) === 1;
}

/** Index of the leaf that a row reaches. `row` is read at `rowOffset + feature`. */
export function leafIndexOf(tree: Tree, row: Float64Array, rowOffset: number): number {
  if (tree.nInternal === 0) return 0;
  let node = 0;
  while (node >= 0) {
    const v = row[rowOffset + tree.splitFeature[node]!]!;
    let goLeft: boolean;
    if (Number.isNaN(v)) goLeft = tree.missingGoesLeft[node] === 1;
    else if (tree.isCategorical[node] === 1) goLeft = categoryGoesLeft(tree, node, v);
    else goLeft = v <= tree.threshold[node]!;
    node = goLeft ? tree.leftChild[node]! : tree.rightChild[node]!;
  }
  return ~node;
}

/** A single-leaf tree with the given output (used for rounds where no split helps). */
export function constantTree(value: number, cover: number): Tree {
  return {
    nInternal: 0,
    nLeaves: 1,
    splitFeature: new Int32Array(0),
    threshold: new Float64Array(0),
    missingGoesLeft: new Uint8Array(0),
    isCategorical: new Uint8Array(0),
    leftChild: new Int32Array(0),
    rightChild: new Int32Array(0),
    splitGain: new Float64Array(0),
    internalCover: new Float64Array(0),
    catOffset: new Int32Array(1),
    catBits: new Uint32Array(0),
    leafValue: Float64Array.of(value),
    leafCover: Float64Array.of(cover),
  };
}
