/** What the services are built from: ports, a clock and settings. main.ts fills it in. */
import type { Clock } from '../domain/clock.js';
import type { Config } from '../config.js';
import type { BlobStore, DataSetRepo, JobQueue, KeyRepo, ModelRepo, ProcessRepo, UserRepo } from '../storage/ports.js';
import type { UrlSigner } from './signed-urls.js';

export interface ServiceDeps {
  readonly users: UserRepo;
  readonly keys: KeyRepo;
  readonly processes: ProcessRepo;
  readonly dataSets: DataSetRepo;
  readonly models: ModelRepo;
  readonly jobs: JobQueue;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  readonly signer: UrlSigner;
  readonly config: Pick<Config, 'maxUploadBytes' | 'apiKeyTtlDays' | 'limits' | 'trainingTimeBudgetSeconds' | 'trainingSeed'>;
  /** Called after a job is queued, so idle workers pick it up at once instead of on their next poll. */
  readonly onJobQueued?: () => void;
}

/** Job kind of a training run. */
export const TRAIN_JOB = 'train';
