/** Create / Get / Update / Delete Classifier (spec §2.10–§2.13), batch predictions (ours) and Inference (§2.14). */
import type { RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiKeyOf, principalOf, requireKey } from '../auth.js';
import { batchStatusBody, classifierItem } from '../compat/classifiers.js';
import { pageMetadata } from '../compat/resources.js';
import {
  BatchBody,
  BatchOpenResponse,
  BatchParams,
  BatchStatusResponse,
  ClassifierList,
  ClassifierParams,
  ClassifierResponse,
  CreateClassifierBody,
  CreateClassifierResponse,
  Empty,
  InferenceBody,
  InferenceParams,
  InferenceResponse,
  PageQuery,
  UpdateClassifierBody,
  type ClassifierItem,
} from '../schemas/index.js';
import type { AppServices } from '../services.js';
import { documentOnly, errorResponses, security } from './route-schema.js';

const TAGS = ['classifiers'];

const ITEM_EXAMPLE: ClassifierItem = {
  classifier_id: 'k3v9q2m7x1p8s4d6',
  model_id: 1,
  status: 'running',
  api_key: 'a1b2c3d4-…',
  version: '1',
  url: 'http://127.0.0.1:8080/v1/groups/1o17olyb5842g4z1/classifiers/k3v9q2m7x1p8s4d6/inference',
  active: true,
  is_editable: true,
  create_datetime: '2026-03-01T00:02:00.000Z',
  update_datetime: '2026-03-01T00:02:01.000Z',
  rules: [{ source: '203.0.113.0/24', order: 'allow', priority: 0 }],
};

export function registerClassifierRoutes(app: FastifyInstance, services: AppServices): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deploy = { preValidation: requireKey(services, ['deploy']) };

  r.post('/v1/external/classifiers', {
    ...deploy,
    schema: {
      tags: TAGS,
      summary: 'Create Classifier',
      description: 'Deploys a model as a prediction API; it is `building` until the model is loaded, then `running` with its `url`.',
      security: security('deployKey'),
      body: CreateClassifierBody.meta({ example: { model_id: 1, rules: [{ source: '203.0.113.0/24', order: 'allow', priority: 0 }] } }),
      response: {
        200: CreateClassifierResponse.meta({ example: { classifier_id: 'k3v9q2m7x1p8s4d6', api_key: 'a1b2c3d4-…', version: '1' } }),
        ...errorResponses(404, 413),
      },
    },
    handler: async (req) => {
      const c = await services.deployment.create(principalOf(req), { modelId: req.body.model_id, rules: req.body.rules });
      return { classifier_id: c.id, api_key: c.apiKey, version: String(c.version) };
    },
  });

  r.get('/v1/external/classifiers', {
    ...deploy,
    schema: {
      tags: TAGS,
      summary: 'Get Classifier (list)',
      description: 'Your classifiers, newest first.',
      security: security('deployKey'),
      querystring: PageQuery,
      response: { 200: ClassifierList.meta({ example: { classifiers: [ITEM_EXAMPLE], metadata: { offset: 0, limit: 30, total: 1 } } }), ...errorResponses() },
    },
    handler: async (req) => {
      const page = await services.deployment.list(principalOf(req), req.query);
      return { classifiers: page.items.map(classifierItem), metadata: pageMetadata(page) };
    },
  });

  r.get('/v1/external/classifiers/:classifier_id', {
    ...deploy,
    schema: {
      tags: TAGS,
      summary: 'Get Classifier',
      security: security('deployKey'),
      params: ClassifierParams,
      response: { 200: ClassifierResponse.meta({ example: { classifier: ITEM_EXAMPLE } }), ...errorResponses(404) },
    },
    handler: async (req) => ({ classifier: classifierItem(await services.deployment.get(principalOf(req), req.params.classifier_id)) }),
  });

  r.patch('/v1/external/classifiers/:classifier_id', {
    ...deploy,
    schema: {
      tags: TAGS,
      summary: 'Update Classifier',
      description: 'Any of rules (replaces the list), active (stop / start) and is_editable (false = locked).',
      security: security('deployKey'),
      params: ClassifierParams,
      body: UpdateClassifierBody.meta({ example: { active: false } }),
      response: {
        200: ClassifierResponse.meta({ example: { classifier: { ...ITEM_EXAMPLE, status: 'terminating', active: false } } }),
        ...errorResponses(404, 409, 413),
      },
    },
    handler: async (req) => {
      const b = req.body;
      const c = await services.deployment.update(principalOf(req), req.params.classifier_id, { rules: b.rules, active: b.active, isEditable: b.is_editable });
      return { classifier: classifierItem(c) };
    },
  });

  r.delete('/v1/external/classifiers/:classifier_id', {
    ...deploy,
    schema: {
      tags: TAGS,
      summary: 'Delete Classifier',
      description: 'Refused while locked or updating. Requests in flight finish on their model.',
      security: security('deployKey'),
      params: ClassifierParams,
      response: { 200: Empty.meta({ example: {} }), ...errorResponses(404, 409) },
    },
    handler: async (req) => {
      await services.deployment.delete(principalOf(req), req.params.classifier_id);
      return {};
    },
  });
}

