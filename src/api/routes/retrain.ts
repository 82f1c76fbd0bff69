/** Retrain Data Upload, Retrain Status Check, Retrain Model Switch (spec §2.15–§2.17). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf, requireKey } from '../auth.js';
import { retrainStatusBody } from '../compat/classifiers.js';
import { RetrainParams, RetrainStatusResponse, RetrainSwitchResponse, RetrainUploadQuery, RetrainUploadResponse } from '../schemas/index.js';
import type { AppServices } from '../services.js';
import { errorResponses, security } from './route-schema.js';

const TAGS = ['retrain'];

export function registerRetrainRoutes(app: FastifyInstance, services: AppServices): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const retrain = { preValidation: requireKey(services, ['retrain']) };

  r.get('/v1/external/retrain_jobs/upload_url', {
    ...retrain,
    schema: {
      tags: TAGS,
      summary: 'Retrain Data Upload',
      description: "Opens a retrain of the key's model: PUT a CSV/TSV, a zip (train_src/, eval_src/) or an .xlsx to upload_url and it starts by itself.",
      security: security('retrainKey'),
      querystring: RetrainUploadQuery,
      response: {
        200: RetrainUploadResponse.meta({
          example: { retrain_job_id: '9f0e4c1a-…', upload_url: 'http://127.0.0.1:8080/retrain-uploads/9f0e4c1a-…?expires=…&sig=…' },
        }),
        ...errorResponses(),
      },
    },
    handler: async (req) => {
      const opened = await services.retrain.openUpload(principalOf(req), req.query.filename, req.query.sheet);
      return { retrain_job_id: opened.jobId, upload_url: opened.uploadUrl };
    },
  });

  r.get('/v1/external/retrain_jobs/:retrain_job_id', {
    ...retrain,
    schema: {
      tags: TAGS,
      summary: 'Retrain Status Check',
      description: 'job_waiting → job_running → job_finished (model_id: the new model; download_url: the comparison zip) or job_failed (message).',
      security: security('retrainKey'),
      params: RetrainParams,
      response: {
        200: RetrainStatusResponse.meta({
          example: {
            status: 'job_finished',
            model_id: 2,
            download_url: 'http://127.0.0.1:8080/downloads/retrain/9f0e…/result.zip?expires=…&sig=…',
            metadata: { retrain_job_id: '9f0e4c1a-…' },
          },
        }),
        ...errorResponses(),
      },
    },
    handler: async (req) => {
      const { job, downloadUrl } = await services.retrain.status(principalOf(req), req.params.retrain_job_id);
      return retrainStatusBody(job, downloadUrl);
    },
  });

  r.put('/v1/external/retrain_jobs/:retrain_job_id/update_model', {
    ...retrain,
    schema: {
      tags: TAGS,
      summary: 'Retrain Model Switch',
      description: 'The classifier serving the model switches to the retrained one: same id, URL and key, version + 1.',
      security: security('retrainKey'),
      params: RetrainParams,
      response: { 200: RetrainSwitchResponse.meta({ example: { metadata: { retrain_job_id: '9f0e4c1a-…' } } }), ...errorResponses(409) },
    },
    handler: async (req) => {
      const job = await services.retrain.switchModel(principalOf(req), req.params.retrain_job_id);
      return { metadata: { retrain_job_id: job.id } };
    },
  });
}
