/**
 * The port through which a retrain job compares its new and previous model, off the HTTP event
 * loop. The embedded implementation (worker-pool.ts) runs it in a compute thread.
 */
import type { ResultFile } from '../automl/types.js';
import type { CompareTask } from './compare-protocol.js';

export type ComparisonRequest = Omit<CompareTask, 'kind'>;

/** The comparison cannot be made for a reason the user can act on (the retrain file does not fit). */
export class ComparisonFailed extends Error {
  override readonly name = 'ComparisonFailed';
}

export interface ComparisonRunner {
  /** Rejects with ComparisonFailed for data problems; other errors are internal. */
  compare(request: ComparisonRequest): Promise<readonly ResultFile[]>;
}
