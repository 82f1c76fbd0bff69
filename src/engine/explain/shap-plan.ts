/**
 * Fast exact TreeSHAP: per-tree "plans" precomputed from the tree alone, so that explaining a row is
 * one pass over the internal nodes plus a short loop per leaf.
 *
 * Per row and tree:
 *
 * 1. Hot masks. Walking the internal nodes parents-first, each node passes its mask unchanged to
 *    the child the row takes and with its feature's bit cleared to the other child:
 *
 *                    root: mask 1111…
 *                   x3 (position 0), row goes left
 *                  /                          \
 *        mask 1111… (x3 hot)           mask 1110… (x3 cold)
 *
 *    A feature's bit is its position among the distinct features of the path, in order of first
 *    appearance; every leaf below a node shares the node's prefix of that list, so one bit per node
 *    serves all of them. A leaf's mask is the hot set H of `leaf-shapley.ts`.
 * 2. Per leaf, the d contributions for H are either read from a table of all 2^d hot sets
 *    (computed once per tree; "v2" in the sense of Yang 2021: row-independent work moved to
 *    preparation) or computed by `leafShapley` in O(d + h²), and added to φ of the leaf's features.
 *
 * Tables cost 2^d · d doubles per leaf, so they are built only for the leaves with the fewest path
 * features, up to a per-model byte budget (`buildShapPlan`). Both routes call the same kernel, so
 * they give bit-identical values. Trees with a leaf of more than MAX_LEAF_FEATURES distinct path
 * features (never for real data below 31 features, rare above) are left to the recursive algorithm
 * in tree-shap.ts: `plan` is null for them.
 */
import type { GbdtModel } from '../boosting/model.js';
import type { Tree } from '../tree/tree.js';
import { childFractions } from './cover.js';
import { leafShapley, MAX_LEAF_FEATURES } from './leaf-shapley.js';
import { fillTreeTable, treeTableFeatures } from './tree-table.js';

/** Leaves with more path features than this never get a table (one would be ≥ 2^13 · 13 doubles). */
export const MAX_TABLE_FEATURES = 12;

/**
 * Default table budget per model (bench/shap.ts, 50k × 20 synthetic data): a 200-tree, 31-leaf binary
 * model fits tables for every leaf in 53 MiB; 63 leaves get d ≤ 8 (79% of leaves) in 51 MiB; a
 * 5-class, 1000-tree model d ≤ 7 (79%) in 58 MiB. Tables roughly halve batch time; lower the budget
 * (compileForServing) for processes that hold many models.
 */
export const DEFAULT_MAX_TABLE_BYTES = 64 * 1024 * 1024;

/**
 * Row-independent data of one tree, struct-of-arrays. Every array of a model's plans except the
 * tables lives in one ArrayBuffer, tree after tree, and the tree's own decision arrays are copied in:
 * explaining one row reads all nodes and leaves of every tree, and one sequential stream (which
 * hardware prefetchers follow) beats ~20 scattered allocations per tree when a single row is
 * explained (measured ~1.2–1.5× on a loaded 2-core host; batches, which reuse a tree across rows,
 * gain little).
 */
