/**
 * The retrain job: what a worker does with a claimed `retrain` job. It reads the upload (CSV, or a
 * zip with train_src/ and eval_src/), stores the files as a new training process configured with
 * the retrained model's own stored config, trains it through the training job (same runner, same
 * worker threads), then writes the comparison zip: new vs previous model on the same evaluation
 * rows. Safe to run again after a crash: the process id is recorded on the job before training,
 * the training job is idempotent, and the comparison zip is overwritten under a fixed key.
 */
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { evaluate, type Evaluation } from '../automl/evaluate.js';
import { predictAutoModel } from '../automl/pipeline.js';
import { confusionMatrixCsv, metricsCsv } from '../automl/result-files.js';
import { toCsvLine } from '../formats/csv.js';
import type { AutoModel, ResultFile } from '../automl/types.js';
import { prepareRetrainUpload, RetrainUploadError, type RetrainFile } from '../deploy/index.js';
import { isoUtc } from '../domain/clock.js';
import { AppError } from '../domain/errors.js';
import { newProcessId } from '../domain/ids.js';
import type { RetrainJob, StoredDataFile, TrainingProcess } from '../domain/records.js';
import { profileFile, readTypedTable, type TypedTable } from '../ingest/index.js';
import type { Job } from '../storage/ports.js';
import type { ServiceDeps } from './deps.js';
import type { ModelStore } from './model-store.js';
import { writeResultZip } from './result-zip.js';
import { planTraining } from './train-config.js';
import type { TrainingJobHandler } from './training-job.js';
import { checkStoredFileSize, type TrainJobPayload } from './training.js';
import { storeDataFile } from './uploads.js';

export function retrainResultBlobKey(jobId: string): string {
  return `retrain/${jobId}/result.zip`;
}

/** A failure told to the user in the job's `message`. */
class RetrainFailed extends Error {}

export class RetrainJobHandler {
  readonly #d: ServiceDeps;
  readonly #training: TrainingJobHandler;
  readonly #models: ModelStore;

  constructor(deps: ServiceDeps, training: TrainingJobHandler, models: ModelStore) {
    this.#d = deps;
    this.#training = training;
    this.#models = models;
  }

  #now(): string {
    return isoUtc(this.#d.clock.now());
  }

  async handle(job: Job): Promise<void> {
    const id = (job.payload as { retrainJobId: string }).retrainJobId;
    const rj = await this.#d.retrainJobs.getById(id);
    if (rj === null || rj.cancelledAt !== null || rj.status === 'job_finished' || rj.status === 'job_failed') return;
    await this.#d.retrainJobs.update(id, { updatedAt: this.#now(), status: 'job_running', message: null });
    try {
      await this.#run(rj);
    } catch (err) {
      if (err instanceof RetrainFailed || err instanceof RetrainUploadError) return void (await this.#fail(id, err.message));
      if (err instanceof AppError) return void (await this.#fail(id, err.message));
      await this.#fail(id, 'Retraining failed because of an internal error; the server log has the details.');
      throw err;
    }
  }

  async giveUp(job: Job): Promise<void> {
    const id = (job.payload as { retrainJobId: string }).retrainJobId;
    await this.#fail(id, `Retraining stopped ${job.attempts} times because the server stopped while it ran.`);
  }

  async #fail(id: string, message: string): Promise<void> {
    await this.#d.retrainJobs.update(id, { updatedAt: this.#now(), status: 'job_failed', message });
  }

  async #run(rj: RetrainJob): Promise<void> {
    const d = this.#d;
    const model = await d.models.get(rj.userId, rj.modelId);
    if (model === null) throw new RetrainFailed('This model may be deleted.');
    const original = await d.processes.getById(model.processId);
    if (original === null || original.settings === null || original.config === null) throw new RetrainFailed('Not found configuration_file.');
    if (rj.uploadBlobKey === null) throw new RetrainFailed('The retrain file has not been uploaded.');

    let process = rj.processId === null ? null : await d.processes.getById(rj.processId);
    if (process === null) process = await this.#prepareProcess(rj, original);
    if (process.status !== 'finished') {
      const plan = await this.#plan(process, original);
      if (process.status === 'uploading') {
        process = await d.processes.update(process.id, {
          updatedAt: this.#now(),
          status: 'waiting',
          name: model.name,
          config: original.config,
          settings: plan.settings,
          columnTypes: original.columnTypes,
          progress: 0,
        });
      }
      const payload: TrainJobPayload = { processId: process.id, columnTypes: { ...plan.columnTypes }, dateFormats: { ...plan.dateFormats } };
      await this.#training.handle({ ...fakeJob(), payload: { ...payload } });
      process = (await d.processes.getById(process.id))!;
      if (process.status !== 'finished' || process.modelId === null) throw new RetrainFailed(process.message ?? 'Retraining failed.');
    }
    const newModelId = process.modelId!;
    const files = await this.#comparison(rj, process, original, newModelId);
    const zipTmp = await d.blobs.tempPath('retrain-result.zip');
    try {
      await writeResultZip(files, zipTmp);
      await d.blobs.putFile(retrainResultBlobKey(rj.id), zipTmp);
    } finally {
      await rm(zipTmp, { force: true });
    }
    await d.retrainJobs.update(rj.id, {
      updatedAt: this.#now(),
      status: 'job_finished',
      newModelId,
      resultBlobKey: retrainResultBlobKey(rj.id),
      message: null,
    });
  }

