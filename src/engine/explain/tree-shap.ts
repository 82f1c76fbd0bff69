/**
 * TreeSHAP entry points: `shapValues`, `shapValuesOfOutput`, expected values. They dispatch, per
 * output, to the fastest exact kernel the model's compiled form (serving.ts) allows:
 *
 * - one row at a time over the one-row layout (row-shap.ts), for up to ROW_LAYOUT_MAX_ROWS rows
 *   when every tree of the output has a SHAP plan;
 * - else tree by tree: the planned kernel (shap-plan.ts) for trees with a plan, the recursive
 *   algorithm (tree-shap-recursive.ts) for the rare trees without one.
 *
 * `shapValuesRecursive` runs the recursion alone: the reference twin the fast paths are tested and
 * benchmarked against. Every route gives the same values (tests: row-shap, shap-plan, tree-shap).
 */
import type { GbdtModel } from '../boosting/model.js';
import { resolvePredictArgs } from '../predict/predict.js';
import { expectedOver, servingModelOf, type ServingModel } from '../serving.js';
import { childFractions } from './cover.js';
import { addRowShap, RowShapWork } from './row-shap.js';
import { addPlannedTreeShap, ShapWork } from './shap-plan.js';
import { maxLeafDepth, TreeShapScratch, treeExpectedValue } from './tree-shap-recursive.js';

export { maxLeafDepth, TreeShapScratch, treeExpectedValue };

/** Depth of the deepest tree of the model. */
export function modelMaxDepth(model: GbdtModel): number {
  let depth = 0;
  for (const tree of model.trees) depth = Math.max(depth, maxLeafDepth(tree));
  return depth;
}

/** A scratch deep enough for every tree of the model. */
export function createShapScratch(model: GbdtModel): TreeShapScratch {
  return new TreeShapScratch(modelMaxDepth(model));
}

/**
 * Expected raw output per output k: initScore[k] + Σ over the first nRounds rounds of
 * treeExpectedValue(tree (round, k)). Length nOutputs; a fresh array the caller may keep.
 */
export function expectedValues(model: GbdtModel, nRounds?: number): Float64Array {
  const serving = servingModelOf(model);
  const rounds = nRounds ?? serving.rounds;
  return rounds === serving.rounds ? Float64Array.from(serving.expected) : expectedOver(model, serving.treeExpected, rounds);
}

/**
 * Up to this many rows are explained row by row over the one-row layout of row-shap.ts (one call
 * per row for all trees); larger batches go tree by tree, which reuses each tree (and its tables)
 * across rows while they are in cache. Both give the same values.
 */
export const ROW_LAYOUT_MAX_ROWS = 8;

// One set of per-call buffers per thread: JS runs one call at a time, and kernels do not re-enter.
const sharedWork = new ShapWork();
const sharedRowWork = new RowShapWork();

/** Checks `out` and `scratch`; returns the buffer to write, zeroed over `size`. */
function prepareOut(fn: string, serving: ServingModel, size: number, out?: Float64Array, scratch?: TreeShapScratch): Float64Array {
  const result = out ?? new Float64Array(size);
  if (result.length < size) throw new RangeError(`${fn}: out has length ${result.length}, expected ${size}`);
  if (scratch !== undefined && scratch.maxDepth < serving.maxDepth) {
    throw new RangeError(`${fn}: scratch depth ${scratch.maxDepth} is less than the model's depth ${serving.maxDepth}`);
  }
  result.fill(0, 0, size);
  return result;
}

/**
 * Adds the SHAP values of output k over the first `rounds` rounds for every row:
 * phi[phiStart + i · phiRowStride + f] += φ_f. Uses the fast planned kernels, and the recursion
 * for trees without a plan.
 */
function accumulateOutput(
  serving: ServingModel,
  k: number,
  rounds: number,
  rows: Float64Array,
  nRows: number,
  phi: Float64Array,
  phiStart: number,
  phiRowStride: number,
  scratch: TreeShapScratch | undefined,
): void {
  const model = serving.model;
  const nOutputs = model.nOutputs;
  const nFeatures = model.features.length;
  const trees = model.trees;
  if (nRows <= ROW_LAYOUT_MAX_ROWS && rounds === serving.rounds && serving.rowShap.outputPlanned[k] === 1) {
    const layout = serving.rowShap;
    sharedRowWork.fit(layout);
    for (let i = 0; i < nRows; i++) addRowShap(serving.forest, layout, k, rows, i * nFeatures, phi, phiStart + i * phiRowStride, sharedRowWork);
    return;
  }
  const plans = serving.shapPlan.plans;
  const work = sharedWork;
  const path = scratch ?? serving.recursion;
  for (let r = 0; r < rounds; r++) {
    const t = r * nOutputs + k;
    const tree = trees[t]!;
    if (tree.nInternal === 0) continue; // a constant tree moves no prediction away from its expectation
    const plan = plans[t]!;
    if (plan !== null) {
      work.fit(tree);
      addPlannedTreeShap(tree, plan, rows, nRows, nFeatures, phi, phiStart, phiRowStride, work);
    } else {
      const fractions = serving.recursionFractions[t] ?? childFractions(tree);
      for (let i = 0; i < nRows; i++) path.addTreeShap(tree, fractions, rows, i * nFeatures, phi, phiStart + i * phiRowStride);
    }
  }
}

