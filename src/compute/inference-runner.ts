/**
 * The port through which an inference request too costly for the event loop is computed elsewhere
 * (deployment service: large bodies, many rows × a large model). The embedded implementation
 * (worker-pool.ts) runs it in a compute thread of its own pool, apart from trainings.
 */
import type { InferenceTask, InferenceTaskResult } from './inference-protocol.js';

export type InferenceRunRequest = Omit<InferenceTask, 'kind'>;

export interface InferenceRunner {
  /** Rejects with the documented AppError INFERENCE_INVALID_REQUEST for a malformed body or CSV; other errors are internal. */
  infer(request: InferenceRunRequest): Promise<InferenceTaskResult>;
}
