/** Reads `x-api-key` and asks the auth service for a principal of the given scopes. */
import type { FastifyRequest } from 'fastify';
import type { KeyScope, Principal } from '../domain/records.js';
import type { AppServices } from './services.js';

export function apiKeyOf(req: FastifyRequest): string | undefined {
  const v = req.headers['x-api-key'];
  return Array.isArray(v) ? v[0] : v;
}

export function authenticate(services: AppServices, req: FastifyRequest, scopes: readonly KeyScope[]): Promise<Principal> {
  return services.auth.authenticate(apiKeyOf(req), scopes);
}

/** Query parameters as Fastify parsed them (repeated keys become arrays; we take the first). */
export function queryOf(req: FastifyRequest): Record<string, string | undefined> {
  const q = (req.query ?? {}) as Record<string, string | string[] | undefined>;
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(q)) out[k] = Array.isArray(v) ? v[0] : v;
  return out;
}
