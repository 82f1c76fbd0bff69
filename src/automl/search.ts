/**
 * The learner search: a fixed, seeded list of GBDT settings (plus a linear learner on small or
 * text data) tried in order on the internal validation (hold-out or k-fold, early stopping on each
 * validation fold), greedy ensemble selection on the out-of-fold raw scores, and the final refit
 * on every training row.
 *
 * Determinism: the search ends on a work budget (SEARCH_WORK_BUDGET scaled by the asked time
 * budget), never on the clock. Every candidate gets a round cap from the work left before it
 * starts (work per round is a deterministic model of the engine's cost), and the work counted is
 * that of the rounds actually trained, so which candidates run and how long each trains depend on
 * the data and settings only: the same data and seed give the same model on any machine, at any
 * load. The work budget is sized to end the search well within the time budget on 2 cores.
 *
 * The caller's time budget is a hard safety stop on top: once elapsed time passes it, no further
 * candidate starts and a running training ends after its current round (a valid model, but one
 * that depends on timing: `SearchResult.stoppedByTime` says so). Cancellation is checked between
 * rounds and between candidates.
 */
import {
  Rng,
  binTrainingTable,
  predictRaw,
  toRowMajor,
  trainGbdt,
  type FeatureColumn,
  type FeatureTable,
  type GbdtModel,
  type GbdtParams,
  type ObjectiveName,
  type TrainingBins,
  type TrainingParallelism,
} from '../engine/index.js';
import { fitLinearLearner, linearInputCount, linearRaw, MAX_LINEAR_CELLS } from './linear.js';
import type { Member } from './members.js';
import type { TaskType } from './types.js';
import type { ValidationPlan } from './validation.js';
import { foldRows } from './validation.js';
import { blendLoss, compactRows, ensembleLoss } from './ensemble.js';
import { trainForest } from './forest.js';
import type { ForestParams } from './forest.js';
import type { Ensemble } from './ensemble.js';

/**
 * Work the search may spend, in work units summed over folds and candidates: per boosting round
 * outputs × features × (fit rows + LEAF_WORK × leaves), a model of our engine's cost per round
 * (row passes plus per-leaf histogram scans), ≈ 5e7 units per CPU second of the engine (measured
 * on adult_income, 5-fold): 1.6e9 units ≈ 32 CPU s ≈ 20 s of search on 2 cores. The
 * rounds counted are the ones actually trained, which are deterministic, so the stopping point is too.
 */
export const SEARCH_WORK_BUDGET = 1.6e9;
const LEAF_WORK = 100;
export const MIN_CANDIDATES = 2;
export const MAX_CANDIDATES = 24;
/** Upper bound on candidates however large the budget (the list beyond the fixed ones is seeded). */
const MAX_CANDIDATES_ANY_BUDGET = 80;
/**
 * The time budget the work budget is calibrated for: a budget of k × this many seconds may spend
 * k × SEARCH_WORK_BUDGET and try up to k × MAX_CANDIDATES candidates. Scaling the (deterministic)
 * work with the asked budget keeps "same config, same model" while a larger budget searches more.
 */
export const REFERENCE_TIME_BUDGET_SECONDS = 60;
const MAX_ROUNDS = 1500;
/** Fewest rounds a later GBDT candidate is given: one that the remaining work cannot pay that many for is not started. */
export const MIN_CANDIDATE_ROUNDS = 30;
/** Fewest rounds of the first GBDT candidate, whatever the budget. */
const FIRST_CANDIDATE_MIN_ROUNDS = 10;
/**
 * Stop early when flat: once the fixed candidates are done, the search ends when this many
 * candidates in a row have not lowered the ensemble's validation loss by FLAT_MIN_GAIN (share).
 */
const FLAT_PATIENCE = 5;
const FLAT_MIN_GAIN = 0.0005;
/** Classification leaves get at least this L2 (XGBoost's default): a pure leaf of a rare class has a tiny hessian, and without it a huge value. */
const CLASSIFICATION_MIN_L2 = 1;
/** Rare classes: minDataInLeaf is at most a third of the smallest class that has at least this many fit rows. */
const GUARDED_CLASS_ROWS = 15;
/** Trees of a forest candidate, and of each of its folds (fewer when the work left cannot pay for them). */
const FOREST_TREES = 100;
const FOREST_MIN_TREES = 30;

