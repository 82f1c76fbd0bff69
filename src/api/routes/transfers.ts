/**
 * Signed-URL transfers, no API key: PUT uploads and GET downloads. Registered in their own
 * scope, whose only content-type parser accepts anything (or nothing) and leaves the body
 * unread, so the handler streams the raw request to disk.
 */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../services.js';

export function registerTransferRoutes(scope: FastifyInstance, services: AppServices): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));

  scope.put('/uploads/:process_id/:kind', async (req) => {
    const length = req.headers['content-length'];
    const declared = length === undefined ? null : Number(length);
    await services.uploads.acceptUpload(req.url, req.raw, Number.isSafeInteger(declared) ? declared : null);
    return {};
  });

  scope.put('/retrain-uploads/:job_id', async (req) => {
    const length = req.headers['content-length'];
    const declared = length === undefined ? null : Number(length);
    await services.retrain.acceptUpload(req.url, req.raw, Number.isSafeInteger(declared) ? declared : null);
    return {};
  });

  scope.put('/batch-uploads/:batch_id', async (req) => {
    const length = req.headers['content-length'];
    const declared = length === undefined ? null : Number(length);
    await services.batch.acceptUpload(req.url, req.raw, Number.isSafeInteger(declared) ? declared : null);
    return {};
  });

  scope.get('/downloads/*', async (req, reply) => {
    const d = await services.downloads.open(req.url);
    reply.header('content-type', d.contentType);
    reply.header('content-length', d.sizeBytes);
    reply.header('content-disposition', `attachment; filename="${d.fileName}"`);
    return reply.send(d.body);
  });
}
