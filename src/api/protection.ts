/**
 * Security headers and rate limits. Helmet's headers on every answer (the web UI sets its own
 * Content-Security-Policy, so helmet's is off; HSTS only when the service is reached over TLS).
 * Rate limits per API key (the `x-api-key` sent, else the client address) on the routes that take
 * them — inference and API-key creation — answered 429 in the documented error shape. The counters
 * are this process's, or shared by every machine when `counters` is given (main.ts passes the
 * PostgreSQL ones in scale-out: storage/postgres/rate-limits.ts).
 */
import helmet from '@fastify/helmet';
import rateLimit, { type FastifyRateLimitStore, type FastifyRateLimitStoreCtor, type RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.js';
import { apiKeyOf } from './auth.js';

/** Request counters kept outside this process (one window per key, shared by every machine). */
export interface RateLimitCounters {
  /** Counts one request of `key` in its fixed window of `windowMs`: hits so far in the window, ms left in it. */
  hit(key: string, windowMs: number): Promise<{ count: number; msLeft: number }>;
}

export interface ProtectionOptions {
  /** Send Strict-Transport-Security (PUBLIC_URL is https://). */
  readonly hsts: boolean;
  /** Shared counters; absent: this process counts alone. */
  readonly counters?: RateLimitCounters;
}

/** @fastify/rate-limit's store over shared counters. A failing store lets requests through (skipOnError): the limit is a guard, not a dependency. */
function sharedStore(counters: RateLimitCounters): FastifyRateLimitStoreCtor {
  class SharedStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      counters.hit(key, timeWindow).then(
        (r) => callback(null, { current: r.count, ttl: r.msLeft }),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    }
    child(): FastifyRateLimitStore {
      return new SharedStore();
    }
  }
  return SharedStore;
}

/** Requests per minute per key; 0 = no limit (Config.rateLimits). */
export interface RateLimits {
  readonly inferencePerMinute: number;
  readonly apiKeyPerMinute: number;
}

const HSTS_MAX_AGE_SECONDS = 365 * 24 * 3600;

/** A URL with the value of its `sig` query parameter replaced (signed URLs must not be replayable from logs). */
export function redactSignature(url: string): string {
  return url.replace(/([?&]sig=)[^&#]*/gi, '$1[redacted]');
}

/** Fastify's request log serializer, with signatures redacted from the URL. */
export function loggedRequest(req: FastifyRequest): Record<string, unknown> {
  return { method: req.method, url: redactSignature(req.url), host: req.host, remoteAddress: req.ip };
}

/** Must run before the limited routes are registered (they are, in scopes registered after it). */
export function registerProtection(app: FastifyInstance, opts: ProtectionOptions): void {
  app.register(helmet, {
    contentSecurityPolicy: false,
    hsts: opts.hsts ? { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: true } : false,
  });
  app.register(rateLimit, {
    global: false,
    ...(opts.counters === undefined ? {} : { store: sharedStore(opts.counters), skipOnError: true }),
    errorResponseBuilder: (_req, context) => new AppError('RATE_LIMITED', `at most ${context.max} requests per minute for this key; retry in ${context.after}`),
  });
}

/** The route option `config.rateLimit` for `perMinute` requests per key (false: not limited). */
export function perKeyLimit(scope: string, perMinute: number): RateLimitOptions | false {
  if (perMinute <= 0) return false;
  return {
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (req: FastifyRequest) => `${scope}:${apiKeyOf(req) ?? `ip:${req.ip}`}`,
  };
}
