/** Signed GET URLs: the training result zip and data-set files, fetched without an API key. */
import type { Readable } from 'node:stream';
import { AppError } from '../domain/errors.js';
import type { ServiceDeps } from './deps.js';

export interface Download {
  readonly body: Readable;
  readonly fileName: string;
  readonly contentType: string;
  readonly sizeBytes: number;
}

export function resultPath(processId: string): string {
  return `/downloads/results/${encodeURIComponent(processId)}/result.zip`;
}

export function resultBlobKey(processId: string): string {
  return `processes/${processId}/result.zip`;
}

export class DownloadService {
  readonly #d: ServiceDeps;
  constructor(deps: ServiceDeps) {
    this.#d = deps;
  }

  async open(requestUrl: string): Promise<Download> {
    const path = this.#d.signer.verify('GET', requestUrl, this.#d.clock.now().getTime());
    const result = /^\/downloads\/results\/([^/]+)\/result\.zip$/.exec(path);
    if (result !== null) {
      const process = await this.#d.processes.getById(decodeURIComponent(result[1]!));
      if (process === null || process.resultBlobKey === null) throw new AppError('RESULT_NOT_FOUND');
      return this.#blob(process.resultBlobKey, 'result.zip', 'application/zip');
    }
    const retrain = /^\/downloads\/retrain\/([^/]+)\/result\.zip$/.exec(path);
    if (retrain !== null) {
      const job = await this.#d.retrainJobs.getById(decodeURIComponent(retrain[1]!));
      if (job === null || job.resultBlobKey === null) throw new AppError('RESULT_NOT_FOUND');
      return this.#blob(job.resultBlobKey, 'retrain_result.zip', 'application/zip');
    }
    const batch = /^\/downloads\/batch\/([^/]+)\/result\.zip$/.exec(path);
    if (batch !== null) {
      const b = await this.#d.batchPredictions.getById(decodeURIComponent(batch[1]!));
      if (b === null || b.resultBlobKey === null) throw new AppError('RESULT_NOT_FOUND');
      return this.#blob(b.resultBlobKey, 'batch_prediction.zip', 'application/zip');
    }
    const dataSet = /^\/downloads\/data-sets\/([^/]+)\/(\d+)$/.exec(path);
    if (dataSet !== null) {
      // The signed URL is the capability; it names the owner, checked when it was issued.
      const d = await this.#d.dataSets.get(decodeURIComponent(dataSet[1]!), Number(dataSet[2]));
      if (d === null) throw new AppError('DATA_SET_NOT_FOUND');
      return this.#blob(d.blobKey, d.name ?? `data_set_${d.id}.${d.extension}`, 'text/csv; charset=utf-8');
    }
    throw new AppError('UPLOAD_SIGNATURE_INVALID');
  }

  async #blob(key: string, fileName: string, contentType: string): Promise<Download> {
    const size = await this.#d.blobs.size(key);
    if (size === null) throw new AppError('RESULT_NOT_FOUND');
    return { body: await this.#d.blobs.get(key), fileName, contentType, sizeBytes: size };
  }
}
