/** Get API Key (spec §2.1): secret key → scoped API key. */
import type { RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf, requireKey } from '../auth.js';
import { ApiKeyQuery, ApiKeyResponse } from '../schemas/index.js';
import type { AppServices } from '../services.js';
import { errorResponses, security } from './route-schema.js';

/** `rateLimit`: requests per key (api/protection.ts); registered in a scope after the rate-limit plugin. */
export function registerKeyRoutes(app: FastifyInstance, services: AppServices, opts: { rateLimit: RateLimitOptions | false }): void {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/external/api-key', {
    config: { rateLimit: opts.rateLimit },
    preValidation: requireKey(services, ['secret']),
    schema: {
      tags: ['keys'],
      summary: 'Get API Key',
      description: 'Exchanges the secret key for a train, deploy or retrain key (valid API_KEY_TTL_DAYS).',
      security: security('secretKey'),
      querystring: ApiKeyQuery,
      response: {
        200: ApiKeyResponse.meta({ example: { api_key: '6f1c2b9e-0d7a-4c41-9a55-1f0b8c2d3e4f', end_date: '2026-03-31T00:00:00.000Z' } }),
        ...errorResponses(429),
      },
    },
    handler: async (req) => {
      const key = await services.auth.issueApiKey(principalOf(req), req.query.credential_type, req.query.model_id);
      return { api_key: key.apiKey, end_date: key.endDate };
    },
  });
}
