/** Builds every use case from the same dependencies. */
import { AuthService } from './auth.js';
import { CatalogService } from './catalog.js';
import type { ServiceDeps } from './deps.js';
import { BatchService } from './batch.js';
import { DeploymentService } from './deployment.js';
import { DownloadService } from './downloads.js';
import { HealthService } from './health.js';
import { ModelStore } from './model-store.js';
import { RetrainService } from './retrain.js';
import { TrainingService } from './training.js';
import { UploadService } from './uploads.js';

export { BATCH_PREDICT_JOB, RETRAIN_JOB, TRAIN_JOB, type ServiceDeps } from './deps.js';
export { RetrainJobHandler } from './retrain-job.js';
export { BatchPredictionJobHandler } from './batch.js';
export { ModelStore } from './model-store.js';
export { TrainingJobHandler, type TrainingJobOptions } from './training-job.js';
export { createUrlSigner, type UrlSigner } from './signed-urls.js';
export { AuthService } from './auth.js';
export type { ServiceMetrics } from './metrics.js';

export interface Services {
  readonly auth: AuthService;
  readonly uploads: UploadService;
  readonly catalog: CatalogService;
  readonly training: TrainingService;
  readonly downloads: DownloadService;
  readonly deployment: DeploymentService;
  readonly retrain: RetrainService;
  readonly batch: BatchService;
  /** The deployed-model cache shared by inference, switches and job handlers. */
  readonly models: ModelStore;
  readonly health: HealthService;
}

export function createServices(deps: ServiceDeps): Services {
  const models = new ModelStore(deps);
  const deployment = new DeploymentService(deps, models);
  // Every service writes classifiers through the repository that invalidates the inference
  // path's short-lived classifier cache (DeploymentService, docs/deploy.md §11).
  const cd = deployment.deps;
  return {
    deployment,
    retrain: new RetrainService(cd, models, deployment),
    batch: new BatchService(cd, deployment),
    models,
    auth: new AuthService(deps),
    uploads: new UploadService(deps),
    catalog: new CatalogService(deps),
    training: new TrainingService(deps),
    downloads: new DownloadService(deps),
    health: new HealthService(deps),
  };
}
