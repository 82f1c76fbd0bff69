/** ModelRepo on kysely, shared by SQLite and PostgreSQL. */
import type { Kysely, Selectable } from 'kysely';
import type { Model, Page } from '../../domain/records.js';
import type { ModelRepo, NewModel, PageRequest } from '../ports.js';
import { listByUserNewestFirst } from './paging.js';
import type { ModelsTable, Schema } from './schema.js';

function toModel(r: Selectable<ModelsTable>): Model {
  return {
    id: r.id,
    userId: r.user_id,
    processId: r.process_id,
    name: r.name,
    task: r.task as Model['task'],
    version: r.version,
    config: JSON.parse(r.config_json) as Model['config'],
    blobKey: r.blob_key,
    metrics: JSON.parse(r.metrics_json) as Model['metrics'],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export class KyselyModelRepo implements ModelRepo {
  readonly #db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.#db = db;
  }

  async create(m: NewModel): Promise<Model> {
    const r = await this.#db
      .insertInto('models')
      .values({
        user_id: m.userId,
        process_id: m.processId,
        name: m.name,
        task: m.task,
        version: m.version,
        config_json: JSON.stringify(m.config),
        blob_key: m.blobKey,
        metrics_json: JSON.stringify(m.metrics),
        created_at: m.createdAt,
        updated_at: m.updatedAt,
      })
      .onConflict((oc) => oc.column('process_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (r !== undefined) return toModel(r);
    // A rerun of a training job whose first run already stored the model: keep the first one.
    const existing = await this.#db.selectFrom('models').selectAll().where('process_id', '=', m.processId).executeTakeFirstOrThrow();
    return toModel(existing);
  }

  async get(userId: string, id: number): Promise<Model | null> {
    const r = await this.#db.selectFrom('models').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return r === undefined ? null : toModel(r);
  }

  async list(userId: string, page: PageRequest): Promise<Page<Model>> {
    return listByUserNewestFirst(this.#db, 'models', userId, page, toModel);
  }

  async delete(userId: string, id: number): Promise<boolean> {
    const r = await this.#db.deleteFrom('models').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
