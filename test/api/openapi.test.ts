/** GET /openapi.json: a valid OpenAPI 3.1 document of every route, error answer and key; GET /docs serves locally. */
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { createHarness } from '../helpers/harness.js';

type Operation = {
  summary?: string;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema?: { example?: unknown } }> }>;
  requestBody?: unknown;
  parameters?: unknown[];
};

async function documentOf() {
  const h = await createHarness();
  const res = await h.get('/openapi.json');
  expect(res.statusCode).toBe(200);
  return {
    h,
    doc: res.json() as { openapi: string; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, unknown> } },
  };
}

/** `/a/:b/*` → `/a/{b}/{*}`, as @fastify/swagger writes paths. */
function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\*/g, '{*}');
}

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const { doc } = await documentOf();
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists every route the server registers (the docs page assets aside)', async () => {
    const { h, doc } = await documentOf();
    const registered = h.app.registeredRoutes.filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/docs'));
    expect(registered.length).toBeGreaterThan(25);
    const missing = registered.filter((r) => doc.paths[openApiPath(r.url)]?.[r.method.toLowerCase()] === undefined).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
    const listed = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(listed).toBe(registered.length);
  });

  it('documents the keys, every error answer and an example per API operation', async () => {
    const { doc } = await documentOf();
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['classifierKey', 'deployKey', 'retrainKey', 'secretKey', 'trainKey']);
    for (const scheme of Object.values(doc.components.securitySchemes)) expect(scheme).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-api-key' });
    const api = Object.entries(doc.paths).filter(([path]) => path.startsWith('/v1/'));
    expect(api.length).toBeGreaterThanOrEqual(15);
    for (const [path, ops] of api) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        if (method === 'options') continue;
        expect(op.summary, where).toBeTruthy();
        expect(op.security, where).toHaveLength(1);
        for (const status of ['400', '500']) expect(op.responses[status]?.content?.['application/json']?.schema, `${where} ${status}`).toBeDefined();
        expect(op.responses['200']?.content?.['application/json']?.schema?.example, `${where} example`).toBeDefined();
      }
    }
    const train = doc.paths['/v1/external/models']!.post!;
    expect(JSON.stringify(train.requestBody)).toContain('"tt"');
    expect(Object.keys(doc.paths['/v1/external/classifiers/{classifier_id}']!).sort()).toEqual(['delete', 'get', 'patch']);
  });
});

describe('GET /docs', () => {
  it('serves the reference page and its assets from this server, with a same-origin CSP', async () => {
    const { h } = await documentOf();
    const page = await h.get('/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger-ui');
    const refs = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref, ref).not.toMatch(/^(https?:)?\/\//);
    const init = await h.get('/docs/static/swagger-initializer.js');
    expect(init.statusCode).toBe(200);
    const code = init.body.split('\n').filter((l) => !l.trim().startsWith('//'));
    expect(code.filter((l) => /https?:\/\//.test(l))).toEqual([]);
    expect(page.headers['content-security-policy'] ?? init.headers['content-security-policy']).toBeDefined();
  });
});