export class AutoMlCancelled extends Error {
  constructor() {
    super('training was cancelled');
    this.name = 'AutoMlCancelled';
  }
}

export type CandidateParams = Pick<GbdtParams, 'learningRate' | 'maxLeaves' | 'minDataInLeaf' | 'featureFraction' | 'lambdaL2' | 'baggingFraction'>;

/** Hand-picked starting points (LightGBM's defaults first), then perturbations of the best and seeded random draws. */
const FIXED_CANDIDATES: readonly CandidateParams[] = [
  { learningRate: 0.1, maxLeaves: 31, minDataInLeaf: 20, featureFraction: 1, lambdaL2: 0, baggingFraction: 1 },
  { learningRate: 0.05, maxLeaves: 127, minDataInLeaf: 5, featureFraction: 0.7, lambdaL2: 1, baggingFraction: 0.8 },
  { learningRate: 0.08, maxLeaves: 7, minDataInLeaf: 5, featureFraction: 0.9, lambdaL2: 0.1, baggingFraction: 1 },
  { learningRate: 0.05, maxLeaves: 15, minDataInLeaf: 10, featureFraction: 0.8, lambdaL2: 1, baggingFraction: 1 },
  { learningRate: 0.05, maxLeaves: 63, minDataInLeaf: 30, featureFraction: 0.7, lambdaL2: 3, baggingFraction: 0.8 },
  { learningRate: 0.04, maxLeaves: 31, minDataInLeaf: 50, featureFraction: 0.5, lambdaL2: 10, baggingFraction: 0.7 },
];

const GRID = {
  learningRate: [0.02, 0.03, 0.05, 0.08, 0.1],
  maxLeaves: [7, 15, 31, 63, 127, 255],
  minDataInLeaf: [3, 5, 10, 20, 40, 80],
  featureFraction: [0.4, 0.5, 0.7, 0.85, 1],
  lambdaL2: [0, 0.1, 1, 3, 10, 30],
  baggingFraction: [0.6, 0.7, 0.85, 1],
} as const satisfies { readonly [K in keyof CandidateParams]: readonly number[] };

function randomCandidate(rng: Rng): CandidateParams {
  const pick = <T>(a: readonly T[]): T => a[rng.nextInt(a.length)]!;
  return {
    learningRate: pick([0.03, 0.05, 0.08, 0.1]),
    maxLeaves: pick([7, 15, 31, 63, 127]),
    minDataInLeaf: pick([5, 10, 20, 40, 80]),
    featureFraction: pick([0.5, 0.7, 0.85, 1]),
    lambdaL2: pick([0, 0.1, 1, 10]),
    baggingFraction: pick([0.7, 0.85, 1]),
  };
}

/** A neighbour of a setting: one or two of its parameters moved one step along their grid. */
function perturbed(base: CandidateParams, rng: Rng): CandidateParams {
  const out: Record<keyof CandidateParams, number> = { ...base };
  const keys = Object.keys(GRID) as (keyof CandidateParams)[];
  const moves = 1 + rng.nextInt(2);
  for (let m = 0; m < moves; m++) {
    const key = keys[rng.nextInt(keys.length)]!;
    const grid: readonly number[] = GRID[key];
    let at = grid.indexOf(out[key]);
    if (at < 0) at = grid.reduce((best, v, i) => (Math.abs(v - out[key]) < Math.abs(grid[best]! - out[key]) ? i : best), 0);
    const step = at === 0 ? 1 : at === grid.length - 1 ? -1 : rng.nextFloat() < 0.5 ? -1 : 1;
    out[key] = grid[at + step]!;
  }
  return out;
}

/** A GBDT setting, the linear learner with its L2 strength, or a random forest. */
export type Candidate =
  | { readonly kind: 'gbdt'; readonly params: CandidateParams }
  | { readonly kind: 'linear'; readonly lambda: number }
  | { readonly kind: 'forest'; readonly params: ForestParams };

