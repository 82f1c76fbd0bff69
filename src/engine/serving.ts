/**
 * A model compiled for serving: everything row-independent that prediction and TreeSHAP read,
 * built once, in one place, with its exact size in bytes.
 *
 * - the flat forest of every kept round (predict/row-predict.ts), its nodes in the SHAP plans'
 *   parents-first order, read by one-row prediction and one-row TreeSHAP alike;
 * - the SHAP plans and tables (explain/shap-plan.ts) and the one-row SHAP layout over the forest
 *   (explain/row-shap.ts);
 * - the expected value of every tree and of every output, the depth, and, for the rare trees
 *   without a plan, their cover fractions and a recursion scratch (explain/tree-shap-recursive.ts).
 *
 * `predictRaw` and `shapValues` find a model's compiled form by the model object; a process that
 * serves models keeps them in its cache of loaded models, whose eviction releases the compiled
 * form with the model. The kernels never build anything on a request.
 */
import type { GbdtModel } from './boosting/model.js';
import { childFractions } from './explain/cover.js';
import { buildRowShapLayout, type RowShapLayout } from './explain/row-shap.js';
import { buildShapPlan, DEFAULT_MAX_TABLE_BYTES, type ModelShapPlan } from './explain/shap-plan.js';
import { maxLeafDepth, TreeShapScratch, treeExpectedValue } from './explain/tree-shap-recursive.js';
import { buildRowForest, type RowForest } from './predict/row-predict.js';

export interface ServingModel {
  readonly model: GbdtModel;
  /** Rounds laid out and explained row by row: every kept round. */
  readonly rounds: number;
  readonly forest: RowForest;
  readonly shapPlan: ModelShapPlan;
  readonly rowShap: RowShapLayout;
  /** treeExpectedValue of every tree of the model. */
  readonly treeExpected: Float64Array;
  /** Expected raw output per output over `rounds` rounds (initScore included): the SHAP base. */
  readonly expected: Float64Array;
  /** Depth of the deepest tree. */
  readonly maxDepth: number;
  /** Per tree: its cover fractions when it has no SHAP plan (the recursion explains it), else null. */
  readonly recursionFractions: readonly (Float64Array | null)[];
  /** Path buffers of the recursion, deep enough for every tree. */
  readonly recursion: TreeShapScratch;
  /**
   * Bytes held by everything above and not by the model itself: every typed array's buffer, counted
   * once (plans and tables are views of shared buffers). Exact for the data; JS object headers
   * (a few hundred bytes per tree) are not counted.
   */
  readonly byteSize: number;
}

export interface ServingOptions {
  /** Memory the SHAP tables may use (default DEFAULT_MAX_TABLE_BYTES); 0 = no tables. */
  readonly maxTableBytes?: number;
}

/** Rounds served: every kept round that the tree list holds. */
export function servedRounds(model: GbdtModel): number {
  return Math.min(model.nRoundsKept, Math.floor(model.trees.length / model.nOutputs));
}

const compiled = new WeakMap<GbdtModel, ServingModel>();

/**
 * Compiles the model for serving and makes it the model's compiled form (replacing an earlier one,
 * e.g. with another table budget). Call once when a model is loaded; never on a model still being
 * trained.
 * @example const serving = compileForServing(model); log(`${serving.byteSize} bytes prepared`);
 */
export function compileForServing(model: GbdtModel, opts: ServingOptions = {}): ServingModel {
  const rounds = servedRounds(model);
  const shapPlan = buildShapPlan(model, opts.maxTableBytes ?? DEFAULT_MAX_TABLE_BYTES);
  const forest = buildRowForest(
    model,
    rounds,
    shapPlan.plans.map((p) => p?.order ?? null),
  );
  const rowShap = buildRowShapLayout(model, forest, shapPlan);
  const trees = model.trees;
  const treeExpected = new Float64Array(trees.length);
  const recursionFractions: (Float64Array | null)[] = [];
  let maxDepth = 0;
  for (let t = 0; t < trees.length; t++) {
    const tree = trees[t]!;
    const fractions = tree.nInternal === 0 ? new Float64Array(0) : childFractions(tree);
    treeExpected[t] = treeExpectedValue(tree, fractions);
    recursionFractions.push(tree.nInternal > 0 && shapPlan.plans[t] === null ? fractions : null);
    maxDepth = Math.max(maxDepth, maxLeafDepth(tree));
  }
  const expected = expectedOver(model, treeExpected, rounds);
  const recursion = new TreeShapScratch(maxDepth);
  const buffers = new Set<ArrayBufferLike>();
  const arrays: ArrayBufferView[] = [
    ...Object.values(forest).filter((v): v is ArrayBufferView => ArrayBuffer.isView(v) && v !== model.initScore),
    ...Object.values(rowShap).filter((v): v is ArrayBufferView => ArrayBuffer.isView(v)),
    ...shapPlan.plans.flatMap((p) => (p === null ? [] : Object.values(p).filter((v): v is ArrayBufferView => ArrayBuffer.isView(v)))),
    ...recursionFractions.filter((f): f is Float64Array => f !== null),
    treeExpected,
    expected,
  ];
  for (const a of arrays) buffers.add(a.buffer);
  let byteSize = recursion.byteSize;
  for (const b of buffers) byteSize += b.byteLength;
  const serving: ServingModel = { model, rounds, forest, shapPlan, rowShap, treeExpected, expected, maxDepth, recursionFractions, recursion, byteSize };
  compiled.set(model, serving);
  return serving;
}

/** The model's compiled form, compiling it (default options) when it has none. */
export function servingModelOf(model: GbdtModel): ServingModel {
  return compiled.get(model) ?? compileForServing(model);
}

/** The model's compiled form if it was compiled, without compiling it. */
export function compiledFormOf(model: GbdtModel): ServingModel | undefined {
  return compiled.get(model);
}

/** initScore[k] + Σ over the first `rounds` rounds of the expected values of the trees of output k. */
export function expectedOver(model: GbdtModel, treeExpected: Float64Array, rounds: number): Float64Array {
  const nOutputs = model.nOutputs;
  const out = Float64Array.from(model.initScore);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < nOutputs; k++) out[k]! += treeExpected[r * nOutputs + k]!;
  }
  return out;
}
