/**
 * The ensemble over the search's candidates: Caruana's greedy selection with replacement on their
 * out-of-fold raw scores, blended in raw-margin space (so the ensemble's SHAP values are the
 * weighted sum of the members').
 */
import type { TaskType } from './types.js';

export const ENSEMBLE_STEPS = 20;
/**
 * A candidate joins the ensemble only when it lowers the blended validation loss by at least this
 * share: every member costs refit time and prediction / TreeSHAP time on every request, and a
 * member that buys < 0.2 % of log loss (or squared error) is noise on the validation rows.
 * Re-weighting members already in the ensemble needs no more than a real improvement.
 */
export const ENSEMBLE_MIN_GAIN = 0.002;

export interface Ensemble {
  /** Weight per candidate of the search (0 = not a member; they sum to 1 / temperature). */
  readonly weights: readonly number[];
  /** Blended raw scores of the validated rows (validatedRows.length × nOutputs), calibrated. */
  readonly blendedRaw: Float64Array;
  /**
   * Classification: the blend's raw margins are divided by this (1 = uncalibrated), folded into the
   * weights so that members, SHAP values and serving need nothing new.
   */
  readonly temperature: number;
  /** Validation loss of the blend before and after calibration. */
  readonly loss: { readonly raw: number; readonly calibrated: number };
}

/** The temperature is searched over [1 / T_RANGE, T_RANGE]. */
const T_RANGE = 4;
/** Calibration is kept only when it lowers the cross-fitted validation loss by at least this share. */
const CALIBRATION_MIN_GAIN = 0.001;

function scaled(raw: Float64Array, factor: number): Float64Array {
  return Float64Array.from(raw, (v) => v * factor);
}

/** The temperature minimising the loss of raw / T on `rows` (positions into raw), by golden-section search on log T. */
function fitTemperature(task: TaskType, nOut: number, raw: Float64Array, y: Float64Array, rows: Int32Array, positions: Int32Array): number {
  const sub = new Float64Array(positions.length * nOut);
  positions.forEach((p, r) => {
    for (let k = 0; k < nOut; k++) sub[r * nOut + k] = raw[p * nOut + k]!;
  });
  const subRows = Int32Array.from(positions, (p) => rows[p]!);
  const loss = (logT: number): number => blendLoss(task, nOut, scaled(sub, Math.exp(-logT)), y, subRows);
  let a = -Math.log(T_RANGE);
  let b = Math.log(T_RANGE);
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = loss(c);
  let fd = loss(d);
  for (let it = 0; it < 40; it++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = loss(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = loss(d);
    }
  }
  return Math.exp((a + b) / 2);
}

/**
 * Temperature scaling of a classification blend on its out-of-fold scores, kept only where it
 * lowers the log loss on rows it was not fitted on: fitted on each half of the rows (alternate
 * rows) and scored on the other half; if that beats the uncalibrated blend, the temperature
 * fitted on all rows is used. Regression: 1.
 */
export function calibrationTemperature(task: TaskType, nOut: number, raw: Float64Array, y: Float64Array, rows: Int32Array): number {
  if (task === 'regression' || rows.length < 40) return 1;
  const halves = [0, 1].map((h) => Int32Array.from({ length: Math.floor((rows.length + 1 - h) / 2) }, (_, j) => 2 * j + h));
  let before = 0;
  let after = 0;
  for (let h = 0; h < 2; h++) {
    const fitOn = halves[h]!;
    const scoreOn = halves[1 - h]!;
    const t = fitTemperature(task, nOut, raw, y, rows, fitOn);
    const sub = new Float64Array(scoreOn.length * nOut);
    scoreOn.forEach((p, r) => {
      for (let k = 0; k < nOut; k++) sub[r * nOut + k] = raw[p * nOut + k]!;
    });
    const subRows = Int32Array.from(scoreOn, (p) => rows[p]!);
    before += blendLoss(task, nOut, sub, y, subRows) * scoreOn.length;
    after += blendLoss(task, nOut, scaled(sub, 1 / t), y, subRows) * scoreOn.length;
  }
  if (!(after < before * (1 - CALIBRATION_MIN_GAIN))) return 1;
  return fitTemperature(task, nOut, raw, y, rows, Int32Array.from({ length: rows.length }, (_, i) => i));
}

