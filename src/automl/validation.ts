/**
 * Validation plans from the `cv` setting: hold-out or k-fold, stratified for classification, seeded.
 *
 *   cv =  0  automatic: 3-fold CV (fewer when the smallest class cannot fill them); a 9:1 hold-out
 *            of the latest rows for a file sorted by a date column (> 500 rows), a 9:1 hold-out
 *            above AUTO_KFOLD_MAX_ROWS rows
 *   cv = -1  CV with an automatic k: 5 folds, fewer when the smallest class cannot fill them
 *   cv =  1  hold-out 9:1
 *   cv = k ≥ 2  k-fold CV (k is lowered to the row count when the file is tinier than k)
 *
 * A hold-out on a file sorted by one of its date columns holds out the latest 10% of the rows.
 */
import { Rng } from '../engine/index.js';

export const AUTO_HOLDOUT_MIN_ROWS = 501;
export const HOLDOUT_FRACTION = 0.1;
export const AUTO_FOLDS = 5;
/**
 * Folds of cv 0's CV: 3 (as the tuned anchor's search): a candidate then costs 3 trainings on ⅔ of
 * the rows instead of 5 on ⅘, so the same work budget tries twice as many candidates.
 */
export const AUTO_SEARCH_FOLDS = 3;
/** cv 0 above this many rows: a 9:1 hold-out (k-fold would cost k trainings of the search per candidate). */
export const AUTO_KFOLD_MAX_ROWS = 200_000;

export interface ValidationPlan {
  readonly kind: 'holdout' | 'kfold';
  /** Number of validation folds: 1 for hold-out. */
  readonly nFolds: number;
  /** Per training row: the fold it validates in (0..nFolds-1), or -1 (hold-out: fit only). */
  readonly foldOf: Int32Array;
  /** What the user asked for, for the manifest. */
  readonly requestedCv: number;
  /** Hold-out only: the date column the rows are sorted by, when the hold-out is the latest rows. */
  readonly timeOrderedBy?: string;
}

/** Share of consecutive non-missing pairs that must be in order for a file to count as sorted. */
export const SORTED_SHARE = 0.99;

/**
 * 1 if the values (epoch seconds, NaN = missing) ascend through the file, -1 if they descend,
 * 0 otherwise (or when fewer than half are present or they never change).
 */
export function sortedDirection(values: Float64Array): -1 | 0 | 1 {
  let prev = NaN;
  let up = 0;
  let down = 0;
  let pairs = 0;
  let present = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    present++;
    if (!Number.isNaN(prev)) {
      pairs++;
      if (v > prev) up++;
      else if (v < prev) down++;
    }
    prev = v;
  }
  if (pairs === 0 || present < values.length / 2 || up + down === 0) return 0;
  if (pairs - down >= SORTED_SHARE * pairs && up > 0) return 1;
  if (pairs - up >= SORTED_SHARE * pairs && down > 0) return -1;
  return 0;
}

/**
 * @param classes  per row class index (classification, for stratification) or null (regression)
 * @throws RangeError for cv < -1 or a non-integer cv
 * @example makeValidationPlan(1000, 0, null, 7).kind // 'holdout'
 */
