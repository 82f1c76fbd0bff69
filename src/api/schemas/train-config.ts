/**
 * The Create Model `config` as a zod schema (the keys and their checks: domain/train-config.ts).
 * zod and the dependency-free domain module only.
 */
import { z } from 'zod';
import { checkTrainConfig, trainConfigJsonSchema, type TrainConfig, type TrainConfigContext, type TrainConfigInput } from '../../domain/train-config.js';
import { fail } from './loose.js';

export {
  CONFIG_KEY_NAMES,
  CONFIG_KEYS,
  checkTrainConfig,
  DEFAULT_MAX_CV_FOLDS,
  DEFAULT_MAX_TIME_BUDGET_SECONDS,
  TASK_TYPES,
  TIME_BUDGET_KEY,
  TIME_UNITS,
  trainConfigJsonSchema,
  type TaskType,
  type TrainConfig,
  type TrainConfigContext,
  type TrainConfigInput,
} from '../../domain/train-config.js';

/**
 * `config` as a zod schema: coerces, and reports the first problem as one issue naming its
 * catalogue entry. Without `context.columnNames` a missing `tc` passes (the service, which knows
 * the columns, reports it).
 * @example trainConfigSchema().parse({ tc: 'churn', tt: 'binary_classification', tv: 'yes', cv: '5' }).cv // → 5
 */
export function trainConfigSchema(context: TrainConfigContext = {}) {
  return z
    .custom<TrainConfigInput>()
    .transform((v, ctx): TrainConfig => {
      const r = checkTrainConfig(v, context);
      if (!r.ok) return fail(ctx, r.error, r.message);
      return r.value as TrainConfig;
    })
    .meta(trainConfigJsonSchema());
}
