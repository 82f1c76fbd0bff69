/**
 * In-process test harness: the real services and Fastify app over an in-memory SQLite database,
 * a temp blob directory and a clock the test moves. No sockets: requests go through app.inject.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import type { AppServices } from '../../src/api/services.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createServices, createUrlSigner, type ServiceDeps } from '../../src/services/index.js';
import { withChecksums } from '../../src/storage/blob-checksums.js';
import { FsBlobStore } from '../../src/storage/blob-fs/index.js';
import { createSqliteStorage, type SqliteStorage } from '../../src/storage/sqlite/index.js';

export const PUBLIC_URL = 'http://yosoku.test';

export interface Harness {
  readonly app: FastifyInstance;
  readonly services: AppServices;
  readonly deps: ServiceDeps;
  readonly storage: SqliteStorage;
  readonly config: Config;
  advance(ms: number): void;
  /** A new user with a fresh train key; returns both keys. */
  user(name: string): Promise<{ userId: string; secret: string; train: string }>;
  get(url: string, key?: string): Promise<LightMyRequestResponse>;
  /** PUT to an absolute signed URL from an upload-url response. */
  put(absoluteUrl: string, body: string | Buffer, headers?: InjectOptions['headers']): Promise<LightMyRequestResponse>;
  post(url: string, key: string, body: unknown): Promise<LightMyRequestResponse>;
  del(url: string, key: string): Promise<LightMyRequestResponse>;
  /** Opens a process and uploads `learn` (and optional eval / column_info). Returns the process id. */
  upload(key: string, files: { learn: string | Buffer; eval?: string | Buffer; columnInfo?: string | Buffer; extension?: string }): Promise<string>;
}

/** `extra`: dependencies to add or replace (e.g. an inference runner). */
export async function createHarness(env: Record<string, string> = {}, extra: Partial<ServiceDeps> = {}): Promise<Harness> {
  let ms = Date.parse('2026-03-01T00:00:00Z');
  const clock = { now: () => new Date(ms) };
  const config = loadConfig({ PUBLIC_URL, DATA_DIR: '/nonexistent', ...env });
  const storage = createSqliteStorage(':memory:', clock);
  const deps: ServiceDeps = {
    ...storage,
    blobs: withChecksums(new FsBlobStore(await mkdtemp(join(tmpdir(), 'yosoku-test-')))),
    clock,
    signer: createUrlSigner({ secret: 'test-secret', publicUrl: PUBLIC_URL, ttlSeconds: config.signedUrlTtlSeconds }),
    config,
    ...extra,
  };
  const services = createServices(deps);
  const app = buildApp(services, { validateResponses: true });
  const local = (u: string) => (u.startsWith(PUBLIC_URL) ? u.slice(PUBLIC_URL.length) : u);
  const h: Harness = {
    app,
    services,
    deps,
    storage,
    config,
    advance: (d) => void (ms += d),
    async user(name) {
      const { userId, secretKey } = await services.auth.createSecretKey(name);
      const res = await h.get('/v1/external/api-key?credential_type=train', secretKey);
      return { userId, secret: secretKey, train: res.json().api_key as string };
    },
    get: (url, key) => app.inject({ method: 'GET', url: local(url), headers: key === undefined ? {} : { 'x-api-key': key } }),
    put: (url, body, headers = {}) => app.inject({ method: 'PUT', url: local(url), payload: body, headers }),
    post: (url, key, body) =>
      app.inject({
        method: 'POST',
        url,
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    del: (url, key) => app.inject({ method: 'DELETE', url, headers: { 'x-api-key': key } }),
    async upload(key, files) {
      const res = await h.get(`/v1/external/data-sets/upload-url?extension=${files.extension ?? 'csv'}`, key);
      if (res.statusCode !== 200) throw new Error(`upload-url: ${res.body}`);
      const r = res.json();
      const put = async (url: string, body: string | Buffer) => {
        const p = await h.put(url, body);
        if (p.statusCode !== 200) throw new Error(`PUT: ${p.body}`);
      };
      await put(r.learn_data_set_upload_url, files.learn);
      if (files.columnInfo !== undefined) await put(r.column_info_upload_url, files.columnInfo);
      if (files.eval !== undefined) await put(r.eval_data_set_upload_url, files.eval);
      return r.external_process_id as string;
    },
  };
  return h;
}

/** Checks an error response: status from the code, and the body's code, error and message. */
export function expectError(res: LightMyRequestResponse, code: number, message: string | RegExp): void {
  const body = res.json() as { code: number; error: string; message: string };
  const ok =
    res.statusCode === Number(String(code).slice(0, 3)) &&
    body.code === code &&
    typeof body.error === 'string' &&
    (typeof message === 'string' ? body.message === message : message.test(body.message));
  if (!ok) throw new Error(`expected ${code} ${String(message)}, got HTTP ${res.statusCode} ${res.body}`);
}

/** A small binary-classification CSV: `n` rows, deterministic. */
export function binaryCsv(n: number): string {
  const lines = ['age,plan,score,churn'];
  for (let i = 0; i < n; i++) {
    const age = 20 + ((i * 7) % 50);
    const plan = ['basic', 'pro', 'max'][i % 3];
    const score = ((i * 37) % 100) / 10;
    lines.push(`${age},${plan},${score},${score > 5 ? 'yes' : 'no'}`);
  }
  return lines.join('\n') + '\n';
}