/** Data up to this many rows always gets a linear candidate; larger data only when text scores are features. */
export const LINEAR_MAX_ROWS = 5000;
const LINEAR_LAMBDA = 1e-3;

export interface SearchInput {
  /** True when text scores are among the features (the linear learner is then tried on larger data too). */
  readonly hasText?: boolean;
  readonly features: FeatureTable;
  /** Class index or value per row. */
  readonly y: Float64Array;
  readonly weight?: Float64Array;
  readonly task: TaskType;
  readonly nClasses: number;
  readonly validation: ValidationPlan;
  readonly seed: number;
  /** Safety stop in seconds, and the scale of the work budget (see REFERENCE_TIME_BUDGET_SECONDS). */
  readonly timeBudgetSeconds: number;
}

export interface SearchHooks {
  /** Threads for histogram building (the models do not depend on it). */
  readonly parallel?: TrainingParallelism;
  progress?(fraction: number): void;
  elapsedSeconds?(): number;
  isCancelled?(): boolean;
}

export interface CandidateResult {
  readonly candidate: Candidate;
  /** Best number of rounds per validation fold (forest: its trees). */
  readonly bestRounds: readonly number[];
  /** nRows × nOutputs raw scores of the validated rows (NaN elsewhere). */
  readonly oofRaw: Float64Array;
  /** One model per validation fold (kept for explanations of the evaluation rows). */
  readonly foldModels: readonly Member[];
  readonly score: number;
  /** GBDT: the round cap the remaining work budget gave it (MAX_ROUNDS when it did not bind). */
  readonly roundCap: number;
}

/** Why the search ended: the work budget, a flat validation curve, the end of the candidate list, or the wall clock. */
export type SearchEnd = 'work_budget' | 'flat' | 'all_candidates' | 'time_limit';

export interface SearchResult {
  readonly candidates: readonly CandidateResult[];
  /** Rows with out-of-sample scores (the internal evaluation rows), ascending. */
  readonly validatedRows: Int32Array;
  /** The wall-clock stop ended the search or cut a training: a rerun may differ. */
  readonly stoppedByTime: boolean;
  readonly endedBy: SearchEnd;
  /** Work units spent and allowed (see SEARCH_WORK_BUDGET). */
  readonly work: { readonly spent: number; readonly budget: number };
}

/** Work units of one boosting round (see SEARCH_WORK_BUDGET). */
export function roundWork(nOut: number, nFeatures: number, nFit: number, maxLeaves: number, minDataInLeaf: number): number {
  const leaves = Math.min(maxLeaves, Math.max(2, nFit / Math.max(1, minDataInLeaf)));
  return nOut * Math.max(1, nFeatures) * (nFit + LEAF_WORK * leaves);
}

export function objectiveOf(task: TaskType): ObjectiveName {
  return task === 'binary_classification' ? 'binary' : task === 'multi_classification' ? 'multiclass' : 'regression';
}

export function nOutputsOf(task: TaskType, nClasses: number): number {
  return task === 'multi_classification' ? nClasses : 1;
}

/** The smallest class with at least GUARDED_CLASS_ROWS rows among `labels` (Infinity: none, or regression). */
export function guardedClassRows(task: TaskType, labels: Float64Array): number {
  if (task === 'regression') return Infinity;
  const counts = new Map<number, number>();
  for (const c of labels) counts.set(c, (counts.get(c) ?? 0) + 1);
  let min = Infinity;
  for (const c of counts.values()) if (c >= GUARDED_CLASS_ROWS && c < min) min = c;
  return min;
}

/**
 * Engine parameters for a candidate on nFit rows. Classification: at least CLASSIFICATION_MIN_L2,
 * and leaves small enough for the smallest (guarded) class to get leaves of its own.
 */