/**
 * SHAP values of the raw margins.
 *
 * Layout of the result, nRows × nOutputs × (nFeatures + 1), with F = nFeatures:
 *
 *   out[(row * nOutputs + k) * (F + 1) + f]   contribution of feature f to output k of the row
 *   out[(row * nOutputs + k) * (F + 1) + F]   expected value of output k (same for every row)
 *
 * and Σ_f contribution + expected = predictRaw(row)[k] (up to rounding).
 *
 * Reads the model's compiled form (serving.ts), compiling it on the first call for a model that
 * was never compiled. Allocates nothing when `out` is given.
 *
 * @param rows     row-major nRows × nFeatures, as for predictRaw (NaN = missing)
 * @param out      nRows × nOutputs × (nFeatures + 1) (OUT; overwritten). Allocated when omitted.
 * @param nRounds  use only the first nRounds rounds (default: every kept round)
 * @param scratch  path buffers for trees the plans do not cover; must be deep enough. Optional:
 *                 the compiled model has its own.
 *
 * @example
 * const shap = shapValues(model, rows, 1);
 * const F = model.features.length;
 * const contributionOfFeature2 = shap[2], expected = shap[F];
 */
export function shapValues(model: GbdtModel, rows: Float64Array, nRows: number, out?: Float64Array, nRounds?: number, scratch?: TreeShapScratch): Float64Array {
  const rounds = resolvePredictArgs(model, rows, nRows, nRounds, 'shapValues');
  const serving = servingModelOf(model);
  const nOutputs = model.nOutputs;
  const nFeatures = model.features.length;
  const stride = nFeatures + 1;
  const result = prepareOut('shapValues', serving, nRows * nOutputs * stride, out, scratch);
  for (let k = 0; k < nOutputs; k++) accumulateOutput(serving, k, rounds, rows, nRows, result, k * stride, nOutputs * stride, scratch);
  const expected = rounds === serving.rounds ? serving.expected : expectedOver(model, serving.treeExpected, rounds);
  for (let i = 0; i < nRows; i++) {
    for (let k = 0; k < nOutputs; k++) result[(i * nOutputs + k) * stride + nFeatures] = expected[k]!;
  }
  return result;
}

/**
 * The same values as `shapValues`, by the recursive algorithm of Lundberg et al. (Algorithm 2)
 * alone: the reference the fast path is tested and benchmarked against. It reads nothing compiled
 * (cover fractions and expected values are recomputed per call).
 */
export function shapValuesRecursive(
  model: GbdtModel,
  rows: Float64Array,
  nRows: number,
  out?: Float64Array,
  nRounds?: number,
  scratch?: TreeShapScratch,
): Float64Array {
  const rounds = resolvePredictArgs(model, rows, nRows, nRounds, 'shapValuesRecursive');
  const nOutputs = model.nOutputs;
  const nFeatures = model.features.length;
  const stride = nFeatures + 1;
  const maxDepth = modelMaxDepth(model);
  const size = nRows * nOutputs * stride;
  const result = out ?? new Float64Array(size);
  if (result.length < size) throw new RangeError(`shapValuesRecursive: out has length ${result.length}, expected ${size}`);
  if (scratch !== undefined && scratch.maxDepth < maxDepth) {
    throw new RangeError(`shapValuesRecursive: scratch depth ${scratch.maxDepth} is less than the model's depth ${maxDepth}`);
  }
  result.fill(0, 0, size);
  const path = scratch ?? new TreeShapScratch(maxDepth);
  const treeExpected = new Float64Array(rounds * nOutputs);
  for (let t = 0; t < rounds * nOutputs; t++) {
    const tree = model.trees[t]!;
    const fractions = childFractions(tree);
    treeExpected[t] = treeExpectedValue(tree, fractions);
    const k = t % nOutputs;
    for (let i = 0; i < nRows; i++) path.addTreeShap(tree, fractions, rows, i * nFeatures, result, (i * nOutputs + k) * stride);
  }
  const expected = expectedOver(model, treeExpected, rounds);
  for (let i = 0; i < nRows; i++) {
    for (let k = 0; k < nOutputs; k++) result[(i * nOutputs + k) * stride + nFeatures] = expected[k]!;
  }
  return result;
}

/**
 * SHAP values of one output only (e.g. the predicted class of a multiclass model, for per-row
 * reasons): 1/nOutputs of the work of `shapValues`.
 *
 * Layout nRows × (nFeatures + 1): out[row * (F + 1) + f] is feature f's contribution to output
 * `output`, out[row * (F + 1) + F] its expected value; equal to the matching slice of `shapValues`.
 *
 * @param output  output index in [0, nOutputs): the class for multiclass, 0 otherwise
 * @param out     nRows × (nFeatures + 1) (OUT; overwritten). Allocated when omitted.
 *
 * @example
 * const k = argmax(predictRaw(model, row, 1, raw));
 * const phi = shapValuesOfOutput(model, row, 1, k, phiBuffer);
 */
export function shapValuesOfOutput(model: GbdtModel, rows: Float64Array, nRows: number, output: number, out?: Float64Array, nRounds?: number): Float64Array {
  const rounds = resolvePredictArgs(model, rows, nRows, nRounds, 'shapValuesOfOutput');
  if (!Number.isInteger(output) || output < 0 || output >= model.nOutputs) {
    throw new RangeError(`shapValuesOfOutput: output must be an integer in [0, ${model.nOutputs - 1}], got ${output}`);
  }
  const serving = servingModelOf(model);
  const nFeatures = model.features.length;
  const stride = nFeatures + 1;
  const result = prepareOut('shapValuesOfOutput', serving, nRows * stride, out);
  accumulateOutput(serving, output, rounds, rows, nRows, result, 0, stride, undefined);
  const expected = rounds === serving.rounds ? serving.expected[output]! : expectedOver(model, serving.treeExpected, rounds)[output]!;
  for (let i = 0; i < nRows; i++) result[i * stride + nFeatures] = expected;
  return result;
}
