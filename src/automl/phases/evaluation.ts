/**
 * Phase "evaluate": the evaluation rows — the uploaded evaluation file predicted by the final
 * model, or the internal validation rows predicted by the fold models that did not see them — with
 * their metrics and the binary threshold (best F on those rows). It also says how to explain them.
 */
import { toRowMajor, type FeatureTable } from '../../engine/index.js';
import type { TypedTable } from '../../table/table.js';
import type { Ensemble } from '../ensemble.js';
import { fitClassWeights } from '../decision.js';
import { bestFThreshold, evaluate } from '../evaluate.js';
import type { Evaluation } from '../evaluate.js';
import { ensembleRaw, ensembleShap } from '../members.js';
import type { Member } from '../members.js';
import { rawToProbabilities } from '../model.js';
import { applyPlan } from '../plan.js';
import type { PreprocessPlan, TextDocs } from '../plan.js';
import { nOutputsOf, takeFeatureRows } from '../search.js';
import type { CandidateResult, Refit, SearchResult } from '../search.js';
import { AppError } from '../../domain/errors.js';
import { readEvalTarget, takeRows } from '../target.js';
import type { TargetInfo } from '../target.js';
import type { ValidationPlan } from '../validation.js';
import type { TrainingRun } from './run.js';

export interface EvaluationRows {
  /** Per evaluation row: class index or value. */
  readonly y: Float64Array;
  /** Raw ensemble scores, nRows × outputs. */
  readonly raw: Float64Array;
  /** Classification probabilities, nRows × classes; null for regression. */
  readonly probs: Float64Array | null;
  /** Row of the source file (training or evaluation file), 0-based. */
  readonly sourceRows: Int32Array;
  /** The evaluation rows' input columns (for reasons and the summary). */
  readonly table: TypedTable;
  readonly docs: TextDocs;
  /** Internal validation: the fold of each row; evaluation file: null. */
  readonly fold: Int32Array | null;
  /** SHAP values (rows × outputs × (features + 1)) of some evaluation rows (indices into these rows). */
  readonly shapOf: (rows: Int32Array) => Float64Array;
  readonly threshold: number | undefined;
  /** Multi-class: class weights of the decision (decision.ts), when they raise macro F1. */
  readonly classWeights: readonly number[] | undefined;
  readonly evaluation: Evaluation;
}

export interface EvaluationInput {
  readonly target: TargetInfo;
  /** The training rows with a target. */
  readonly table: TypedTable;
  readonly plan: PreprocessPlan;
  readonly trainFeatures: FeatureTable;
  readonly validation: ValidationPlan;
  readonly search: SearchResult;
  readonly ensemble: Ensemble;
  readonly refit: Refit;
}

export function evaluatePhase(run: TrainingRun, e: EvaluationInput): EvaluationRows {
  const rows = run.input.eval !== undefined ? fileRows(run.input.eval, e) : internalRows(e);
  const nClasses = e.target.classes.length;
  const n = rows.y.length;
  const probs = rawToProbabilities(run.task, rows.raw, n, nClasses);
  const threshold =
    run.task === 'binary_classification'
      ? bestFThreshold(
          rows.y,
          Float64Array.from({ length: n }, (_, i) => probs![2 * i + 1]!),
        )
      : undefined;
  const classWeights = run.task === 'multi_classification' ? (fitClassWeights(probs!, rows.y, nClasses) ?? undefined) : undefined;
  const evaluation = evaluate(run.task, nClasses, rows.y, probs, run.task === 'regression' ? rows.raw : null, threshold ?? 0.5, classWeights);
  return { ...rows, probs, threshold, classWeights, evaluation };
}

type Rows = Omit<EvaluationRows, 'probs' | 'threshold' | 'classWeights' | 'evaluation'>;

/** The uploaded evaluation file, predicted by the final (refitted) model. */
function fileRows(file: TypedTable, e: EvaluationInput): Rows {
  const yAll = readEvalTarget(file, e.target);
  const keep: number[] = [];
  for (let i = 0; i < yAll.length; i++) if (!Number.isNaN(yAll[i]!)) keep.push(i);
  if (keep.length === 0) throw new AppError('TOO_FEW_ROWS', `the evaluation file has no row with a known target '${e.target.name}'`);
  const sourceRows = Int32Array.from(keep);
  const table = takeRows(file, sourceRows);
  const applied = applyPlan(e.plan, table);
  const rowMajor = toRowMajor(applied.features);
  const F = e.plan.features.length;
  return {
    y: Float64Array.from(sourceRows, (i) => yAll[i]!),
    raw: ensembleRaw(e.refit.models, e.refit.weights, rowMajor, table.nRows),
    sourceRows,
    table,
    docs: applied.docs,
    fold: null,
    shapOf: (explained) => {
      const sub = new Float64Array(explained.length * F);
      explained.forEach((r, j) => sub.set(rowMajor.subarray(r * F, (r + 1) * F), j * F));
      return ensembleShap(e.refit.models, e.refit.weights, sub, explained.length);
    },
  };
}

/** The internal validation rows, predicted by the fold models that did not see them. */
function internalRows(e: EvaluationInput): Rows {
  const vr = e.search.validatedRows;
  const table = takeRows(e.table, vr);
  const nOut = nOutputsOf(e.target.task, e.target.classes.length);
  return {
    y: Float64Array.from(vr, (r) => e.target.y[r]!),
    raw: e.ensemble.blendedRaw,
    sourceRows: Int32Array.from(vr, (r) => e.target.rows[r]!),
    table,
    docs: applyPlan(e.plan, table).docs,
    fold: Int32Array.from(vr, (r) => e.validation.foldOf[r]!),
    shapOf: (explained) => foldShap(e.search.candidates, e.ensemble.weights, e.validation, e.trainFeatures, vr, explained, e.plan.features.length, nOut),
  };
}

/**
 * SHAP of the internal evaluation rows from the models that predicted them: each selected
 * candidate's fold model, weighted like the ensemble.
 */
function foldShap(
  candidates: readonly CandidateResult[],
  weights: readonly number[],
  validation: ValidationPlan,
  features: FeatureTable,
  validatedRows: Int32Array,
  explained: Int32Array,
  F: number,
  nOut: number,
): Float64Array {
  const stride = nOut * (F + 1);
  const out = new Float64Array(explained.length * stride);
  for (let f = 0; f < validation.nFolds; f++) {
    const js: number[] = [];
    explained.forEach((r, j) => {
      if (validation.foldOf[validatedRows[r]!] === f) js.push(j);
    });
    if (js.length === 0) continue;
    const rows = toRowMajor(
      takeFeatureRows(
        features,
        Int32Array.from(js, (j) => validatedRows[explained[j]!]!),
      ),
    );
    const models: Member[] = [];
    const w: number[] = [];
    candidates.forEach((c, ci) => {
      if (weights[ci]! > 0) {
        models.push(c.foldModels[f]!);
        w.push(weights[ci]!);
      }
    });
    const s = ensembleShap(models, w, rows, js.length);
    js.forEach((j, q) => out.set(s.subarray(q * stride, (q + 1) * stride), j * stride));
  }
  return out;
}
