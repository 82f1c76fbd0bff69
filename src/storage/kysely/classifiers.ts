/**
 * ClassifierRepo on kysely, shared by SQLite and PostgreSQL. Rules are stored as JSON text;
 * booleans as 0/1.
 */
import type { Kysely, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Classifier, Page } from '../../domain/records.js';
import type { ClassifierRepo, ClassifierUpdate, PageRequest } from '../ports.js';
import type { DialectHooks } from './dialect.js';
import type { ClassifiersTable, Schema } from './schema.js';

function toClassifier(r: Selectable<ClassifiersTable>): Classifier {
  return {
    id: r.id,
    userId: r.user_id,
    groupId: r.group_id,
    modelId: r.model_id,
    apiKey: r.api_key,
    status: r.status as Classifier['status'],
    active: r.active === 1,
    isEditable: r.is_editable === 1,
    version: r.version,
    rules: JSON.parse(r.rules_json) as Classifier['rules'],
    url: r.url,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toRow(p: ClassifierUpdate): Updateable<ClassifiersTable> {
  const row: Updateable<ClassifiersTable> = { updated_at: p.updatedAt };
  if (p.status !== undefined) row.status = p.status;
  if (p.active !== undefined) row.active = p.active ? 1 : 0;
  if (p.isEditable !== undefined) row.is_editable = p.isEditable ? 1 : 0;
  if (p.rules !== undefined) row.rules_json = JSON.stringify(p.rules);
  if (p.url !== undefined) row.url = p.url;
  return row;
}

export class KyselyClassifierRepo implements ClassifierRepo {
  readonly #db: Kysely<Schema>;
  readonly #hooks: DialectHooks;
  constructor(db: Kysely<Schema>, hooks: DialectHooks) {
    this.#db = db;
    this.#hooks = hooks;
  }

  async create(c: Classifier): Promise<Classifier> {
    const r = await this.#db
      .insertInto('classifiers')
      .values({
        id: c.id,
        user_id: c.userId,
        group_id: c.groupId,
        model_id: c.modelId,
        api_key: c.apiKey,
        status: c.status,
        active: c.active ? 1 : 0,
        is_editable: c.isEditable ? 1 : 0,
        version: c.version,
        rules_json: JSON.stringify(c.rules),
        url: c.url,
        created_at: c.createdAt,
        updated_at: c.updatedAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toClassifier(r);
  }

  async get(userId: string, id: string): Promise<Classifier | null> {
    const r = await this.#db.selectFrom('classifiers').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return r === undefined ? null : toClassifier(r);
  }

  async getById(id: string): Promise<Classifier | null> {
    const r = await this.#db.selectFrom('classifiers').selectAll().where('id', '=', id).executeTakeFirst();
    return r === undefined ? null : toClassifier(r);
  }

  async list(userId: string, page: PageRequest): Promise<Page<Classifier>> {
    const rows = await this.#db
      .selectFrom('classifiers')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy(sql.ref(this.#hooks.insertionOrder), 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    const total = await this.#db
      .selectFrom('classifiers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return { items: rows.map(toClassifier), total: Number(total.n) };
  }

  async update(id: string, patch: ClassifierUpdate): Promise<Classifier | null> {
    const r = await this.#db.updateTable('classifiers').set(toRow(patch)).where('id', '=', id).returningAll().executeTakeFirst();
    return r === undefined ? null : toClassifier(r);
  }

  async updateIfStatus(id: string, expected: Classifier['status'], patch: ClassifierUpdate): Promise<Classifier | null> {
    const r = await this.#db.updateTable('classifiers').set(toRow(patch)).where('id', '=', id).where('status', '=', expected).returningAll().executeTakeFirst();
    return r === undefined ? null : toClassifier(r);
  }

  async switchModel(id: string, expectedModelId: number, newModelId: number, patch: ClassifierUpdate): Promise<Classifier | null> {
    const r = await this.#db
      .updateTable('classifiers')
      .set({ ...toRow(patch), model_id: newModelId, version: sql<number>`version + 1` })
      .where('id', '=', id)
      .where('model_id', '=', expectedModelId)
      .returningAll()
      .executeTakeFirst();
    return r === undefined ? null : toClassifier(r);
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.#db.deleteFrom('classifiers').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async listByModel(modelId: number): Promise<Classifier[]> {
    const rows = await this.#db
      .selectFrom('classifiers')
      .selectAll()
      .where('model_id', '=', modelId)
      .orderBy('created_at', 'desc')
      .orderBy(sql.ref(this.#hooks.insertionOrder), 'desc')
      .execute();
    return rows.map(toClassifier);
  }

  async listByStatus(statuses: readonly Classifier['status'][]): Promise<Classifier[]> {
    if (statuses.length === 0) return [];
    const rows = await this.#db
      .selectFrom('classifiers')
      .selectAll()
      .where('status', 'in', [...statuses])
      .execute();
    return rows.map(toClassifier);
  }
}
