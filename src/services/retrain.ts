/**
 * Retrain Data Upload, Retrain Status Check and Retrain Model Switch (spec §2.15–§2.17,
 * docs/deploy.md §8). The retrain key is bound to one model; every job of that key retrains it.
 */
import { access, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { planSwitch } from '../deploy/index.js';
import { isoUtc } from '../domain/clock.js';
import { AppError } from '../domain/errors.js';
import { newProcessId } from '../domain/ids.js';
import type { Classifier, Principal, RetrainJob } from '../domain/records.js';
import { RETRAIN_JOB, type ServiceDeps } from './deps.js';
import type { DeploymentService } from './deployment.js';
import type { ModelStore } from './model-store.js';
import { receiveRawUpload } from './signed-upload.js';
import { isWorkbookName, receiveWorkbookAsCsv, splitSheet, withSheet } from './workbook-upload.js';

export function retrainUploadPath(jobId: string): string {
  return `/retrain-uploads/${encodeURIComponent(jobId)}`;
}

export function retrainResultPath(jobId: string): string {
  return `/downloads/retrain/${encodeURIComponent(jobId)}/result.zip`;
}

export function retrainUploadKey(jobId: string): string {
  return `retrain/${jobId}/upload`;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export interface RetrainStatus {
  readonly job: RetrainJob;
  readonly downloadUrl: string | null;
}

export class RetrainService {
  readonly #d: ServiceDeps;
  readonly #models: ModelStore;
  readonly #deployment: DeploymentService;

  constructor(deps: ServiceDeps, models: ModelStore, deployment: DeploymentService) {
    this.#d = deps;
    this.#models = models;
    this.#deployment = deployment;
  }

  #now(): string {
    return isoUtc(this.#d.clock.now());
  }

  /** The job, if it is the caller's and of the key's model; documented errors otherwise. */
  async #job(p: Principal, id: string): Promise<RetrainJob> {
    const job = await this.#d.retrainJobs.get(p.userId, id);
    if (job === null || job.modelId !== p.modelId) throw new AppError('NOT_FOUND_RETRAIN_JOB');
    if (job.cancelledAt !== null) throw new AppError('RETRAIN_JOB_DELETED');
    return job;
  }

  /** The caller's newest classifier serving `modelId`, or null. */
  async #servingClassifier(userId: string, modelId: number): Promise<Classifier | null> {
    return (await this.#d.classifiers.listByModel(modelId)).find((c) => c.userId === userId) ?? null;
  }

  /**
   * `GET /v1/external/retrain_jobs/upload_url?filename=`. A `filename` ending in .xlsx is an Excel
   * upload: its first sheet (or `sheet`, ours) is converted to CSV when it arrives.
   */
  async openUpload(p: Principal, filename: string, sheet?: string): Promise<{ jobId: string; uploadUrl: string }> {
    if (sheet !== undefined && !isWorkbookName(filename)) {
      throw new AppError('INVALID_PARAMETER', `sheet: got ${JSON.stringify(sheet)}; allowed: a sheet name, with a filename ending in .xlsx`);
    }
    if (p.modelId === null) throw new AppError('MODEL_ID_REQUIRED');
    const model = await this.#d.models.get(p.userId, p.modelId);
    if (model === null) throw new AppError('MODEL_DELETED');
    const process = await this.#d.processes.getById(model.processId);
    if (process === null || process.settings === null || process.config === null) throw new AppError('CONFIGURATION_FILE_NOT_FOUND');
    const classifier = await this.#servingClassifier(p.userId, model.id);
    const now = this.#d.clock.now();
    const job = await this.#d.retrainJobs.create({
      id: newProcessId(),
      userId: p.userId,
      modelId: model.id,
      classifierId: classifier?.id ?? null,
      filename,
      createdAt: isoUtc(now),
    });
    return { jobId: job.id, uploadUrl: this.#d.signer.sign('PUT', withSheet(retrainUploadPath(job.id), sheet), now.getTime()) };
  }

  /** `PUT upload_url`: stores the bytes, then queues the retrain (it starts by itself). */
  async acceptUpload(requestUrl: string, body: Readable, declaredBytes: number | null): Promise<void> {
    const { path, sheet } = splitSheet(this.#d.signer.verify('PUT', requestUrl, this.#d.clock.now().getTime()));
    const match = /^\/retrain-uploads\/([^/]+)$/.exec(path);
    if (match === null) throw new AppError('UPLOAD_SIGNATURE_INVALID');
    const job = await this.#d.retrainJobs.getById(decodeURIComponent(match[1]!));
    if (job === null) throw new AppError('NOT_FOUND_RETRAIN_JOB');
    if (job.cancelledAt !== null) throw new AppError('RETRAIN_JOB_DELETED');
    if (job.uploadBlobKey !== null || job.status !== 'job_waiting') throw new AppError('UPLOAD_ALREADY_RECEIVED');
    const key = retrainUploadKey(job.id);
    if (isWorkbookName(job.filename)) await this.#receiveWorkbook(key, body, declaredBytes, sheet);
    else await receiveRawUpload(this.#d, key, body, declaredBytes);
    const stored = await this.#d.retrainJobs.updateIfStatus(job.id, 'job_waiting', { updatedAt: this.#now(), uploadBlobKey: key });
    if (stored === null) throw new AppError('UPLOAD_ALREADY_RECEIVED');
    await this.#d.jobs.enqueue(RETRAIN_JOB, { retrainJobId: job.id }, { owner: job.userId });
    this.#d.onJobQueued?.();
  }

  /** An .xlsx retrain upload: stored as the CSV of its sheet (the job then reads a CSV upload). */
  async #receiveWorkbook(key: string, body: Readable, declaredBytes: number | null, sheet: string | undefined): Promise<void> {
    const csv = await this.#d.blobs.tempPath('retrain.csv');
    try {
      await receiveWorkbookAsCsv(this.#d, body, declaredBytes, csv, { sheet, label: 'retrain file' });
      await this.#d.blobs.putFile(key, csv);
    } finally {
      await rm(csv, { force: true });
    }
  }

  /** `GET /v1/external/retrain_jobs/{id}`. */
  async status(p: Principal, id: string): Promise<RetrainStatus> {
    const job = await this.#job(p, id);
    const downloadUrl =
      job.status === 'job_finished' && job.resultBlobKey !== null ? this.#d.signer.sign('GET', retrainResultPath(job.id), this.#d.clock.now().getTime()) : null;
    return { job, downloadUrl };
  }

  /**
   * `PUT /v1/external/retrain_jobs/{id}/update_model`: the classifier keeps its id, URL and key;
   * `version` increments (DESIGN row 28). A running classifier is `updating` while the new model
   * loads and keeps serving the old one; the swap is one UPDATE of model_id + version.
   */
  async switchModel(p: Principal, id: string): Promise<RetrainJob> {
    const job = await this.#job(p, id);
    if (job.status !== 'job_finished' || job.newModelId === null) throw new AppError('RETRAIN_NOT_FINISHED');
    const newModelId = job.newModelId;
    let c = job.classifierId === null ? null : await this.#d.classifiers.get(p.userId, job.classifierId);
    if (c === null) c = await this.#servingClassifier(p.userId, job.modelId);
    if (c === null) throw new AppError('NOT_FOUND_CLASSIFIER');
    if (c.modelId === newModelId) return job; // already switched: idempotent
    const plan = planSwitch({ status: c.status, active: c.active, isEditable: c.isEditable });
    const busy = () => new AppError('CLASSIFIER_BUSY', 'the classifier changed during this request; read it and try again');
    if (plan.during === 'updating') {
      const updating = await this.#d.classifiers.updateIfStatus(c.id, c.status, { updatedAt: this.#now(), status: 'updating' });
      if (updating === null) throw busy();
      const hold = this.#d.config.holdSwitchFile;
      if (hold) while (await exists(hold)) await sleep(100);
      try {
        // Load first: a model that cannot load never becomes current, and the first request after the swap is warm.
        await this.#models.get(c.userId, newModelId);
      } catch (err) {
        await this.#d.classifiers.updateIfStatus(c.id, 'updating', { updatedAt: this.#now(), status: 'running' });
        throw err;
      }
    }
    const switched = await this.#d.classifiers.switchModel(c.id, c.modelId, newModelId, { updatedAt: this.#now(), status: plan.after });
    if (switched === null) {
      if (plan.during === 'updating') await this.#d.classifiers.updateIfStatus(c.id, 'updating', { updatedAt: this.#now(), status: 'running' });
      throw busy();
    }
    if (plan.startsBuild) this.#deployment.scheduleBuild(c.id);
    return this.#d.retrainJobs.update(job.id, { updatedAt: this.#now(), classifierId: c.id, switchedAt: this.#now() });
  }
}
