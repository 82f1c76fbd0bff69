/**
 * The port through which a retrain job compares its new and previous model, off the HTTP event
 * loop. The embedded implementation (worker-pool.ts) runs it in a compute thread.
 */
import type { ResultFile } from '../automl/types.js';
import type { CompareTask } from './compare-protocol.js';

export type ComparisonRequest = Omit<CompareTask, 'kind'>;

export interface ComparisonRunner {
  /** Rejects with an AppError for data problems (the retrain file does not fit); other errors are internal. */
  compare(request: ComparisonRequest): Promise<readonly ResultFile[]>;
}
