/**
 * Train Data Set Info, Train and Train Status Check: profiling an upload, validating and queuing a
 * training, and reporting its progress.
 */
import { isoUtc } from '../domain/clock.js';
import { AppError, withContext } from '../domain/errors.js';
import type { Principal, StoredDataFile, TrainingProcess } from '../domain/records.js';
import { profileFile, type DatasetProfile } from '../ingest/index.js';
import { TRAIN_JOB, type ServiceDeps } from './deps.js';
import { resultPath } from './downloads.js';
import { checkFileSize, planTraining, type TrainingPlan } from './train-config.js';
import { resolveTimeSeriesPlan } from './time-series-plan.js';

export interface TrainingStatus {
  readonly process: TrainingProcess;
  /** Signed, present once finished. */
  readonly resultUrl: string | null;
}

/** The body of `POST /v1/external/models` after the API's schema. */
export interface TrainRequest {
  readonly processId: string;
  readonly name: string | null;
  /** As sent: checked against the file here (train-config.ts). */
  readonly config: unknown;
}

export interface TrainJobPayload {
  readonly processId: string;
  readonly columnTypes: Record<string, string>;
  readonly dateFormats: Record<string, string>;
}

/**
 * Profiles kept in memory: a client typically asks column-info and then trains with the same
 * target, and a profile of a stored file never changes (a re-upload gets a new data set id).
 */
const PROFILE_CACHE_ENTRIES = 16;

/** The limits of `checkFileSize` on a stored file, from the facts its upload recorded. */
export async function checkStoredFileSize(deps: ServiceDeps, userId: string, file: StoredDataFile): Promise<void> {
  const dataSet = await deps.dataSets.get(userId, file.dataSetId);
  checkFileSize(file.columnNames.length, dataSet?.rowCount ?? null, deps.config.limits);
}

export class TrainingService {
  readonly #d: ServiceDeps;
  readonly #profiles = new Map<string, Promise<DatasetProfile>>();

  constructor(deps: ServiceDeps) {
    this.#d = deps;
  }