/** Loss the ensemble is chosen on: log loss (classification), squared error (regression). */
export function blendLoss(task: TaskType, nOut: number, raw: Float64Array, y: Float64Array, rows: Int32Array): number {
  let loss = 0;
  for (let r = 0; r < rows.length; r++) {
    const label = y[rows[r]!]!;
    if (task === 'regression') loss += (raw[r]! - label) ** 2;
    else if (task === 'binary_classification') {
      const z = raw[r]!;
      // log(1 + e^-z) for the positive class, log(1 + e^z) for the negative, stable for large |z|.
      const s = label === 1 ? -z : z;
      loss += s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
    } else {
      let max = -Infinity;
      for (let k = 0; k < nOut; k++) max = Math.max(max, raw[r * nOut + k]!);
      let sum = 0;
      for (let k = 0; k < nOut; k++) sum += Math.exp(raw[r * nOut + k]! - max);
      loss += max + Math.log(sum) - raw[r * nOut + label]!;
    }
  }
  return loss / Math.max(1, rows.length);
}

export function compactRows(raw: Float64Array, rows: Int32Array, nOut: number): Float64Array {
  const out = new Float64Array(rows.length * nOut);
  for (let r = 0; r < rows.length; r++) for (let k = 0; k < nOut; k++) out[r * nOut + k] = raw[rows[r]! * nOut + k]!;
  return out;
}

/**
 * Caruana et al.'s ensemble selection with replacement: start from the best candidate, repeatedly
 * add (again) the candidate whose inclusion lowers the blended loss most. Weights = counts / steps.
 */
export function greedyEnsemble(preds: readonly Float64Array[], task: TaskType, nOut: number, y: Float64Array, rows: Int32Array): number[] {
  const m = preds.length;
  const counts = new Array<number>(m).fill(0);
  if (m === 0) return counts;
  const sum = new Float64Array(preds[0]!.length);
  let total = 0;
  let bestLoss = Infinity;
  for (let step = 0; step < ENSEMBLE_STEPS; step++) {
    let bestJ = -1;
    let bestStepLoss = Infinity;
    for (let j = 0; j < m; j++) {
      const trial = new Float64Array(sum.length);
      for (let e = 0; e < sum.length; e++) trial[e] = (sum[e]! + preds[j]![e]!) / (total + 1);
      const loss = blendLoss(task, nOut, trial, y, rows);
      // After the first pick: a new member must earn its place, a present one only improve.
      const bar = step === 0 ? Infinity : counts[j]! > 0 ? bestLoss - 1e-9 : bestLoss - ENSEMBLE_MIN_GAIN * Math.abs(bestLoss);
      if (loss < bar && loss < bestStepLoss - 1e-12) {
        bestStepLoss = loss;
        bestJ = j;
      }
    }
    if (bestJ < 0) break;
    bestLoss = bestStepLoss;
    counts[bestJ]!++;
    total++;
    for (let e = 0; e < sum.length; e++) sum[e]! += preds[bestJ]![e]!;
  }
  return counts.map((c) => c / Math.max(1, total));
}

/** Validation loss of the greedy ensemble of these candidates (how low the search has got so far). */
export function ensembleLoss(preds: readonly Float64Array[], task: TaskType, nOut: number, y: Float64Array, rows: Int32Array): number {
  const weights = greedyEnsemble(preds, task, nOut, y, rows);
  const blend = new Float64Array(preds[0]?.length ?? 0);
  preds.forEach((p, j) => {
    if (weights[j] === 0) return;
    for (let e = 0; e < blend.length; e++) blend[e]! += weights[j]! * p[e]!;
  });
  return blendLoss(task, nOut, blend, y, rows);
}

/** What ensemble selection reads of a search candidate (search.ts's CandidateResult): its out-of-fold raw scores. */
export interface ScoredCandidate {
  /** nRows × nOutputs raw scores of the validated rows (NaN elsewhere). */
  readonly oofRaw: Float64Array;
}

/** Selects the ensemble on the candidates' out-of-fold scores of the validated rows, then calibrates it. */
export function selectEnsemble(candidates: readonly ScoredCandidate[], validatedRows: Int32Array, task: TaskType, nOut: number, y: Float64Array): Ensemble {
  const compact = candidates.map((c) => compactRows(c.oofRaw, validatedRows, nOut));
  const weights = greedyEnsemble(compact, task, nOut, y, validatedRows);
  const blended = new Float64Array(validatedRows.length * nOut);
  compact.forEach((raw, j) => {
    if (weights[j] === 0) return;
    for (let e = 0; e < blended.length; e++) blended[e]! += weights[j]! * raw[e]!;
  });
  const temperature = calibrationTemperature(task, nOut, blended, y, validatedRows);
  const blendedRaw = temperature === 1 ? blended : scaled(blended, 1 / temperature);
  return {
    weights: weights.map((w) => w / temperature),
    blendedRaw,
    temperature,
    loss: { raw: blendLoss(task, nOut, blended, y, validatedRows), calibrated: blendLoss(task, nOut, blendedRaw, y, validatedRows) },
  };
}
