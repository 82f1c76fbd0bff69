/** Retrain Data Upload, Retrain Status Check, Retrain Model Switch (spec §2.15–§2.17). */
import type { FastifyInstance } from 'fastify';
import { authenticate, queryOf } from '../auth.js';
import { retrainStatusBody } from '../compat/classifiers.js';
import type { AppServices } from '../services.js';

export function registerRetrainRoutes(app: FastifyInstance, services: AppServices): void {
  app.get('/v1/external/retrain_jobs/upload_url', async (req) => {
    const principal = await authenticate(services, req, ['retrain']);
    const q = queryOf(req);
    const opened = await services.retrain.openUpload(principal, q.filename, q.sheet);
    return { retrain_job_id: opened.jobId, upload_url: opened.uploadUrl };
  });

  app.get<{ Params: { retrain_job_id: string } }>('/v1/external/retrain_jobs/:retrain_job_id', async (req) => {
    const principal = await authenticate(services, req, ['retrain']);
    const { job, downloadUrl } = await services.retrain.status(principal, req.params.retrain_job_id);
    return retrainStatusBody(job, downloadUrl);
  });

  app.put<{ Params: { retrain_job_id: string } }>('/v1/external/retrain_jobs/:retrain_job_id/update_model', async (req) => {
    const principal = await authenticate(services, req, ['retrain']);
    const job = await services.retrain.switchModel(principal, req.params.retrain_job_id);
    return { metadata: { retrain_job_id: job.id } };
  });
}
