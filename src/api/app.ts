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
import { registerOpsRoutes, registerRequestMetrics } from './ops/routes.js';
import type { AppServices } from './services.js';
import { parseQueryString } from './auth.js';
import { registerOpenApi, registerOpenApiRoute } from './ops/openapi.js';
import { checkedSerializer, jsonSerializer } from './ops/serializers.js';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { loadConfig, type HttpTimeouts } from '../config.js';
import { loggedRequest, perKeyLimit, registerProtection, type RateLimitCounters, type RateLimits } from './protection.js';

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
  /**
   * Check every answer against its route's response schema (tests: a shape that drifts from the
   * schemas, and so from /openapi.json, fails the request). Off in servers: answers are only
   * serialized.
   */
  readonly validateResponses?: boolean;
  /** Server timeouts (Config.http); loadConfig's defaults when absent. */
  readonly timeouts?: HttpTimeouts;
  /** Requests per minute per key on inference and API-key creation (Config.rateLimits); defaults when absent. */
  readonly rateLimits?: RateLimits;
  /** Rate-limit counters shared by every machine (scale-out); absent: this process counts alone. */
  readonly rateLimitCounters?: RateLimitCounters;
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
    routerOptions: { querystringParser: parseQueryString },
  });
  // Request shapes are the routes' zod schemas; their failures render through asAppError.
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(opts.validateResponses === true ? checkedSerializer : jsonSerializer);
  app.decorateRequest('principal', null);
  registerRequestIds(app);
  const metrics = opts.metrics ?? createMetrics();
  registerRequestMetrics(app, metrics);
  registerOpenApi(app);

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

  registerProtection(app, { hsts: opts.hsts ?? false, ...(opts.rateLimitCounters === undefined ? {} : { counters: opts.rateLimitCounters }) });
  const limits = opts.rateLimits ?? loadConfig({}).rateLimits;
  // In a plugin registered after @fastify/swagger and the rate limiter, so that both see every route.
  app.register((routes, _o, done) => {
    registerOpsRoutes(routes, services, { metrics, metricsToken: opts.metricsToken ?? null });
    registerOpenApiRoute(routes);
    registerKeyRoutes(routes, services, { rateLimit: perKeyLimit('api-key', limits.apiKeyPerMinute) });
    registerDataSetRoutes(routes, services);
    registerModelRoutes(routes, services);
    registerClassifierRoutes(routes, services);
    registerRetrainRoutes(routes, services);
    registerWebRoutes(routes, services); // the browser UI at / (docs/web-ui.md)
    registerBatchRoutes(routes, services);
    const csvBytes = opts.inferenceMaxCsvBytes ?? DEFAULT_INFERENCE_CSV_BYTES;
    // Own scopes: these replace the content-type parsers.
    routes.register((scope, _o2, done2) => {
      registerInferenceRoutes(scope, services, {
        bodyLimit: Math.ceil((csvBytes * 4) / 3) + 64 * 1024,
        rateLimit: perKeyLimit('inference', limits.inferencePerMinute),
      });
      done2();
    });
    routes.register((scope, _o2, done2) => {
      registerTransferRoutes(scope, services);
      done2();
    });
    done();
  });
  return app;
}