/** Batch prediction (ours, additive; docs/deploy.md §9). */
export function registerBatchRoutes(app: FastifyInstance, services: AppServices): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deploy = { preValidation: requireKey(services, ['deploy']) };

  r.post('/v1/external/classifiers/:classifier_id/batch-predictions', {
    ...deploy,
    schema: {
      tags: ['batch'],
      summary: 'Open a batch prediction',
      description: 'Ours: PUT the file (CSV, or .xlsx with an .xlsx filename) to upload_url; a worker predicts it 10,000 rows at a time.',
      security: security('deployKey'),
      params: ClassifierParams,
      body: BatchBody.meta({ example: { filename: 'rows.csv', ar: true } }),
      response: {
        200: BatchOpenResponse.meta({ example: { batch_prediction_id: '5c1d…', upload_url: 'http://127.0.0.1:8080/batch-uploads/5c1d…?expires=…&sig=…' } }),
        ...errorResponses(404, 413),
      },
    },
    handler: async (req) => {
      const opened = await services.batch.open(principalOf(req), req.params.classifier_id, req.body);
      return { batch_prediction_id: opened.batch.id, upload_url: opened.uploadUrl };
    },
  });

  r.get('/v1/external/classifiers/:classifier_id/batch-predictions/:batch_id', {
    ...deploy,
    schema: {
      tags: ['batch'],
      summary: 'Batch prediction status',
      security: security('deployKey'),
      params: BatchParams,
      response: {
        200: BatchStatusResponse.meta({
          example: {
            batch_prediction_id: '5c1d…',
            classifier_id: 'k3v9q2m7x1p8s4d6',
            status: 'job_finished',
            progress: 100,
            model_id: 1,
            download_url: 'http://127.0.0.1:8080/downloads/batch/5c1d…/result.zip?expires=…&sig=…',
            rows: { total: 25000, predicted: 24998, invalid: 2 },
            create_datetime: '2026-03-01T00:03:00.000Z',
            update_datetime: '2026-03-01T00:03:09.000Z',
          },
        }),
        ...errorResponses(404),
      },
    },
    handler: async (req) => {
      const { batch, downloadUrl } = await services.batch.status(principalOf(req), req.params.classifier_id, req.params.batch_id);
      return batchStatusBody(batch, downloadUrl);
    },
  });
}

const EMPTY_BODY = new Uint8Array(0);

