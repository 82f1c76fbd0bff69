/**
 * Entry of a compute thread (started by thread-pool.ts through thread-bootstrap.mjs): waits for
 * `run` messages, one at a time, runs the task of its kind and answers `done` or `failed` with the
 * error as plain data (`toWire`: a user-facing AppError keeps its kind, anything else is internal). The thread stays alive between tasks, so AutoML is loaded
 * once and loaded models are kept (thread-models.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toWire } from '../domain/errors.js';
import { runBatchTask } from './batch-task.js';
import { runCompareTask } from './compare-task.js';
import { runInferTask } from './infer-task.js';
import type { ComputeTask, ComputeThreadData, FromThread, ToThread } from './thread-protocol.js';
import { ThreadModels } from './thread-models.js';
import { runTrainTask } from './train-task.js';

const port = parentPort!;
const { threadsPerTraining } = workerData as ComputeThreadData;
const models = new ThreadModels();

function post(msg: FromThread): void {
  port.postMessage(msg);
}

function run(id: number, task: ComputeTask): Promise<unknown> {
  switch (task.kind) {
    case 'train':
      return runTrainTask(task, threadsPerTraining, (fraction, phase) => post({ type: 'progress', id, fraction, phase }));
    case 'batch':
      return runBatchTask(task, models, (fraction) => post({ type: 'progress', id, fraction, phase: 'predict' }));
    case 'infer':
      return runInferTask(task, models);
    case 'compare':
      return runCompareTask(task, models);
  }
}

port.on('message', (msg: ToThread) => {
  run(msg.id, msg.task).then(
    (result) => post({ type: 'done', id: msg.id, result: result as never }),
    // Data and settings problems (AppErrors from ingest, AutoML's input checks, a malformed inference
    // body) are the user's to fix; anything else is ours, and its message goes to the log only.
    (err: unknown) => post({ type: 'failed', id: msg.id, error: toWire(err) }),
  );
});
post({ type: 'ready' });
