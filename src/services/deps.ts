/** What the services are built from: ports, a clock and settings. main.ts fills it in. */
import type { Clock } from '../domain/clock.js';
import type { Config } from '../config.js';
import type {
  BatchPredictionRepo,
  BlobStore,
  ClassifierRepo,
  DataSetRepo,
  JobQueue,
  KeyRepo,
  ModelRepo,
  ProcessRepo,
  RetrainJobRepo,
  UserRepo,
} from '../storage/ports.js';
import type { UrlSigner } from './signed-urls.js';

export interface ServiceDeps {
  readonly users: UserRepo;
  readonly keys: KeyRepo;
  readonly processes: ProcessRepo;
  readonly dataSets: DataSetRepo;
  readonly models: ModelRepo;
  readonly jobs: JobQueue;
  readonly classifiers: ClassifierRepo;
  readonly retrainJobs: RetrainJobRepo;
  readonly batchPredictions: BatchPredictionRepo;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  readonly signer: UrlSigner;
  readonly config: Pick<
    Config,
    | 'maxUploadBytes'
    | 'apiKeyTtlDays'
    | 'limits'
    | 'trainingTimeBudgetSeconds'
    | 'trainingSeed'
    | 'publicUrl'
    | 'modelCacheBytes'
    | 'inferenceMaxRows'
    | 'inferenceMaxCsvBytes'
    | 'retrainMaxUncompressedBytes'
  >;
  /** Called after a job is queued, so idle workers pick it up at once instead of on their next poll. */
  readonly onJobQueued?: () => void;
}

/** Job kind of a training run. */
export const TRAIN_JOB = 'train';
/** Job kind of a retrain (upload → training with the model's stored config → comparison zip). */
export const RETRAIN_JOB = 'retrain';
/** Job kind of a batch prediction. */
export const BATCH_PREDICT_JOB = 'batch_predict';
