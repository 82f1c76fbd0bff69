/**
 * Phase "plan": read the target, keep the rows that have one, and fit the preprocessing plan (the
 * encoders, out-of-fold on the training rows).
 */
import type { TypedTable } from '../../ingest/table.js';
import { fitPlan } from '../plan.js';
import type { FittedPlan } from '../plan.js';
import { AppError } from '../../domain/errors.js';
import { readTarget, takeRows } from '../target.js';
import type { TargetInfo } from '../target.js';
import { oofFolds } from '../validation.js';
import type { TrainingRun } from './run.js';

/** Fewest training rows with a target (spec §8: at least 11 rows). */
export const MIN_TRAIN_ROWS = 11;
/** Folds of the out-of-fold encoders (target statistics, text models). */
const ENCODER_FOLDS = 5;

export interface PlannedData {
  readonly target: TargetInfo;
  /** The training rows that have a target (row r ↔ target.y[r]). */
  readonly table: TypedTable;
  /** Class index per row (classification), for stratified folds; null for regression. */
  readonly classIdx: Int32Array | null;
  readonly fitted: FittedPlan;
  /** Per-row training weights (`im`: class weights), if any. */
  readonly weight?: Float64Array;
}

function classWeights(target: TargetInfo): Float64Array {
  const K = target.classes.length;
  const counts = new Float64Array(K);
  for (const c of target.y) counts[c]!++;
  const n = target.y.length;
  return Float64Array.from(target.y, (c) => n / (K * counts[c]!));
}

export function planPhase(run: TrainingRun): PlannedData {
  const { settings, train } = run.input;
  const target = readTarget(train, settings.target, run.task, settings.positiveLabel);
  const n = target.rows.length;
  if (n < MIN_TRAIN_ROWS) throw new AppError('TOO_FEW_ROWS', `at least ${MIN_TRAIN_ROWS} rows with a target are needed, got ${n}`);
  const table = n === train.nRows ? train : takeRows(train, target.rows);
  const classIdx = run.task === 'regression' ? null : Int32Array.from(target.y);
  const encoderFolds = Math.max(2, Math.min(ENCODER_FOLDS, Math.floor(n / 5)));
  const fitted = fitPlan(table, target, { folds: { fold: oofFolds(n, encoderFolds, classIdx, run.seed), n: encoderFolds }, seed: run.seed });
  if (fitted.plan.features.length === 0) throw new AppError('COLUMN_COUNT_INVALID', 'no usable column is left to learn from (every column was dropped)');
  const weight = settings.imbalance && run.task !== 'regression' ? classWeights(target) : undefined;
  return { target, table, classIdx, fitted, ...(weight ? { weight } : {}) };
}
