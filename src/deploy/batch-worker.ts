/**
 * Worker-thread side of batch predictions: one {type:'run'} at a time; posts {type:'progress'}…
 * then {type:'done'} or {type:'failed'}. Models are deserialized in the thread and kept by path.
 */
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { deserializeAutoModel, predictAutoModel } from '../automl/pipeline.js';
import type { AutoModel } from '../automl/types.js';
import { runBatchPrediction } from './batch.js';
import type { BatchRunRequest, BatchRunResult } from './batch-runner.js';
import { toWire, type WireError } from '../domain/errors.js';

export type ToBatchWorker = { readonly type: 'run'; readonly request: BatchRunRequest };
export type FromBatchWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'progress'; readonly fraction: number }
  | { readonly type: 'done'; readonly result: BatchRunResult }
  | { readonly type: 'failed'; readonly error: WireError };

const port = parentPort!;
const models = new Map<string, AutoModel>();

async function run(req: BatchRunRequest): Promise<BatchRunResult> {
  let model = models.get(req.modelPath);
  if (model === undefined) {
    model = deserializeAutoModel(await readFile(req.modelPath, 'utf8'));
    if (models.size >= 4) models.delete(models.keys().next().value!);
    models.set(req.modelPath, model);
  }
  const m = model;
  const dateFormats: Record<string, string> = {};
  for (const c of m.info.inputColumns) if (c.dateFormat !== undefined) dateFormats[c.name] = c.dateFormat;
  return runBatchPrediction(
    { info: m.info, predict: (t, o) => predictAutoModel(m, t, o), dateFormats },
    {
      inputPath: req.inputPath,
      outDir: req.outDir,
      flags: req.flags,
      referenceYear: req.referenceYear,
      ...(req.chunkRows === undefined ? {} : { chunkRows: req.chunkRows }),
      onProgress: (fraction) => port.postMessage({ type: 'progress', fraction } satisfies FromBatchWorker),
    },
  );
}

port.on('message', (msg: ToBatchWorker) => {
  run(msg.request).then(
    (result) => port.postMessage({ type: 'done', result } satisfies FromBatchWorker),
    (err: unknown) => port.postMessage({ type: 'failed', error: toWire(err) } satisfies FromBatchWorker),
  );
});
port.postMessage({ type: 'ready' } satisfies FromBatchWorker);
