/** Train, Train Status Check, Get/Delete Model (spec §2.4–2.7). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf, requireKey } from '../auth.js';
import { modelItem, pageMetadata, trainingStatusBody } from '../compat/resources.js';
import { Empty, ModelList, ModelParams, PageQuery, TrainBody, TrainResponse, TrainStatusQuery, TrainStatusResponse } from '../schemas/index.js';
import type { AppServices } from '../services.js';
import { errorResponses, security } from './route-schema.js';

const TAGS = ['models'];

export function registerModelRoutes(app: FastifyInstance, services: AppServices): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const train = { preValidation: requireKey(services, ['train']) };

  r.post('/v1/external/models', {
    ...train,
    schema: {
      tags: TAGS,
      summary: 'Train',
      description: 'Checks the config against the uploaded files (docs/api.md §4) and queues the training; nothing is queued on an error.',
      security: security('trainKey'),
      body: TrainBody.meta({
        example: {
          external_process_id: '0b6f3c52-7f1e-4a8e-9d3b-5c2a1e9f4d70',
          name: 'churn model',
          config: { tc: 'churn', tt: 'binary_classification', tv: 'yes' },
        },
      }),
      response: { 200: TrainResponse.meta({ example: { external_process_id: '0b6f3c52-7f1e-4a8e-9d3b-5c2a1e9f4d70' } }), ...errorResponses(404, 409, 413) },
    },
    handler: async (req) => {
      const b = req.body;
      const process = await services.training.requestTraining(principalOf(req), { processId: b.external_process_id, name: b.name, config: b.config });
      return { external_process_id: process.id };
    },
  });

  r.get('/v1/external/models/results', {
    ...train,
    schema: {
      tags: TAGS,
      summary: 'Train Status Check',
      description: 'waiting → running (progress) → finished (model_id, result_url: the result zip, signed for 1 h) or failed (message).',
      security: security('trainKey'),
      querystring: TrainStatusQuery,
      response: {
        200: TrainStatusResponse.meta({
          example: {
            status: 'finished',
            created_datetime: '2026-03-01T00:00:00.000Z',
            updated_datetime: '2026-03-01T00:01:04.000Z',
            progress: 100,
            model_id: 1,
            result_url: 'http://127.0.0.1:8080/downloads/results/0b6f…/result.zip?expires=…&sig=…',
          },
        }),
        ...errorResponses(404, 409),
      },
    },
    handler: async (req) => {
      const { process, resultUrl } = await services.training.status(principalOf(req), req.query.external_process_id);
      // The service refuses a process still `uploading` (TRAINING_NOT_REQUESTED).
      return trainingStatusBody(process, resultUrl) as TrainStatusResponse;
    },
  });

  r.get('/v1/external/models', {
    ...train,
    schema: {
      tags: TAGS,
      summary: 'Get Model',
      description: 'Your trained models, newest first.',
      security: security('trainKey'),
      querystring: PageQuery,
      response: {
        200: ModelList.meta({
          example: {
            models: [
              {
                model_id: 1,
                owner_user_id: '3d7e…',
                target_type: 'binary_classification',
                name: 'churn model',
                version: '0.1.0',
                config: { tc: 'churn', tt: 'binary_classification', tv: 'yes' },
                is_api_option: false,
                updated_date: '2026-03-01T00:01:04.000Z',
                created_date: '2026-03-01T00:01:04.000Z',
              },
            ],
            metadata: { offset: 0, limit: 30, total: 1 },
          },
        }),
        ...errorResponses(),
      },
    },
    handler: async (req) => {
      const page = await services.catalog.listModels(principalOf(req), req.query);
      return { models: page.items.map(modelItem), metadata: pageMetadata(page) };
    },
  });

  r.delete('/v1/external/models/:model_id', {
    ...train,
    schema: {
      tags: TAGS,
      summary: 'Delete Model',
      description: 'Refused (409 MODEL_IN_USE) while a classifier serves the model; cancels its retrain jobs.',
      security: security('trainKey'),
      params: ModelParams,
      response: { 200: Empty.meta({ example: {} }), ...errorResponses(404, 409) },
    },
    handler: async (req) => {
      await services.catalog.deleteModel(principalOf(req), req.params.model_id);
      return {};
    },
  });
}
