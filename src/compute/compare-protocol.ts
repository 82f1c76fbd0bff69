/** The `compare` task of a compute thread: a retrain's new and previous model on the same rows (compare-task.ts). */
import type { ResultFile } from '../automl/types.js';
import type { RetrainComparisonInput } from '../deploy/retrain-comparison.js';

export interface CompareTask {
  readonly kind: 'compare';
  /** Local paths of both serialized models. */
  readonly newModelPath: string;
  readonly previousModelPath: string;
  readonly input: RetrainComparisonInput;
}

export type CompareTaskResult = readonly ResultFile[];
