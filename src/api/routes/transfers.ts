/**
 * Signed-URL transfers, no API key: PUT uploads and GET downloads. Registered in their own
 * scope, whose only content-type parser accepts anything (or nothing) and leaves the body
 * unread, so the handler streams the raw request to disk.
 */
import contentDisposition, { parse as parseContentDisposition } from 'content-disposition';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Empty } from '../schemas/index.js';
import type { AppServices } from '../services.js';
import { documentOnly, errorResponses } from './route-schema.js';

/** The signature query every transfer URL carries (checked by the signer, not the schema). */
const Signed = z.object({
  expires: z.string().meta({ description: 'Unix seconds; the URL is refused after it (SIGNED_URL_EXPIRED)' }),
  sig: z.string().meta({ description: 'HMAC-SHA256 of the method, path and query (UPLOAD_SIGNATURE_INVALID when altered)' }),
  sheet: z.string().optional().meta({ description: 'Excel uploads: the sheet, signed with the URL' }),
});
const RawFile = z.custom<Buffer>().meta({
  type: 'string',
  format: 'binary',
  description: 'The raw file bytes (any Content-Type); Content-Disposition: attachment; filename=… names the data set',
});

function transfer(summary: string, params: z.ZodType, description: string, statuses: number[]) {
  return {
    validatorCompiler: documentOnly,
    schema: {
      tags: ['transfers'],
      summary,
      description,
      params,
      querystring: Signed,
      consumes: ['application/octet-stream'],
      body: RawFile,
      response: { 200: Empty.meta({ example: {} }), ...errorResponses(...statuses) },
    },
  };
}

export function registerTransferRoutes(scope: FastifyInstance, services: AppServices): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));

  const uploadParams = z.object({ process_id: z.string(), kind: z.enum(['learn', 'eval', 'column_info']) });
  const uploadText = 'A URL from Train Data Upload. Answered once the file is stored durably and checked (encoding, layout; xlsx converted).';
  scope.put(
    '/uploads/:process_id/:kind',
    transfer('Upload a training, evaluation or column_info file', uploadParams, uploadText, [404, 409, 413]),
    async (req) => {
      const length = req.headers['content-length'];
      const declared = length === undefined ? null : Number(length);
      const fileName = uploadFileName(req.headers['content-disposition']);
      await services.uploads.acceptUpload(req.url, req.raw, Number.isSafeInteger(declared) ? declared : null, fileName);
      return {};
    },
  );

  const retrainText = 'The upload_url of Retrain Data Upload: a CSV/TSV, a zip (train_src/, eval_src/) or an .xlsx; the retrain starts once stored.';
  scope.put('/retrain-uploads/:job_id', transfer('Upload a retrain file', z.object({ job_id: z.string() }), retrainText, [409, 413]), async (req) => {
    const length = req.headers['content-length'];
    const declared = length === undefined ? null : Number(length);
    await services.retrain.acceptUpload(req.url, req.raw, Number.isSafeInteger(declared) ? declared : null);
    return {};
  });

  const batchText = 'The upload_url of a batch prediction; the job starts once stored.';
  scope.put(
    '/batch-uploads/:batch_id',
    transfer('Upload a batch prediction file', z.object({ batch_id: z.string() }), batchText, [404, 409, 413]),
    async (req) => {
      const length = req.headers['content-length'];
      const declared = length === undefined ? null : Number(length);
      await services.batch.acceptUpload(req.url, req.raw, Number.isSafeInteger(declared) ? declared : null);
      return {};
    },
  );

  const Binary = z.custom<Buffer>().meta({ type: 'string', format: 'binary' });
  const downloadSchema = {
    tags: ['transfers'],
    summary: 'Download a result zip or a data set',
    description: 'result_url, download_url: signed GET URLs, no key (valid 1 h from the call that returned them).',
    params: z.object({ '*': z.string().meta({ example: 'results/0b6f3c52-7f1e-4a8e-9d3b-5c2a1e9f4d70/result.zip' }) }),
    querystring: Signed,
    response: {
      // Per content type: the file is a zip or a CSV, an error is the JSON error body.
      200: { description: 'The zip or the UTF-8 CSV', content: { 'application/zip': { schema: Binary }, 'text/csv': { schema: Binary } } },
      ...errorResponses(404),
    },
  };
  scope.get('/downloads/*', { validatorCompiler: documentOnly, schema: downloadSchema }, async (req, reply) => {
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
