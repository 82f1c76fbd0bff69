/**
 * The trained AutoML model (plan + GBDT ensemble + threshold), prediction with reasons, and its
 * versioned, byte-deterministic serialization.
 */
import { servingModelOf, toRowMajor } from '../engine/index.js';
import type { TypedTable } from '../table/table.js';
import { explainContext, featuresByColumn, probabilityScale, rowItems, topReasons } from './explain.js';
import {
  createShapBuffers,
  ensembleExpected,
  ensembleRaw,
  ensembleShapOfOutput,
  memberFromDoc,
  memberOutputs,
  memberToDoc,
  prepareMembers,
} from './members.js';
import type { Member, ShapBuffers } from './members.js';
import { predictClass } from './decision.js';
import { applyPlan, planFromV1 } from './plan.js';
import type { PreprocessPlan } from './plan.js';
import type { AutoModel, AutoModelInfo, AutoPredictions, Reason } from './types.js';

export const AUTO_MODEL_FORMAT = 'yosoku-automl';
/**
 * 2: category frequencies divide by the stored training rows (`stats.frequencyRows`), as in
 * training; version 1 plans are read with the denominator they predicted with (plan.ts planFromV1).
 */
export const AUTO_MODEL_VERSION = 2;
const READABLE_VERSIONS: readonly unknown[] = [1, 2];

export interface AutoModelData extends AutoModel {
  readonly info: AutoModelInfo;
  readonly plan: PreprocessPlan;
  readonly members: readonly Member[];
  /** Ensemble weight per member (raw margins are blended). */
  readonly weights: readonly number[];
}

export function asData(model: AutoModel): AutoModelData {
  const m = model as AutoModelData;
  if (m.plan === undefined || m.members === undefined) throw new TypeError('not an AutoML model produced by trainAutoModel');
  return m;
}

/** Raw margins → probabilities (row-major nRows × nClasses); regression: null. */
export function rawToProbabilities(task: AutoModelInfo['task'], raw: Float64Array, nRows: number, nClasses: number): Float64Array | null {
  if (task === 'regression') return null;
  const out = new Float64Array(nRows * nClasses);
  if (task === 'binary_classification') {
    for (let i = 0; i < nRows; i++) {
      const p = 1 / (1 + Math.exp(-raw[i]!));
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    }
    return out;
  }
  for (let i = 0; i < nRows; i++) {
    let max = -Infinity;
    for (let k = 0; k < nClasses; k++) max = Math.max(max, raw[i * nClasses + k]!);
    let s = 0;
    for (let k = 0; k < nClasses; k++) s += out[i * nClasses + k] = Math.exp(raw[i * nClasses + k]! - max);
    for (let k = 0; k < nClasses; k++) out[i * nClasses + k]! /= s;
  }
  return out;
}

/** Predicted class index per row: threshold on the positive class (binary) or argmax of probability × class weight. */
export function predictedClassIndex(
  task: AutoModelInfo['task'],
  probs: Float64Array,
  nRows: number,
  nClasses: number,
  threshold: number,
  classWeights?: readonly number[],
): Int32Array {
  return Int32Array.from({ length: nRows }, (_, i) => predictClass(task, probs, nClasses, i, threshold, classWeights));
}

/**
 * Predicts a table with the model. Columns are matched by name: missing columns read as missing,
 * extra columns are ignored, unparsable values are missing.
 *
 * Reasons explain the positive class (binary), the predicted class (multi-class) or the value.
 */
export function predictWithModel(model: AutoModel, table: TypedTable, options: { reasons: boolean; topK?: number }): AutoPredictions {
  const m = asData(model);
  const { task, classes } = m.info;
  const n = table.nRows;
  const { features, docs } = applyPlan(m.plan, table);
  const rows = toRowMajor(features);
  const raw = ensembleRaw(m.members, m.weights, rows, n);
  const nOut = memberOutputs(m.members[0]!);
  const probabilities = rawToProbabilities(task, raw, n, classes.length);
  let labels: string[] | null = null;
  let classIdx: Int32Array | null = null;
  if (probabilities !== null) {
    classIdx = predictedClassIndex(task, probabilities, n, classes.length, m.info.threshold ?? 0.5, m.info.classWeights);
    labels = Array.from(classIdx, (k) => classes[k]!);
  }
  const values = task === 'regression' ? Float64Array.from(raw) : null;
  let reasons: { up: Reason[]; down: Reason[] }[] | null = null;
  if (options.reasons) {
    const k = options.topK ?? 3;
    const cache = predictCache(m);
    const F = m.plan.features.length;
    const stride = F + 1;
    const ctx = explainContext(m.plan, table, docs, cache.featuresOf);
    const kind = task === 'binary_classification' ? 'binary' : task === 'multi_classification' ? 'multiclass' : 'regression';
    reasons = [];
    if (kind !== 'multiclass') {
      // One output: explain every row in one pass.
      const shap = ensembleShapOfOutput(m.members, m.weights, rows, n, F, 0, cache.buffers);
      for (let i = 0; i < n; i++) {
        const scale = probabilityScale(kind, raw.subarray(i * nOut, (i + 1) * nOut), cache.base, 0);
        reasons.push(topReasons(rowItems(ctx, shap, i * stride, i), scale, k));
      }
    } else {
      // Multi-class: only the predicted class of each row is explained (its trees alone).
      for (let i = 0; i < n; i++) {
        const output = classIdx![i]!;
        const shap = ensembleShapOfOutput(m.members, m.weights, rows.subarray(i * F, (i + 1) * F), 1, F, output, cache.buffers);
        const scale = probabilityScale(kind, raw.subarray(i * nOut, (i + 1) * nOut), cache.base, output);
        reasons.push(topReasons(rowItems(ctx, shap, 0, i), scale, k));
      }
    }
  }
  return { nRows: n, probabilities, labels, values, reasons };
}

