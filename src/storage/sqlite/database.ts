/** Opens the embedded SQLite database: WAL, busy timeout, foreign keys, migrations. */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { compileMigration, SCHEMA_MIGRATIONS } from '../kysely/migrations.js';
import type { Schema } from '../kysely/schema.js';

/**
 * How long a writer waits for another writer (the CLI creating a key while the server runs)
 * before SQLite gives up with SQLITE_BUSY. Writes here are single small statements, so seconds
 * of waiting only happen under pathological contention.
 */
const BUSY_TIMEOUT_MS = 10_000;

export interface SqliteDb {
  readonly db: Kysely<Schema>;
  /** The raw handle, for the one statement kysely cannot express atomically (job claim). */
  readonly raw: Database.Database;
  close(): Promise<void>;
}

/** `path` ':memory:' gives a private in-memory database (tests). */
export function openSqlite(path: string): SqliteDb {
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  raw.pragma('foreign_keys = ON');
  // WAL + NORMAL is durable against process crashes; only an OS crash may lose the last commits.
  raw.pragma('synchronous = NORMAL');
  migrate(raw);
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: raw }) });
  return {
    db,
    raw,
    close: () => db.destroy(),
  };
}

/** The schema migrations (kysely/migrations.ts) not yet applied; `user_version` counts the applied ones. */
function migrate(raw: Database.Database): void {
  // IMMEDIATE: two processes opening a fresh database at once must not both migrate.
  raw
    .transaction(() => {
      const done = raw.pragma('user_version', { simple: true }) as number;
      const pending = SCHEMA_MIGRATIONS.filter((m) => m.version > done);
      for (const m of pending) for (const statement of compileMigration(m, 'sqlite')) raw.exec(statement);
      if (pending.length > 0) raw.pragma(`user_version = ${pending.at(-1)!.version}`);
    })
    .immediate();
}