export function engineParams(
  c: CandidateParams,
  task: TaskType,
  nClasses: number,
  nFit: number,
  seed: number,
  smallestClass = Infinity,
): Partial<GbdtParams> & { objective: ObjectiveName } {
  const rareCap = Number.isFinite(smallestClass) ? Math.max(3, Math.floor(smallestClass / 3)) : Infinity;
  return {
    objective: objectiveOf(task),
    ...(task === 'multi_classification' ? { nClasses } : {}),
    learningRate: c.learningRate,
    maxLeaves: c.maxLeaves,
    minDataInLeaf: Math.max(1, Math.min(c.minDataInLeaf, Math.floor(nFit / 20), rareCap)),
    featureFraction: c.featureFraction,
    lambdaL2: task === 'regression' ? c.lambdaL2 : Math.max(CLASSIFICATION_MIN_L2, c.lambdaL2),
    baggingFraction: c.baggingFraction,
    minDataPerGroup: Math.max(5, Math.min(100, Math.floor(nFit / 50))),
    seed,
  };
}

/** The forest candidate's setting for nFit rows. */
function forestParams(task: TaskType, nFit: number, trees: number): ForestParams {
  return {
    trees,
    maxLeaves: Math.max(8, Math.min(255, Math.floor(nFit / 8))),
    minDataInLeaf: task === 'regression' ? 5 : 3,
    featureFraction: 0.6,
    baggingFraction: 0.63,
  };
}

export function takeFeatureRows(table: FeatureTable, rows: Int32Array): FeatureTable {
  const n = rows.length;
  const columns = table.columns.map((c): FeatureColumn => {
    if (c.kind === 'numeric') {
      const v = new Float64Array(n);
      for (let r = 0; r < n; r++) v[r] = c.values[rows[r]!]!;
      return { kind: 'numeric', name: c.name, values: v };
    }
    const codes = new Int32Array(n);
    for (let r = 0; r < n; r++) codes[r] = c.codes[rows[r]!]!;
    return { kind: 'categorical', name: c.name, codes, nCategories: c.nCategories };
  });
  return { nRows: n, columns };
}

function pick(a: Float64Array | undefined, rows: Int32Array): Float64Array | undefined {
  return a === undefined ? undefined : Float64Array.from(rows, (i) => a[i]!);
}

/**
 * Runs the search.
 * @throws AutoMlCancelled when hooks.isCancelled() turns true
 */
