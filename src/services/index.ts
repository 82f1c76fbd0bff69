/** Builds every use case from the same dependencies. */
import { AuthService } from './auth.js';
import { CatalogService } from './catalog.js';
import type { ServiceDeps } from './deps.js';
import { DownloadService } from './downloads.js';
import { TrainingService } from './training.js';
import { UploadService } from './uploads.js';

export { TRAIN_JOB, type ServiceDeps } from './deps.js';
export { TrainingJobHandler, type TrainingJobOptions } from './training-job.js';
export { createUrlSigner, type UrlSigner } from './signed-urls.js';
export { AuthService } from './auth.js';

export interface Services {
  readonly auth: AuthService;
  readonly uploads: UploadService;
  readonly catalog: CatalogService;
  readonly training: TrainingService;
  readonly downloads: DownloadService;
}

export function createServices(deps: ServiceDeps): Services {
  return {
    auth: new AuthService(deps),
    uploads: new UploadService(deps),
    catalog: new CatalogService(deps),
    training: new TrainingService(deps),
    downloads: new DownloadService(deps),
  };
}
