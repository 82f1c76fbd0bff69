/** The port through which a batch prediction gets its CPU work done, off the HTTP event loop. */
import type { InferenceFlags } from '../deploy/index.js';

export interface BatchRunRequest {
  /** Local path of the serialized model (blob store `localPath`). */
  readonly modelPath: string;
  readonly inputPath: string;
  readonly outDir: string;
  readonly flags: InferenceFlags;
  readonly referenceYear: number;
  readonly chunkRows?: number;
}

export interface BatchRunResult {
  readonly files: readonly string[];
  readonly rows: { readonly total: number; readonly predicted: number; readonly invalid: number };
  readonly warnings: readonly string[];
}

/** `run` rejects with an AppError when the batch cannot run for a reason the user can act on. */
export interface BatchRunner {
  run(request: BatchRunRequest, hooks?: { onProgress?(fraction: number): void }): Promise<BatchRunResult>;
  close(): Promise<void>;
}