export function runSearch(input: SearchInput, hooks: SearchHooks = {}): SearchResult {
  const { features, y, weight, task, nClasses, validation, seed } = input;
  const n = features.nRows;
  const nOut = nOutputsOf(task, nClasses);
  const nFeatures = Math.max(1, features.columns.length);
  const effort = input.timeBudgetSeconds / REFERENCE_TIME_BUDGET_SECONDS;
  const workBudget = SEARCH_WORK_BUDGET * effort;
  const maxCandidates = Math.min(MAX_CANDIDATES_ANY_BUDGET, Math.max(MIN_CANDIDATES + 1, Math.ceil(MAX_CANDIDATES * effort)));
  let work = 0;
  const rng = new Rng(seed ^ 0x5ea4c4);
  // The linear learner is cheap: tried second (after the default GBDT) where it may help.
  const linearFits = n * linearInputCount(features) <= MAX_LINEAR_CELLS && (n <= LINEAR_MAX_ROWS || input.hasText === true);

  const folds = Array.from({ length: validation.nFolds }, (_, f) => foldRows(validation, f));
  const validated: number[] = [];
  for (let i = 0; i < n; i++) if (validation.foldOf[i]! >= 0) validated.push(i);
  const validatedRows = Int32Array.from(validated);
  const foldBins: (TrainingBins | undefined)[] = folds.map(() => undefined);
  const foldTables = folds.map(({ fit, valid }) => {
    const label = Float64Array.from(fit, (i) => y[i]!);
    return {
      fit: { table: takeFeatureRows(features, fit), label, weight: pick(weight, fit) },
      valid: { table: takeFeatureRows(features, valid), label: Float64Array.from(valid, (i) => y[i]!), weight: pick(weight, valid) },
      validRows: valid,
      smallestClass: guardedClassRows(task, label),
    };
  });

  const candidates: CandidateResult[] = [];
  let stoppedByTime = false;
  let endedBy: SearchEnd = 'all_candidates';
  const isCancelled = (): boolean => hooks.isCancelled?.() === true;
  const pastTimeLimit = (): boolean => (hooks.elapsedSeconds?.() ?? 0) > input.timeBudgetSeconds;
  /** The wall-clock cut inside a training: ends it after the current round, and remembers that it did. */
  const shouldStop = (): boolean => {
    if (!pastTimeLimit()) return false;
    stoppedByTime = true;
    return true;
  };
  const trainOptions = { hooks: { isCancelled, shouldStop }, ...(hooks.parallel ? { parallel: hooks.parallel } : {}) };
  /**
   * The schedule: the default GBDT, the linear learner (where it fits), the deep setting, then the
   * other fixed settings each after a neighbour of the best GBDT so far, the forest, then
   * alternately a neighbour and a seeded random setting. Every choice depends on earlier
   * (deterministic) results only.
   */
  type Planned = Candidate | { readonly kind: 'neighbour' };
  const NEIGHBOUR: Planned = { kind: 'neighbour' };
  const schedule: Planned[] = [{ kind: 'gbdt', params: FIXED_CANDIDATES[0]! }];
  if (linearFits) schedule.push({ kind: 'linear', lambda: LINEAR_LAMBDA });
  schedule.push({ kind: 'gbdt', params: FIXED_CANDIDATES[1]! });
  const others: Candidate[] = FIXED_CANDIDATES.slice(2).map((params): Candidate => ({ kind: 'gbdt', params }));
  for (const o of others) schedule.push(NEIGHBOUR, o);
  // The forest last among the fixed candidates, for binary classification and regression: it won
  // no ensemble weight on the dev sets when tried early (its trees' Newton steps from the prior are
  // coarse log-odds), so it gets only work the GBDTs left. For multi-class it would grow a tree
  // per output per round (K times a GBDT round's cost) for the weakest of its variants.
  if (task !== 'multi_classification') schedule.push({ kind: 'forest', params: forestParams(task, n, FOREST_TREES) });
  const nFixed = schedule.length;
  const nextCandidate = (c: number): Candidate => {
    const planned = schedule[c];
    if (planned !== undefined && planned.kind !== 'neighbour') return planned;
    let best: CandidateResult | undefined;
    for (const r of candidates) if (r.candidate.kind === 'gbdt' && (best === undefined || r.score < best.score)) best = r;
    const neighbour = planned !== undefined || (c - nFixed) % 2 === 0;
    const params = neighbour && best !== undefined && best.candidate.kind === 'gbdt' ? perturbed(best.candidate.params, rng) : randomCandidate(rng);
    return { kind: 'gbdt', params };
  };
  let bestEnsembleLoss = Infinity;
  let sinceImprovement = 0;

  for (let c = 0; c < maxCandidates; c++) {
    if (isCancelled()) throw new AutoMlCancelled();
    if (c >= MIN_CANDIDATES && work >= workBudget) {
      endedBy = 'work_budget';
      break;
    }
    if (c >= nFixed && sinceImprovement >= FLAT_PATIENCE) {
      endedBy = 'flat';
      break;
    }
    if (c > 0 && pastTimeLimit()) {
      stoppedByTime = true;
      endedBy = 'time_limit';
      break;
    }
    let candidate = nextCandidate(c);
    // The round cap from the work left: the first MIN_CANDIDATES candidates share it, later ones may use all of it.
    let roundCap = MAX_ROUNDS;
    const first = candidates.every((r) => r.candidate.kind !== 'gbdt');
    const workLeft = Math.max(0, workBudget - work) * (c < MIN_CANDIDATES ? 1 / (MIN_CANDIDATES - c) : 1);
    if (candidate.kind === 'gbdt') {
      const p = candidate.params;
      const perRound = foldTables.reduce(
        (sum, ft) =>
          sum +
          roundWork(nOut, nFeatures, ft.fit.table.nRows, p.maxLeaves, engineParams(p, task, nClasses, ft.fit.table.nRows, 0, ft.smallestClass).minDataInLeaf!),
        0,
      );
      const affordable = Math.floor(workLeft / perRound);
      // The first GBDT always runs (a valid model at any budget); a later one only when the work
      // left pays for enough rounds to be worth its place.
      if (!first && affordable < MIN_CANDIDATE_ROUNDS) {
        endedBy = 'work_budget';
        break;
      }
      roundCap = Math.min(MAX_ROUNDS, Math.max(FIRST_CANDIDATE_MIN_ROUNDS, affordable));
    } else if (candidate.kind === 'forest') {
      const fp = candidate.params;
      const perTree = foldTables.reduce((sum, ft) => sum + roundWork(nOut, nFeatures, ft.fit.table.nRows, fp.maxLeaves, fp.minDataInLeaf), 0);
      const trees = Math.min(fp.trees, Math.floor(workLeft / perTree));
      if (trees < FOREST_MIN_TREES) continue;
      candidate = { kind: 'forest', params: { ...fp, trees } };
    }
    const oofRaw = new Float64Array(n * nOut).fill(NaN);
    const bestRounds: number[] = [];
    const foldModels: Member[] = [];
    for (let f = 0; f < foldTables.length; f++) {
      const ft = foldTables[f]!;
      const validRowMajor = toRowMajor(ft.valid.table);
      const nFit = ft.fit.table.nRows;
      let raw: Float64Array;
      try {
        if (candidate.kind === 'linear') {
          const linear = fitLinearLearner(
            ft.fit.table,
            toRowMajor(ft.fit.table),
            ft.fit.label,
            ft.fit.weight,
            objectiveOf(task) as 'binary' | 'multiclass' | 'regression',
            nClasses,
            candidate.lambda,
            seed + 1000 * c + f,
          );
          foldModels.push({ kind: 'linear', linear });
          bestRounds.push(0);
          raw = linearRaw(linear, validRowMajor, ft.valid.table.nRows);
        } else if (candidate.kind === 'forest') {
          const fp = { ...candidate.params, maxLeaves: forestParams(task, nFit, 0).maxLeaves };
          const gbdt = trainForest(stripUndefined(ft.fit), objectiveSpec(task, nClasses), fp, seed + 1000 * c + f, trainOptions);
          foldModels.push({ kind: 'gbdt', gbdt });
          bestRounds.push(gbdt.nRoundsKept);
          work += roundWork(nOut, nFeatures, nFit, fp.maxLeaves, fp.minDataInLeaf) * gbdt.nRoundsKept;
          raw = predictRaw(gbdt, validRowMajor, ft.valid.table.nRows);
        } else {
          const params = candidate.params;
          const ep = engineParams(params, task, nClasses, nFit, seed + 1000 * c + f, ft.smallestClass);
          const es = Math.max(20, Math.min(50, Math.round(2.5 / params.learningRate)));
          // Every GBDT candidate of a fold trains on the same rows: one binning of them for all.
          let binned = foldBins[f];
          if (binned === undefined) {
            binned = binTrainingTable(ft.fit.table, {}, hooks.parallel);
            foldBins[f] = binned;
          }
          const model = trainGbdt(
            stripUndefined(ft.fit),
            { ...ep, nRounds: roundCap, earlyStoppingRounds: es },
            { valid: stripUndefined(ft.valid), ...trainOptions, binned },
          );
          foldModels.push({ kind: 'gbdt', gbdt: model });
          bestRounds.push(model.nRoundsKept);
          work += roundWork(nOut, nFeatures, nFit, params.maxLeaves, ep.minDataInLeaf!) * Math.max(model.history.length, model.nRoundsKept);
          raw = predictRaw(model, validRowMajor, ft.valid.table.nRows);
        }
      } catch (e) {
        if (isCancelled()) throw new AutoMlCancelled();
        throw e;
      }
      for (let r = 0; r < ft.validRows.length; r++) {
        for (let k = 0; k < nOut; k++) oofRaw[ft.validRows[r]! * nOut + k] = raw[r * nOut + k]!;
      }
      hooks.progress?.(Math.min(1, Math.max((c + (f + 1) / foldTables.length) / maxCandidates, work / workBudget)));
    }
    const compact = compactRows(oofRaw, validatedRows, nOut);
    candidates.push({ candidate, bestRounds, oofRaw, foldModels, score: blendLoss(task, nOut, compact, y, validatedRows), roundCap });
    if (stoppedByTime) {
      endedBy = 'time_limit';
      break;
    }
    // Is the validation curve flat? The loss of the ensemble the candidates so far would make.
    const loss = ensembleLoss(
      candidates.map((r) => compactRows(r.oofRaw, validatedRows, nOut)),
      task,
      nOut,
      y,
      validatedRows,
    );
    if (loss < bestEnsembleLoss * (1 - FLAT_MIN_GAIN)) sinceImprovement = 0;
    else sinceImprovement++;
    bestEnsembleLoss = Math.min(bestEnsembleLoss, loss);
  }

  return { candidates, validatedRows, stoppedByTime, endedBy, work: { spent: work, budget: workBudget } };
}

