/**
 * API keys at the edge: each route names the scopes it accepts, and a `preValidation` hook checks
 * `x-api-key` before the route's schemas run, so a missing or wrong key is reported before any
 * parameter problem (as the product does). Handlers read the caller with `principalOf`.
 */
import type { FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import type { KeyScope, Principal } from '../domain/records.js';
import type { AppServices } from './services.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireKey` for routes that take an API key. */
    principal: Principal | null;
  }
}

export function apiKeyOf(req: FastifyRequest): string | undefined {
  const v = req.headers['x-api-key'];
  return Array.isArray(v) ? v[0] : v;
}

/** The hook that authenticates a route's caller for `scopes`. */
export function requireKey(services: AppServices, scopes: readonly KeyScope[]): preValidationAsyncHookHandler {
  return async (req) => {
    req.principal = await services.auth.authenticate(apiKeyOf(req), scopes);
  };
}

export function principalOf(req: FastifyRequest): Principal {
  if (req.principal === null) throw new Error('principalOf on a route without requireKey');
  return req.principal;
}

/**
 * Query strings: the first value of a repeated key (`?a=1&a=2` is `a=1`), as Prediction One's
 * servers read them; no prototype keys.
 */
export function parseQueryString(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of new URLSearchParams(text)) if (!(k in out)) out[k] = v;
  return out;
}
