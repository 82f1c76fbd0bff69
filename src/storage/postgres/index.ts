/** The scale-out metadata store: every repository and the job queue over one PostgreSQL schema. */
import type { Clock } from '../../domain/clock.js';
import { postgresHooks } from '../kysely/dialect.js';
import { createKyselyRepos } from '../kysely/index.js';
import type { MetadataStorage } from '../ports.js';
import { checkSchemaName, openPostgres, type PostgresOptions } from './database.js';
import { jobChannel, PgJobQueue } from './job-queue.js';

export type PostgresStorage = MetadataStorage;

export type { PostgresOptions };

/** @example const storage = await createPostgresStorage({ connectionString, schema: 'yosoku' }, systemClock); */
export async function createPostgresStorage(opts: PostgresOptions, clock: Clock): Promise<PostgresStorage> {
  const { db, pool, close } = await openPostgres(opts);
  return { ...createKyselyRepos(db, postgresHooks), jobs: new PgJobQueue(pool, clock, jobChannel(checkSchemaName(opts.schema))), close };
}
