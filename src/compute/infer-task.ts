/**
 * The `infer` task, run in a compute thread: the whole inference request — JSON parse of a large
 * body, base64 and CSV decoding, prediction with reasons, the output CSVs and the serialized answer.
 */
import { runDecodedInference, runInference } from '../deploy/inference.js';
import { inferenceModelOf } from '../deploy/inference-model.js';
import { parseJsonBody } from '../deploy/inference-request.js';
import type { InferenceTask, InferenceTaskResult } from './inference-protocol.js';
import type { ThreadModels } from './thread-models.js';

export async function runInferTask(task: InferenceTask, models: ThreadModels): Promise<InferenceTaskResult> {
  const model = inferenceModelOf(await models.get(task.modelKey, task.modelPath, task.modelCacheBytes));
  const result =
    task.body.kind === 'json'
      ? runInference(parseJsonBody(task.body.bytes), model, task.ctx)
      : runDecodedInference({ csvText: task.body.csvText, flags: task.body.flags }, model, task.ctx);
  return { json: JSON.stringify(result.response), nRows: result.nRows, nPredicted: result.nPredicted, nInvalid: result.nInvalid };
}
