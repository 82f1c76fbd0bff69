/**
 * The training job: what a worker does with a claimed `train` job. It runs the computation
 * through the TrainingRunner port, then stores the model and the result zip and marks the process
 * finished. Safe to run again after a crash: outputs are overwritten under fixed keys, and a
 * process that already finished is left alone.
 */
import { access, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { RunnerClosed, type TrainingOutput, type TrainingRunner } from '../compute/training-runner.js';
import { isoUtc } from '../domain/clock.js';
import { AppError, failureText } from '../domain/errors.js';
import type { ColumnType } from '../table/table.js';
import type { Job } from '../storage/ports.js';
import type { ServiceDeps } from './deps.js';
import { resultBlobKey } from './downloads.js';
import { writeResultZip } from './result-zip.js';
import { isDiskFull } from './disk-full.js';
import type { TrainJobPayload } from './training.js';

export interface TrainingJobOptions {
  readonly runner: TrainingRunner;
  /** Version string recorded on models. */
  readonly version: string;
  /** See Config.holdTrainingFile. */
  readonly holdTrainingFile?: string | null;
}

/** Progress is stored as an integer percentage; writing each change keeps polls fresh and writes few. */
function percent(fraction: number): number {
  return Math.max(0, Math.min(99, Math.floor(fraction * 100)));
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export function modelBlobKey(processId: string): string {
  return `processes/${processId}/model.json`;
}

export class TrainingJobHandler {
  readonly #d: ServiceDeps;
  readonly #o: TrainingJobOptions;

  constructor(deps: ServiceDeps, opts: TrainingJobOptions) {
    this.#d = deps;
    this.#o = opts;
  }

  #now(): string {
    return isoUtc(this.#d.clock.now());
  }

  /** Resolves when the job is done with (finished or failed for the user); rejects only on internal trouble. */
  async handle(job: Job): Promise<void> {
    const payload = job.payload as unknown as TrainJobPayload;
    const { processes, blobs } = this.#d;
    const process = await processes.getById(payload.processId);
    if (process === null || process.status === 'finished' || process.status === 'failed') return;
    await processes.update(process.id, { updatedAt: this.#now(), status: 'running', progress: 0, message: null });
    const hold = this.#o.holdTrainingFile;
    if (hold) while (await exists(hold)) await sleep(100);

    const fail = (message: string) => processes.update(process.id, { updatedAt: this.#now(), status: 'failed', message, progress: null });
    if (process.learn === null || process.settings === null) return void (await fail('The training file is missing; upload it and request training again.'));
    if ((await blobs.size(process.learn.blobKey)) === null) {
      return void (await fail('The training data set was deleted before training ran; upload it again with a new process.'));
    }
    if (process.eval !== null && (await blobs.size(process.eval.blobKey)) === null) {
      return void (await fail('The evaluation data set was deleted before training ran; upload it again with a new process.'));
    }

    let lastPercent = 0;
    let progressWrite: Promise<unknown> = Promise.resolve();
    let output: TrainingOutput;
    try {
      output = await this.#o.runner.run(
        {
          trainPath: await blobs.localPath(process.learn.blobKey),
          evalPath: process.eval === null ? null : await blobs.localPath(process.eval.blobKey),
          delimiter: process.learn.delimiter,
          columnTypes: payload.columnTypes as Record<string, ColumnType>,
          dateFormats: payload.dateFormats,
          settings: process.settings,
        },
        {
          onProgress: (fraction) => {
            const p = percent(fraction);
            if (p === lastPercent) return;
            lastPercent = p;
            progressWrite = progressWrite.then(() => processes.update(process.id, { updatedAt: this.#now(), progress: p }));
          },
        },
      );
    } catch (err) {
      await progressWrite.catch(() => undefined);
      if (err instanceof RunnerClosed) throw err;
      if (err instanceof AppError) return void (await fail(`Training failed: ${failureText(err)}`));
      await fail('Training failed because of an internal error; the server log has the details.');
      throw err;
    }
    await progressWrite.catch(() => undefined);

    const modelKey = modelBlobKey(process.id);
    try {
      await blobs.put(modelKey, Buffer.from(output.modelText, 'utf8'));
      const zipTmp = await blobs.tempPath('result.zip');
      try {
        await writeResultZip(output.resultFiles, zipTmp);
        await blobs.putFile(resultBlobKey(process.id), zipTmp);
      } finally {
        await rm(zipTmp, { force: true });
      }
    } catch (err) {
      // Nothing is recorded as done: no model row, the process fails with what happened, once.
      if (isDiskFull(err))
        return void (await fail(
          'Training finished, but the server ran out of disk space while storing the model; request training again once space is freed.',
        ));
      await fail('Training finished, but storing the model failed because of an internal error; the server log has the details.');
      throw err;
    }
    const now = this.#now();
    const model = await this.#d.models.create({
      userId: process.userId,
      processId: process.id,
      name: process.name,
      task: output.task,
      version: this.#o.version,
      config: process.config ?? {},
      blobKey: modelKey,
      metrics: output.metrics,
      createdAt: now,
      updatedAt: now,
    });
    await processes.update(process.id, {
      updatedAt: now,
      status: 'finished',
      progress: 100,
      modelId: model.id,
      resultBlobKey: resultBlobKey(process.id),
    });
    if (this.#d.metrics !== undefined) {
      const dataSet = await this.#d.dataSets.get(process.userId, process.learn.dataSetId);
      if (dataSet !== null) this.#d.metrics.rowsTrained(output.task, dataSet.rowCount);
    }
  }

  /** A job that lost its worker too many times (the server died during it each time). */
  async giveUp(job: Job): Promise<void> {
    const payload = job.payload as unknown as TrainJobPayload;
    await this.#d.processes.update(payload.processId, {
      updatedAt: this.#now(),
      status: 'failed',
      progress: null,
      message: `Training stopped ${job.attempts} times because the server stopped while it ran; try a smaller file or contact the operator.`,
    });
  }
}
