/**
 * Model (de)serialization: a versioned JSON document that round-trips a GbdtModel exactly.
 *
 * Exactness: every typed array is stored as base64 of its little-endian bytes, so floats come back
 * bit for bit (NaN payloads, -0 and ±Infinity thresholds included) instead of going through decimal
 * text. Scalars that JSON cannot carry (NaN, ±Infinity, -0, e.g. a NaN metric in `history`) are
 * written as `{"$f64": "NaN"}`; finite numbers use JSON's shortest round-trip form.
 *
 * Determinism: keys are written in a fixed order (params sorted by name) with no whitespace, so the
 * same model always gives the same bytes, and two models can be compared by their text.
 *
 * Document shape (formatVersion 1):
 *
 *   { "formatVersion": 1, "objective", "nClasses", "nOutputs", "nRoundsKept", "metricName",
 *     "initScore": b64<f64>, "features": [{name, kind, nCategories?}], "params": {sorted},
 *     "history": [{round, train?, valid?}],
 *     "trees": [{ nInternal, nLeaves, splitFeature: b64<i32>, threshold: b64<f64>, ... }] }
 *
 * Reading validates the whole structure (types, array lengths, child links, feature indices) and
 * names the offending field, so a corrupt or foreign file fails at load rather than at predict.
 */
import type { FeatureSpec } from '../data/columns.js';
import type { Tree } from '../tree/tree.js';
import type { GbdtModel, GbdtParams, ObjectiveName, RoundMetric } from './model.js';
import { MODEL_FORMAT_VERSION } from './model.js';

// ---------------------------------------------------------------------------------------------
// base64 of little-endian bytes
// ---------------------------------------------------------------------------------------------

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_CODES = new Uint8Array(64);
const B64_LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  B64_CODES[i] = B64.charCodeAt(i);
  B64_LOOKUP[B64.charCodeAt(i)] = i;
}
const PAD = 61; // '='

const IS_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

type NumericArray = Int32Array | Uint32Array | Uint8Array | Float64Array;

/** The array's bytes in little-endian element order (a view when the platform is little-endian). */
function littleEndianBytes(arr: NumericArray): Uint8Array {
  const bytes = new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
  const size = arr.BYTES_PER_ELEMENT;
  if (IS_LITTLE_ENDIAN || size === 1) return bytes;
  const swapped = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += size) for (let b = 0; b < size; b++) swapped[i + b] = bytes[i + size - 1 - b]!;
  return swapped;
}

function encodeBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const codes = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    codes[o++] = B64_CODES[v >>> 18]!;
    codes[o++] = B64_CODES[(v >>> 12) & 63]!;
    codes[o++] = B64_CODES[(v >>> 6) & 63]!;
    codes[o++] = B64_CODES[v & 63]!;
  }
  if (i < n) {
    const v = (bytes[i]! << 16) | (i + 1 < n ? bytes[i + 1]! << 8 : 0);
    codes[o++] = B64_CODES[v >>> 18]!;
    codes[o++] = B64_CODES[(v >>> 12) & 63]!;
    codes[o++] = i + 1 < n ? B64_CODES[(v >>> 6) & 63]! : PAD;
    codes[o++] = PAD;
  }
  // String.fromCharCode over chunks: one call per character would be slow, one call for all of them
  // could exceed the engine's argument limit.
  let s = '';
  for (let c = 0; c < codes.length; c += 8192) {
    s += String.fromCharCode.apply(null, codes.subarray(c, c + 8192) as unknown as number[]);
  }
  return s;
}