  /** Upload → checked files → a new training process holding them (learn and optional eval). */
  async #prepareProcess(rj: RetrainJob, original: TrainingProcess): Promise<TrainingProcess> {
    const d = this.#d;
    const uploadPath = await d.blobs.localPath(rj.uploadBlobKey!);
    const trainTmp = await d.blobs.tempPath('retrain-train');
    const evalTmp = await d.blobs.tempPath('retrain-eval');
    try {
      const files = await prepareRetrainUpload({
        uploadPath,
        filename: rj.filename,
        trainPath: trainTmp,
        evalPath: evalTmp,
        maxUncompressedBytes: d.config.retrainMaxUncompressedBytes,
      });
      let process = await d.processes.create({ id: newProcessId(), userId: rj.userId, extension: files.train.extension, createdAt: this.#now() });
      await d.retrainJobs.update(rj.id, { updatedAt: this.#now(), processId: process.id });
      const store = async (kind: 'learn' | 'eval', f: RetrainFile): Promise<StoredDataFile> => {
        const p = { ...process, extension: f.extension };
        try {
          return await storeDataFile(d, p, kind, createReadStream(f.path), null, basename(f.name));
        } catch (err) {
          if (err instanceof AppError) throw new RetrainFailed(`${kind === 'learn' ? 'Training' : 'Evaluation'} file "${f.name}": ${err.message}`);
          throw err;
        }
      };
      await store('learn', files.train);
      if (files.eval !== null) await store('eval', files.eval);
      process = (await d.processes.getById(process.id))!;
      const originalColumns = original.learn?.columnNames ?? [];
      if (original.settings !== null && !process.learn!.columnNames.includes(original.settings.target)) {
        throw new RetrainFailed(`The retrain file has no target column "${original.settings.target}" (the model was trained with: ${originalColumns.join(', ')}).`);
      }
      return process;
    } finally {
      await rm(trainTmp, { force: true });
      await rm(evalTmp, { force: true });
    }
  }

  /** The model's stored config applied to the new files (same checks as POST /models). */
  async #plan(process: TrainingProcess, original: TrainingProcess) {
    const d = this.#d;
    const learn = process.learn!;
    const target = original.settings!.target;
    try {
      await checkStoredFileSize(d, process.userId, learn);
    } catch (err) {
      if (err instanceof AppError) throw new RetrainFailed(`The retrain file does not fit the limits: ${err.message}`);
      throw err;
    }
    const profile = await profileFile(await d.blobs.localPath(learn.blobKey), {
      delimiter: learn.delimiter,
      encoding: learn.encoding,
      memoryLimitBytes: d.config.profileMemoryBytes,
      maxColumns: d.config.limits.maxColumns,
      target,
      ...(original.columnTypes === null ? {} : { columnTypes: original.columnTypes }),
    });
    try {
      return planTraining({
        config: original.config,
        learn: profile,
        evalColumns: process.eval === null ? null : process.eval.columnNames,
        userTypes: original.columnTypes,
        limits: d.config.limits,
        timeBudgetSeconds: original.settings!.timeBudgetSeconds,
        seed: original.settings!.seed,
      });
    } catch (err) {
      if (err instanceof AppError) throw new RetrainFailed(`The model's settings do not fit the retrain file: ${err.message}`);
      throw err;
    }
  }

  /**
   * Both models on the same rows: the evaluation file when the upload has one, else the retrain
   * training file (then the new model's figures are in-sample and say so in metrics_comparison.csv).
   */
  async #comparison(rj: RetrainJob, process: TrainingProcess, original: TrainingProcess, newModelId: number): Promise<ResultFile[]> {
    const d = this.#d;
    const [previous, next] = await Promise.all([this.#models.get(rj.userId, rj.modelId), this.#models.get(rj.userId, newModelId)]);
    const file = process.eval ?? process.learn!;
    const plan = await this.#plan(process, original);
    const table = await readTypedTable(await d.blobs.localPath(file.blobKey), {
      delimiter: file.delimiter,
      types: plan.columnTypes,
      dateFormats: plan.dateFormats,
      minColumns: 2,
    });
    const target = original.settings!.target;
    const a = scoreOn(next, table, target);
    const b = scoreOn(previous, table, target);
    const source = process.eval === null ? 'retrain training file (in-sample for the new model)' : 'retrain evaluation file';
    const classesOf = (m: AutoModel) => m.info.classes;
    const files: ResultFile[] = [
      { name: 'metrics.csv', content: metricsCsv(a.ev, classesOf(next)) },
      { name: 'metrics_previous_model.csv', content: metricsCsv(b.ev, classesOf(previous)) },
      { name: 'metrics_comparison.csv', content: comparisonCsv(a.ev, b.ev, source, newModelId, rj.modelId) },
      { name: 'evaluation_results_comparison.csv', content: resultsComparisonCsv(table, target, a, b) },
    ];
    if (a.ev.confusion !== null) files.push({ name: 'confusion_matrix.csv', content: confusionMatrixCsv(a.ev, classesOf(next)) });
    if (b.ev.confusion !== null) files.push({ name: 'confusion_matrix_previous_model.csv', content: confusionMatrixCsv(b.ev, classesOf(previous)) });
    return files;
  }
}

function fakeJob(): Job {
  return { id: 0, kind: 'train', payload: {}, state: 'running', attempts: 1, maxAttempts: 1, workerId: null, leaseUntilMs: null, lastError: null, owner: null };
}

interface Scored {
  readonly ev: Evaluation;
  /** Rows of the table that were scored (known target value). */
  readonly rows: number[];
  readonly predicted: string[];
}

/** The target cell of each row as text ('' = missing). */
function targetTexts(table: TypedTable, target: string): string[] {
  const col = table.columns.find((c) => c.name === target);
  const out: string[] = new Array(table.nRows).fill('');
  if (col === undefined) return out;
  for (let i = 0; i < table.nRows; i++) {
    if (col.type === 'string') out[i] = col.codes[i]! < 0 ? '' : col.levels[col.codes[i]!]!;
    else if (col.type === 'integer' || col.type === 'float') out[i] = Number.isNaN(col.values[i]!) ? '' : String(col.values[i]);
    else if (col.type === 'text') out[i] = col.values[i]!;
  }
  return out;
}

function scoreOn(model: AutoModel, table: TypedTable, target: string): Scored {
  const { info } = model;
  const pred = predictAutoModel(model, table, { reasons: false });
  const texts = targetTexts(table, target);
  const K = info.classes.length;
  const rows: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < table.nRows; i++) {
    if (texts[i] === '') continue;
    if (info.task === 'regression') {
      const v = Number(texts[i]);
      if (!Number.isFinite(v)) continue;
      ys.push(v);
    } else {
      const k = info.classes.indexOf(texts[i]!);
      if (k < 0) continue; // a class the model never saw cannot be scored
      ys.push(k);
    }
    rows.push(i);
  }
  const y = Float64Array.from(ys);
  let probs: Float64Array | null = null;
  let values: Float64Array | null = null;
  if (info.task === 'regression') values = Float64Array.from(rows, (i) => pred.values![i]!);
  else {
    probs = new Float64Array(rows.length * K);
    rows.forEach((i, r) => probs!.set(pred.probabilities!.subarray(i * K, (i + 1) * K), r * K));
  }
  const ev = evaluate(info.task, K, y, probs, values, info.threshold ?? 0.5);
  const predicted = rows.map((i) => (info.task === 'regression' ? String(pred.values![i]) : pred.labels![i]!));
  return { ev, rows, predicted };
}

/** A result CSV for Excel: BOM, quoting and formula neutralisation by formats/csv.ts. */
function csv(lines: (string | number)[][]): string {
  return '\uFEFF' + lines.map((l) => toCsvLine(l)).join('\n') + '\n';
}

function comparisonCsv(a: Evaluation, b: Evaluation, source: string, newId: number, oldId: number): string {
  const lines: (string | number)[][] = [['metric', 'new_model', 'previous_model', 'difference']];
  lines.push(['model_id', newId, oldId, '']);
  for (const [k, v] of Object.entries(a.metrics)) {
    const w = b.metrics[k];
    lines.push([k, v, w ?? '', w === undefined ? '' : v - w]);
  }
  lines.push(['model_level', a.stars, b.stars, a.stars - b.stars]);
  lines.push(['evaluation_rows', a.nRows, b.nRows, '']);
  lines.push(['evaluation_data', source, source, '']);
  return csv(lines);
}

function resultsComparisonCsv(table: TypedTable, target: string, a: Scored, b: Scored): string {
  const texts = targetTexts(table, target);
  const prevByRow = new Map(b.rows.map((r, j) => [r, b.predicted[j]!]));
  const lines: (string | number)[][] = [['row', 'actual', 'predicted_new_model', 'predicted_previous_model']];
  a.rows.forEach((r, j) => lines.push([r + 1, texts[r]!, a.predicted[j]!, prevByRow.get(r) ?? '']));
  return csv(lines);
}
