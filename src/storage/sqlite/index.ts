/** The embedded metadata store: every repository and the job queue over one SQLite file. */
import type { Clock } from '../../domain/clock.js';
import type {
  BatchPredictionRepo,
  ClassifierRepo,
  DataSetRepo,
  JobQueue,
  KeyRepo,
  ModelRepo,
  ProcessRepo,
  RetrainJobRepo,
  UserRepo,
} from '../ports.js';
import { SqliteClassifierRepo } from './classifiers.js';
import { SqliteBatchPredictionRepo, SqliteRetrainJobRepo } from './retrain-jobs.js';
import { openSqlite } from './database.js';
import { SqliteDataSetRepo } from './data-sets.js';
import { SqliteJobQueue } from './job-queue.js';
import { SqliteModelRepo } from './models.js';
import { SqliteProcessRepo } from './processes.js';
import { SqliteKeyRepo, SqliteUserRepo } from './users.js';

export interface SqliteStorage {
  readonly users: UserRepo;
  readonly keys: KeyRepo;
  readonly processes: ProcessRepo;
  readonly dataSets: DataSetRepo;
  readonly models: ModelRepo;
  readonly jobs: JobQueue;
  readonly classifiers: ClassifierRepo;
  readonly retrainJobs: RetrainJobRepo;
  readonly batchPredictions: BatchPredictionRepo;
  close(): Promise<void>;
}

/** @example const storage = createSqliteStorage('data/yosoku.db', systemClock); */
export function createSqliteStorage(path: string, clock: Clock): SqliteStorage {
  const { db, raw, close } = openSqlite(path);
  return {
    users: new SqliteUserRepo(db),
    keys: new SqliteKeyRepo(db),
    processes: new SqliteProcessRepo(db),
    dataSets: new SqliteDataSetRepo(db),
    models: new SqliteModelRepo(db),
    jobs: new SqliteJobQueue(db, raw, clock),
    classifiers: new SqliteClassifierRepo(db),
    retrainJobs: new SqliteRetrainJobRepo(db),
    batchPredictions: new SqliteBatchPredictionRepo(db),
    close,
  };
}