  async #process(p: Principal, id: string): Promise<TrainingProcess> {
    const process = await this.#d.processes.get(p.userId, id);
    if (process === null) throw new AppError('PROCESS_NOT_FOUND', id);
    return process;
  }

  async #profile(process: TrainingProcess, file: StoredDataFile, label: string, target?: string): Promise<DatasetProfile> {
    if ((await this.#d.blobs.size(file.blobKey)) === null) {
      throw new AppError('LEARN_DATA_MISSING', `the ${label} file was deleted (DELETE /v1/external/data-sets); upload it again`);
    }
    const key = JSON.stringify([file.blobKey, file.dataSetId, target ?? null, process.columnTypes]);
    let profile = this.#profiles.get(key);
    if (profile === undefined) {
      await checkStoredFileSize(this.#d, process.userId, file);
      profile = this.#computeProfile(process, file, label, target);
      this.#profiles.set(key, profile);
      profile.catch(() => this.#profiles.delete(key));
      if (this.#profiles.size > PROFILE_CACHE_ENTRIES) this.#profiles.delete(this.#profiles.keys().next().value!);
    }
    return profile;
  }

  async #computeProfile(process: TrainingProcess, file: StoredDataFile, label: string, target?: string): Promise<DatasetProfile> {
    const path = await this.#d.blobs.localPath(file.blobKey);
    try {
      return await profileFile(path, {
        delimiter: file.delimiter,
        encoding: file.encoding,
        memoryLimitBytes: this.#d.config.profileMemoryBytes,
        maxColumns: this.#d.config.limits.maxColumns,
        ...(target === undefined ? {} : { target }),
        ...(process.columnTypes === null ? {} : { columnTypes: process.columnTypes }),
      });
    } catch (err) {
      throw withContext(err, `${label} file`);
    }
  }

  /** `GET /v1/external/data-sets/column-info`; `target` (ours) turns on relevance scores. */
  async columnInfo(p: Principal, processId: string, target: string | undefined): Promise<DatasetProfile> {
    const process = await this.#process(p, processId);
    if (process.learn === null) throw new AppError('LEARN_DATA_MISSING');
    if (target !== undefined && !process.learn.columnNames.includes(target)) {
      throw new AppError('TARGET_NOT_FOUND', `target: got ${JSON.stringify(target)}; not a column of the training file`);
    }
    return this.#profile(process, process.learn, 'learn', target);
  }

  /**
   * `POST /v1/external/models`: validates everything, then queues. Nothing is queued on error.
   * The config is checked here (after the process is found), since its messages name the file's
   * columns.
   */
  async requestTraining(p: Principal, b: TrainRequest): Promise<TrainingProcess> {
    const process = await this.#process(p, b.processId);
    if (process.status !== 'uploading') throw new AppError('TRAINING_ALREADY_REQUESTED', process.id);
    if (process.learn === null) throw new AppError('LEARN_DATA_MISSING');
    // Relevance needs the target; an unknown one is reported by planTraining with the column list.
    const tc = typeof b.config === 'object' && b.config !== null ? (b.config as Record<string, unknown>).tc : undefined;
    const target = typeof tc === 'string' && process.learn.columnNames.includes(tc) ? tc : undefined;
    const learn = await this.#profile(process, process.learn, 'learn', target);
    const evalColumns = process.eval === null ? null : process.eval.columnNames;
    const { config } = this.#d;
    const planned = planTraining({
      config: b.config,
      learn,
      evalColumns,
      userTypes: process.columnTypes,
      limits: config.limits,
      timeBudgetSeconds: config.trainingTimeBudgetSeconds,
      seed: config.trainingSeed,
    });
    const plan = await this.#resolveTimeSeries(planned, process.learn);
    const now = isoUtc(this.#d.clock.now());
    const queued = await this.#d.processes.updateIfStatus(process.id, 'uploading', {
      updatedAt: now,
      status: 'waiting',
      name: b.name,
      config: b.config as Record<string, unknown>,
      settings: plan.settings,
      progress: 0,
      message: null,
    });
    if (queued === null) throw new AppError('TRAINING_ALREADY_REQUESTED', process.id);
    if (queued.name !== null) await this.#nameDataSets(queued, queued.name, now);
    const payload: TrainJobPayload = { processId: process.id, columnTypes: { ...plan.columnTypes }, dateFormats: { ...plan.dateFormats } };
    await this.#d.jobs.enqueue(TRAIN_JOB, { ...payload }, { owner: p.userId });
    this.#d.onJobQueued?.();
    return queued;
  }

  /** Time-series mode: the data checks on the stored file and the inferred unit and interval. */
  async #resolveTimeSeries(plan: TrainingPlan, learn: StoredDataFile): Promise<TrainingPlan> {
    if (plan.timeSeries === undefined) return plan;
    const path = await this.#d.blobs.localPath(learn.blobKey);
    try {
      return await resolveTimeSeriesPlan(
        plan,
        { path, delimiter: learn.delimiter, referenceYear: this.#d.clock.now().getUTCFullYear() },
        this.#d.config.limits.timeSeries,
      );
    } catch (err) {
      throw withContext(err, 'learn file');
    }
  }

  /**
   * Data sets uploaded without a file name take the model's name (Prediction One's own scripts
   * send none with the PUT, but name the model), so lists do not show a column of `learn.csv`.
   */
  async #nameDataSets(process: TrainingProcess, modelName: string, now: string): Promise<void> {
    for (const [kind, file] of [
      ['learn', process.learn],
      ['eval', process.eval],
    ] as const) {
      if (file === null || file.fileName !== undefined) continue;
      await this.#d.dataSets.rename(process.userId, file.dataSetId, kind === 'learn' ? modelName : `${modelName} (eval)`, now);
    }
  }

  /** `GET /v1/external/models/results`. */
  async status(p: Principal, processId: string): Promise<TrainingStatus> {
    const process = await this.#process(p, processId);
    if (process.status === 'uploading') throw new AppError('TRAINING_NOT_REQUESTED', process.id);
    const resultUrl =
      process.status === 'finished' && process.resultBlobKey !== null
        ? this.#d.signer.sign('GET', resultPath(process.id), this.#d.clock.now().getTime())
        : null;
    return { process, resultUrl };
  }
}
