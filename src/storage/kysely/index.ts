/** The repositories both stores build the same way over their kysely instance. */
import type { Kysely } from 'kysely';
import type { MetadataStorage } from '../ports.js';
import { KyselyClassifierRepo } from './classifiers.js';
import { KyselyDataSetRepo } from './data-sets.js';
import type { DialectHooks } from './dialect.js';
import { KyselyModelRepo } from './models.js';
import { KyselyProcessRepo } from './processes.js';
import { KyselyBatchPredictionRepo, KyselyRetrainJobRepo } from './retrain-jobs.js';
import type { Schema } from './schema.js';
import { KyselyKeyRepo, KyselyUserRepo } from './users.js';

export type KyselyRepos = Omit<MetadataStorage, 'jobs' | 'close'>;

export function createKyselyRepos(db: Kysely<Schema>, hooks: DialectHooks): KyselyRepos {
  return {
    users: new KyselyUserRepo(db),
    keys: new KyselyKeyRepo(db),
    processes: new KyselyProcessRepo(db),
    dataSets: new KyselyDataSetRepo(db),
    models: new KyselyModelRepo(db),
    classifiers: new KyselyClassifierRepo(db, hooks),
    retrainJobs: new KyselyRetrainJobRepo(db),
    batchPredictions: new KyselyBatchPredictionRepo(db),
  };
}
