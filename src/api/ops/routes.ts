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

export function registerOpsRoutes(app: FastifyInstance, services: AppServices, opts: OpsOptions): void {
  const { metrics } = opts;
  app.addHook('onResponse', async (req, reply) => {
    metrics.httpRequest(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });

  app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));

  app.get('/readyz', { logLevel: 'warn' }, async (_req, reply) => {
    const r = await services.health.readiness();
    return reply.status(r.ready ? 200 : 503).send({ status: r.ready ? 'ready' : 'not_ready', checks: r.checks });
  });

  app.get('/metrics', { logLevel: 'warn' }, async (req, reply) => {
    if (opts.metricsToken !== null) {
      const token = tokenOf(req);
      if (token === undefined) throw new AppError('INVALID_API_KEY');
      if (!sameSecret(token, opts.metricsToken)) throw new AppError('INVALID_API_KEY');
    }
    const text = await metrics.registry.metrics();
    return reply.header('content-type', metrics.registry.contentType).header('cache-control', 'no-store').send(text);
  });
}
