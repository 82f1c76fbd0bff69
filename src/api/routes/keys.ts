/** Get API Key (spec §2.1): secret key → scoped API key. */
import type { RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { authenticate, queryOf } from '../auth.js';
import type { AppServices } from '../services.js';

/** `rateLimit`: requests per key (api/protection.ts); registered in a scope after the rate-limit plugin. */
export function registerKeyRoutes(app: FastifyInstance, services: AppServices, opts: { rateLimit: RateLimitOptions | false }): void {
  app.get('/v1/external/api-key', { config: { rateLimit: opts.rateLimit } }, async (req) => {
    const principal = await authenticate(services, req, ['secret']);
    const q = queryOf(req);
    const key = await services.auth.issueApiKey(principal, q.credential_type, q.model_id);
    return { api_key: key.apiKey, end_date: key.endDate };
  });
}
