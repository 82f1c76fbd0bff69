/**
 * TreeSHAP of one row over a whole model output in one call: the serving path (one-row requests).
 *
 * The planned kernel (shap-plan.ts) is built for batches: it is called once per tree, loads ~20
 * arrays of that tree's plan, and walks the internal nodes through an `order` indirection. For one
 * row that per-tree overhead and the scattered loads are most of the cost (a 426-tree, 7-leaf model
 * spent ~0.6 µs per tree). Here every planned tree is laid out once, when the model is compiled for
 * serving (serving.ts), over the model's one flat forest (predict/row-predict.ts):
 *
 * - the forest's internal nodes, laid out in each plan's parents-first order, so the mask pass is a
 *   sequential loop and prediction and explanation read the same node stream;
 * - every child named by its slot in one per-tree mask scratch (internal nodes first, then leaves),
 *   so a node writes both children's masks without testing which kind each child is;
 * - the decision flags in one byte, categorical bitsets in one model-wide array;
 * - leaves with global offsets into the plans' leaf features, zero fractions and the model-wide
 *   table array (buildShapPlan allocates one for all trees);
 * - per tree, the cheapest route: its whole-tree table when it has one (tree-table.ts: the small
 *   trees AutoML grows; one table row per tree instead of one per leaf), else, when every leaf has
 *   a table, all its (leaf, path position) pairs in one flat loop, else leaf by leaf.
 *
 * The values are bit-identical to the planned kernel: the same masks and decisions, the same table
 * rows (or the same `leafShapley` call for leaves without a table), added to φ in the same order
 * (trees in round order, leaves in leaf order, positions in path order). row-shap.test.ts checks
 * this. Measured on a 426-tree, 7-leaf AutoML model: ~96 → ~25 µs per row (the whole-tree tables
 * most of it), and 10–25 % less than the planned kernel on 200-tree, 31- and 63-leaf models.
 */
import type { GbdtModel } from '../boosting/model.js';
import { CATEGORICAL, MISSING_LEFT, type RowForest } from '../predict/row-predict.js';
import { leafShapley, MAX_LEAF_FEATURES } from './leaf-shapley.js';
import type { ModelShapPlan } from './shap-plan.js';

/** treeKind values. */
export const TREE_KIND = { constant: 0, recursive: 1, leafByLeaf: 2, tabledLeaves: 3, treeTable: 4 } as const;
const CONSTANT = TREE_KIND.constant;
const RECURSIVE = TREE_KIND.recursive;
const LEAF_BY_LEAF = TREE_KIND.leafByLeaf;
const TABLED_LEAVES = TREE_KIND.tabledLeaves;
const TREE_TABLE = TREE_KIND.treeTable;

/**
 * The SHAP part of the one-row layout, for every tree of the forest (same tree, node and leaf
 * indices as the forest; see the file comment).
 */
export interface RowShapLayout {
  /**
   * How tree t is explained: CONSTANT (adds nothing), RECURSIVE (no plan: this output cannot go row
   * by row), TREE_TABLE (its whole-tree table), TABLED_LEAVES (every leaf has a table and the tree
   * is small enough for position codes: its pairs are added in one flat loop) or LEAF_BY_LEAF.
   */
  readonly treeKind: Uint8Array;
  /** Per output: 1 when no tree of it is RECURSIVE, so its rows can go through `addRowShap`. */
  readonly outputPlanned: Uint8Array;
  /** Largest nInternal + nLeaves of a tree: the mask scratch size. */
  readonly maxSlots: number;

  // ---- per forest internal node ----
  /** ~(1 << the position of the node's feature on its path): clears the feature's hot bit. */
  readonly nodeClear: Int32Array;
  /** Mask slots of the children in the tree's scratch: internal node j → j, leaf l → nInternal + l. */
  readonly nodeLeftSlot: Int32Array;
  readonly nodeRightSlot: Int32Array;

  // ---- per forest leaf ----
  readonly leafD: Int32Array;
  /** Start of the leaf's d positions in leafFeature / leafZero. */
  readonly leafPos: Int32Array;
  /** Start of the leaf's table in `table` (row H at + H · d), or -1: computed by leafShapley. */
  readonly leafTable: Int32Array;
  readonly leafFeature: Int32Array;
  readonly leafZero: Float64Array;
  /** The model-wide table array of the plans. */
  readonly table: Float64Array;