function objectiveSpec(task: TaskType, nClasses: number): { objective: ObjectiveName; nClasses?: number } {
  return task === 'multi_classification' ? { objective: 'multiclass', nClasses } : { objective: objectiveOf(task) };
}

function stripUndefined(d: { table: FeatureTable; label: Float64Array; weight: Float64Array | undefined }): {
  table: FeatureTable;
  label: Float64Array;
  weight?: Float64Array;
} {
  return d.weight === undefined ? { table: d.table, label: d.label } : { table: d.table, label: d.label, weight: d.weight };
}

/**
 * Validation loss of the default GBDT setting (the first candidate) on the given features: a
 * cheap probe to compare two feature sets before the search.
 */
export function probeLoss(input: SearchInput, hooks: SearchHooks = {}): number {
  const { features, y, weight, task, nClasses, validation, seed } = input;
  const nOut = nOutputsOf(task, nClasses);
  const params = FIXED_CANDIDATES[0]!;
  let total = 0;
  let rows = 0;
  for (let f = 0; f < validation.nFolds; f++) {
    if (hooks.isCancelled?.() === true) throw new AutoMlCancelled();
    const { fit, valid } = foldRows(validation, f);
    const fitData = stripUndefined({ table: takeFeatureRows(features, fit), label: Float64Array.from(fit, (i) => y[i]!), weight: pick(weight, fit) });
    const validData = stripUndefined({ table: takeFeatureRows(features, valid), label: Float64Array.from(valid, (i) => y[i]!), weight: pick(weight, valid) });
    const ep = engineParams(params, task, nClasses, fit.length, seed, guardedClassRows(task, fitData.label));
    const model = trainGbdt(
      fitData,
      { ...ep, nRounds: MAX_ROUNDS, earlyStoppingRounds: 25 },
      {
        valid: validData,
        ...(hooks.parallel ? { parallel: hooks.parallel } : {}),
      },
    );
    const raw = predictRaw(model, toRowMajor(validData.table), valid.length);
    total += blendLoss(task, nOut, raw, y, valid) * valid.length;
    rows += valid.length;
  }
  return total / Math.max(1, rows);
}

