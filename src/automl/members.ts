/**
 * Ensemble members: a GBDT or a linear learner, behind one raw-score / SHAP interface, blended in
 * raw-margin space so that the ensemble's SHAP values are the weighted sum of the members'.
 */
import type { GbdtModel } from '../engine/boosting/model.js';
import { deserializeModel, serializeModel } from '../engine/boosting/serialize.js';
import { shapValues } from '../engine/explain/index.js';
import { predictRaw } from '../engine/predict/index.js';
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
    learner: 'gbdt',
    rounds: m.gbdt.nRoundsKept,
    learningRate: p.learningRate,
    maxLeaves: p.maxLeaves,
    minDataInLeaf: p.minDataInLeaf,
    featureFraction: p.featureFraction,
    lambdaL2: p.lambdaL2,
    baggingFraction: p.baggingFraction,
  };
}