  // ---- per tree: its whole-tree table, its (leaf, position) pairs ----
  /** TREE_TABLE trees: the start of their table in treeTable and of their features in treeFeature. */
  readonly treeTableStart: Int32Array;
  readonly treeFeatureStart: Int32Array;
  readonly treeFeature: Int32Array;
  /** The model-wide whole-tree table array of the plans. */
  readonly treeTable: Float64Array;
  /** Tree t's (leaf, position) pairs, leaves in leaf order: [treePos[t], treePos[t + 1]) of posCode. */
  readonly treePos: Int32Array;
  /**
   * One pair in one int (one load instead of three in the hot loop): the feature << 16 | the leaf's
   * mask slot in the tree's scratch << 5 | its position p on the path (p < MAX_TABLE_FEATURES < 32).
   */
  readonly posCode: Int32Array;
}

/** Position codes hold features below 2^15 and mask slots below 2^11 (trees up to 1,024 leaves). */
const MAX_CODED_FEATURE = 1 << 15;
const MAX_CODED_SLOT = 1 << 11;

/** Scratch of the kernel; one per thread. */
export class RowShapWork {
  mask = new Int32Array(64);
  readonly poly = new Float64Array(MAX_LEAF_FEATURES + 1);
  readonly leafOut = new Float64Array(MAX_LEAF_FEATURES);
  /** Sink for the table-touching loads, so the compiler cannot drop them. */
  touched = 0;

  fit(layout: RowShapLayout): void {
    if (this.mask.length < layout.maxSlots) this.mask = new Int32Array(layout.maxSlots);
  }
}

/**
 * The SHAP layout of every tree of `forest`, which must have been built with the plans' node
 * orders (`buildRowForest(model, rounds, plans.map((p) => p?.order ?? null))`).
 */
export function buildRowShapLayout(model: GbdtModel, forest: RowForest, shapPlan: ModelShapPlan): RowShapLayout {
  const nOutputs = model.nOutputs;
  const nTrees = forest.rounds * nOutputs;
  const nNodes = forest.treeNode[nTrees]!;
  const nLeaves = forest.treeLeaf[nTrees]!;
  let nPositions = 0;
  let nTreeFeatures = 0;
  let maxSlots = 1;
  for (let t = 0; t < nTrees; t++) {
    const plan = shapPlan.plans[t];
    if (plan === null || plan === undefined) continue;
    const tree = model.trees[t]!;
    nPositions += plan.leafFeature.length;
    nTreeFeatures += plan.treeFeatures.length;
    maxSlots = Math.max(maxSlots, tree.nInternal + tree.nLeaves);
  }
  const treeKind = new Uint8Array(nTrees);
  const outputPlanned = new Uint8Array(nOutputs).fill(1);
  const nodeClear = new Int32Array(nNodes);
  const nodeLeftSlot = new Int32Array(nNodes);
  const nodeRightSlot = new Int32Array(nNodes);
  const leafD = new Int32Array(nLeaves);
  const leafPos = new Int32Array(nLeaves);
  const leafTable = new Int32Array(nLeaves).fill(-1);
  const leafFeature = new Int32Array(nPositions);
  const leafZero = new Float64Array(nPositions);
  const treeTableStart = new Int32Array(nTrees);
  const treeFeatureStart = new Int32Array(nTrees + 1);
  const treeFeature = new Int32Array(nTreeFeatures);
  const treePos = new Int32Array(nTrees + 1);
  const posCode = new Int32Array(nPositions);
  // The plans' tables are views of two model-wide arrays (buildShapPlan): address those directly.
  const anyPlan = shapPlan.plans.find((p) => p !== null);
  const wholeArray = (view: Float64Array | undefined) =>
    view === undefined ? new Float64Array(0) : new Float64Array(view.buffer, 0, view.buffer.byteLength / 8);
  const modelTable = wholeArray(anyPlan?.table);
  const modelTreeTable = wholeArray(anyPlan?.treeTable);

  let treeFeature0 = 0;
  let pos0 = 0;
  for (let t = 0; t < nTrees; t++) {
    const tree = model.trees[t]!;
    const plan = shapPlan.plans[t] ?? null;
    treePos[t] = pos0;
    treeFeatureStart[t] = treeFeature0;
    if (tree.nInternal === 0) {
      treeKind[t] = CONSTANT;
      continue;
    }
    if (plan === null) {
      treeKind[t] = RECURSIVE;
      outputPlanned[t % nOutputs] = 0;
      continue;
    }
    const nInternal = tree.nInternal;
    const node0 = forest.treeNode[t]!;
    const leaf0 = forest.treeLeaf[t]!;
    // Index of each internal node in the forest's layout of this tree: its place in the plan's order.
    const renumbered = new Int32Array(nInternal);
    for (let i = 0; i < nInternal; i++) renumbered[plan.order[i]!] = i;
    const slot = (child: number) => (child >= 0 ? renumbered[child]! : nInternal + ~child);
    for (let i = 0; i < nInternal; i++) {
      const old = plan.order[i]!;
      const g = node0 + i;
      nodeClear[g] = plan.clearBit[old]!;
      nodeLeftSlot[g] = slot(tree.leftChild[old]!);
      nodeRightSlot[g] = slot(tree.rightChild[old]!);
    }
    const tableBase = plan.table.byteOffset / 8;
    let tabled = nInternal + tree.nLeaves <= MAX_CODED_SLOT ? 1 : 0;
    let q = pos0;
    for (let l = 0; l < tree.nLeaves; l++) {
      const g = leaf0 + l;
      const d = plan.leafD[l]!;
      leafD[g] = d;
      leafPos[g] = pos0 + plan.leafStart[l]!;
      const useTable = plan.leafTable[l]! >= 0;
      leafTable[g] = useTable ? tableBase + plan.leafTable[l]! : -1;
      if (!useTable) tabled = 0;
      for (let p = 0; p < d; p++, q++) {
        const feature = plan.leafFeature[plan.leafStart[l]! + p]!;
        if (feature >= MAX_CODED_FEATURE) tabled = 0;
        posCode[q] = tabled === 1 ? (feature << 16) | ((nInternal + l) << 5) | p : 0;
      }
    }
    treeKind[t] = plan.treeFeatures.length > 0 ? TREE_TABLE : tabled === 1 ? TABLED_LEAVES : LEAF_BY_LEAF;
    treeTableStart[t] = plan.treeTable.byteOffset / 8;
    treeFeature.set(plan.treeFeatures, treeFeature0);
    treeFeature0 += plan.treeFeatures.length;
    leafFeature.set(plan.leafFeature, pos0);
    leafZero.set(plan.leafZero, pos0);
    pos0 += plan.leafFeature.length;
  }
  treePos[nTrees] = pos0;
  treeFeatureStart[nTrees] = treeFeature0;
  return {
    treeKind,
    outputPlanned,
    maxSlots,
    nodeClear,
    nodeLeftSlot,
    nodeRightSlot,
    leafD,
    leafPos,
    leafTable,
    leafFeature,
    leafZero,
    table: modelTable,
    treeTableStart,
    treeFeatureStart,
    treeFeature,
    treeTable: modelTreeTable,
    treePos,
    posCode,
  };
}