export interface TreeShapPlan {
  // Copies of the tree's arrays, same indexing (internal nodes / leaves).
  readonly splitFeature: Int32Array;
  readonly threshold: Float64Array;
  readonly missingGoesLeft: Uint8Array;
  readonly isCategorical: Uint8Array;
  readonly leftChild: Int32Array;
  readonly rightChild: Int32Array;
  readonly leafValue: Float64Array;
  /** Internal nodes, parents before children. Length nInternal. */
  readonly order: Int32Array;
  /** Per internal node: ~(1 << position of its feature on its path), to clear the feature's bit. */
  readonly clearBit: Int32Array;
  /** Per leaf: d, the number of distinct features on its path (1..MAX_LEAF_FEATURES). */
  readonly leafD: Int32Array;
  /** Per leaf: start of its d positions in leafFeature / leafZero. */
  readonly leafStart: Int32Array;
  /** Feature index of each (leaf, position). */
  readonly leafFeature: Int32Array;
  /** Zero fraction z_p of each (leaf, position). */
  readonly leafZero: Float64Array;
  /** Per leaf: start of its table (2^d rows of d contributions, row H at H · d) in `table`, or -1. */
  readonly leafTable: Int32Array;
  /** The tree's tables: a view of one array shared by every tree of the model, trees in order. */
  readonly table: Float64Array;
  /**
   * Small trees (tree-table.ts): the tree's distinct split features, ascending, and its whole-tree
   * table, 2^nInternal rows of treeFeatures.length sums (a view of one model-wide array). Both empty
   * for other trees. When present, every kernel explains the tree from this table.
   */
  readonly treeFeatures: Int32Array;
  readonly treeTable: Float64Array;
}

/** Plans of every tree of a model (null: constant tree, or too many path features). */
export interface ModelShapPlan {
  readonly plans: readonly (TreeShapPlan | null)[];
  /** The budget it was built for. */
  readonly maxTableBytes: number;
  /** Bytes held by the tables. */
  readonly tableBytes: number;
  /** Leaves with at most this many path features have a table (0: none). */
  readonly maxTableFeatures: number;
  /** Fraction of the model's leaves (in non-constant trees) that have a table. */
  readonly tabledLeafFraction: number;
  /** Trees explained by the recursive algorithm (plan = null, tree not constant). */
  readonly recursiveTrees: number;
  /** Trees explained from a whole-tree table (tree-table.ts), and the bytes those tables hold. */
  readonly tableTrees: number;
  readonly treeTableBytes: number;
}

/** The tree-only part of a plan, before tables are chosen. */
interface PlanStructure {
  readonly order: Int32Array;
  readonly clearBit: Int32Array;
  readonly leafD: Int32Array;
  readonly leafStart: Int32Array;
  readonly leafFeature: Int32Array;
  readonly leafZero: Float64Array;
}

/**
 * Walks the tree once, depth-first, carrying the path's distinct features and their zero fractions.
 * Returns null if some leaf has more than MAX_LEAF_FEATURES distinct path features. Runs once per
 * tree, so it may use JS arrays.
 */
function planStructure(tree: Tree): PlanStructure | null {
  const nInternal = tree.nInternal;
  const nLeaves = tree.nLeaves;
  const fractions = childFractions(tree);
  const order = new Int32Array(nInternal);
  const clearBit = new Int32Array(nInternal);
  const leafD = new Int32Array(nLeaves);
  const leafStart = new Int32Array(nLeaves);
  const features: number[] = [];
  const zeros: number[] = [];
  let nOrdered = 0;
  let tooDeep = false;
  // Explicit stack of (node, path): the path arrays are copied per child, fine at preparation time.
  const stack: { node: number; pathFeatures: number[]; pathZeros: number[] }[] = [{ node: 0, pathFeatures: [], pathZeros: [] }];
  while (stack.length > 0) {
    const { node, pathFeatures, pathZeros } = stack.pop()!;
    if (node < 0) {
      const leaf = ~node;
      if (pathFeatures.length > MAX_LEAF_FEATURES) tooDeep = true;
      leafD[leaf] = pathFeatures.length;
      leafStart[leaf] = features.length;
      for (let p = 0; p < pathFeatures.length; p++) {
        features.push(pathFeatures[p]!);
        zeros.push(pathZeros[p]!);
      }
      continue;
    }
    order[nOrdered++] = node;
    const feature = tree.splitFeature[node]!;
    let position = pathFeatures.indexOf(feature);
    if (position < 0) position = pathFeatures.length;
    clearBit[node] = position < 31 ? ~(1 << position) : -1;
    // Right pushed first so the left subtree is laid out first (any parents-first order works).
    for (const [child, fraction] of [
      [tree.rightChild[node]!, fractions[2 * node + 1]!],
      [tree.leftChild[node]!, fractions[2 * node]!],
    ] as const) {
      const childFeatures = pathFeatures.slice();
      const childZeros = pathZeros.slice();
      if (position === childFeatures.length) {
        childFeatures.push(feature);
        childZeros.push(fraction);
      } else childZeros[position] = childZeros[position]! * fraction;
      stack.push({ node: child, pathFeatures: childFeatures, pathZeros: childZeros });
    }
  }
  if (tooDeep) return null;
  return { order, clearBit, leafD, leafStart, leafFeature: Int32Array.from(features), leafZero: Float64Array.from(zeros) };
}

