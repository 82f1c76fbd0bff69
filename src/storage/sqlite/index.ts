/** The embedded metadata store: every repository and the job queue over one SQLite file. */
import type { Clock } from '../../domain/clock.js';
import { sqliteHooks } from '../kysely/dialect.js';
import { createKyselyRepos } from '../kysely/index.js';
import type { MetadataStorage } from '../ports.js';
import { openSqlite } from './database.js';
import { SqliteJobQueue } from './job-queue.js';

export type SqliteStorage = MetadataStorage;

/** @example const storage = createSqliteStorage('data/yosoku.db', systemClock); */
export function createSqliteStorage(path: string, clock: Clock): SqliteStorage {
  const { db, raw, close } = openSqlite(path);
  return { ...createKyselyRepos(db, sqliteHooks), jobs: new SqliteJobQueue(db, raw, clock), close };
}
