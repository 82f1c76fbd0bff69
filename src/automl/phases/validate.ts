/**
 * Phase "validate": the validation plan from `cv` (hold-out or k-fold; the latest rows of a file
 * sorted by a date column), and on such a file whether that column's trend parts (year, elapsed)
 * stay: they put every future row beyond the training range, where trees only repeat the last period.
 */
import type { TypedTable } from '../../table/table.js';
import { omitDateParts, TREND_PARTS } from '../plan.js';
import type { FittedPlan } from '../plan.js';
import { probeLoss } from '../search.js';
import type { SearchInput } from '../search.js';
import { makeValidationPlan, sortedDirection } from '../validation.js';
import type { ValidationPlan } from '../validation.js';
import type { PlannedData } from './plan.js';
import type { TrainingRun } from './run.js';

export interface TrendPartsDecision {
  readonly column: string;
  readonly kept: boolean;
  readonly lossWith: number;
  readonly lossWithout: number;
}

export interface Validated {
  readonly validation: ValidationPlan;
  /** The plan, without the trend parts when the validation preferred that. */
  readonly fitted: FittedPlan;
  readonly trendParts: TrendPartsDecision | null;
}

/** The first date column (in file order) the rows are sorted by, if any. */
function timeOrder(table: TypedTable, target: string): { column: string; direction: 1 | -1 } | undefined {
  for (const c of table.columns) {
    if (c.type !== 'date' || c.name === target) continue;
    const direction = sortedDirection(c.values);
    if (direction !== 0) return { column: c.name, direction };
  }
  return undefined;
}

/** What the search trains on: the plan's training features with the target and validation. */
export function searchInputOf(run: TrainingRun, data: PlannedData, fitted: FittedPlan, validation: ValidationPlan): SearchInput {
  return {
    hasText: fitted.plan.features.some((x) => x.part.startsWith('text')),
    features: fitted.train,
    y: data.target.y,
    ...(data.weight ? { weight: data.weight } : {}),
    task: run.task,
    nClasses: data.target.classes.length,
    validation,
    seed: run.seed,
    timeBudgetSeconds: run.budgetSeconds,
  };
}

export function validatePhase(run: TrainingRun, data: PlannedData): Validated {
  const n = data.target.y.length;
  const validation = makeValidationPlan(n, run.input.settings.cv, data.classIdx, run.seed, timeOrder(data.table, data.target.name));
  let fitted = data.fitted;
  let trendParts: TrendPartsDecision | null = null;
  if (validation.timeOrderedBy !== undefined) {
    const reduced = omitDateParts(fitted, validation.timeOrderedBy, TREND_PARTS);
    if (reduced.plan.features.length > 0 && reduced.plan.features.length < fitted.plan.features.length) {
      const hooks = { isCancelled: run.cancelled, ...run.parallel };
      const lossWith = probeLoss(searchInputOf(run, data, fitted, validation), hooks);
      const lossWithout = probeLoss(searchInputOf(run, data, reduced, validation), hooks);
      const kept = !(lossWithout < lossWith);
      if (!kept) fitted = reduced;
      trendParts = { column: validation.timeOrderedBy, kept, lossWith, lossWithout };
    }
  }
  run.checkCancelled();
  return { validation, fitted, trendParts };
}
