/**
 * Worker-thread side of a training: waits for {type:'train'} messages, one at a time; for each it
 * reads the files, runs AutoML and posts {type:'progress'}…, then one {type:'done'} or
 * {type:'failed'}. The thread stays alive between trainings so the AutoML modules are loaded once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serializeAutoModel, trainAutoModel } from '../automl/pipeline.js';
import { createParallelTraining } from './parallel-training.js';
import type { ParallelTraining } from './parallel-training.js';
import { toWire, type WireError } from '../domain/errors.js';
// Straight to the modules it needs, not ingest/index.ts: the index also loads DuckDB (profiling),
// which would add seconds to every thread start.
import { readTypedTable } from '../ingest/read-table.js';
import type { TypedTable } from '../ingest/table.js';
import type { TrainingOutput, TrainingRequest } from './training-runner.js';
import type { TrainingThreadData } from './worker-pool.js';

export type ToWorker = { readonly type: 'train'; readonly request: TrainingRequest };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'progress'; readonly fraction: number; readonly phase: string }
  | { readonly type: 'done'; readonly output: TrainingOutput }
  | { readonly type: 'failed'; readonly error: WireError };

const port = parentPort!;
const { threadsPerTraining } = workerData as TrainingThreadData;
/** The GBDT trainer's threads, started with the first training and kept for the next ones. */
let parallel: ParallelTraining | undefined;

function post(msg: FromWorker): void {
  port.postMessage(msg);
}

async function read(path: string, req: TrainingRequest): Promise<TypedTable> {
  return readTypedTable(path, { delimiter: req.delimiter, types: req.columnTypes, dateFormats: req.dateFormats, minColumns: 2 });
}

async function train(req: TrainingRequest): Promise<TrainingOutput> {
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
        post({ type: 'progress', fraction, phase });
      },
      elapsedSeconds: () => (performance.now() - started) / 1000,
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

port.on('message', (msg: ToWorker) => {
  train(msg.request).then(
    (output) => post({ type: 'done', output }),
    // Data and settings problems (AppErrors from ingest and AutoML's input checks) are the user's
    // to fix; anything else is ours.
    (err: unknown) => post({ type: 'failed', error: toWire(err) }),
  );
});
post({ type: 'ready' });
