/** Get/Delete Data Set and Get/Delete Model: the user's own records, newest first. */
import { isoUtc } from '../domain/clock.js';
import { AppError } from '../domain/errors.js';
import type { DataSet, Model, Page, Principal } from '../domain/records.js';
import type { ServiceDeps } from './deps.js';

/** offset/limit of a list (defaults 0 and 30, checked by the API's schema). */
export interface PageRequest {
  readonly offset: number;
  readonly limit: number;
}

export interface Listed<T> extends Page<T> {
  readonly offset: number;
  readonly limit: number;
}

export function dataSetDownloadPath(userId: string, id: number): string {
  return `/downloads/data-sets/${encodeURIComponent(userId)}/${id}`;
}

export class CatalogService {
  readonly #d: ServiceDeps;
  constructor(deps: ServiceDeps) {
    this.#d = deps;
  }

  async listDataSets(p: Principal, page: PageRequest): Promise<Listed<DataSet & { downloadUrl: string }>> {
    const result = await this.#d.dataSets.list(p.userId, page);
    const now = this.#d.clock.now().getTime();
    const items = result.items.map((d) => ({ ...d, downloadUrl: this.#d.signer.sign('GET', dataSetDownloadPath(d.userId, d.id), now) }));
    return { ...page, items, total: result.total };
  }

  /** Deleting a data set a model was trained on is allowed: the model keeps what it needs (DESIGN §1 row 27). */
  async deleteDataSet(p: Principal, id: number): Promise<void> {
    const d = await this.#d.dataSets.get(p.userId, id);
    if (d === null) throw new AppError('DATA_SET_NOT_FOUND', `data_set_id ${id}`);
    await this.#d.dataSets.delete(p.userId, id);
    await this.#d.blobs.delete(d.blobKey);
  }

  async listModels(p: Principal, page: PageRequest): Promise<Listed<Model>> {
    const result = await this.#d.models.list(p.userId, page);
    return { ...page, ...result };
  }

  async deleteModel(p: Principal, id: number): Promise<void> {
    const m = await this.#d.models.get(p.userId, id);
    if (m === null) throw new AppError('MODEL_NOT_FOUND', `model_id ${id}`);
    // DESIGN row 27: a served model cannot go; its retrain jobs are cancelled with it.
    const serving = await this.#d.classifiers.listByModel(id);
    if (serving.length > 0) throw new AppError('MODEL_IN_USE', `classifier_id ${serving.map((c) => c.id).join(', ')}`);
    await this.#d.models.delete(p.userId, id);
    await this.#d.retrainJobs.cancelByModel(id, isoUtc(this.#d.clock.now()));
    await this.#d.blobs.delete(m.blobKey);
  }
}
