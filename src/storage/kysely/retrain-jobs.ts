/** RetrainJobRepo and BatchPredictionRepo on kysely, shared by SQLite and PostgreSQL. */
import type { Kysely, Selectable, Updateable } from 'kysely';
import type { BatchPrediction, RetrainJob, RetrainStatus } from '../../domain/records.js';
import type { BatchPredictionPatch, BatchPredictionRepo, NewBatchPrediction, NewRetrainJob, RetrainJobPatch, RetrainJobRepo } from '../ports.js';
import type { BatchPredictionsTable, RetrainJobsTable, Schema } from './schema.js';

function toJob(r: Selectable<RetrainJobsTable>): RetrainJob {
  return {
    id: r.id,
    userId: r.user_id,
    modelId: r.model_id,
    classifierId: r.classifier_id,
    filename: r.filename,
    uploadBlobKey: r.upload_blob_key,
    status: r.status as RetrainStatus,
    message: r.message,
    processId: r.process_id,
    newModelId: r.new_model_id,
    resultBlobKey: r.result_blob_key,
    switchedAt: r.switched_at,
    cancelledAt: r.cancelled_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function jobRow(p: RetrainJobPatch): Updateable<RetrainJobsTable> {
  const row: Updateable<RetrainJobsTable> = { updated_at: p.updatedAt };
  if (p.classifierId !== undefined) row.classifier_id = p.classifierId;
  if (p.uploadBlobKey !== undefined) row.upload_blob_key = p.uploadBlobKey;
  if (p.status !== undefined) row.status = p.status;
  if (p.message !== undefined) row.message = p.message;
  if (p.processId !== undefined) row.process_id = p.processId;
  if (p.newModelId !== undefined) row.new_model_id = p.newModelId;
  if (p.resultBlobKey !== undefined) row.result_blob_key = p.resultBlobKey;
  if (p.switchedAt !== undefined) row.switched_at = p.switchedAt;
  if (p.cancelledAt !== undefined) row.cancelled_at = p.cancelledAt;
  return row;
}

export class KyselyRetrainJobRepo implements RetrainJobRepo {
  readonly #db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.#db = db;
  }

  async create(j: NewRetrainJob): Promise<RetrainJob> {
    const r = await this.#db
      .insertInto('retrain_jobs')
      .values({
        id: j.id,
        user_id: j.userId,
        model_id: j.modelId,
        classifier_id: j.classifierId,
        filename: j.filename,
        upload_blob_key: null,
        status: 'job_waiting',
        message: null,
        process_id: null,
        new_model_id: null,
        result_blob_key: null,
        switched_at: null,
        cancelled_at: null,
        created_at: j.createdAt,
        updated_at: j.createdAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toJob(r);
  }

  async get(userId: string, id: string): Promise<RetrainJob | null> {
    const r = await this.#db.selectFrom('retrain_jobs').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return r === undefined ? null : toJob(r);
  }

  async getById(id: string): Promise<RetrainJob | null> {
    const r = await this.#db.selectFrom('retrain_jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return r === undefined ? null : toJob(r);
  }

  async update(id: string, patch: RetrainJobPatch): Promise<RetrainJob> {
    const r = await this.#db.updateTable('retrain_jobs').set(jobRow(patch)).where('id', '=', id).returningAll().executeTakeFirst();
    if (r === undefined) throw new Error(`retrain job ${id} does not exist`);
    return toJob(r);
  }

  async updateIfStatus(id: string, expected: RetrainStatus, patch: RetrainJobPatch): Promise<RetrainJob | null> {
    const r = await this.#db
      .updateTable('retrain_jobs')
      .set(jobRow(patch))
      .where('id', '=', id)
      .where('status', '=', expected)
      .returningAll()
      .executeTakeFirst();
    return r === undefined ? null : toJob(r);
  }

  async cancelByModel(modelId: number, at: string): Promise<number> {
    const r = await this.#db
      .updateTable('retrain_jobs')
      .set({ cancelled_at: at, updated_at: at })
      .where('model_id', '=', modelId)
      .where('cancelled_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }
}

function toBatch(r: Selectable<BatchPredictionsTable>): BatchPrediction {
  return {
    id: r.id,
    userId: r.user_id,
    classifierId: r.classifier_id,
    modelId: r.model_id,
    filename: r.filename,
    options: JSON.parse(r.options_json) as BatchPrediction['options'],
    uploadBlobKey: r.upload_blob_key,
    status: r.status as RetrainStatus,
    progress: r.progress,
    message: r.message,
    resultBlobKey: r.result_blob_key,
    rows: r.rows_json === null ? null : (JSON.parse(r.rows_json) as BatchPrediction['rows']),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function batchRow(p: BatchPredictionPatch): Updateable<BatchPredictionsTable> {
  const row: Updateable<BatchPredictionsTable> = { updated_at: p.updatedAt };
  if (p.modelId !== undefined) row.model_id = p.modelId;
  if (p.uploadBlobKey !== undefined) row.upload_blob_key = p.uploadBlobKey;
  if (p.status !== undefined) row.status = p.status;
  if (p.progress !== undefined) row.progress = p.progress;
  if (p.message !== undefined) row.message = p.message;
  if (p.resultBlobKey !== undefined) row.result_blob_key = p.resultBlobKey;
  if (p.rows !== undefined) row.rows_json = p.rows === null ? null : JSON.stringify(p.rows);
  return row;
}

export class KyselyBatchPredictionRepo implements BatchPredictionRepo {
  readonly #db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.#db = db;
  }

  async create(b: NewBatchPrediction): Promise<BatchPrediction> {
    const r = await this.#db
      .insertInto('batch_predictions')
      .values({
        id: b.id,
        user_id: b.userId,
        classifier_id: b.classifierId,
        model_id: null,
        filename: b.filename,
        options_json: JSON.stringify(b.options),
        upload_blob_key: null,
        status: 'job_waiting',
        progress: 0,
        message: null,
        result_blob_key: null,
        rows_json: null,
        created_at: b.createdAt,
        updated_at: b.createdAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toBatch(r);
  }

  async get(userId: string, id: string): Promise<BatchPrediction | null> {
    const r = await this.#db.selectFrom('batch_predictions').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return r === undefined ? null : toBatch(r);
  }

  async getById(id: string): Promise<BatchPrediction | null> {
    const r = await this.#db.selectFrom('batch_predictions').selectAll().where('id', '=', id).executeTakeFirst();
    return r === undefined ? null : toBatch(r);
  }

  async update(id: string, patch: BatchPredictionPatch): Promise<BatchPrediction> {
    const r = await this.#db.updateTable('batch_predictions').set(batchRow(patch)).where('id', '=', id).returningAll().executeTakeFirst();
    if (r === undefined) throw new Error(`batch prediction ${id} does not exist`);
    return toBatch(r);
  }

  async updateIfStatus(id: string, expected: RetrainStatus, patch: BatchPredictionPatch): Promise<BatchPrediction | null> {
    const r = await this.#db
      .updateTable('batch_predictions')
      .set(batchRow(patch))
      .where('id', '=', id)
      .where('status', '=', expected)
      .returningAll()
      .executeTakeFirst();
    return r === undefined ? null : toBatch(r);
  }
}