/** Decodes strict, padded base64 into a fresh (aligned) buffer; null if the text is not base64. */
function decodeBase64(text: string): Uint8Array<ArrayBuffer> | null {
  const len = text.length;
  if (len % 4 !== 0) return null;
  let pad = 0;
  if (len > 0 && text.charCodeAt(len - 1) === PAD) pad++;
  if (len > 1 && text.charCodeAt(len - 2) === PAD) pad++;
  const out = new Uint8Array(new ArrayBuffer((len / 4) * 3 - pad));
  let o = 0;
  for (let i = 0; i < len; i += 4) {
    let v = 0;
    for (let j = 0; j < 4; j++) {
      const c = text.charCodeAt(i + j);
      let d: number;
      if (c === PAD && i + j >= len - pad) d = 0;
      else {
        d = c < 128 ? B64_LOOKUP[c]! : -1;
        if (d < 0) return null;
      }
      v = (v << 6) | d;
    }
    if (o < out.length) out[o++] = v >>> 16;
    if (o < out.length) out[o++] = (v >>> 8) & 255;
    if (o < out.length) out[o++] = v & 255;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// field schema
// ---------------------------------------------------------------------------------------------

type Dtype = 'u8' | 'i32' | 'u32' | 'f64';

const CONSTRUCTORS = {
  u8: Uint8Array,
  i32: Int32Array,
  u32: Uint32Array,
  f64: Float64Array,
} as const;

/** Tree arrays in the order they are written, with their dtype and which count sizes them. */
const TREE_ARRAYS: readonly (readonly [keyof Tree, Dtype, 'nInternal' | 'nLeaves' | 'catOffset' | 'catBits'])[] = [
  ['splitFeature', 'i32', 'nInternal'],
  ['threshold', 'f64', 'nInternal'],
  ['missingGoesLeft', 'u8', 'nInternal'],
  ['isCategorical', 'u8', 'nInternal'],
  ['leftChild', 'i32', 'nInternal'],
  ['rightChild', 'i32', 'nInternal'],
  ['splitGain', 'f64', 'nInternal'],
  ['internalCover', 'f64', 'nInternal'],
  ['catOffset', 'i32', 'catOffset'],
  ['catBits', 'u32', 'catBits'],
  ['leafValue', 'f64', 'nLeaves'],
  ['leafCover', 'f64', 'nLeaves'],
];

function encodeArray(arr: NumericArray): string {
  return encodeBase64(littleEndianBytes(arr));
}

/** A JSON-safe scalar: finite numbers as-is, the rest as {"$f64": text}. */
type EncodedNumber = number | { $f64: string };

function encodeNumber(x: number): EncodedNumber {
  if (Number.isFinite(x) && !Object.is(x, -0)) return x;
  return { $f64: Object.is(x, -0) ? '-0' : String(x) };
}

function encodeScalar(x: unknown): unknown {
  return typeof x === 'number' ? encodeNumber(x) : x;
}

// ---------------------------------------------------------------------------------------------
// writing
// ---------------------------------------------------------------------------------------------

function encodeTree(tree: Tree): Record<string, unknown> {
  const doc: Record<string, unknown> = { nInternal: tree.nInternal, nLeaves: tree.nLeaves };
  for (const [key] of TREE_ARRAYS) doc[key] = encodeArray(tree[key] as NumericArray);
  return doc;
}

function encodeFeature(spec: FeatureSpec): Record<string, unknown> {
  const doc: Record<string, unknown> = { name: spec.name, kind: spec.kind };
  if (spec.nCategories !== undefined) doc.nCategories = spec.nCategories;
  return doc;
}

function encodeHistory(entry: RoundMetric): Record<string, unknown> {
  const doc: Record<string, unknown> = { round: entry.round };
  if (entry.train !== undefined) doc.train = encodeNumber(entry.train);
  if (entry.valid !== undefined) doc.valid = encodeNumber(entry.valid);
  return doc;
}

/**
 * Serializes a model to deterministic JSON text (the same model always gives the same string).
 *
 * @example
 * const text = serializeModel(model);
 * const again = deserializeModel(text); // predicts exactly like `model`
 */
export function serializeModel(model: GbdtModel): string {
  const params: Record<string, unknown> = {};
  const source = model.params as unknown as Record<string, unknown>;
  for (const key of Object.keys(source).sort()) {
    if (source[key] !== undefined) params[key] = encodeScalar(source[key]);
  }
  const doc = {
    formatVersion: MODEL_FORMAT_VERSION,
    objective: model.objective,
    nClasses: model.nClasses,
    nOutputs: model.nOutputs,
    nRoundsKept: model.nRoundsKept,
    metricName: model.metricName,
    initScore: encodeArray(model.initScore),
    features: model.features.map(encodeFeature),
    params,
    history: model.history.map(encodeHistory),
    trees: model.trees.map(encodeTree),
  };
  return JSON.stringify(doc);
}

// ---------------------------------------------------------------------------------------------
// reading
// ---------------------------------------------------------------------------------------------

const OBJECTIVES: readonly ObjectiveName[] = ['binary', 'multiclass', 'regression', 'huber', 'l1'];

function fail(path: string, what: string): never {
  throw new TypeError(`deserializeModel: ${path} ${what}`);
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function readObject(x: unknown, path: string): Record<string, unknown> {
  if (!isObject(x)) fail(path, 'must be an object');
  return x;
}

function readNumber(x: unknown, path: string): number {
  if (typeof x === 'number') return x;
  if (isObject(x) && typeof x.$f64 === 'string' && Object.keys(x).length === 1) {
    const text = x.$f64;
    if (text === 'NaN') return NaN;
    if (text === 'Infinity') return Infinity;
    if (text === '-Infinity') return -Infinity;
    if (text === '-0') return -0;
  }
  return fail(path, `must be a number, got ${JSON.stringify(x)}`);
}

function readCount(x: unknown, path: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) fail(path, `must be a non-negative integer, got ${JSON.stringify(x)}`);
  return x;
}

function readString(x: unknown, path: string): string {
  if (typeof x !== 'string') fail(path, `must be a string, got ${JSON.stringify(x)}`);
  return x;
}

function readArray(x: unknown, path: string): unknown[] {
  if (!Array.isArray(x)) fail(path, 'must be an array');
  return x;
}

function readTyped<D extends Dtype>(x: unknown, dtype: D, length: number, path: string): InstanceType<(typeof CONSTRUCTORS)[D]> {
  const bytes = decodeBase64(readString(x, path));
  if (bytes === null) fail(path, 'is not valid base64');
  const Ctor = CONSTRUCTORS[dtype];
  const size = Ctor.BYTES_PER_ELEMENT;
  if (bytes.length !== length * size) fail(path, `must hold ${length} ${dtype} values, got ${bytes.length} bytes`);
  if (!IS_LITTLE_ENDIAN && size > 1) {
    for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
  }
  // `bytes` owns a fresh ArrayBuffer starting at offset 0, so any element size is aligned.
  return new Ctor(bytes.buffer, 0, length) as InstanceType<(typeof CONSTRUCTORS)[D]>;
}

function readTree(x: unknown, path: string, nFeatures: number): Tree {
  const doc = readObject(x, path);
  const nInternal = readCount(doc.nInternal, `${path}.nInternal`);
  const nLeaves = readCount(doc.nLeaves, `${path}.nLeaves`);
  if (nLeaves !== nInternal + 1) fail(`${path}.nLeaves`, `must be nInternal + 1 = ${nInternal + 1}, got ${nLeaves}`);
  const arrays: Record<string, NumericArray> = {};
  for (const [key, dtype, sizedBy] of TREE_ARRAYS) {
    let length: number;
    if (sizedBy === 'nInternal') length = nInternal;
    else if (sizedBy === 'nLeaves') length = nLeaves;
    else if (sizedBy === 'catOffset') length = nInternal + 1;
    else {
      const offsets = arrays.catOffset as Int32Array;
      length = offsets[nInternal]!;
      if (offsets[0] !== 0) fail(`${path}.catOffset`, 'must start at 0');
      for (let i = 0; i < nInternal; i++) {
        if (offsets[i + 1]! < offsets[i]!) fail(`${path}.catOffset`, 'must be non-decreasing');
      }
    }
    arrays[key] = readTyped(doc[key], dtype, length, `${path}.${key}`);
  }
  const tree = { nInternal, nLeaves, ...arrays } as unknown as Tree;
  for (let i = 0; i < nInternal; i++) {
    const f = tree.splitFeature[i]!;
    if (f < 0 || f >= nFeatures) fail(`${path}.splitFeature[${i}]`, `= ${f} is not a feature index in [0, ${nFeatures})`);
    for (const child of [tree.leftChild[i]!, tree.rightChild[i]!]) {
      // Children must point forward or at a leaf: that rules out cycles, so prediction terminates.
      const ok = child >= 0 ? child > i && child < nInternal : ~child < nLeaves;
      if (!ok) fail(`${path} node ${i}`, `has an invalid child reference ${child}`);
    }
  }
  return tree;
}

function readFeature(x: unknown, path: string): FeatureSpec {
  const doc = readObject(x, path);
  const name = readString(doc.name, `${path}.name`);
  const kind = readString(doc.kind, `${path}.kind`);
  if (kind !== 'numeric' && kind !== 'categorical') fail(`${path}.kind`, `must be 'numeric' or 'categorical', got '${kind}'`);
  if (doc.nCategories === undefined) return { name, kind };
  return { name, kind, nCategories: readCount(doc.nCategories, `${path}.nCategories`) };
}

function readHistory(x: unknown, path: string): RoundMetric {
  const doc = readObject(x, path);
  const entry: { round: number; train?: number; valid?: number } = { round: readCount(doc.round, `${path}.round`) };
  if (doc.train !== undefined) entry.train = readNumber(doc.train, `${path}.train`);
  if (doc.valid !== undefined) entry.valid = readNumber(doc.valid, `${path}.valid`);
  return entry;
}

function readParams(x: unknown, path: string): GbdtParams {
  const doc = readObject(x, path);
  const params: Record<string, unknown> = {};
  for (const key of Object.keys(doc)) {
    const v = doc[key];
    params[key] = typeof v === 'string' || typeof v === 'boolean' ? v : readNumber(v, `${path}.${key}`);
  }
  if (typeof params.objective !== 'string') fail(`${path}.objective`, 'must be a string');
  return params as unknown as GbdtParams;
}

/**
 * Reads a model written by `serializeModel`.
 *
 * @throws RangeError if the document's formatVersion is not one this build reads
 * @throws TypeError naming the field if the text is not a well-formed model
 */
export function deserializeModel(text: string): GbdtModel {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new TypeError(`deserializeModel: model text is not valid JSON (${(err as Error).message})`);
  }
  const doc = readObject(parsed, 'model');
  const version = doc.formatVersion;
  if (version !== MODEL_FORMAT_VERSION) {
    throw new RangeError(`deserializeModel: unsupported model formatVersion ${JSON.stringify(version)}; this build reads version ${MODEL_FORMAT_VERSION}`);
  }
  const objective = readString(doc.objective, 'objective') as ObjectiveName;
  if (!OBJECTIVES.includes(objective)) fail('objective', `must be one of ${OBJECTIVES.join(', ')}, got '${objective}'`);
  const nOutputs = readCount(doc.nOutputs, 'nOutputs');
  const nClasses = readCount(doc.nClasses, 'nClasses');
  const expectedOutputs = objective === 'multiclass' ? nClasses : 1;
  if (nOutputs !== expectedOutputs || (objective === 'multiclass' && nClasses < 2)) {
    fail('nOutputs', `= ${nOutputs} does not fit objective '${objective}' with nClasses = ${nClasses}`);
  }
  const features = readArray(doc.features, 'features').map((f, i) => readFeature(f, `features[${i}]`));
  const trees = readArray(doc.trees, 'trees').map((t, i) => readTree(t, `trees[${i}]`, features.length));
  if (trees.length % nOutputs !== 0) fail('trees', `has ${trees.length} trees, not a multiple of nOutputs = ${nOutputs}`);
  const nRoundsKept = readCount(doc.nRoundsKept, 'nRoundsKept');
  if (nRoundsKept > trees.length / nOutputs) fail('nRoundsKept', `= ${nRoundsKept} exceeds the ${trees.length / nOutputs} stored rounds`);
  return {
    formatVersion: MODEL_FORMAT_VERSION,
    objective,
    nClasses,
    nOutputs,
    initScore: readTyped(doc.initScore, 'f64', nOutputs, 'initScore'),
    trees,
    features,
    params: readParams(doc.params, 'params'),
    nRoundsKept,
    metricName: readString(doc.metricName, 'metricName'),
    history: readArray(doc.history, 'history').map((h, i) => readHistory(h, `history[${i}]`)),
  };
}