/**
 * Adds the SHAP values of output `output` (every tree of it in the forest's rounds, in round order)
 * for one row: phi[phiOffset + f] += φ_f. Kernel: no checks; `layout.outputPlanned[output]` must
 * be 1 and `work` fitted to the layout. Allocates nothing.
 *
 * @param rows  IN  the row's features at rows[rowOffset + f] (NaN = missing)
 * @param phi   OUT accumulated
 */
export function addRowShap(
  forest: RowForest,
  layout: RowShapLayout,
  output: number,
  rows: Float64Array,
  rowOffset: number,
  phi: Float64Array,
  phiOffset: number,
  work: RowShapWork,
): void {
  const { treeNode, treeLeaf, nodeFeature, nodeThreshold, nodeFlags, nodeCatStart, nodeCatEnd, catBits, leafValue } = forest;
  const { nodeClear, nodeLeftSlot, nodeRightSlot, leafD, leafPos, leafTable, leafFeature, leafZero, table, treeKind, treePos, posCode } = layout;
  const { treeTableStart, treeFeatureStart, treeFeature, treeTable } = layout;
  const mask = work.mask;
  const poly = work.poly;
  const leafOut = work.leafOut;
  const nOutputs = forest.nOutputs;
  const rounds = forest.rounds;
  for (let r = 0; r < rounds; r++) {
    const t = r * nOutputs + output;
    const kind = treeKind[t]!;
    if (kind === CONSTANT) continue;
    const nodeStart = treeNode[t]!;
    const nInternal = treeNode[t + 1]! - nodeStart;
    // Hot masks, parents first (see shap-plan.ts): the child the row takes keeps the mask, the
    // other loses the bit of the node's feature. Written without branches on the row's values
    // (which side a row takes is what a branch predictor cannot learn).
    if (kind === TREE_TABLE) {
      // Small tree: its decisions pick one row of its whole-tree table (tree-table.ts); bit i is
      // the i-th node in parents-first order, which is its place in the forest.
      let decisions = 0;
      for (let i = 0; i < nInternal; i++) decisions |= goesLeft(forest, nodeStart + i, rows[rowOffset + nodeFeature[nodeStart + i]!]!) << i;
      const featureStart = treeFeatureStart[t]!;
      const k = treeFeatureStart[t + 1]! - featureStart;
      const base = treeTableStart[t]! + decisions * k;
      for (let j = 0; j < k; j++) phi[phiOffset + treeFeature[featureStart + j]!]! += treeTable[base + j]!;
      continue;
    }
    mask[0] = -1;
    for (let i = 0; i < nInternal; i++) {
      const g = nodeStart + i;
      const m = mask[i]!;
      const v = rows[rowOffset + nodeFeature[g]!]!;
      const flags = nodeFlags[g]!;
      // Same rule as decision.ts goesLeft: NaN compares false, so it takes the missing bit alone.
      let left: number;
      if ((flags & CATEGORICAL) === 0) left = +(v <= nodeThreshold[g]!) | (+(v !== v) & flags & MISSING_LEFT);
      else if (v !== v) left = flags & MISSING_LEFT;
      else {
        const start = nodeCatStart[g]!;
        left = 0;
        if (v >= 0 && v < (nodeCatEnd[g]! - start) << 5) {
          const code = v | 0;
          left = +(code === v) & (catBits[start + (code >>> 5)]! >>> (code & 31));
        }
      }
      const clear = nodeClear[g]!;
      mask[nodeLeftSlot[g]!] = m & (clear | -left);
      mask[nodeRightSlot[g]!] = m & (clear | (left - 1));
    }
    const leafStart = treeLeaf[t]!;
    const nLeaves = treeLeaf[t + 1]! - leafStart;
    if (kind === TABLED_LEAVES) {
      // Each leaf's slot now names its table row (loaded here, so that cache misses overlap); then
      // the tree's (leaf, position) pairs in one loop.
      let touched = 0;
      for (let l = 0; l < nLeaves; l++) {
        const g = leafStart + l;
        const slot = nInternal + l;
        const row = leafTable[g]! + (mask[slot]! & ((1 << leafD[g]!) - 1)) * leafD[g]!;
        mask[slot] = row;
        touched += table[row]!;
      }
      work.touched = touched;
      const end = treePos[t + 1]!;
      for (let q = treePos[t]!; q < end; q++) {
        const code = posCode[q]!;
        phi[phiOffset + (code >>> 16)]! += table[mask[(code >>> 5) & (MAX_CODED_SLOT - 1)]! + (code & 31)]!;
      }
      continue;
    }
    // Large tables miss the cache: load every table row first, in a loop of independent loads, so
    // that the misses overlap (as in shap-plan.ts); tabled slots then hold their row.
    let touched = 0;
    for (let l = 0; l < nLeaves; l++) {
      const g = leafStart + l;
      const tableStart = leafTable[g]!;
      if (tableStart < 0) continue;
      const slot = nInternal + l;
      const row = tableStart + (mask[slot]! & ((1 << leafD[g]!) - 1)) * leafD[g]!;
      mask[slot] = row;
      touched += table[row]!;
    }
    work.touched = touched;
    for (let l = 0; l < nLeaves; l++) {
      const g = leafStart + l;
      const d = leafD[g]!;
      const pos = leafPos[g]!;
      if (leafTable[g]! >= 0) {
        const row = mask[nInternal + l]!;
        for (let p = 0; p < d; p++) phi[phiOffset + leafFeature[pos + p]!]! += table[row + p]!;
      } else {
        leafShapley(d, leafZero, pos, mask[nInternal + l]!, leafValue[g]!, leafOut, 0, poly);
        for (let p = 0; p < d; p++) phi[phiOffset + leafFeature[pos + p]!]! += leafOut[p]!;
      }
    }
  }
}

/** 1 if value v goes left at forest node g (decision.ts goesLeft), else 0; small enough to inline. */
function goesLeft(forest: RowForest, g: number, v: number): number {
  const flags = forest.nodeFlags[g]!;
  if ((flags & CATEGORICAL) === 0) return +(v <= forest.nodeThreshold[g]!) | (+(v !== v) & flags & MISSING_LEFT);
  if (v !== v) return flags & MISSING_LEFT;
  const start = forest.nodeCatStart[g]!;
  if (!(v >= 0 && v < (forest.nodeCatEnd[g]! - start) << 5)) return 0;
  const code = v | 0;
  return +(code === v) & (forest.catBits[start + (code >>> 5)]! >>> (code & 31));
}