/** Rounds for the refit on all rows: the validated best, scaled up for the larger training set. */
export function refitRounds(c: CandidateResult, _nAll: number, validation: ValidationPlan): number {
  const mean = c.bestRounds.reduce((a, b) => a + b, 0) / Math.max(1, c.bestRounds.length);
  const fitShare = validation.kind === 'holdout' ? 0.9 : (validation.nFolds - 1) / validation.nFolds;
  const scale = Math.min(1.2, 1 / Math.max(0.5, fitShare));
  return Math.max(1, Math.round(mean * scale));
}

/**
 * The final members: refitted on every training row (REFIT_SEEDS seeds of a sampling GBDT setting),
 * or a candidate's fold models when the clock cut its first refit.
 */
export interface Refit {
  readonly models: Member[];
  readonly weights: number[];
  /** The wall-clock stop cut a refit (that member is then its fold models): a rerun may differ. */
  readonly stoppedByTime: boolean;
}

/**
 * Refits of a selected GBDT setting that samples rows or features (bagging or feature fraction
 * below 1): that many fits on all rows with different seeds, averaged. The average of such fits
 * has the variance of one fit's sampling noise divided by the count, at no cost in bias, where the
 * fold models (k-fold bagging) would each see only (k − 1) / k of the rows. Measured on the dev sets
 * (docs/benchmarks.md, AutoML): 3 seeds lowered wine_quality's test log loss by 0.3 %; the 3 fold
 * models instead of the refit were worse everywhere (wine macro F1 0.372 against 0.408,
 * california RMSE 44,711 against 44,237). Settings without sampling give the same trees for any
 * seed, so they are fitted once; so are forests (bagged already) and the linear learner.
 */
