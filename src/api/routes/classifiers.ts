/** Create / Get / Update / Delete Classifier (spec §2.10–§2.13) and Inference (§2.14). */
import type { RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { apiKeyOf, authenticate, queryOf } from '../auth.js';
import { batchStatusBody, classifierItem } from '../compat/classifiers.js';
import { pageMetadata } from '../compat/resources.js';
import type { AppServices } from '../services.js';

export function registerClassifierRoutes(app: FastifyInstance, services: AppServices): void {
  app.post('/v1/external/classifiers', async (req) => {
    const principal = await authenticate(services, req, ['deploy']);
    const c = await services.deployment.create(principal, req.body);
    return { classifier_id: c.id, api_key: c.apiKey, version: String(c.version) };
  });

  app.get('/v1/external/classifiers', async (req) => {
    const principal = await authenticate(services, req, ['deploy']);
    const q = queryOf(req);
    const page = await services.deployment.list(principal, q.offset, q.limit);
    return { classifiers: page.items.map(classifierItem), metadata: pageMetadata(page) };
  });

  app.get<{ Params: { classifier_id: string } }>('/v1/external/classifiers/:classifier_id', async (req) => {
    const principal = await authenticate(services, req, ['deploy']);
    return { classifier: classifierItem(await services.deployment.get(principal, req.params.classifier_id)) };
  });

  app.patch<{ Params: { classifier_id: string } }>('/v1/external/classifiers/:classifier_id', async (req) => {
    const principal = await authenticate(services, req, ['deploy']);
    return { classifier: classifierItem(await services.deployment.update(principal, req.params.classifier_id, req.body)) };
  });

  app.delete<{ Params: { classifier_id: string } }>('/v1/external/classifiers/:classifier_id', async (req) => {
    const principal = await authenticate(services, req, ['deploy']);
    await services.deployment.delete(principal, req.params.classifier_id);
    return {};
  });
}

/** Batch prediction (ours, additive; docs/deploy.md §9). */
export function registerBatchRoutes(app: FastifyInstance, services: AppServices): void {
  app.post<{ Params: { classifier_id: string } }>('/v1/external/classifiers/:classifier_id/batch-predictions', async (req) => {
    const principal = await authenticate(services, req, ['deploy']);
    const opened = await services.batch.open(principal, req.params.classifier_id, req.body);
    return { batch_prediction_id: opened.batch.id, upload_url: opened.uploadUrl };
  });

  app.get<{ Params: { classifier_id: string; batch_id: string } }>('/v1/external/classifiers/:classifier_id/batch-predictions/:batch_id', async (req) => {
    const principal = await authenticate(services, req, ['deploy']);
    const { batch, downloadUrl } = await services.batch.status(principal, req.params.classifier_id, req.params.batch_id);
    return batchStatusBody(batch, downloadUrl);
  });
}

const EMPTY_BODY = new Uint8Array(0);

/**
 * The inference route (registered in a scope of its own, for its body parser): its own body limit (base64 of up to `maxCsvBytes`), CORS allowed (spec §2.14).
 * Its per-request "incoming request" / "request completed" lines are not logged at `info` (route
 * `logLevel: 'warn'`; errors still are): at thousands of predictions per second they would cost
 * more than the prediction (docs/deploy.md §11).
 */
export function registerInferenceRoutes(app: FastifyInstance, services: AppServices, opts: { bodyLimit: number; rateLimit: RateLimitOptions | false }): void {
  const path = '/v1/groups/:group_id/classifiers/:classifier_id/inference';
  // The body stays bytes: the service parses a small one and hands a large one to a compute
  // thread unparsed. Any content type (the manual's examples send `application/jsonn`).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.options(path, { logLevel: 'warn' }, async (_req, reply) => {
    reply.header('access-control-allow-origin', '*');
    reply.header('access-control-allow-methods', 'POST, OPTIONS');
    reply.header('access-control-allow-headers', 'content-type, x-api-key');
    reply.header('access-control-max-age', '86400');
    return reply.status(204).send();
  });
  app.post<{ Params: { group_id: string; classifier_id: string } }>(
    path,
    {
      bodyLimit: opts.bodyLimit,
      logLevel: 'warn',
      // Per key, before the access check: a flood of wrong keys is limited too (api/protection.ts).
      config: { rateLimit: opts.rateLimit },
      // Before the body is read (preParsing, after the rate limit's onRequest): a caller refused by
      // classifier, IP rule or key costs no body parsing, and the connection is closed rather than
      // drained of what it still sends.
      preParsing: async (req, reply, payload) => {
        const params = req.params as { group_id: string; classifier_id: string };
        reply.header('access-control-allow-origin', '*');
        try {
          await services.deployment.checkInferenceAccess({ groupId: params.group_id, classifierId: params.classifier_id, apiKey: apiKeyOf(req), ip: req.ip });
        } catch (err) {
          reply.header('connection', 'close');
          throw err;
        }
        return payload;
      },
    },
    async (req, reply) => {
      const answer = await services.deployment.infer({
        groupId: req.params.group_id,
        classifierId: req.params.classifier_id,
        apiKey: apiKeyOf(req),
        ip: req.ip,
        body: req.body instanceof Uint8Array ? req.body : EMPTY_BODY,
      });
      if ('response' in answer) return answer.response;
      // Serialized by the compute thread that computed it: sent as is.
      return reply.type('application/json; charset=utf-8').send(answer.serialized);
    },
  );
}
