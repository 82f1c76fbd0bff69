/**
 * Signed-URL transfers, no API key: PUT uploads and GET downloads. Registered in their own
 * scope, whose only content-type parser accepts anything (or nothing) and leaves the body
 * unread, so the handler streams the raw request to disk.
 */
import contentDisposition, { parse as parseContentDisposition } from 'content-disposition';
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../services.js';

export function registerTransferRoutes(scope: FastifyInstance, services: AppServices): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));

  scope.put('/uploads/:process_id/:kind', async (req) => {
    const length = req.headers['content-length'];
    const declared = length === undefined ? null : Number(length);
    const fileName = uploadFileName(req.headers['content-disposition']);
    await services.uploads.acceptUpload(req.url, req.raw, Number.isSafeInteger(declared) ? declared : null, fileName);
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
    // Data sets carry the user's file name: non-ASCII and quotes need RFC 6266 encoding.
    reply.header('content-disposition', contentDisposition(d.fileName));
    return reply.send(d.body);
  });
}

/**
 * The file name of a `Content-Disposition` request header (`attachment; filename*=UTF-8''…` or
 * `filename="…"`), without any directory part; null when absent, unparsable or empty. A bad
 * header never fails an upload: the name is a label, not data.
 */
export function uploadFileName(header: string | undefined): string | null {
  if (header === undefined || header === '') return null;
  let name: unknown;
  try {
    name = parseContentDisposition(header).parameters.filename;
  } catch {
    return null;
  }
  if (typeof name !== 'string') return null;
  const base = name.split(/[\\/]/).pop()!.trim().slice(0, MAX_FILE_NAME_LENGTH);
  return base === '' ? null : base;
}

const MAX_FILE_NAME_LENGTH = 255;
