/**
 * The ensemble's linear learner: L2-regularised logistic (binary), softmax (multi-class) or
 * squared-loss (regression, standardised target) regression on the engine features, fitted by
 * seeded AdaGrad SGD. Numbers are standardised (missing → 0 plus a missing indicator), categories
 * one-hot. It helps on small data and on data dominated by the text scores, where trees are coarse.
 *
 * SHAP values of a linear model (independent features) are exact and cheap:
 * φ_f = Σ over the inputs i of feature f of w_i · (x_i − mean_i), expected value = bias + Σ w_i mean_i.
 */
import { Rng, type FeatureTable } from '../engine/index.js';

/** Inputs a linear learner may have per row × rows: above it the dense design is too big to build. */
export const MAX_LINEAR_CELLS = 8e6;
const EPOCHS = 12;
const RATE = 0.2;
const CLIP = 5;

export type LinearInput =
  | { readonly feature: number; readonly kind: 'value'; readonly mean: number; readonly sd: number }
  | { readonly feature: number; readonly kind: 'missing' }
  | { readonly feature: number; readonly kind: 'level'; readonly code: number };

export interface LinearLearner {
  readonly loss: 'logistic' | 'softmax' | 'squared';
  readonly nOutputs: number;
  readonly nFeatures: number;
  readonly inputs: readonly LinearInput[];
  /** nOutputs × inputs.length, output-major. */
  readonly weights: Float64Array;
  readonly bias: Float64Array;
  /** Mean of each input over the training rows (the SHAP reference). */
  readonly inputMeans: Float64Array;
  /** Regression: raw = targetMean + targetSd · linear score. */
  readonly targetMean: number;
  readonly targetSd: number;
}

/** Number of inputs the learner would have for a table. */
export function linearInputCount(table: FeatureTable): number {
  let d = 0;
  for (const c of table.columns) d += c.kind === 'numeric' ? 2 : c.nCategories;
  return d;
}

function encodeInput(inp: LinearInput, v: number): number {
  if (inp.kind === 'value') return Number.isNaN(v) ? 0 : Math.max(-CLIP, Math.min(CLIP, (v - inp.mean) / inp.sd));
  if (inp.kind === 'missing') return Number.isNaN(v) ? 1 : 0;
  return v === inp.code ? 1 : 0;
}

/** Dense design matrix rows × inputs from row-major features. */
function design(inputs: readonly LinearInput[], rows: Float64Array, nRows: number, nFeatures: number): Float64Array {
  const d = inputs.length;
  const x = new Float64Array(nRows * d);
  for (let i = 0; i < nRows; i++) {
    for (let j = 0; j < d; j++) x[i * d + j] = encodeInput(inputs[j]!, rows[i * nFeatures + inputs[j]!.feature]!);
  }
  return x;
}

/**
 * Fits on row-major features (as predictRaw reads them).
 * @param y  class index (classification) or value (regression), length nRows
 */