export const REFIT_SEEDS = 3;
const REFIT_SEED_STRIDE = 104_729;

export function refitCopies(candidate: Candidate): number {
  if (candidate.kind !== 'gbdt') return 1;
  return candidate.params.baggingFraction < 1 || candidate.params.featureFraction < 1 ? REFIT_SEEDS : 1;
}

/**
 * Final refit of every selected candidate on all training rows (refitCopies fits each). Past the
 * time budget a refit ends after its current round and is dropped; a candidate none of whose
 * refits finished is replaced by its fold models (each trained
 * to its validated best round on most of the rows, so still a good model), sharing its weight.
 */
export function refitSelected(input: SearchInput, search: SearchResult, ensemble: Ensemble, hooks: SearchHooks = {}): Refit {
  const models: Member[] = [];
  const weights: number[] = [];
  let stoppedByTime = false;
  const table = { table: input.features, label: input.y, ...(input.weight ? { weight: input.weight } : {}) };
  search.candidates.forEach((c, j) => {
    const w = ensemble.weights[j]!;
    if (w === 0) return;
    if (hooks.isCancelled?.() === true) throw new AutoMlCancelled();
    const seed = input.seed + 7919 * (j + 1);
    if (c.candidate.kind === 'linear') {
      const kind = objectiveOf(input.task) as 'binary' | 'multiclass' | 'regression';
      models.push({
        kind: 'linear',
        linear: fitLinearLearner(input.features, toRowMajor(input.features), input.y, input.weight, kind, input.nClasses, c.candidate.lambda, seed),
      });
      weights.push(w);
      return;
    }
    let cut = (hooks.elapsedSeconds?.() ?? 0) > input.timeBudgetSeconds;
    const options = {
      hooks: {
        isCancelled: () => hooks.isCancelled?.() === true,
        shouldStop: () => (cut = (hooks.elapsedSeconds?.() ?? 0) > input.timeBudgetSeconds),
      },
      ...(hooks.parallel ? { parallel: hooks.parallel } : {}),
    };
    const n = input.features.nRows;
    const candidate = c.candidate;
    const fitOne = (s: number): GbdtModel =>
      candidate.kind === 'forest'
        ? trainForest(
            table,
            objectiveSpec(input.task, input.nClasses),
            { ...candidate.params, maxLeaves: forestParams(input.task, n, 0).maxLeaves },
            s,
            options,
          )
        : trainGbdt(
            table,
            {
              ...engineParams(candidate.params, input.task, input.nClasses, n, s, guardedClassRows(input.task, input.y)),
              nRounds: refitRounds(c, n, input.validation),
            },
            options,
          );
    const copies = refitCopies(candidate);
    const fitted: GbdtModel[] = [];
    for (let k = 0; k < copies && !cut; k++) {
      const gbdt = fitOne(seed + REFIT_SEED_STRIDE * k);
      if (!cut) fitted.push(gbdt);
    }
    if (cut) stoppedByTime = true;
    if (fitted.length > 0) {
      // Copies the clock cut are left out; the finished ones share the candidate's weight.
      for (const gbdt of fitted) {
        models.push({ kind: 'gbdt', gbdt });
        weights.push(w / fitted.length);
      }
      return;
    }
    for (const m of c.foldModels) {
      models.push(m);
      weights.push(w / c.foldModels.length);
    }
  });
  return { models, weights, stoppedByTime };
}