export function makeValidationPlan(
  nRows: number,
  cv: number,
  classes: Int32Array | null,
  seed: number,
  timeOrder?: { readonly column: string; readonly direction: 1 | -1 },
): ValidationPlan {
  if (!Number.isInteger(cv) || cv < -1) throw new RangeError(`cv must be an integer ≥ -1, got ${cv}`);
  const rng = new Rng(seed ^ 0x5eed);
  let kind: 'holdout' | 'kfold';
  let k: number;
  if (cv === 0) {
    // Automatic: k-fold CV (every row validates once, so the ensemble, calibration and decision
    // rule are chosen on all rows), except a time-sorted file (its latest rows) and very large data.
    kind = nRows >= AUTO_HOLDOUT_MIN_ROWS && (timeOrder !== undefined || nRows > AUTO_KFOLD_MAX_ROWS) ? 'holdout' : 'kfold';
    k = kind === 'holdout' ? 1 : Math.max(2, Math.min(AUTO_SEARCH_FOLDS, smallestClass(classes, nRows)));
  } else if (cv === 1) {
    kind = 'holdout';
    k = 1;
  } else if (cv === -1) {
    kind = 'kfold';
    k = Math.max(2, Math.min(AUTO_FOLDS, smallestClass(classes, nRows)));
  } else {
    kind = 'kfold';
    k = cv;
  }
  k = Math.min(k, Math.max(2, nRows));
  const order = stratifiedOrder(nRows, classes, rng);
  const foldOf = new Int32Array(nRows);
  if (kind === 'holdout' && timeOrder !== undefined) {
    // Rows sorted by time: hold out the latest 10%, so validation measures prediction of the
    // future instead of interpolation between neighbouring (or duplicated) timestamps.
    const nValid = Math.max(1, Math.round(nRows * HOLDOUT_FRACTION));
    for (let i = 0; i < nRows; i++) {
      const latest = timeOrder.direction === 1 ? i >= nRows - nValid : i < nValid;
      foldOf[i] = latest ? 0 : -1;
    }
    return { kind, nFolds: 1, foldOf, requestedCv: cv, timeOrderedBy: timeOrder.column };
  }
  if (kind === 'holdout') {
    // Every 10th row of the stratified order validates: each class keeps its share on both sides.
    const period = Math.round(1 / HOLDOUT_FRACTION);
    const offset = rng.nextInt(period);
    for (let r = 0; r < nRows; r++) foldOf[order[r]!] = r % period === offset ? 0 : -1;
  } else {
    for (let r = 0; r < nRows; r++) foldOf[order[r]!] = r % k;
  }
  return { kind, nFolds: kind === 'holdout' ? 1 : k, foldOf, requestedCv: cv };
}

/** Rows to fit on and rows to validate on for fold f. */
export function foldRows(plan: ValidationPlan, fold: number): { fit: Int32Array; valid: Int32Array } {
  const fit: number[] = [];
  const valid: number[] = [];
  for (let i = 0; i < plan.foldOf.length; i++) (plan.foldOf[i] === fold ? valid : fit).push(i);
  return { fit: Int32Array.from(fit), valid: Int32Array.from(valid) };
}

/** Plain k-fold assignment for out-of-fold encoders (target statistics, text models). */
export function oofFolds(nRows: number, k: number, classes: Int32Array | null, seed: number): Int32Array {
  const order = stratifiedOrder(nRows, classes, new Rng(seed ^ 0x00f0));
  const out = new Int32Array(nRows);
  for (let r = 0; r < nRows; r++) out[order[r]!] = r % k;
  return out;
}

/**
 * A seeded permutation in which rows are grouped by class (shuffled within the class), so that
 * dealing positions round-robin into folds stratifies them. Regression: a plain shuffle.
 */
function stratifiedOrder(nRows: number, classes: Int32Array | null, rng: Rng): Int32Array {
  const perm = new Int32Array(nRows);
  for (let i = 0; i < nRows; i++) perm[i] = i;
  rng.shuffle(perm);
  if (classes === null) return perm;
  // Stable sort of the shuffled rows by class keeps the random order inside each class.
  const rows = Array.from(perm);
  rows.sort((a, b) => classes[a]! - classes[b]!);
  return Int32Array.from(rows);
}

function smallestClass(classes: Int32Array | null, nRows: number): number {
  if (classes === null) return nRows;
  const counts = new Map<number, number>();
  for (let i = 0; i < classes.length; i++) counts.set(classes[i]!, (counts.get(classes[i]!) ?? 0) + 1);
  let min = nRows;
  for (const c of counts.values()) min = Math.min(min, c);
  return min;
}
