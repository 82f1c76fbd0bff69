/** What the services are built from: ports, a clock and settings. main.ts fills it in. */
import type { Clock } from '../domain/clock.js';
import type { Config } from '../config.js';
import type { BlobStore, MetadataStorage } from '../storage/ports.js';
import type { InferenceRunner } from '../compute/inference-runner.js';
import type { LoadedModel } from '../deploy/loaded-models.js';
import type { ServiceMetrics } from './metrics.js';
import type { UrlSigner } from './signed-urls.js';

/** The repositories and the queue (whichever store main.ts opened), plus blobs, clock and settings. */
export interface ServiceDeps extends Omit<MetadataStorage, 'close'> {
  readonly blobs: BlobStore;
  readonly clock: Clock;
  readonly signer: UrlSigner;
  readonly config: Pick<
    Config,
    | 'maxUploadBytes'
    | 'maxRecordChars'
    | 'quotas'
    | 'profileMemoryBytes'
    | 'apiKeyTtlDays'
    | 'limits'
    | 'trainingTimeBudgetSeconds'
    | 'trainingSeed'
    | 'publicUrl'
    | 'modelCacheBytes'
    | 'inferenceMaxRows'
    | 'inferenceMaxCsvBytes'
    | 'inferenceInlineMaxCost'
    | 'retrainMaxUncompressedBytes'
    | 'holdSwitchFile'
    | 'holdBatchFile'
    | 'switchLeaseMs'
  >;
  /** Where costly inference requests are computed (compute threads); absent: all inline. */
  readonly inferenceRunner?: InferenceRunner;
  /** Called after a job is queued, so idle workers pick it up at once instead of on their next poll. */
  readonly onJobQueued?: () => void;
  /** Deserializes a stored model for inference; deploy's `loadModel` unless replaced (tests). */
  readonly loadModel?: (text: string) => LoadedModel;
  /** Row counts for /metrics (main.ts sets it). */
  readonly metrics?: ServiceMetrics;
}

/** Job kind of a training run. */
export const TRAIN_JOB = 'train';
/** Job kind of a retrain (upload → training with the model's stored config → comparison zip). */
export const RETRAIN_JOB = 'retrain';
/** Job kind of a batch prediction. */
export const BATCH_PREDICT_JOB = 'batch_predict';
