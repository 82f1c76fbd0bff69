/** The `batch` task, run in a compute thread: one batch prediction file, in chunks, with progress. */
import { runBatchPrediction } from '../deploy/batch.js';
import { inferenceModelOf } from '../deploy/inference-model.js';
import type { BatchTask, BatchTaskResult } from './batch-protocol.js';
import type { ThreadModels } from './thread-models.js';

/** Models a batch thread keeps: a few, whatever their size (batches are rare and sequential). */
const BATCH_MODEL_BYTES = 0;

export async function runBatchTask(task: BatchTask, models: ThreadModels, onProgress: (fraction: number) => void): Promise<BatchTaskResult> {
  const req = task.request;
  const model = await models.get(req.modelPath, req.modelPath, BATCH_MODEL_BYTES);
  return runBatchPrediction(inferenceModelOf(model), {
    inputPath: req.inputPath,
    outDir: req.outDir,
    flags: req.flags,
    referenceYear: req.referenceYear,
    ...(req.chunkRows === undefined ? {} : { chunkRows: req.chunkRows }),
    onProgress,
  });
}
