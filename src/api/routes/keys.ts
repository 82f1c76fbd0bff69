/** Get API Key (spec §2.1): secret key → scoped API key. */
import type { FastifyInstance } from 'fastify';
import { authenticate, queryOf } from '../auth.js';
import type { AppServices } from '../services.js';

export function registerKeyRoutes(app: FastifyInstance, services: AppServices): void {
  app.get('/v1/external/api-key', async (req) => {
    const principal = await authenticate(services, req, ['secret']);
    const q = queryOf(req);
    const key = await services.auth.issueApiKey(principal, q.credential_type, q.model_id);
    return { api_key: key.apiKey, end_date: key.endDate };
  });
}