export function fitLinearLearner(
  table: FeatureTable,
  rows: Float64Array,
  y: Float64Array,
  weight: Float64Array | undefined,
  task: 'binary' | 'multiclass' | 'regression',
  nClasses: number,
  lambda: number,
  seed: number,
): LinearLearner {
  const n = table.nRows;
  const F = table.columns.length;
  const inputs: LinearInput[] = [];
  table.columns.forEach((c, f) => {
    if (c.kind === 'numeric') {
      let s = 0;
      let s2 = 0;
      let m = 0;
      for (let i = 0; i < n; i++) {
        const v = c.values[i]!;
        if (Number.isNaN(v)) continue;
        s += v;
        s2 += v * v;
        m++;
      }
      const mean = m > 0 ? s / m : 0;
      const sd = m > 0 ? Math.sqrt(Math.max(0, s2 / m - mean * mean)) : 0;
      inputs.push({ feature: f, kind: 'value', mean, sd: sd > 0 ? sd : 1 });
      inputs.push({ feature: f, kind: 'missing' });
    } else {
      for (let code = 0; code < c.nCategories; code++) inputs.push({ feature: f, kind: 'level', code });
    }
  });
  const d = inputs.length;
  const x = design(inputs, rows, n, F);
  const inputMeans = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) inputMeans[j]! += x[i * d + j]!;
  for (let j = 0; j < d; j++) inputMeans[j]! /= Math.max(1, n);

  const loss = task === 'binary' ? 'logistic' : task === 'multiclass' ? 'softmax' : 'squared';
  const K = task === 'multiclass' ? nClasses : 1;
  let targetMean = 0;
  let targetSd = 1;
  const t = new Float64Array(n);
  if (loss === 'squared') {
    for (let i = 0; i < n; i++) targetMean += y[i]!;
    targetMean /= Math.max(1, n);
    let v = 0;
    for (let i = 0; i < n; i++) v += (y[i]! - targetMean) ** 2;
    targetSd = Math.sqrt(v / Math.max(1, n)) || 1;
    for (let i = 0; i < n; i++) t[i] = (y[i]! - targetMean) / targetSd;
  } else t.set(y);

  const weights = new Float64Array(K * d);
  const bias = new Float64Array(K);
  const g2 = new Float64Array(K * d).fill(1e-8);
  const g2b = new Float64Array(K).fill(1e-8);
  const z = new Float64Array(K);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const rng = new Rng(seed);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    rng.shuffle(order);
    for (let r = 0; r < n; r++) {
      const i = order[r]!;
      const w = weight === undefined ? 1 : weight[i]!;
      for (let k = 0; k < K; k++) {
        let s = bias[k]!;
        for (let j = 0; j < d; j++) s += weights[k * d + j]! * x[i * d + j]!;
        z[k] = s;
      }
      if (loss === 'softmax') {
        let max = -Infinity;
        for (let k = 0; k < K; k++) max = Math.max(max, z[k]!);
        let sum = 0;
        for (let k = 0; k < K; k++) sum += z[k] = Math.exp(z[k]! - max);
        for (let k = 0; k < K; k++) z[k] = z[k]! / sum - (t[i] === k ? 1 : 0);
      } else if (loss === 'logistic') z[0] = 1 / (1 + Math.exp(-z[0]!)) - t[i]!;
      else z[0] = z[0]! - t[i]!;
      for (let k = 0; k < K; k++) {
        const grad = z[k]! * w;
        g2b[k]! += grad * grad;
        bias[k]! -= (RATE * grad) / Math.sqrt(g2b[k]!);
        for (let j = 0; j < d; j++) {
          const xv = x[i * d + j]!;
          const idx = k * d + j;
          const gj = grad * xv + lambda * weights[idx]!;
          if (gj === 0) continue;
          g2[idx]! += gj * gj;
          weights[idx]! -= (RATE * gj) / Math.sqrt(g2[idx]!);
        }
      }
    }
  }
  return { loss, nOutputs: K, nFeatures: F, inputs, weights, bias, inputMeans, targetMean, targetSd };
}

/** Raw margins (log-odds, softmax margins or target value): nRows × nOutputs. */
export function linearRaw(m: LinearLearner, rows: Float64Array, nRows: number): Float64Array {
  const d = m.inputs.length;
  const K = m.nOutputs;
  const out = new Float64Array(nRows * K);
  for (let i = 0; i < nRows; i++) {
    for (let k = 0; k < K; k++) {
      let s = m.bias[k]!;
      for (let j = 0; j < d; j++) {
        const inp = m.inputs[j]!;
        s += m.weights[k * d + j]! * encodeInput(inp, rows[i * m.nFeatures + inp.feature]!);
      }
      out[i * K + k] = m.loss === 'squared' ? m.targetMean + m.targetSd * s : s;
    }
  }
  return out;
}

/** Exact SHAP values in the layout of engine shapValues: nRows × nOutputs × (nFeatures + 1). */
export function linearShap(m: LinearLearner, rows: Float64Array, nRows: number): Float64Array {
  const d = m.inputs.length;
  const K = m.nOutputs;
  const F = m.nFeatures;
  const stride = F + 1;
  const out = new Float64Array(nRows * K * stride);
  const scale = m.loss === 'squared' ? m.targetSd : 1;
  const expected = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let s = m.bias[k]!;
    for (let j = 0; j < d; j++) s += m.weights[k * d + j]! * m.inputMeans[j]!;
    expected[k] = m.loss === 'squared' ? m.targetMean + scale * s : s;
  }
  for (let i = 0; i < nRows; i++) {
    for (let k = 0; k < K; k++) {
      const base = (i * K + k) * stride;
      for (let j = 0; j < d; j++) {
        const inp = m.inputs[j]!;
        const x = encodeInput(inp, rows[i * F + inp.feature]!);
        out[base + inp.feature]! += scale * m.weights[k * d + j]! * (x - m.inputMeans[j]!);
      }
      out[base + F] = expected[k]!;
    }
  }
  return out;
}
