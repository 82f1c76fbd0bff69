/**
 * Raw margins of one row over a whole model in one call: the serving path (one-row requests).
 *
 * `predictRaw` walks tree after tree through each Tree's own arrays (about ten small allocations
 * per tree, scattered over the heap). For a batch that is fine, each tree stays in cache while
 * every row walks it; for one row between two HTTP requests, whose work evicts the model from the
 * CPU caches, the scattered loads dominate (a 426-tree model measured ~22 µs per row in a loop but
 * ~70 µs inside the server). Here every tree is copied once into one set of flat arrays, trees in
 * the order predictRaw adds them, so a row reads one dense, sequential stream. The same forest is
 * the node stream of one-row TreeSHAP (explain/row-shap.ts): a tree's internal nodes may be laid
 * out in any parents-first order, and serving.ts passes the order of the tree's SHAP plan.
 *
 * Values are bit-identical to predictRaw: the same decisions, the same leaf values added to the
 * same initial score in the same order (row-predict.test.ts).
 */
import type { GbdtModel } from '../boosting/model.js';
import type { Tree } from '../tree/tree.js';

/** Bits of a flattened node's flags (here and in explain/row-shap.ts). */
export const MISSING_LEFT = 1;
export const CATEGORICAL = 2;

/** The flags of internal node i of a tree. */
export function nodeFlagsOf(tree: Tree, i: number): number {
  return (tree.missingGoesLeft[i] === 1 ? MISSING_LEFT : 0) | (tree.isCategorical[i] === 1 ? CATEGORICAL : 0);
}

/** Every tree of a model, concatenated (see the file comment). */
export interface RowForest {
  readonly nOutputs: number;
  /** Rounds laid out: every kept round. */
  readonly rounds: number;
  readonly initScore: Float64Array;
  /** Per tree (round-major, as model.trees): its root's global node index, or ~global leaf index for a one-leaf tree. */
  readonly treeRoot: Int32Array;
  /** Tree t's internal nodes are [treeNode[t], treeNode[t + 1]), its leaves [treeLeaf[t], treeLeaf[t + 1]) (leaf order). */
  readonly treeNode: Int32Array;
  readonly treeLeaf: Int32Array;
  readonly nodeFeature: Int32Array;
  readonly nodeThreshold: Float64Array;
  /** MISSING_LEFT | CATEGORICAL. */
  readonly nodeFlags: Uint8Array;
  /** Categorical nodes: bitset words [nodeCatStart[g], nodeCatEnd[g]) of catBits. */
  readonly nodeCatStart: Int32Array;
  readonly nodeCatEnd: Int32Array;
  readonly catBits: Uint32Array;
  /** Children as global node indices, or ~global leaf index. */
  readonly nodeLeft: Int32Array;
  readonly nodeRight: Int32Array;
  readonly leafValue: Float64Array;
}

/**
 * Lays out the first `rounds` rounds of the model. Runs once per model (serving.ts).
 * @param nodeOrder  per tree, its internal nodes in the order to lay them out (parents before
 *                   children); null or absent: the tree's own order
 */
