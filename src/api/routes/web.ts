/**
 * The web UI (docs/web-ui.md): `GET /` serves the built page (web/dist/index.html), `GET /ui/<file>`
 * the files Vite wrote next to it (web/dist/ui/: hashed scripts and the stylesheet). The build runs
 * at `npm install` (the `prepare` script) or `npm run build`; nothing is compiled while serving.
 * The page talks to the public `/v1/` API with the user's keys like any other client. The one
 * route that reads user data, `GET /ui/report`, takes a signed result URL (the same capability
 * as downloading the zip) and serves the zip's report.html in a sandbox.
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import yauzl from 'yauzl';
import { AppError } from '../../domain/errors.js';
import { z } from 'zod';
import { ErrorBody } from '../schemas/index.js';
import type { AppServices } from '../services.js';
import { errorResponses } from './route-schema.js';

export const WEB_DIST = resolve(import.meta.dirname, '../../../web/dist');

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

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

interface WebFile {
  readonly body: Buffer;
  readonly type: string;
}

interface WebBuild {
  readonly page: Buffer;
  /** `ui/<name>` → the file; only names found in the build, so no request path reaches the disk. */
  readonly assets: ReadonlyMap<string, WebFile>;
}

const builds = new Map<string, Promise<WebBuild>>();

/** The built UI in `dist`, read once per process; a missing build is looked for again on the next request. */
function webBuild(dist: string): Promise<WebBuild> {
  let build = builds.get(dist);
  if (build === undefined) {
    build = (async () => {
      const page = await readFile(resolve(dist, 'index.html'));
      const assets = new Map<string, WebFile>();
      for (const name of await readdir(resolve(dist, 'ui'))) {
        const type = CONTENT_TYPES[extname(name)];
        if (type !== undefined) assets.set(name, { body: await readFile(resolve(dist, 'ui', name)), type });
      }
      return { page, assets };
    })();
    builds.set(dist, build);
    build.catch(() => builds.delete(dist));
  }
  return build;
}

function secure(reply: FastifyReply, contentType: string, cache: string): FastifyReply {
  return reply
    .header('content-type', contentType)
    .header('content-security-policy', WEB_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('cache-control', cache);
}

const NOT_BUILT =
  'The web UI is not built. Run `npm install` (it builds the UI) or `npm run build`, then restart the server.\n' +
  'Web UI がビルドされていません。`npm install`（UI もビルドします）または `npm run build` を実行し、サーバーを再起動してください。\n';

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

const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });
/** What /openapi.json says of these routes (documentation only: they take no parameters to check). */
const PAGE_SCHEMA = {
  tags: ['web'],
  summary: 'The web UI',
  response: { 200: html('The page'), 503: { description: 'The UI is not built (npm run build)', content: { 'text/plain': { schema: z.string() } } } },
};
const ASSET_SCHEMA = {
  tags: ['web'],
  summary: "A file of the web UI's build",
  response: { 200: { description: 'A hashed script, stylesheet or image', content: { '*/*': { schema: z.string() } } }, 404: ErrorBody },
};
const REPORT_SCHEMA = {
  tags: ['web'],
  summary: "A result zip's report.html, by its signed result URL (?result=)",
  response: { 200: html('The report'), ...errorResponses(404) },
};

/** `dist` is the build to serve (tests pass another one). */
export function registerWebRoutes(app: FastifyInstance, services: AppServices, dist = WEB_DIST): void {
  app.get('/', { schema: PAGE_SCHEMA }, async (_req, reply) => {
    const built = await webBuild(dist).catch(() => null);
    if (built === null) return secure(reply.code(503), 'text/plain; charset=utf-8', 'no-store').send(NOT_BUILT);
    return secure(reply, 'text/html; charset=utf-8', 'no-cache').send(built.page);
  });

  // Hashed names (`index-3f2a….js`): a name's content never changes, so browsers may keep it.
  app.get<{ Params: { file: string } }>('/ui/:file', { schema: ASSET_SCHEMA }, async (req, reply) => {
    const file = (await webBuild(dist).catch(() => null))?.assets.get(req.params.file);
    if (file === undefined) throw new AppError('ROUTE_NOT_FOUND');
    return secure(reply, file.type, 'public, max-age=31536000, immutable').send(file.body);
  });

  // `result` is a training's signed result_url path and query (`/downloads/results/…?expires=…&sig=…`).
  app.get<{ Querystring: { result?: unknown } }>('/ui/report', { schema: REPORT_SCHEMA }, async (req, reply) => {
    const signed = req.query.result;
    if (typeof signed !== 'string' || !signed.startsWith('/downloads/results/')) throw new AppError('UPLOAD_SIGNATURE_INVALID');
    const download = await services.downloads.open(signed);
    const html = await zipEntry(await readAll(download.body), 'report.html');
    if (html === null) throw new AppError('RESULT_NOT_FOUND');
    return secure(reply, 'text/html; charset=utf-8', 'no-cache').header('content-security-policy', REPORT_CSP).send(html);
  });
}
