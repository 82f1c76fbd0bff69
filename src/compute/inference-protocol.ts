/**
 * The `infer` task of a compute thread: one inference request too costly for the event loop
 * (infer-task.ts). The thread loads the model itself (by its blob path, cached by key) and answers
 * the response already serialized, so the main thread neither parses a large body nor stringifies
 * a large answer.
 */
import type { InferenceContext } from '../deploy/inference.js';
import type { InferenceFlags } from '../deploy/inference-request.js';

export interface InferenceTask {
  readonly kind: 'infer';
  /** Cache key of the model in the thread (its blob key: stable for a model id). */
  readonly modelKey: string;
  /** Local path of the serialized model. */
  readonly modelPath: string;
  /** The raw JSON body (parsed in the thread), or a request the main thread already decoded. */
  readonly body: { readonly kind: 'json'; readonly bytes: Uint8Array } | { readonly kind: 'decoded'; readonly csvText: string; readonly flags: InferenceFlags };
  readonly ctx: InferenceContext;
  /** Budget of the thread's own model cache (bytes, estimated as for the main thread's). */
  readonly modelCacheBytes: number;
}

export interface InferenceTaskResult {
  /** The response body as JSON text. */
  readonly json: string;
  readonly nRows: number;
  readonly nPredicted: number;
  readonly nInvalid: number;
}
