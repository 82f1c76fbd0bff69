/** The `compare` task, run in a compute thread: a retrain's new and previous model on the same rows. */
import { compareRetrainedModels } from '../deploy/retrain-comparison.js';
import { readTypedTable } from '../ingest/index.js';
import type { CompareTask, CompareTaskResult } from './compare-protocol.js';
import type { ThreadModels } from './thread-models.js';

/** Models kept for comparisons: none beyond the minimum (a comparison runs once per retrain). */
const COMPARE_MODEL_BYTES = 0;

export async function runCompareTask(task: CompareTask, models: ThreadModels): Promise<CompareTaskResult> {
  const [next, previous] = [
    await models.get(task.newModelPath, task.newModelPath, COMPARE_MODEL_BYTES),
    await models.get(task.previousModelPath, task.previousModelPath, COMPARE_MODEL_BYTES),
  ];
  const { input } = task;
  const table = await readTypedTable(input.filePath, { delimiter: input.delimiter, types: input.columnTypes, dateFormats: input.dateFormats, minColumns: 2 });
  return compareRetrainedModels(next, previous, table, input);
}