/** Row-independent data of a model's explanations, computed once per model object. */
interface PredictCache {
  /** Ensemble expected raw value per output (SHAP base). */
  readonly base: Float64Array;
  readonly featuresOf: ReadonlyMap<string, readonly number[]>;
  readonly buffers: ShapBuffers;
}

const predictCaches = new WeakMap<AutoModelData, PredictCache>();

function predictCache(m: AutoModelData): PredictCache {
  let c = predictCaches.get(m);
  if (c === undefined) {
    prepareMembers(m.members);
    c = { base: ensembleExpected(m.members, m.weights, m.plan.features.length), featuresOf: featuresByColumn(m.plan), buffers: createShapBuffers() };
    predictCaches.set(m, c);
  }
  return c;
}

// ---- serialization ----

/** JSON with sorted object keys, typed arrays as arrays, non-finite numbers as strings. */
function canonical(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return { $num: String(value) };
    return value;
  }
  if (ArrayBuffer.isView(value)) {
    const arr = Array.from(value as Float64Array, (v) => canonical(v));
    return { $typed: (value as object).constructor.name, values: arr };
  }
  if (Array.isArray(value)) return value.map(canonical);
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj).sort()) if (obj[key] !== undefined) out[key] = canonical(obj[key]);
  return out;
}

const TYPED: Record<string, (v: number[]) => ArrayBufferView> = {
  Float64Array: (v) => Float64Array.from(v),
  Int32Array: (v) => Int32Array.from(v),
  Float32Array: (v) => Float32Array.from(v),
  Uint8Array: (v) => Uint8Array.from(v),
};

function revive(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(revive);
  const obj = value as Record<string, unknown>;
  if (typeof obj.$num === 'string') return Number(obj.$num);
  if (typeof obj.$typed === 'string') {
    const make = TYPED[obj.$typed];
    if (make === undefined) throw new TypeError(`unknown typed array ${obj.$typed}`);
    return make((obj.values as unknown[]).map((v) => revive(v) as number));
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) out[key] = revive(obj[key]);
  return out;
}

/**
 * Versioned text form; the same model always gives the same bytes.
 * @example deserializeAutoModel(serializeAutoModel(model)) // predicts exactly like model
 */
export function serializeAutoModel(model: AutoModel): string {
  const m = asData(model);
  const doc = {
    format: AUTO_MODEL_FORMAT,
    version: AUTO_MODEL_VERSION,
    info: canonical(m.info),
    plan: canonical(m.plan),
    weights: canonical(m.weights),
    members: canonical(m.members.map(memberToDoc)),
  };
  return JSON.stringify(doc);
}

/**
 * Memory the GBDT members of a loaded model hold: their trees' arrays and their compiled forms
 * (engine serving.ts: flat forest, SHAP plans and tables, layouts), exact for the typed data.
 * Caches of loaded models size entries by it; the serialized length undercounts models whose SHAP
 * tables are large.
 */
export function autoModelResidentBytes(model: AutoModel): number {
  let bytes = 0;
  for (const member of asData(model).members) {
    if (member.kind !== 'gbdt') continue;
    for (const tree of member.gbdt.trees) for (const v of Object.values(tree)) if (ArrayBuffer.isView(v)) bytes += v.byteLength;
    bytes += servingModelOf(member.gbdt).byteSize;
  }
  return bytes;
}

/** @throws TypeError for another format or an unsupported version */
export function deserializeAutoModel(text: string): AutoModel {
  const doc = JSON.parse(text) as Record<string, unknown>;
  if (doc.format !== AUTO_MODEL_FORMAT) throw new TypeError(`not a ${AUTO_MODEL_FORMAT} model`);
  if (!READABLE_VERSIONS.includes(doc.version)) throw new TypeError(`unsupported ${AUTO_MODEL_FORMAT} version ${String(doc.version)}`);
  const data: AutoModelData = {
    info: revive(doc.info) as AutoModelInfo,
    plan: doc.version === 1 ? planFromV1(revive(doc.plan) as PreprocessPlan) : (revive(doc.plan) as PreprocessPlan),
    weights: revive(doc.weights) as number[],
    members: (revive(doc.members) as { kind: string; model: unknown }[]).map(memberFromDoc),
  };
  // Serving loads a model once and predicts many times: do the row-independent work now
  // (SHAP plans of every tree, base values), not in the first request.
  predictCache(data);
  return data;
}
