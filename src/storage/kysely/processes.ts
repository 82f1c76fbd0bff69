/**
 * ProcessRepo on kysely, shared by SQLite and PostgreSQL. Nested parts (config, settings, files)
 * are stored as JSON text.
 */
import type { Kysely, Selectable, Updateable } from 'kysely';
import type { FileExtension, ProcessStatus, TrainingProcess } from '../../domain/records.js';
import type { NewProcess, ProcessPatch, ProcessRepo } from '../ports.js';
import type { ProcessesTable, Schema } from './schema.js';

function parse<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

function json(v: unknown): string | null {
  return v === null || v === undefined ? null : JSON.stringify(v);
}

function toProcess(r: Selectable<ProcessesTable>): TrainingProcess {
  return {
    id: r.id,
    userId: r.user_id,
    extension: r.extension as FileExtension,
    status: r.status as ProcessStatus,
    name: r.name,
    config: parse(r.config_json),
    settings: parse(r.settings_json),
    learn: parse(r.learn_json),
    eval: parse(r.eval_json),
    columnTypes: parse(r.column_types_json),
    modelId: r.model_id,
    progress: r.progress,
    message: r.message,
    resultBlobKey: r.result_blob_key,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toRow(p: ProcessPatch): Updateable<ProcessesTable> {
  const row: Updateable<ProcessesTable> = { updated_at: p.updatedAt };
  if (p.status !== undefined) row.status = p.status;
  if (p.name !== undefined) row.name = p.name;
  if (p.config !== undefined) row.config_json = json(p.config);
  if (p.settings !== undefined) row.settings_json = json(p.settings);
  if (p.learn !== undefined) row.learn_json = json(p.learn);
  if (p.eval !== undefined) row.eval_json = json(p.eval);
  if (p.columnTypes !== undefined) row.column_types_json = json(p.columnTypes);
  if (p.modelId !== undefined) row.model_id = p.modelId;
  if (p.progress !== undefined) row.progress = p.progress;
  if (p.message !== undefined) row.message = p.message;
  if (p.resultBlobKey !== undefined) row.result_blob_key = p.resultBlobKey;
  return row;
}

export class KyselyProcessRepo implements ProcessRepo {
  readonly #db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.#db = db;
  }

  async create(p: NewProcess): Promise<TrainingProcess> {
    const r = await this.#db
      .insertInto('processes')
      .values({
        id: p.id,
        user_id: p.userId,
        extension: p.extension,
        status: 'uploading',
        name: null,
        config_json: null,
        settings_json: null,
        learn_json: null,
        eval_json: null,
        column_types_json: null,
        model_id: null,
        progress: null,
        message: null,
        result_blob_key: null,
        created_at: p.createdAt,
        updated_at: p.createdAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toProcess(r);
  }

  async get(userId: string, id: string): Promise<TrainingProcess | null> {
    const r = await this.#db.selectFrom('processes').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return r === undefined ? null : toProcess(r);
  }

  async getById(id: string): Promise<TrainingProcess | null> {
    const r = await this.#db.selectFrom('processes').selectAll().where('id', '=', id).executeTakeFirst();
    return r === undefined ? null : toProcess(r);
  }

  async update(id: string, patch: ProcessPatch): Promise<TrainingProcess> {
    const r = await this.#db.updateTable('processes').set(toRow(patch)).where('id', '=', id).returningAll().executeTakeFirst();
    if (r === undefined) throw new Error(`process ${id} does not exist`);
    return toProcess(r);
  }

  async countOpen(userId: string): Promise<number> {
    const r = await this.#db
      .selectFrom('processes')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('user_id', '=', userId)
      .where('status', 'in', ['uploading', 'waiting', 'running'])
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async updateIfStatus(id: string, expected: ProcessStatus, patch: ProcessPatch): Promise<TrainingProcess | null> {
    const r = await this.#db.updateTable('processes').set(toRow(patch)).where('id', '=', id).where('status', '=', expected).returningAll().executeTakeFirst();
    return r === undefined ? null : toProcess(r);
  }
}
