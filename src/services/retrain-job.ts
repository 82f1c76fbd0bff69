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
import type { ResultFile } from '../automl/types.js';
import type { ComparisonRunner } from '../compute/comparison-runner.js';
import { isoUtc } from '../domain/clock.js';
import { AppError, failureText, withContext } from '../domain/errors.js';
import { newProcessId } from '../domain/ids.js';
import type { RetrainJob, StoredDataFile, TrainingProcess } from '../domain/records.js';
import { prepareRetrainUpload, profileFile, type RetrainFile } from '../ingest/index.js';
import type { Job } from '../storage/ports.js';
import type { ServiceDeps } from './deps.js';
import { writeResultZip } from './result-zip.js';
import { planTraining } from './train-config.js';
import { resolveTimeSeriesPlan } from './time-series-plan.js';
import type { TrainingJobHandler } from './training-job.js';
import { checkStoredFileSize, type TrainJobPayload } from './training.js';
import { storeDataFile } from './uploads.js';
import { convertedName } from './workbook-upload.js';

export function retrainResultBlobKey(jobId: string): string {
  return `retrain/${jobId}/result.zip`;
}

export class RetrainJobHandler {
  readonly #d: ServiceDeps;
  readonly #training: TrainingJobHandler;
  readonly #comparisons: ComparisonRunner;

  constructor(deps: ServiceDeps, training: TrainingJobHandler, comparisons: ComparisonRunner) {
    this.#d = deps;
    this.#training = training;
    this.#comparisons = comparisons;
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
      // A user-facing failure is told in the job's `message`.
      if (err instanceof AppError) return void (await this.#fail(id, failureText(err)));
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
    if (model === null) throw new AppError('MODEL_DELETED');
    const original = await d.processes.getById(model.processId);
    if (original === null || original.settings === null || original.config === null) throw new AppError('CONFIGURATION_FILE_NOT_FOUND');
    if (rj.uploadBlobKey === null) throw new AppError('RETRAIN_FILE_MISSING');

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
      // The training's own failure message says what went wrong.
      if (process.status !== 'finished' || process.modelId === null) return void (await this.#fail(rj.id, process.message ?? 'Retraining failed.'));
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
        // An .xlsx upload was converted to CSV when it arrived (workbook-upload.ts).
        filename: convertedName(rj.filename),
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
          throw withContext(err, `${kind === 'learn' ? 'Training' : 'Evaluation'} file "${f.name}"`);
        }
      };
      await store('learn', files.train);
      if (files.eval !== null) await store('eval', files.eval);
      process = (await d.processes.getById(process.id))!;
      const originalColumns = original.learn?.columnNames ?? [];
      if (original.settings !== null && !process.learn!.columnNames.includes(original.settings.target)) {
        throw new AppError(
          'TARGET_NOT_FOUND',
          `The retrain file has no target column "${original.settings.target}" (the model was trained with: ${originalColumns.join(', ')}).`,
        );
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
      throw withContext(err, 'The retrain file does not fit the limits');
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
      const plan = planTraining({
        config: original.config,
        learn: profile,
        evalColumns: process.eval === null ? null : process.eval.columnNames,
        userTypes: original.columnTypes,
        limits: d.config.limits,
        timeBudgetSeconds: original.settings!.timeBudgetSeconds,
        seed: original.settings!.seed,
      });
      const referenceYear = d.clock.now().getUTCFullYear();
      return await resolveTimeSeriesPlan(
        plan,
        { path: await d.blobs.localPath(learn.blobKey), delimiter: learn.delimiter, referenceYear },
        d.config.limits.timeSeries,
      );
    } catch (err) {
      throw withContext(err, "The model's settings do not fit the retrain file");
    }
  }

  /**
   * Both models on the same rows: the evaluation file when the upload has one, else the retrain
   * training file (then the new model's figures are in-sample and say so in metrics_comparison.csv).
   * Computed in a compute thread (ComparisonRunner), not on the event loop.
   */
  async #comparison(rj: RetrainJob, process: TrainingProcess, original: TrainingProcess, newModelId: number): Promise<readonly ResultFile[]> {
    const d = this.#d;
    const [previous, next] = await Promise.all([d.models.get(rj.userId, rj.modelId), d.models.get(rj.userId, newModelId)]);
    if (previous === null || next === null) throw new AppError('MODEL_DELETED');
    const file = process.eval ?? process.learn!;
    const plan = await this.#plan(process, original);
    try {
      return await this.#comparisons.compare({
        newModelPath: await d.blobs.localPath(next.blobKey),
        previousModelPath: await d.blobs.localPath(previous.blobKey),
        input: {
          filePath: await d.blobs.localPath(file.blobKey),
          delimiter: file.delimiter,
          columnTypes: plan.columnTypes,
          dateFormats: plan.dateFormats,
          target: original.settings!.target,
          inSample: process.eval === null,
          newModelId,
          previousModelId: rj.modelId,
        },
      });
    } catch (err) {
      throw withContext(err, 'The models cannot be compared on the retrain file');
    }
  }
}

function fakeJob(): Job {
  return { id: 0, kind: 'train', payload: {}, state: 'running', attempts: 1, maxAttempts: 1, workerId: null, leaseUntilMs: null, lastError: null, owner: null };
}
