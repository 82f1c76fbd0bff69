/** "Newest first, per user, with the total": the listing of data sets and models. */
import type { Kysely, Selectable } from 'kysely';
import type { Page } from '../../domain/records.js';
import type { PageRequest } from '../ports.js';
import type { Schema } from './schema.js';

/** Tables with an increasing integer `id` and a `user_id`. */
type UserTable = 'data_sets' | 'models';

export async function listByUserNewestFirst<T extends UserTable, R>(
  db: Kysely<Schema>,
  table: T,
  userId: string,
  page: PageRequest,
  toRecord: (r: Selectable<Schema[T]>) => R,
): Promise<Page<R>> {
  // Narrowed to one table for kysely's column checks; both tables have the columns used here.
  const from = db.selectFrom(table as UserTable);
  const rows = await from.selectAll().where('user_id', '=', userId).orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
  const total = await from
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return { items: (rows as Selectable<Schema[T]>[]).map(toRecord), total: Number(total.n) };
}
