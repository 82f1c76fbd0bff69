/**
 * The `batch` task, run in a compute thread: one batch prediction file, in chunks, with progress.
 * deploy/batch.ts predicts; this file does the I/O around it: reads and decodes the input file and
 * writes the outputs into `outDir` (prediction_valid.csv, prediction_analysis.csv with `ar`,
 * prediction_invalid.csv only when some rows were not predicted).
 */
import { open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ANALYSIS_FILE, INVALID_FILE, runBatchPrediction, VALID_FILE, type BatchFile, type BatchSink } from '../deploy/index.js';
import { decodeBytes } from '../ingest/index.js';
import type { BatchTask, BatchTaskResult } from './batch-protocol.js';
import type { ThreadModels } from './thread-models.js';

/** Models a batch thread keeps: a few, whatever their size (batches are rare and sequential). */
const BATCH_MODEL_BYTES = 0;

const FILE_NAMES: Readonly<Record<BatchFile, string>> = { valid: VALID_FILE, analysis: ANALYSIS_FILE, invalid: INVALID_FILE };

export async function runBatchTask(task: BatchTask, models: ThreadModels, onProgress: (fraction: number) => void): Promise<BatchTaskResult> {
  const req = task.request;
  const model = (await models.loaded(req.modelPath, req.modelPath, BATCH_MODEL_BYTES)).inference;
  const text = decodeBytes(await readFile(req.inputPath)).text.replace(/^\uFEFF/, '');
  const pathOf = (file: BatchFile): string => join(req.outDir, FILE_NAMES[file]);
  // The valid file (and the analysis file with `ar`) exist even when empty; the invalid one only once written to.
  const handles = new Map<BatchFile, FileHandle>([['valid', await open(pathOf('valid'), 'w')]]);
  try {
    if (req.flags.withReasons) handles.set('analysis', await open(pathOf('analysis'), 'w'));
    const sink: BatchSink = {
      async write(file, chunk) {
        let handle = handles.get(file);
        if (handle === undefined) handles.set(file, (handle = await open(pathOf(file), 'w')));
        await handle.write(chunk);
      },
    };
    const result = await runBatchPrediction(
      model,
      text,
      { flags: req.flags, referenceYear: req.referenceYear, ...(req.chunkRows === undefined ? {} : { chunkRows: req.chunkRows }), onProgress },
      sink,
    );
    const strayInvalid = handles.has('invalid') && !result.files.includes('invalid');
    await closeAll(handles);
    if (strayInvalid) await rm(pathOf('invalid'), { force: true });
    return { files: result.files.map(pathOf), rows: result.rows, warnings: result.warnings };
  } finally {
    await closeAll(handles);
  }
}

async function closeAll(handles: Map<BatchFile, FileHandle>): Promise<void> {
  const opened = [...handles.values()];
  handles.clear();
  await Promise.all(opened.map((h) => h.close()));
}
