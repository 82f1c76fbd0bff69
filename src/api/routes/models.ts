/** Train, Train Status Check, Get/Delete Model (spec §2.4–2.7). */
import type { FastifyInstance } from 'fastify';
import { authenticate, queryOf } from '../auth.js';
import { modelItem, pageMetadata, trainingStatusBody } from '../compat/resources.js';
import type { AppServices } from '../services.js';

export function registerModelRoutes(app: FastifyInstance, services: AppServices): void {
  app.post('/v1/external/models', async (req) => {
    const principal = await authenticate(services, req, ['train']);
    const process = await services.training.requestTraining(principal, req.body);
    return { external_process_id: process.id };
  });

  app.get('/v1/external/models/results', async (req) => {
    const principal = await authenticate(services, req, ['train']);
    const { process, resultUrl } = await services.training.status(principal, queryOf(req).external_process_id);
    return trainingStatusBody(process, resultUrl);
  });

  app.get('/v1/external/models', async (req) => {
    const principal = await authenticate(services, req, ['train']);
    const q = queryOf(req);
    const page = await services.catalog.listModels(principal, q.offset, q.limit);
    return { models: page.items.map(modelItem), metadata: pageMetadata(page) };
  });

  app.delete<{ Params: { model_id: string } }>('/v1/external/models/:model_id', async (req) => {
    const principal = await authenticate(services, req, ['train']);
    await services.catalog.deleteModel(principal, req.params.model_id);
    return {};
  });
}
