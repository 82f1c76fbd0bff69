/**
 * Ensemble members: a GBDT or a linear learner, behind one raw-score / SHAP interface, blended in
 * raw-margin space so that the ensemble's SHAP values are the weighted sum of the members'.
 */
import { compileForServing, deserializeModel, predictRaw, serializeModel, shapValues, shapValuesOfOutput, type GbdtModel } from '../engine/index.js';
import type { LinearLearner } from './linear.js';
import { linearRaw, linearShap } from './linear.js';

export type Member = { readonly kind: 'gbdt'; readonly gbdt: GbdtModel } | { readonly kind: 'linear'; readonly linear: LinearLearner };

export function memberOutputs(m: Member): number {
  return m.kind === 'gbdt' ? m.gbdt.nOutputs : m.linear.nOutputs;
}

/** Raw margins nRows × nOutputs of row-major encoded features. */
export function memberRaw(m: Member, rows: Float64Array, nRows: number): Float64Array {
  return m.kind === 'gbdt' ? predictRaw(m.gbdt, rows, nRows) : linearRaw(m.linear, rows, nRows);
}

/** SHAP values nRows × nOutputs × (nFeatures + 1), last slot = expected raw value. */
export function memberShap(m: Member, rows: Float64Array, nRows: number): Float64Array {
  return m.kind === 'gbdt' ? shapValues(m.gbdt, rows, nRows) : linearShap(m.linear, rows, nRows);
}

/**
 * SHAP values of one output only: nRows × (F + 1), last slot = expected raw value. GBDTs walk only
 * that output's trees (1 / nOutputs of the work of memberShap for multi-class).
 */
export function memberShapOfOutput(m: Member, rows: Float64Array, nRows: number, output: number, out?: Float64Array): Float64Array {
  if (m.kind === 'gbdt') return shapValuesOfOutput(m.gbdt, rows, nRows, output, out);
  const K = m.linear.nOutputs;
  const stride = m.linear.nFeatures + 1;
  const all = linearShap(m.linear, rows, nRows);
  const res = out ?? new Float64Array(nRows * stride);
  for (let i = 0; i < nRows; i++) res.set(all.subarray((i * K + output) * stride, (i * K + output + 1) * stride), i * stride);
  return res;
}

/**
 * Reusable buffers for ensembleShapOfOutput (one per model, grown on demand): explaining a row
 * then allocates nothing but the result view.
 */
export interface ShapBuffers {
  sum: Float64Array;
  member: Float64Array;
}

export function createShapBuffers(): ShapBuffers {
  return { sum: new Float64Array(0), member: new Float64Array(0) };
}

/**
 * Weighted ensemble SHAP of one output: nRows × (F + 1). The result is a view into `buffers.sum`,
 * valid until the next call with the same buffers.
 */
export function ensembleShapOfOutput(
  members: readonly Member[],
  weights: readonly number[],
  rows: Float64Array,
  nRows: number,
  nFeatures: number,
  output: number,
  buffers: ShapBuffers,
): Float64Array {
  const size = nRows * (nFeatures + 1);
  if (buffers.sum.length < size) {
    buffers.sum = new Float64Array(size);
    buffers.member = new Float64Array(size);
  }
  const sum = buffers.sum.subarray(0, size);
  const one = buffers.member.subarray(0, size);
  sum.fill(0);
  for (let j = 0; j < members.length; j++) {
    const s = memberShapOfOutput(members[j]!, rows, nRows, output, one);
    const w = weights[j]!;
    for (let e = 0; e < size; e++) sum[e]! += w * s[e]!;
  }
  return sum;
}

/** The ensemble's expected raw value per output (the SHAP base value; row-independent). */
export function ensembleExpected(members: readonly Member[], weights: readonly number[], nFeatures: number): Float64Array {
  const nOut = memberOutputs(members[0]!);
  const row = new Float64Array(nFeatures).fill(NaN);
  const shap = ensembleShap(members, weights, row, 1);
  return Float64Array.from({ length: nOut }, (_, o) => shap[o * (nFeatures + 1) + nFeatures]!);
}

/**
 * Row-independent work of every GBDT member, done once at model load: its compiled form (engine
 * serving.ts: the flat forest, SHAP plans and tables, the one-row layouts).
 */
export function prepareMembers(members: readonly Member[]): void {
  for (const m of members) if (m.kind === 'gbdt') compileForServing(m.gbdt);
}

/** Weighted blend of raw margins. */
export function ensembleRaw(members: readonly Member[], weights: readonly number[], rows: Float64Array, nRows: number): Float64Array {
  const out = new Float64Array(nRows * memberOutputs(members[0]!));
  for (let j = 0; j < members.length; j++) {
    const raw = memberRaw(members[j]!, rows, nRows);
    const w = weights[j]!;
    for (let e = 0; e < out.length; e++) out[e]! += w * raw[e]!;
  }
  return out;
}

/** Weighted ensemble SHAP: nRows × nOutputs × (F + 1). */
export function ensembleShap(members: readonly Member[], weights: readonly number[], rows: Float64Array, nRows: number): Float64Array {
  let out: Float64Array | null = null;
  for (let j = 0; j < members.length; j++) {
    const s = memberShap(members[j]!, rows, nRows);
    out ??= new Float64Array(s.length);
    const w = weights[j]!;
    for (let e = 0; e < s.length; e++) out[e]! += w * s[e]!;
  }
  return out ?? new Float64Array(0);
}

/** Plain-data form for the model file (GBDTs in the engine's own format). */
export function memberToDoc(m: Member): unknown {
  return m.kind === 'gbdt' ? { kind: 'gbdt', model: serializeModel(m.gbdt) } : { kind: 'linear', model: m.linear };
}

export function memberFromDoc(doc: { kind: string; model: unknown }): Member {
  if (doc.kind === 'gbdt') return { kind: 'gbdt', gbdt: deserializeModel(doc.model as string) };
  if (doc.kind === 'linear') return { kind: 'linear', linear: doc.model as LinearLearner };
  throw new TypeError(`unknown ensemble member kind '${doc.kind}'`);
}

/** Short description for the manifest. */
export function describeMember(m: Member): Record<string, unknown> {
  if (m.kind === 'linear') return { learner: 'linear', loss: m.linear.loss, inputs: m.linear.inputs.length };
  const p = m.gbdt.params;
  return {
    // A forest (forest.ts) is a GBDT of averaged trees grown at a vanishing learning rate.
    learner: p.learningRate < 1e-6 ? 'forest' : 'gbdt',
    rounds: m.gbdt.nRoundsKept,
    learningRate: p.learningRate,
    maxLeaves: p.maxLeaves,
    minDataInLeaf: p.minDataInLeaf,
    featureFraction: p.featureFraction,
    lambdaL2: p.lambdaL2,
    baggingFraction: p.baggingFraction,
  };
}
