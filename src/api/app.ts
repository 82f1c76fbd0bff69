/**
 * The Fastify application: one error handler rendering the Prediction One error body, a JSON
 * parser tolerant of content types, and the route families. No sockets here: main.ts listens,
 * tests call `app.inject`.
 */
import type { Server } from 'node:http';
import Fastify, { type FastifyHttpOptions, type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { AppError } from '../domain/errors.js';
import { asAppError, errorBody } from './compat/errors.js';
import { registerBatchRoutes, registerClassifierRoutes, registerInferenceRoutes } from './routes/classifiers.js';
import { registerDataSetRoutes } from './routes/data-sets.js';
import { registerRetrainRoutes } from './routes/retrain.js';
import { registerKeyRoutes } from './routes/keys.js';
import { registerModelRoutes } from './routes/models.js';
import { registerTransferRoutes } from './routes/transfers.js';
import { registerWebRoutes } from './routes/web.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import { registerRequestIds, requestIdOptions } from './ops/request-ids.js';
import { registerOpsRoutes } from './ops/routes.js';
import type { AppServices } from './services.js';
import { loadConfig, type HttpTimeouts } from '../config.js';
import { loggedRequest, perKeyLimit, registerProtection, type RateLimits } from './protection.js';

/** JSON request bodies (POST /models) are small; uploads do not go through this limit. */
const JSON_BODY_LIMIT_BYTES = 1024 * 1024;

export interface AppOptions {
  readonly logger?: FastifyServerOptions['logger'];
  /** Fastify `trustProxy` (Config.trustProxy: a hop count or proxy addresses); off by default so IP rules see the socket address. */
  readonly trustProxy?: false | number | string;
  /** Largest inference CSV, decoded (Config.inferenceMaxCsvBytes); the JSON body may be 4/3 of it plus slack. */
  readonly inferenceMaxCsvBytes?: number;
  /** The server's metrics (main.ts shares them with the job workers); a fresh registry otherwise. */
  readonly metrics?: Metrics;
  /** METRICS_TOKEN: when set, GET /metrics needs `Authorization: Bearer <token>`. */
  readonly metricsToken?: string | null;
  /** Server timeouts (Config.http); loadConfig's defaults when absent. */
  readonly timeouts?: HttpTimeouts;
  /** Requests per minute per key on inference and API-key creation (Config.rateLimits); defaults when absent. */
  readonly rateLimits?: RateLimits;
  /** Strict-Transport-Security (the service is reached over TLS: PUBLIC_URL is https://). */
  readonly hsts?: boolean;
}

/**
 * Fastify/Node server options from the timeouts. Node checks the header and request deadlines
 * every `connectionsCheckingInterval` (30 s by default): a tenth of the header deadline keeps
 * them close to what is configured.
 */
function serverTimeouts(t: HttpTimeouts): Pick<FastifyHttpOptions<Server>, 'connectionTimeout' | 'requestTimeout' | 'keepAliveTimeout' | 'http'> {
  return {
    connectionTimeout: t.connectionTimeoutMs,
    requestTimeout: t.requestTimeoutMs,
    keepAliveTimeout: t.keepAliveTimeoutMs,
    http: { headersTimeout: t.headersTimeoutMs, connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(t.headersTimeoutMs / 10))) },
  };
}

/**
 * Config.trustProxy as Fastify's option. A hop count becomes "trust the socket peer and the next
 * n − 1 hops" (Fastify itself ignores X-Forwarded-For for a bare number); addresses stay addresses.
 */
function trustProxyOption(tp: false | number | string): FastifyServerOptions['trustProxy'] {
  if (typeof tp !== 'number') return tp;
  return (_address: string, hop: number) => hop < tp;
}

/** The logger options with signed-URL signatures redacted from every logged request. */
function withRedaction(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (logger === false || logger === undefined) return false;
  const base = logger === true ? {} : logger;
  return { ...base, serializers: { ...(base as { serializers?: object }).serializers, req: loggedRequest } };
}

const INFERENCE_ROUTE = '/v1/groups/:group_id/classifiers/:classifier_id/inference';
const DEFAULT_INFERENCE_CSV_BYTES = 32 * 1024 * 1024;

function sendError(reply: FastifyReply, err: AppError): FastifyReply {
  return reply.status(err.status).send(errorBody(err));
}

/** @example const app = buildApp(services); const res = await app.inject({ url: '/v1/external/models' }); */
export function buildApp(services: AppServices, opts: AppOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: withRedaction(opts.logger ?? false),
    bodyLimit: JSON_BODY_LIMIT_BYTES,
    trustProxy: trustProxyOption(opts.trustProxy ?? false),
    ...serverTimeouts(opts.timeouts ?? loadConfig({}).http),
    ...requestIdOptions(),
  });
  registerRequestIds(app);
  registerOpsRoutes(app, services, { metrics: opts.metrics ?? createMetrics(), metricsToken: opts.metricsToken ?? null });

  // The manual's own examples send `application/jsonn` (spec §1.6): parse every body as JSON.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    // /\S/ stops at the first non-blank character; `trim()` would copy a multi-megabyte body.
    if (!/\S/.test(text)) return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new AppError('INVALID_BODY', 'the body is not valid JSON'), undefined);
    }
  });

  app.setErrorHandler((err, req, reply) => {
    const e = asAppError(err, req.routeOptions.url === INFERENCE_ROUTE);
    if (!(err instanceof AppError) && e.status >= 500) req.log.error({ err }, 'unhandled error');
    return sendError(reply, e);
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, new AppError('ROUTE_NOT_FOUND', `${req.method} ${req.url.split('?')[0]}`)));

  registerProtection(app, { hsts: opts.hsts ?? false });
  const limits = opts.rateLimits ?? loadConfig({}).rateLimits;
  app.register((scope, _o, done) => {
    registerKeyRoutes(scope, services, { rateLimit: perKeyLimit('api-key', limits.apiKeyPerMinute) });
    done();
  });
  registerDataSetRoutes(app, services);
  registerModelRoutes(app, services);
  registerClassifierRoutes(app, services);
  registerRetrainRoutes(app, services);
  registerWebRoutes(app, services); // the browser UI at / (docs/web-ui.md)
  registerBatchRoutes(app, services);
  const csvBytes = opts.inferenceMaxCsvBytes ?? DEFAULT_INFERENCE_CSV_BYTES;
  app.register((scope, _o, done) => {
    registerInferenceRoutes(scope, services, { bodyLimit: Math.ceil((csvBytes * 4) / 3) + 64 * 1024, rateLimit: perKeyLimit('inference', limits.inferencePerMinute) });
    done();
  });
  app.register((scope, _o, done) => {
    registerTransferRoutes(scope, services);
    done();
  });
  return app;
}
