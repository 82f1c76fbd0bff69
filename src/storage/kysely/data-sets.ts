/** DataSetRepo on kysely, shared by SQLite and PostgreSQL. */
import type { Kysely, Selectable } from 'kysely';
import type { DataSet, FileExtension, Page } from '../../domain/records.js';
import type { DataSetRepo, NewDataSet, PageRequest } from '../ports.js';
import { listByUserNewestFirst } from './paging.js';
import type { DataSetsTable, Schema } from './schema.js';

function toDataSet(r: Selectable<DataSetsTable>): DataSet {
  return {
    id: r.id,
    userId: r.user_id,
    processId: r.process_id,
    name: r.name,
    extension: r.extension as FileExtension,
    columnCount: r.column_count,
    rowCount: r.row_count,
    sizeBytes: Number(r.size_bytes),
    blobKey: r.blob_key,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export class KyselyDataSetRepo implements DataSetRepo {
  readonly #db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.#db = db;
  }

  async create(d: NewDataSet): Promise<DataSet> {
    const r = await this.#db
      .insertInto('data_sets')
      .values({
        user_id: d.userId,
        process_id: d.processId,
        name: d.name,
        extension: d.extension,
        column_count: d.columnCount,
        row_count: d.rowCount,
        size_bytes: d.sizeBytes,
        blob_key: d.blobKey,
        created_at: d.createdAt,
        updated_at: d.updatedAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toDataSet(r);
  }

  async get(userId: string, id: number): Promise<DataSet | null> {
    const r = await this.#db.selectFrom('data_sets').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return r === undefined ? null : toDataSet(r);
  }

  async list(userId: string, page: PageRequest): Promise<Page<DataSet>> {
    return listByUserNewestFirst(this.#db, 'data_sets', userId, page, toDataSet);
  }

  async totalBytes(userId: string): Promise<number> {
    const r = await this.#db
      .selectFrom('data_sets')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('size_bytes'), eb.lit(0)).as('total'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(r.total);
  }

  async rename(userId: string, id: number, name: string, updatedAt: string): Promise<boolean> {
    const r = await this.#db
      .updateTable('data_sets')
      .set({ name, updated_at: updatedAt })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async delete(userId: string, id: number): Promise<boolean> {
    const r = await this.#db.deleteFrom('data_sets').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