/** Doubles the tables of a tree's leaves with d ≤ maxTableFeatures take. */
function tableSize(s: PlanStructure, maxTableFeatures: number): number {
  let size = 0;
  for (let leaf = 0; leaf < s.leafD.length; leaf++) {
    const d = s.leafD[leaf]!;
    if (d <= maxTableFeatures) size += (1 << d) * d;
  }
  return size;
}

/**
 * Adds the tables of the leaves with d ≤ maxTableFeatures, written into `modelTable` from
 * `tableOffset` on (every tree's table is a view of one model-wide array, so that the single-row
 * layout of row-shap.ts can address all of them with one index).
 */
function withTables(
  tree: Tree,
  s: PlanStructure,
  maxTableFeatures: number,
  poly: Float64Array,
  modelTable: Float64Array,
  tableOffset: number,
  treeTable: { readonly features: Int32Array; readonly table: Float64Array },
): TreeShapPlan {
  const own = {
    splitFeature: tree.splitFeature,
    threshold: tree.threshold,
    missingGoesLeft: tree.missingGoesLeft,
    isCategorical: tree.isCategorical,
    leftChild: tree.leftChild,
    rightChild: tree.rightChild,
    leafValue: tree.leafValue,
  };
  const nLeaves = s.leafD.length;
  const leafTable = new Int32Array(nLeaves).fill(-1);
  let size = 0;
  for (let leaf = 0; leaf < nLeaves; leaf++) {
    const d = s.leafD[leaf]!;
    if (d <= maxTableFeatures) {
      leafTable[leaf] = size;
      size += (1 << d) * d;
    }
  }
  const table = modelTable.subarray(tableOffset, tableOffset + size);
  for (let leaf = 0; leaf < nLeaves; leaf++) {
    const start = leafTable[leaf]!;
    if (start < 0) continue;
    const d = s.leafD[leaf]!;
    const value = tree.leafValue[leaf]!;
    for (let hot = 0; hot < 1 << d; hot++) leafShapley(d, s.leafZero, s.leafStart[leaf]!, hot, value, table, start + hot * d, poly);
  }
  if (treeTable.features.length > 0) fillTreeTable(tree, s, treeTable.features, treeTable.table, poly);
  return { ...own, ...s, leafTable, table, treeFeatures: treeTable.features, treeTable: treeTable.table };
}

type PackedArray = Int32Array | Float64Array | Uint8Array;
const PACKED_FIELDS = [
  // In the order the kernel reads them.
  'order',
  'splitFeature',
  'threshold',
  'missingGoesLeft',
  'isCategorical',
  'clearBit',
  'leftChild',
  'rightChild',
  'leafD',
  'leafStart',
  'leafTable',
  'leafFeature',
  'leafValue',
  'leafZero',
  'treeFeatures',
] as const satisfies readonly (keyof TreeShapPlan)[];