/**
 * The inference route (registered in a scope of its own, for its body parser): its own body limit (base64 of up to `maxCsvBytes`), CORS allowed (spec §2.14).
 * Its per-request "incoming request" / "request completed" lines are not logged at `info` (route
 * `logLevel: 'warn'`; errors still are): at thousands of predictions per second they would cost
 * more than the prediction (docs/deploy.md §11). The body schema documents the route; the body is
 * checked by deploy/inference-request.ts, which answers the documented `4001030104` with what was
 * wrong, after the classifier, group, IP and key checks (their documented order).
 */
export function registerInferenceRoutes(app: FastifyInstance, services: AppServices, opts: { bodyLimit: number; rateLimit: RateLimitOptions | false }): void {
  const path = '/v1/groups/:group_id/classifiers/:classifier_id/inference';
  // The body stays bytes: the service parses a small one and hands a large one to a compute
  // thread unparsed. Any content type (the manual's examples send `application/jsonn`).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.options(path, {
    logLevel: 'warn',
    helmet: false,
    schema: {
      tags: ['inference'],
      summary: 'Inference (CORS preflight)',
      params: InferenceParams,
      response: { 204: z.null().meta({ description: 'CORS allowed' }) },
    },
    validatorCompiler: documentOnly,
    handler: async (_req, reply) => {
      reply.header('access-control-allow-origin', '*');
      reply.header('access-control-allow-methods', 'POST, OPTIONS');
      reply.header('access-control-allow-headers', 'content-type, x-api-key');
      reply.header('access-control-max-age', '86400');
      return reply.status(204).send(null);
    },
  });
  r.post(path, {
    bodyLimit: opts.bodyLimit,
    logLevel: 'warn',
    // Per key, before the access check: a flood of wrong keys is limited too (api/protection.ts).
    config: { rateLimit: opts.rateLimit },
    // A JSON API for programs: helmet's browser headers cost more than a one-row prediction
    // (bench/inference.ts); nosniff, the one that matters for a JSON answer, is set below.
    helmet: false,
    schema: {
      tags: ['inference'],
      summary: 'Inference',
      description:
        "Predicts 1–10,000 rows with the classifier's model (docs/deploy.md §1–§4). The answer holds prediction_valid.csv, prediction_analysis.csv (with ar) and prediction_invalid.csv (rows that could not be read), base64.",
      security: security('classifierKey'),
      params: InferenceParams,
      body: InferenceBody,
      response: {
        200: InferenceResponse.meta({
          example: {
            version: '1',
            outputs: [
              { name: 'prediction_valid.csv', data: 'cm93X251bWJlcixubyx5ZXMKMSwwLjkxLDAuMDkK' },
              { name: 'prediction_analysis.csv', data: 'cm93X251bWJlciwuLi4K' },
            ],
          },
        }),
        ...errorResponses(403, 429, 503),
      },
    },
    validatorCompiler: documentOnly,
    // Before the body is read (preParsing, after the rate limit's onRequest): a caller refused by
    // classifier, IP rule or key costs no body parsing, and the connection is closed rather than
    // drained of what it still sends.
    preParsing: async (req, reply, payload) => {
      reply.header('access-control-allow-origin', '*');
      reply.header('x-content-type-options', 'nosniff');
      try {
        await services.deployment.checkInferenceAccess({
          groupId: req.params.group_id,
          classifierId: req.params.classifier_id,
          apiKey: apiKeyOf(req),
          ip: req.ip,
        });
      } catch (err) {
        reply.header('connection', 'close');
        throw err;
      }
      return payload;
    },
    handler: async (req, reply) => {
      const answer = await services.deployment.infer({
        groupId: req.params.group_id,
        classifierId: req.params.classifier_id,
        apiKey: apiKeyOf(req),
        ip: req.ip,
        body: req.body instanceof Uint8Array ? req.body : EMPTY_BODY,
      });
      if ('response' in answer) return answer.response;
      // Serialized by the compute thread that computed it: the JSON text of an InferenceResponse, sent as is.
      return reply.type('application/json; charset=utf-8').send(answer.serialized as unknown as InferenceResponse);
    },
  });
}
