/**
 * The web UI's routes (src/api/routes/web.ts): the built page and its files (web/dist, made by
 * `npm install` / `npm run build`), content types, the CSP and other headers, no inline code, the
 * not-built answer, and no new access to data.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { jsonSerializer } from '../../src/api/ops/serializers.js';
import { registerWebRoutes, WEB_DIST } from '../../src/api/routes/web.js';
import { createHarness } from '../helpers/harness.js';

const built = existsSync(join(WEB_DIST, 'index.html'));
if (!built) console.warn('web: web/dist is missing (run npm run build); the built-page tests are skipped');

describe.skipIf(!built)('web UI routes (built)', () => {
  it('serves the page at / as UTF-8 HTML with a strict CSP and no inline code', async () => {
    const h = await createHarness();
    const res = await h.app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(res.headers['content-security-policy']);
    for (const part of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"])
      expect(csp).toContain(part);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toContain('<div id="app"></div>');
    expect(res.body).toMatch(/<script type="module" crossorigin src="\.\/ui\/index-[\w-]+\.js"><\/script>/);
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.body).not.toMatch(/<style|\sstyle=|\son[a-z]+=/);
  });

  it('serves every file the page and its scripts load, from /ui/, cached for good, and the UI calls the API paths', async () => {
    const h = await createHarness();
    const page = (await h.app.inject({ url: '/' })).body;
    const first = [...page.matchAll(/(?:src|href)="\.\/ui\/([^"]+)"/g)].map((m) => m[1]!);
    expect(first.some((f) => f.endsWith('.css'))).toBe(true);
    const seen = new Set<string>();
    const queue = [...first];
    let scripts = '';
    while (queue.length > 0) {
      const name = queue.shift()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const res = await h.app.inject({ url: `/ui/${name}` });
      expect(res.statusCode, name).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      if (name.endsWith('.js')) {
        expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
        scripts += res.body;
        // Lazily loaded chunks (the evaluation view with echarts) are named relative to the script.
        for (const m of res.body.matchAll(/["'`]\.\/([\w-]+\.js)["'`]/g)) queue.push(m[1]!);
      } else expect(res.headers['content-type']).toBe('text/css; charset=utf-8');
    }
    expect([...seen].some((f) => f.startsWith('evaluation-view-'))).toBe(true);
    for (const path of [
      'v1/external/api-key?',
      'v1/external/retrain_jobs/upload_url?filename=',
      '/batch-predictions',
      'v1/external/data-sets?limit=',
      'v1/external/data-sets/column-info?',
    ]) {
      expect(scripts, path).toContain(path);
    }
  });

  it('adds no data access: unknown /ui/ paths are 404, the report needs a valid signature, the API still refuses keyless calls', async () => {
    const h = await createHarness();
    for (const url of ['/ui/secret-key.txt', '/ui/../data/secret-key.txt', '/ui/..%2Fpackage.json', '/index.html', '/ui/index.html']) {
      expect((await h.app.inject({ url })).statusCode, url).toBe(404);
    }
    for (const result of [
      '',
      '/downloads/results/p/result.zip',
      '/downloads/results/p/result.zip?expires=9999999999&sig=00',
      '/downloads/data-sets/u/1?expires=9999999999&sig=00',
    ]) {
      const res = await h.app.inject({ url: `/ui/report?result=${encodeURIComponent(result)}` });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toBe('UPLOAD_SIGNATURE_INVALID');
    }
    const twice = await h.app.inject({ url: '/ui/report?result=%2Fdownloads%2Fresults%2Fp&result=x' });
    expect(twice.json().error).toBe('UPLOAD_SIGNATURE_INVALID');
    const models = await h.app.inject({ url: '/v1/external/models' });
    expect(models.statusCode).toBe(400); // no key: refused exactly as without the UI
    expect(models.json()).toMatchObject({ code: expect.any(Number), error: expect.any(String) });
    expect(models.headers['content-security-policy']).toBeUndefined();
  });
});

describe('web UI routes (not built)', () => {
  it('answers / with 503 and how to build, in both languages, until a build appears', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yosoku-web-dist-'));
    const h = await createHarness();
    // The routes declare zod schemas: compile them as the app does (src/api/app.ts).
    const app = Fastify().setValidatorCompiler(validatorCompiler).setSerializerCompiler(jsonSerializer);
    registerWebRoutes(app, h.services, join(dir, 'dist'));
    try {
      const res = await app.inject({ url: '/' });
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.body).toContain('npm run build');
      expect(res.body).toContain('ビルド');
      expect((await app.inject({ url: '/ui/index-x.js' })).statusCode).toBe(404);
    } finally {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