/** Copies every plan's arrays (tables excepted) into one buffer, tree after tree; 8-byte aligned. */
function packPlans(plans: readonly (TreeShapPlan | null)[]): (TreeShapPlan | null)[] {
  const aligned = (bytes: number) => (bytes + 7) & ~7;
  let total = 0;
  for (const plan of plans) if (plan !== null) for (const f of PACKED_FIELDS) total += aligned(plan[f].byteLength);
  const buffer = new ArrayBuffer(total);
  let offset = 0;
  const copy = <T extends PackedArray>(src: T): T => {
    const Ctor = src.constructor as new (b: ArrayBuffer, o: number, n: number) => T;
    const view = new Ctor(buffer, offset, src.length);
    view.set(src as never);
    offset += aligned(src.byteLength);
    return view;
  };
  // An object literal with every field in a fixed order, so all plans share one hidden class and the
  // kernel's field loads stay monomorphic (a spread of dynamic keys can leave them in dictionary mode).
  return plans.map((p): TreeShapPlan | null => {
    if (p === null) return null;
    const order = copy(p.order);
    const splitFeature = copy(p.splitFeature);
    const threshold = copy(p.threshold);
    const missingGoesLeft = copy(p.missingGoesLeft);
    const isCategorical = copy(p.isCategorical);
    const clearBit = copy(p.clearBit);
    const leftChild = copy(p.leftChild);
    const rightChild = copy(p.rightChild);
    const leafD = copy(p.leafD);
    const leafStart = copy(p.leafStart);
    const leafTable = copy(p.leafTable);
    const leafFeature = copy(p.leafFeature);
    const leafValue = copy(p.leafValue);
    const leafZero = copy(p.leafZero);
    const treeFeatures = copy(p.treeFeatures);
    return {
      splitFeature,
      threshold,
      missingGoesLeft,
      isCategorical,
      leftChild,
      rightChild,
      leafValue,
      order,
      clearBit,
      leafD,
      leafStart,
      leafFeature,
      leafZero,
      leafTable,
      table: p.table,
      treeFeatures,
      treeTable: p.treeTable,
    };
  });
}

/**
 * Builds the SHAP plans of a model, with tables up to `maxTableBytes` (compileForServing calls it
 * once per loaded model; serving.ts).
 *
 * Table leaves are chosen by path-feature count d, smallest first (cheapest tables, and the most
 * common leaves), with the largest d* such that all leaves with d ≤ d* fit the budget.
 *
 * @param maxTableBytes  memory the tables may use (default DEFAULT_MAX_TABLE_BYTES); 0 = no tables
 */
export function buildShapPlan(model: GbdtModel, maxTableBytes: number = DEFAULT_MAX_TABLE_BYTES): ModelShapPlan {
  if (!(maxTableBytes >= 0)) throw new RangeError(`buildShapPlan: maxTableBytes must be >= 0, got ${maxTableBytes}`);

  const trees = model.trees;
  const structures: (PlanStructure | null)[] = [];
  // leafCount[d]: leaves with d path features, over all planned trees.
  const leafCount = new Float64Array(MAX_LEAF_FEATURES + 1);
  let recursiveTrees = 0;
  for (const tree of trees) {
    const s = tree.nInternal === 0 ? null : planStructure(tree);
    if (s === null && tree.nInternal > 0) recursiveTrees++;
    structures.push(s);
    if (s !== null) for (let leaf = 0; leaf < s.leafD.length; leaf++) leafCount[s.leafD[leaf]!]!++;
  }
  let maxTableFeatures = 0;
  let tableBytes = 0;
  for (let d = 1; d <= MAX_TABLE_FEATURES; d++) {
    const bytes = leafCount[d]! * (1 << d) * d * 8;
    if (tableBytes + bytes > maxTableBytes) break;
    tableBytes += bytes;
    maxTableFeatures = d;
  }
  let totalLeaves = 0;
  let tabledLeaves = 0;
  for (let d = 1; d <= MAX_LEAF_FEATURES; d++) {
    totalLeaves += leafCount[d]!;
    if (d <= maxTableFeatures) tabledLeaves += leafCount[d]!;
  }
  const poly = new Float64Array(MAX_LEAF_FEATURES + 1);
  let tableDoubles = 0;
  for (const s of structures) if (s !== null) tableDoubles += tableSize(s, maxTableFeatures);
  const modelTable = new Float64Array(tableDoubles);
  // Whole-tree tables (tree-table.ts) for the small trees, whatever the leaf-table budget: they
  // replace the per-leaf work of those trees in every route.
  const treeFeatures = structures.map((s, t) => (s === null ? null : treeTableFeatures(trees[t]!)));
  let treeTableDoubles = 0;
  let tableTrees = 0;
  treeFeatures.forEach((features, t) => {
    if (features === null) return;
    treeTableDoubles += (1 << trees[t]!.nInternal) * features.length;
    tableTrees++;
  });
  const modelTreeTable = new Float64Array(treeTableDoubles);
  const noFeatures = new Int32Array(0);
  let tableOffset = 0;
  let treeTableOffset = 0;
  const plans = packPlans(
    structures.map((s, t) => {
      if (s === null) return null;
      const features = treeFeatures[t] ?? null;
      const size = features === null ? 0 : (1 << trees[t]!.nInternal) * features.length;
      const treeTable = { features: features ?? noFeatures, table: modelTreeTable.subarray(treeTableOffset, treeTableOffset + size) };
      const plan = withTables(trees[t]!, s, maxTableFeatures, poly, modelTable, tableOffset, treeTable);
      tableOffset += plan.table.length;
      treeTableOffset += size;
      return plan;
    }),
  );
  const plan: ModelShapPlan = {
    plans,
    maxTableBytes,
    tableBytes,
    maxTableFeatures,
    tabledLeafFraction: totalLeaves > 0 ? tabledLeaves / totalLeaves : 0,
    recursiveTrees,
    tableTrees,
    treeTableBytes: treeTableDoubles * 8,
  };
  return plan;
}

