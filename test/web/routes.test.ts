/** The web UI's routes (src/api/routes/web.ts): content types, CSP, the bundle, and no new access. */
import { describe, expect, it } from 'vitest';
import { createHarness } from '../helpers/harness.js';

describe('web UI routes', () => {
  it('serves the page at / as UTF-8 HTML with a strict CSP', async () => {
    const h = await createHarness();
    const res = await h.app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.body).toContain('<script type="module" src="ui/app.js"></script>');
    expect(res.body).toContain('学習を開始');
    for (const id of ['step-retrain', 'step-batch', 'step-catalog', 'retrain-switch', 'batch-file', 'catalog-refresh']) expect(res.body).toContain(`id="${id}"`);
    // No inline script or style for the CSP to block.
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.body).not.toMatch(/<style|\sstyle=|\son[a-z]+=/);
  });

  it('serves the bundled TypeScript and the stylesheet under /ui/ with the same headers', async () => {
    const h = await createHarness();
    const js = await h.app.inject({ url: '/ui/app.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['content-security-policy']).toContain("default-src 'none'");
    expect(js.body).toContain('v1/external/api-key?');
    for (const path of ['v1/external/retrain_jobs/upload_url?filename=', '/batch-predictions', 'v1/external/data-sets?limit=']) expect(js.body).toContain(path);
    expect(js.body).not.toMatch(/^\s*import\s/m); // one bundle, no module requests
    const again = await h.app.inject({ url: '/ui/app.js' });
    expect(again.body).toBe(js.body); // built once, cached
    const css = await h.app.inject({ url: '/ui/app.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('adds no data access: the API still refuses keyless calls, unknown /ui/ paths are 404', async () => {
    const h = await createHarness();
    expect((await h.app.inject({ url: '/ui/secret-key.txt' })).statusCode).toBe(404);
    expect((await h.app.inject({ url: '/ui/../data/secret-key.txt' })).statusCode).toBe(404);
    expect((await h.app.inject({ url: '/index.html' })).statusCode).toBe(404);
    // The report route needs a valid signed result URL, exactly like the zip download.
    for (const result of ['', '/downloads/results/p/result.zip', '/downloads/results/p/result.zip?expires=9999999999&sig=00', '/downloads/data-sets/u/1?expires=9999999999&sig=00']) {
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
