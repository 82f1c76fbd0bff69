/**
 * Batch prediction (additive, docs/deploy.md §9): a file larger than one inference request is
 * uploaded through a signed URL, predicted in a worker thread (BatchRunner) in chunks, and offered
 * as a zip download. Deploy key; IP rules do not apply (management host).
 */
import { access, mkdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BatchRunner } from '../compute/batch-runner.js';
import { DEFAULT_FLAGS, isServing, type InferenceFlags } from '../deploy/index.js';
import { isoUtc } from '../domain/clock.js';
import { AppError, failureText } from '../domain/errors.js';
import { newProcessId } from '../domain/ids.js';
import type { BatchPrediction, Principal } from '../domain/records.js';
import type { Job } from '../storage/ports.js';
import { BATCH_PREDICT_JOB, type ServiceDeps } from './deps.js';
import type { DeploymentService } from './deployment.js';
import { writeResultZip } from './result-zip.js';
import { receiveRawUpload } from './signed-upload.js';
import { isWorkbookName, receiveWorkbookAsCsv, splitSheet, withSheet } from './workbook-upload.js';

export function batchUploadPath(id: string): string {
  return `/batch-uploads/${encodeURIComponent(id)}`;
}

export function batchResultPath(id: string): string {
  return `/downloads/batch/${encodeURIComponent(id)}/result.zip`;
}

/** The body of a batch prediction after the API's schema: absent flags take inference's defaults. */
export interface BatchRequest {
  readonly filename: string | undefined;
  readonly sheet: string | undefined;
  readonly ar: boolean | undefined;
  readonly ad: boolean | undefined;
  readonly nc: boolean | undefined;
  readonly nr: boolean | undefined;
  readonly pc: string | null;
}

function flagsOf(b: BatchRequest): InferenceFlags {
  return {
    withReasons: b.ar ?? DEFAULT_FLAGS.withReasons,
    appendInput: b.ad ?? DEFAULT_FLAGS.appendInput,
    omitLabel: b.nc ?? DEFAULT_FLAGS.omitLabel,
    omitRowNumber: b.nr ?? DEFAULT_FLAGS.omitRowNumber,
    keyColumn: b.pc,
  };
}

export class BatchService {
  readonly #d: ServiceDeps;
  readonly #deployment: DeploymentService;

  constructor(deps: ServiceDeps, deployment: DeploymentService) {
    this.#d = deps;
    this.#deployment = deployment;
  }

  #now(): string {
    return isoUtc(this.#d.clock.now());
  }

