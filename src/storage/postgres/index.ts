/** The scale-out metadata store: every repository and the job queue over one PostgreSQL schema. */
import type { Clock } from '../../domain/clock.js';
import type { DataSetRepo, JobQueue, KeyRepo, ModelRepo, ProcessRepo, UserRepo } from '../ports.js';
import { openPostgres, type PostgresOptions } from './database.js';
import { PgDataSetRepo } from './data-sets.js';
import { PgJobQueue } from './job-queue.js';
import { PgModelRepo } from './models.js';
import { PgProcessRepo } from './processes.js';
import { PgKeyRepo, PgUserRepo } from './users.js';

export interface PostgresStorage {
  readonly users: UserRepo;
  readonly keys: KeyRepo;
  readonly processes: ProcessRepo;
  readonly dataSets: DataSetRepo;
  readonly models: ModelRepo;
  readonly jobs: JobQueue;
  close(): Promise<void>;
}

export type { PostgresOptions };

/** @example const storage = await createPostgresStorage({ connectionString, schema: 'yosoku' }, systemClock); */
export async function createPostgresStorage(opts: PostgresOptions, clock: Clock): Promise<PostgresStorage> {
  const { db, pool, close } = await openPostgres(opts);
  return {
    users: new PgUserRepo(db),
    keys: new PgKeyRepo(db),
    processes: new PgProcessRepo(db),
    dataSets: new PgDataSetRepo(db),
    models: new PgModelRepo(db),
    jobs: new PgJobQueue(pool, clock),
    close,
  };
}
