/** The `batch` task of a compute thread: one batch prediction file (batch-task.ts). */
import type { BatchRunRequest, BatchRunResult } from './batch-runner.js';

export interface BatchTask {
  readonly kind: 'batch';
  readonly request: BatchRunRequest;
}

export type BatchTaskResult = BatchRunResult;