  /** `POST /v1/external/classifiers/{id}/batch-predictions`. */
  async open(p: Principal, classifierId: string, b: BatchRequest): Promise<{ batch: BatchPrediction; uploadUrl: string }> {
    const c = await this.#deployment.get(p, classifierId);
    const filename = b.filename ?? 'input.csv';
    const { sheet } = b;
    if (sheet !== undefined && !isWorkbookName(filename)) {
      throw new AppError('INVALID_BODY', `sheet: got ${JSON.stringify(sheet)}; allowed: a sheet name, with a filename ending in .xlsx`);
    }
    const flags = flagsOf(b);
    const now = this.#d.clock.now();
    const batch = await this.#d.batchPredictions.create({
      id: newProcessId(),
      userId: p.userId,
      classifierId: c.id,
      filename,
      options: { ...flags },
      createdAt: isoUtc(now),
    });
    return { batch, uploadUrl: this.#d.signer.sign('PUT', withSheet(batchUploadPath(batch.id), sheet), now.getTime()) };
  }

  async acceptUpload(requestUrl: string, body: Readable, declaredBytes: number | null): Promise<void> {
    const { path, sheet } = splitSheet(this.#d.signer.verify('PUT', requestUrl, this.#d.clock.now().getTime()));
    const match = /^\/batch-uploads\/([^/]+)$/.exec(path);
    if (match === null) throw new AppError('UPLOAD_SIGNATURE_INVALID');
    const batch = await this.#d.batchPredictions.getById(decodeURIComponent(match[1]!));
    if (batch === null) throw new AppError('BATCH_PREDICTION_NOT_FOUND');
    if (batch.uploadBlobKey !== null || batch.status !== 'job_waiting') throw new AppError('UPLOAD_ALREADY_RECEIVED');
    const key = `batch/${batch.id}/input`;
    if (isWorkbookName(batch.filename)) await this.#receiveWorkbook(key, body, declaredBytes, sheet);
    else await receiveRawUpload(this.#d, key, body, declaredBytes);
    const stored = await this.#d.batchPredictions.updateIfStatus(batch.id, 'job_waiting', { updatedAt: this.#now(), uploadBlobKey: key });
    if (stored === null) throw new AppError('UPLOAD_ALREADY_RECEIVED');
    await this.#d.jobs.enqueue(BATCH_PREDICT_JOB, { batchPredictionId: batch.id }, { owner: batch.userId });
    this.#d.onJobQueued?.();
  }

  /** An .xlsx batch file: stored as the CSV of its sheet, which the batch job then predicts. */
  async #receiveWorkbook(key: string, body: Readable, declaredBytes: number | null, sheet: string | undefined): Promise<void> {
    const csv = await this.#d.blobs.tempPath('batch.csv');
    try {
      await receiveWorkbookAsCsv(this.#d, body, declaredBytes, csv, { sheet, label: 'batch file' });
      await this.#d.blobs.putFile(key, csv);
    } finally {
      await rm(csv, { force: true });
    }
  }

  async status(p: Principal, classifierId: string, id: string): Promise<{ batch: BatchPrediction; downloadUrl: string | null }> {
    const batch = await this.#d.batchPredictions.get(p.userId, id);
    if (batch === null || batch.classifierId !== classifierId) throw new AppError('BATCH_PREDICTION_NOT_FOUND', id);
    const downloadUrl =
      batch.status === 'job_finished' && batch.resultBlobKey !== null
        ? this.#d.signer.sign('GET', batchResultPath(batch.id), this.#d.clock.now().getTime())
        : null;
    return { batch, downloadUrl };
  }
}

/** The `batch_predict` job: model fixed at start, predictions in the BatchRunner's thread, a zip. */
export class BatchPredictionJobHandler {
  readonly #d: ServiceDeps;
  readonly #runner: BatchRunner;

  constructor(deps: ServiceDeps, runner: BatchRunner) {
    this.#d = deps;
    this.#runner = runner;
  }

  #now(): string {
    return isoUtc(this.#d.clock.now());
  }

  async handle(job: Job): Promise<void> {
    const d = this.#d;
    const id = (job.payload as { batchPredictionId: string }).batchPredictionId;
    const batch = await d.batchPredictions.getById(id);
    if (batch === null || batch.status === 'job_finished' || batch.status === 'job_failed' || batch.uploadBlobKey === null) return;
    const fail = (message: string) => d.batchPredictions.update(id, { updatedAt: this.#now(), status: 'job_failed', message });
    const c = await d.classifiers.getById(batch.classifierId);
    if (c === null) return void (await fail('Not found classifier.'));
    if (!isServing(c.status)) return void (await fail(`The classifier is not running (status: ${c.status}).`));
    const modelId = batch.modelId ?? c.modelId;
    const model = await d.models.get(c.userId, modelId);
    if (model === null) return void (await fail('This model may be deleted.'));
    await d.batchPredictions.update(id, { updatedAt: this.#now(), status: 'job_running', modelId, progress: 0 });
    const hold = d.config.holdBatchFile;
    if (hold)
      while (
        await access(hold).then(
          () => true,
          () => false,
        )
      )
        await sleep(100);
    const outDir = dirname(await d.blobs.tempPath(`batch-${id}/x`));
    const outSub = `${outDir}/batch-${id}-${process.pid}`;
    await mkdir(outSub, { recursive: true });
    let lastPercent = 0;
    let progressWrite: Promise<unknown> = Promise.resolve();
    try {
      const result = await this.#runner.run(
        {
          modelPath: await d.blobs.localPath(model.blobKey),
          inputPath: await d.blobs.localPath(batch.uploadBlobKey),
          outDir: outSub,
          flags: batch.options as unknown as InferenceFlags,
          referenceYear: d.clock.now().getUTCFullYear(),
        },
        {
          onProgress: (f) => {
            const pct = Math.max(0, Math.min(99, Math.floor(f * 100)));
            if (pct === lastPercent) return;
            lastPercent = pct;
            progressWrite = progressWrite.then(() => d.batchPredictions.update(id, { updatedAt: this.#now(), progress: pct }));
          },
        },
      );
      await progressWrite.catch(() => undefined);
      const zipTmp = `${outSub}/result.zip`;
      const files = await Promise.all(result.files.map(async (f) => ({ name: basename(f), content: await readFile(f) })));
      await writeResultZip(files, zipTmp);
      const key = `batch/${id}/result.zip`;
      await d.blobs.putFile(key, zipTmp);
      await d.batchPredictions.update(id, {
        updatedAt: this.#now(),
        status: 'job_finished',
        progress: 100,
        resultBlobKey: key,
        rows: result.rows,
        message: result.warnings.length > 0 ? result.warnings.join('; ') : null,
      });
      d.metrics?.rowsPredicted('batch', result.rows.predicted, result.rows.invalid);
    } catch (err) {
      await progressWrite.catch(() => undefined);
      if (err instanceof AppError) return void (await fail(failureText(err)));
      await fail('Batch prediction failed because of an internal error; the server log has the details.');
      throw err;
    } finally {
      await rm(outSub, { recursive: true, force: true });
    }
  }

  async giveUp(job: Job): Promise<void> {
    const id = (job.payload as { batchPredictionId: string }).batchPredictionId;
    await this.#d.batchPredictions.update(id, {
      updatedAt: this.#now(),
      status: 'job_failed',
      message: 'The batch stopped because the server stopped while it ran.',
    });
  }
}