/** Reusable per-call buffers, grown on demand; one per thread (module), never shrunk. */
export class ShapWork {
  nodeMask = new Int32Array(64);
  leafMask = new Int32Array(64);
  readonly poly = new Float64Array(MAX_LEAF_FEATURES + 1);
  readonly leafOut = new Float64Array(MAX_LEAF_FEATURES);
  /** Sink for the table-touching loads, so the compiler cannot drop them. */
  touched = 0;

  /** Makes room for a tree's nodes. */
  fit(tree: Tree): void {
    if (this.nodeMask.length < tree.nInternal) this.nodeMask = new Int32Array(Math.max(tree.nInternal, 2 * this.nodeMask.length));
    if (this.leafMask.length < tree.nLeaves) this.leafMask = new Int32Array(Math.max(tree.nLeaves, 2 * this.leafMask.length));
  }
}

/**
 * Adds one tree's SHAP values for each of nRows rows:
 *   phi[phiStart + i · phiRowStride + f] += φ_f(row i)
 * Kernel: no checks; `plan` must be this tree's plan and `work` fitted to the tree.
 *
 * @param rows   IN  row-major nRows × nFeatures (NaN = missing)
 * @param phi    OUT accumulated; row i's contributions start at phiStart + i · phiRowStride
 */
export function addPlannedTreeShap(
  tree: Tree,
  plan: TreeShapPlan,
  rows: Float64Array,
  nRows: number,
  nFeatures: number,
  phi: Float64Array,
  phiStart: number,
  phiRowStride: number,
  work: ShapWork,
): void {
  const nInternal = tree.nInternal;
  const nLeaves = tree.nLeaves;
  const splitFeature = plan.splitFeature;
  const threshold = plan.threshold;
  const missingGoesLeft = plan.missingGoesLeft;
  const isCategorical = plan.isCategorical;
  const leftChild = plan.leftChild;
  const rightChild = plan.rightChild;
  const catOffset = tree.catOffset;
  const catBits = tree.catBits;
  const leafValue = plan.leafValue;
  const order = plan.order;
  const clearBit = plan.clearBit;
  const leafD = plan.leafD;
  const leafStart = plan.leafStart;
  const leafFeature = plan.leafFeature;
  const leafZero = plan.leafZero;
  const leafTable = plan.leafTable;
  const table = plan.table;
  const nodeMask = work.nodeMask;
  const leafMask = work.leafMask;
  const poly = work.poly;
  const leafOut = work.leafOut;

  const treeFeatures = plan.treeFeatures;
  if (treeFeatures.length > 0) {
    // Small tree: the row's decisions pick one row of the whole-tree table (tree-table.ts).
    const treeTable = plan.treeTable;
    const k = treeFeatures.length;
    for (let i = 0; i < nRows; i++) {
      const rowOffset = i * nFeatures;
      const phiOffset = phiStart + i * phiRowStride;
      let decisions = 0;
      for (let t = 0; t < nInternal; t++) {
        const node = order[t]!;
        const v = rows[rowOffset + splitFeature[node]!]!;
        let left: boolean;
        if (v !== v) left = missingGoesLeft[node] === 1;
        else if (isCategorical[node] === 1) {
          const start = catOffset[node]!;
          left = false;
          if (v >= 0 && v < (catOffset[node + 1]! - start) << 5) {
            const code = v | 0;
            left = code === v && ((catBits[start + (code >>> 5)]! >>> (code & 31)) & 1) === 1;
          }
        } else left = v <= threshold[node]!;
        if (left) decisions |= 1 << t;
      }
      const base = decisions * k;
      for (let j = 0; j < k; j++) phi[phiOffset + treeFeatures[j]!]! += treeTable[base + j]!;
    }
    return;
  }

  for (let i = 0; i < nRows; i++) {
    const rowOffset = i * nFeatures;
    const phiOffset = phiStart + i * phiRowStride;
    nodeMask[0] = -1;
    for (let t = 0; t < nInternal; t++) {
      const node = order[t]!;
      const mask = nodeMask[node]!;
      const v = rows[rowOffset + splitFeature[node]!]!;
      // Same rule as decision.ts goesLeft, inlined as in predict.ts.
      let left: boolean;
      if (v !== v) left = missingGoesLeft[node] === 1;
      else if (isCategorical[node] === 1) {
        const start = catOffset[node]!;
        left = false;
        if (v >= 0 && v < (catOffset[node + 1]! - start) << 5) {
          const code = v | 0;
          left = code === v && ((catBits[start + (code >>> 5)]! >>> (code & 31)) & 1) === 1;
        }
      } else left = v <= threshold[node]!;
      const cleared = mask & clearBit[node]!;
      const l = leftChild[node]!;
      const r = rightChild[node]!;
      const leftMask = left ? mask : cleared;
      const rightMask = left ? cleared : mask;
      if (l >= 0) nodeMask[l] = leftMask;
      else leafMask[~l] = leftMask;
      if (r >= 0) nodeMask[r] = rightMask;
      else leafMask[~r] = rightMask;
    }
    // Table rows are scattered over megabytes, so each is usually a cache miss. Touching them all
    // first, in a loop of independent loads, lets the CPU wait for the misses together rather than
    // one leaf at a time behind the φ updates.
    let touched = 0;
    for (let leaf = 0; leaf < nLeaves; leaf++) {
      const tableStart = leafTable[leaf]!;
      if (tableStart < 0) continue;
      const d = leafD[leaf]!;
      const base = tableStart + (leafMask[leaf]! & ((1 << d) - 1)) * d;
      leafMask[leaf] = base; // from here on: the leaf's table row instead of its hot mask
      touched += table[base]!;
    }
    work.touched = touched;
    for (let leaf = 0; leaf < nLeaves; leaf++) {
      const d = leafD[leaf]!;
      const start = leafStart[leaf]!;
      if (leafTable[leaf]! >= 0) {
        const base = leafMask[leaf]!;
        for (let p = 0; p < d; p++) phi[phiOffset + leafFeature[start + p]!]! += table[base + p]!;
      } else {
        leafShapley(d, leafZero, start, leafMask[leaf]!, leafValue[leaf]!, leafOut, 0, poly);
        for (let p = 0; p < d; p++) phi[phiOffset + leafFeature[start + p]!]! += leafOut[p]!;
      }
    }
  }
}
