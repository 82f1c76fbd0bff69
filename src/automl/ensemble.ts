/**
 * The ensemble over the search's candidates: Caruana's greedy selection with replacement on their
 * out-of-fold raw scores, blended in raw-margin space (so the ensemble's SHAP values are the
 * weighted sum of the members').
 */
import type { CandidateResult } from './search.js';
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
  /** Weight per candidate of the search (sums to 1; 0 = not a member). */
  readonly weights: readonly number[];
  /** Blended raw scores of the validated rows (validatedRows.length × nOutputs). */
  readonly blendedRaw: Float64Array;
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

/** Selects the ensemble on the candidates' out-of-fold scores of the validated rows. */
export function selectEnsemble(candidates: readonly CandidateResult[], validatedRows: Int32Array, task: TaskType, nOut: number, y: Float64Array): Ensemble {
  const compact = candidates.map((c) => compactRows(c.oofRaw, validatedRows, nOut));
  const weights = greedyEnsemble(compact, task, nOut, y, validatedRows);
  const blendedRaw = new Float64Array(validatedRows.length * nOut);
  compact.forEach((raw, j) => {
    if (weights[j] === 0) return;
    for (let e = 0; e < blendedRaw.length; e++) blendedRaw[e]! += weights[j]! * raw[e]!;
  });
  return { weights, blendedRaw };
}
