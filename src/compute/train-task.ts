/**
 * The `train` task, run in a compute thread: reads the files, runs AutoML, reports progress, and
 * answers the serialized model and the result files. The GBDT trainer's own threads are started
 * with the thread's first training and kept for the next ones.
 */
import { serializeAutoModel, trainAutoModel } from '../automl/pipeline.js';
// Straight to the modules it needs, not ingest/index.ts: the index also loads DuckDB (profiling),
// which would add seconds to every thread start.
import { readTypedTable } from '../ingest/read-table.js';
import type { TypedTable } from '../table/table.js';
import { createParallelTraining, type ParallelTraining } from './parallel-training.js';
import type { TrainTask, TrainTaskResult } from './training-protocol.js';
import type { TrainingRequest } from './training-runner.js';

let parallel: ParallelTraining | undefined;

async function read(path: string, req: TrainingRequest): Promise<TypedTable> {
  return readTypedTable(path, { delimiter: req.delimiter, types: req.columnTypes, dateFormats: req.dateFormats, minColumns: 2 });
}

export async function runTrainTask(task: TrainTask, threadsPerTraining: number, onProgress: (fraction: number, phase: string) => void): Promise<TrainTaskResult> {
  const req = task.request;
  const started = performance.now();
  const trainTable = await read(req.trainPath, req);
  const evalTable = req.evalPath === null ? undefined : await read(req.evalPath, req);
  let lastPercent = -1;
  if (threadsPerTraining > 1) {
    parallel ??= createParallelTraining(threadsPerTraining);
    await parallel.ready();
  }
  const result = trainAutoModel(
    { train: trainTable, ...(evalTable === undefined ? {} : { eval: evalTable }), settings: req.settings },
    {
      onProgress(fraction: number, phase: string) {
        // Progress is shown as an integer percentage: post only when it changes.
        const pct = Math.floor(fraction * 100);
        if (pct === lastPercent) return;
        lastPercent = pct;
        onProgress(fraction, phase);
      },
      elapsedSeconds: () => (performance.now() - started) / 1000 / (req.clockSlowdown ?? 1),
      ...(parallel === undefined ? {} : { parallel }),
    },
  );
  return {
    modelText: serializeAutoModel(result.model),
    resultFiles: result.resultFiles,
    metrics: result.metrics,
    task: result.model.info.task,
  };
}
