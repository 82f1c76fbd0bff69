/**
 * Operations endpoints (docs/operations.md): `GET /healthz` (the process answers), `GET /readyz`
 * (the database, the blob store and the job queue answer; 503 otherwise), `GET /metrics`
 * (Prometheus text format; with METRICS_TOKEN set, only for `Authorization: Bearer <token>`).
 * No API key: load balancers and Prometheus call them. Each request is counted by route and status.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.js';
import type { Metrics } from '../../observability/metrics.js';
import { z } from 'zod';
import { errorResponses } from '../routes/route-schema.js';
import { HealthResponse, ReadyResponse } from '../schemas/index.js';
import type { AppServices } from '../services.js';

export interface OpsOptions {
  readonly metrics: Metrics;
  /** METRICS_TOKEN; null = /metrics is open (bind it to a private network). */
  readonly metricsToken: string | null;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function tokenOf(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  const bearer = auth === undefined ? undefined : /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
  const key = req.headers['x-api-key'];
  return bearer ?? (Array.isArray(key) ? key[0] : key);
}

/** Counts every answer (on the root instance: routes, 404s and the docs alike). */
export function registerRequestMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (req, reply) => {
    metrics.httpRequest(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
}

export function registerOpsRoutes(app: FastifyInstance, services: AppServices, opts: OpsOptions): void {
  const { metrics } = opts;
  const ops = { tags: ['operations'] };

  app.get(
    '/healthz',
    { logLevel: 'warn', schema: { ...ops, summary: 'Liveness: the process answers', response: { 200: HealthResponse.meta({ example: { status: 'ok' } }) } } },
    async () => ({ status: 'ok' as const }),
  );

  const ready = { database: 'ok', blob_store: 'ok', job_queue: 'ok' };
  const readyz = {
    ...ops,
    summary: 'Readiness: the database, the blob store and the job queue answer',
    response: {
      200: ReadyResponse.meta({ example: { status: 'ready', checks: ready } }),
      503: ReadyResponse.meta({ example: { status: 'not_ready', checks: { ...ready, database: 'error: no answer within 2000 ms' } } }),
    },
  };
  app.get('/readyz', { logLevel: 'warn', schema: readyz }, async (_req, reply) => {
    const r = await services.health.readiness();
    return reply.status(r.ready ? 200 : 503).send({ status: r.ready ? 'ready' : 'not_ready', checks: r.checks });
  });

  const metricsSchema = {
    ...ops,
    summary: 'Prometheus metrics (docs/operations.md)',
    description: 'Text exposition format. With METRICS_TOKEN set: `Authorization: Bearer <token>`.',
    response: {
      // Per content type: the metrics are text, the errors (a wrong METRICS_TOKEN) JSON.
      200: {
        description: 'Prometheus text format, version 0.0.4',
        content: { 'text/plain': { schema: z.string().meta({ example: 'yosoku_http_requests_total{method="GET",route="/healthz",status="200"} 3' }) } },
      },
      ...errorResponses(),
    },
  };
  app.get('/metrics', { logLevel: 'warn', schema: metricsSchema }, async (req, reply) => {
    if (opts.metricsToken !== null) {
      const token = tokenOf(req);
      if (token === undefined) throw new AppError('INVALID_API_KEY');
      if (!sameSecret(token, opts.metricsToken)) throw new AppError('INVALID_API_KEY');
    }
    const text = await metrics.registry.metrics();
    return reply.header('content-type', metrics.registry.contentType).header('cache-control', 'no-store').send(text);
  });
}
