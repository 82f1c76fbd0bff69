/** UserRepo and KeyRepo on kysely, shared by SQLite and PostgreSQL. */
import type { Kysely, Selectable } from 'kysely';
import type { ApiKey, KeyScope, User } from '../../domain/records.js';
import type { KeyRepo, UserRepo } from '../ports.js';
import type { ApiKeysTable, Schema, UsersTable } from './schema.js';

function toUser(r: Selectable<UsersTable>): User {
  return { id: r.id, name: r.name, createdAt: r.created_at, deletedAt: r.deleted_at };
}

function toKey(r: Selectable<ApiKeysTable>): ApiKey {
  return {
    keyHash: r.key_hash,
    userId: r.user_id,
    scope: r.scope as KeyScope,
    modelId: r.model_id,
    endDate: r.end_date,
    createdAt: r.created_at,
  };
}

export class KyselyUserRepo implements UserRepo {
  readonly #db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.#db = db;
  }

  async create(u: User): Promise<void> {
    await this.#db.insertInto('users').values({ id: u.id, name: u.name, created_at: u.createdAt, deleted_at: u.deletedAt }).execute();
  }

  async get(id: string): Promise<User | null> {
    const r = await this.#db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return r === undefined ? null : toUser(r);
  }

  async findByName(name: string): Promise<User | null> {
    const r = await this.#db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
    return r === undefined ? null : toUser(r);
  }

  async count(): Promise<number> {
    const r = await this.#db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async markDeleted(id: string, at: string): Promise<void> {
    await this.#db.updateTable('users').set({ deleted_at: at }).where('id', '=', id).execute();
  }
}

export class KyselyKeyRepo implements KeyRepo {
  readonly #db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.#db = db;
  }

  async create(k: ApiKey): Promise<void> {
    await this.#db
      .insertInto('api_keys')
      .values({
        key_hash: k.keyHash,
        user_id: k.userId,
        scope: k.scope,
        model_id: k.modelId,
        end_date: k.endDate,
        created_at: k.createdAt,
      })
      .execute();
  }

  async findByHash(keyHash: string): Promise<ApiKey | null> {
    const r = await this.#db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
    return r === undefined ? null : toKey(r);
  }
}