export function buildRowForest(model: GbdtModel, rounds: number, nodeOrder?: readonly (Int32Array | null)[]): RowForest {
  const nTrees = rounds * model.nOutputs;
  let nNodes = 0;
  let nLeaves = 0;
  let nCatWords = 0;
  for (let t = 0; t < nTrees; t++) {
    const tree = model.trees[t]!;
    nNodes += tree.nInternal;
    nLeaves += tree.nLeaves;
    nCatWords += tree.catBits.length;
  }
  const treeRoot = new Int32Array(nTrees);
  const treeNode = new Int32Array(nTrees + 1);
  const treeLeaf = new Int32Array(nTrees + 1);
  const nodeFeature = new Int32Array(nNodes);
  const nodeThreshold = new Float64Array(nNodes);
  const nodeFlags = new Uint8Array(nNodes);
  const nodeCatStart = new Int32Array(nNodes);
  const nodeCatEnd = new Int32Array(nNodes);
  const catBits = new Uint32Array(nCatWords);
  const nodeLeft = new Int32Array(nNodes);
  const nodeRight = new Int32Array(nNodes);
  const leafValue = new Float64Array(nLeaves);
  let node0 = 0;
  let leaf0 = 0;
  let cat0 = 0;
  for (let t = 0; t < nTrees; t++) {
    const tree = model.trees[t]!;
    const order = nodeOrder?.[t] ?? null;
    // Position of each internal node in the layout.
    const at = new Int32Array(tree.nInternal);
    for (let i = 0; i < tree.nInternal; i++) at[order === null ? i : order[i]!] = i;
    const global = (child: number) => (child >= 0 ? node0 + at[child]! : ~(leaf0 + ~child));
    treeNode[t] = node0;
    treeLeaf[t] = leaf0;
    treeRoot[t] = tree.nInternal === 0 ? ~leaf0 : node0 + at[0]!;
    for (let i = 0; i < tree.nInternal; i++) {
      const old = order === null ? i : order[i]!;
      const g = node0 + i;
      nodeFeature[g] = tree.splitFeature[old]!;
      nodeThreshold[g] = tree.threshold[old]!;
      nodeFlags[g] = nodeFlagsOf(tree, old);
      nodeCatStart[g] = cat0 + tree.catOffset[old]!;
      nodeCatEnd[g] = cat0 + tree.catOffset[old + 1]!;
      nodeLeft[g] = global(tree.leftChild[old]!);
      nodeRight[g] = global(tree.rightChild[old]!);
    }
    catBits.set(tree.catBits, cat0);
    leafValue.set(tree.leafValue, leaf0);
    node0 += tree.nInternal;
    leaf0 += tree.nLeaves;
    cat0 += tree.catBits.length;
  }
  treeNode[nTrees] = node0;
  treeLeaf[nTrees] = leaf0;
  return {
    nOutputs: model.nOutputs,
    rounds,
    initScore: model.initScore,
    treeRoot,
    treeNode,
    treeLeaf,
    nodeFeature,
    nodeThreshold,
    nodeFlags,
    nodeCatStart,
    nodeCatEnd,
    catBits,
    nodeLeft,
    nodeRight,
    leafValue,
  };
}

/** Calls of predictRaw with at most this many rows use a prepared forest, one row at a time. */
export const ROW_PREDICT_MAX_ROWS = 8;

/**
 * out[outOffset + k] = raw margin k of the row. Kernel: no checks; allocates nothing.
 *
 * @param rows  IN  the row's features at rows[rowOffset + f] (NaN = missing)
 * @param out   OUT nOutputs values, overwritten
 */
export function predictRowRaw(forest: RowForest, rows: Float64Array, rowOffset: number, out: Float64Array, outOffset: number): void {
  const { nOutputs, rounds, initScore, treeRoot, nodeFeature, nodeThreshold, nodeFlags, nodeCatStart, nodeCatEnd, catBits, nodeLeft, nodeRight, leafValue } =
    forest;
  for (let k = 0; k < nOutputs; k++) out[outOffset + k] = initScore[k]!;
  let t = 0;
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < nOutputs; k++, t++) {
      let node = treeRoot[t]!;
      while (node >= 0) {
        const v = rows[rowOffset + nodeFeature[node]!]!;
        const flags = nodeFlags[node]!;
        // Same rule as decision.ts goesLeft.
        let left: boolean;
        if (v !== v) left = (flags & MISSING_LEFT) !== 0;
        else if ((flags & CATEGORICAL) !== 0) {
          const start = nodeCatStart[node]!;
          left = false;
          if (v >= 0 && v < (nodeCatEnd[node]! - start) << 5) {
            const code = v | 0;
            left = code === v && ((catBits[start + (code >>> 5)]! >>> (code & 31)) & 1) === 1;
          }
        } else left = v <= nodeThreshold[node]!;
        node = left ? nodeLeft[node]! : nodeRight[node]!;
      }
      out[outOffset + k]! += leafValue[~node]!;
    }
  }
}
