/**
 * The web UI (docs/web-ui.md): `GET /` serves web/index.html, `GET /ui/app.js` the UI's TypeScript
 * bundled by esbuild (once, on first request, kept in memory), `GET /ui/app.css` the stylesheet.
 * The page talks to the public `/v1/` API with the user's keys like any other client. The one
 * route that reads user data, `GET /ui/report`, takes a signed result URL (the same capability
 * as downloading the zip) and serves the zip's report.html in a sandbox.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import yauzl from 'yauzl';
import { AppError } from '../../domain/errors.js';
import type { AppServices } from '../services.js';

export const WEB_DIR = resolve(import.meta.dirname, '../../../web');

/**
 * Scripts and styles only from this origin (no inline code), requests only to this origin, no
 * framing, no plugins, no forms posting elsewhere.
 */
export const WEB_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * report.html is self-contained with inline styles and one inline handler (its language switch).
 * `sandbox allow-scripts` gives it an opaque origin: it cannot read this origin's storage or call
 * the API, and it may load nothing from anywhere.
 */
export const REPORT_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "script-src 'unsafe-inline'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  'sandbox allow-scripts',
].join('; ');

let bundle: Promise<string> | null = null;

/** The UI bundle, built once per process; a failed build is retried on the next request. */
function appBundle(): Promise<string> {
  if (bundle === null) {
    bundle = (async () => {
      const { build } = await import('esbuild');
      const out = await build({
        entryPoints: [resolve(WEB_DIR, 'src/main.ts')],
        bundle: true,
        write: false,
        format: 'esm',
        target: 'es2022',
        charset: 'utf8',
        minify: true,
        sourcemap: false,
        logLevel: 'silent',
      });
      return out.outputFiles[0]!.text;
    })();
    bundle.catch(() => (bundle = null));
  }
  return bundle;
}

function secure(reply: FastifyReply, contentType: string): FastifyReply {
  return reply
    .header('content-type', contentType)
    .header('content-security-policy', WEB_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('cache-control', 'no-cache');
}

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** One entry of a zip held in memory, or null when it has none by that name. */
function zipEntry(zip: Buffer, name: string): Promise<Buffer | null> {
  return new Promise((res, rej) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (err, file) => {
      if (err !== null || file === undefined) return rej(err ?? new Error('unreadable zip'));
      file.on('error', rej);
      file.on('end', () => res(null));
      file.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return file.readEntry();
        file.openReadStream(entry, (e, stream) => {
          if (e !== null || stream === undefined) return rej(e ?? new Error('unreadable zip entry'));
          readAll(stream).then(res, rej);
        });
      });
      file.readEntry();
    });
  });
}

export function registerWebRoutes(app: FastifyInstance, services: AppServices): void {
  app.get('/', async (_req, reply) => secure(reply, 'text/html; charset=utf-8').send(await readFile(resolve(WEB_DIR, 'index.html'), 'utf8')));
  app.get('/ui/app.css', async (_req, reply) => secure(reply, 'text/css; charset=utf-8').send(await readFile(resolve(WEB_DIR, 'app.css'), 'utf8')));
  app.get('/ui/app.js', async (_req, reply) => secure(reply, 'text/javascript; charset=utf-8').send(await appBundle()));

  // `result` is a training's signed result_url path and query (`/downloads/results/…?expires=…&sig=…`).
  app.get<{ Querystring: { result?: unknown } }>('/ui/report', async (req, reply) => {
    const signed = req.query.result;
    if (typeof signed !== 'string' || !signed.startsWith('/downloads/results/')) throw new AppError('UPLOAD_SIGNATURE_INVALID');
    const download = await services.downloads.open(signed);
    const html = await zipEntry(await readAll(download.body), 'report.html');
    if (html === null) throw new AppError('RESULT_NOT_FOUND');
    return secure(reply, 'text/html; charset=utf-8').header('content-security-policy', REPORT_CSP).send(html);
  });
}
