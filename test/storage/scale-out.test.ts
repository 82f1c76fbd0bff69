/**
 * Scale-out end to end: two `src/main.ts` processes (two "machines") on one PostgreSQL schema, one
 * S3 bucket (s3rver) and one URL signing secret. What one machine stores, the other serves: the
 * local user created at a racing first start, keys, signed upload URLs, data sets, and a training
 * queued on one machine and finished by whichever claims it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { postgresUnavailable, TEST_DATABASE_URL, TestSchemas } from '../helpers/postgres.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';

const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const BUCKET = 'yosoku-scale-out';
const SECRET = 'a'.repeat(64);

describe('scale-out configuration', () => {
  const base = { DATABASE_URL: 'postgres://u@db:5432/y', S3_BUCKET: 'b', URL_SIGNING_SECRET: SECRET };

  it('is off without DATABASE_URL, and reads the S3 and schema variables with it', () => {
    expect(loadConfig({}).scaleOut).toBeNull();
    expect(loadConfig({ ...base, S3_ENDPOINT: 'http://minio:9000', S3_FORCE_PATH_STYLE: 'true', S3_PREFIX: 'y/', DATABASE_SCHEMA: 's1' })).toMatchObject({
      urlSigningSecret: SECRET,
      scaleOut: {
        databaseUrl: base.DATABASE_URL,
        schema: 's1',
        s3: { bucket: 'b', region: 'us-east-1', endpoint: 'http://minio:9000', forcePathStyle: true, prefix: 'y/' },
      },
    });
  });

  it('requires a bucket and a shared signing secret of at least 32 characters', () => {
    expect(() => loadConfig({ ...base, S3_BUCKET: '' })).toThrow(new ConfigError('S3_BUCKET is required when DATABASE_URL is set'));
    expect(() => loadConfig({ ...base, URL_SIGNING_SECRET: '' })).toThrow(/URL_SIGNING_SECRET is required when DATABASE_URL is set/);
    expect(() => loadConfig({ ...base, URL_SIGNING_SECRET: 'short' })).toThrow(/URL_SIGNING_SECRET must have at least 32 characters/);
    expect(() => loadConfig({ ...base, S3_FORCE_PATH_STYLE: 'yes' })).toThrow(/S3_FORCE_PATH_STYLE must be true or false/);
    expect(() => loadConfig({ ...base, DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must be a postgres:\/\/ URL/);
  });
});

const unavailable = await postgresUnavailable();

describe.skipIf(unavailable !== null)(`two machines on PostgreSQL + S3${unavailable === null ? '' : ` (skipped: ${unavailable})`}`, () => {
  const schemas = new TestSchemas();
  const servers: ServerProcess[] = [];
  const dirs: string[] = [];
  let s3rver: S3rver | null = null;
  let a: ServerProcess;
  let b: ServerProcess;
  let secret: string;
  let secrets: string[];

  beforeAll(async () => {
    const s3dir = await mkdtemp(join(tmpdir(), 'yosoku-s3rver-'));
    dirs.push(s3dir);
    s3rver = new S3rver({ address: '127.0.0.1', port: 0, directory: s3dir, silent: true });
    const { port } = await s3rver.run();
    const endpoint = `http://127.0.0.1:${port}`;
    const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: CREDENTIALS });
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    client.destroy();

    const schema = schemas.next();
    const machine = async (): Promise<{ server: ServerProcess; dataDir: string }> => {
      const dataDir = join(await mkdtemp(join(tmpdir(), 'yosoku-machine-')), 'data');
      dirs.push(dataDir);
      const server = await startServer({
        DATA_DIR: dataDir,
        DATABASE_URL: TEST_DATABASE_URL,
        DATABASE_SCHEMA: schema,
        S3_BUCKET: BUCKET,
        S3_ENDPOINT: endpoint,
        S3_FORCE_PATH_STYLE: 'true',
        S3_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        URL_SIGNING_SECRET: SECRET,
        TRAINING_TIME_BUDGET_SECONDS: '2',
      });
      servers.push(server);
      return { server, dataDir };
    };
    // Both start at once on an empty schema: migrations and the local user race.
    const started = await Promise.all([machine(), machine()]);
    [a, b] = started.map((m) => m.server) as [ServerProcess, ServerProcess];
    // Usually one machine creates the user; the other may add a second key to it (see main.ts).
    const creators = started.filter((m) => m.server.stdout().includes('Created the local user'));
    expect(creators.length).toBeGreaterThanOrEqual(1);
    secrets = await Promise.all(creators.map(async (m) => (await readFile(join(m.dataDir, 'secret-key.txt'), 'utf8')).trim()));
    secret = secrets[0]!;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await schemas.dropAll();
    await s3rver?.close();
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  // Untyped JSON on the test side.
  const get = async (base: string, path: string, key: string): Promise<any> => {
    const res = await fetch(base + path, { headers: { 'x-api-key': key } });
    expect(res.status, `${path}: ${res.status}`).toBe(200);
    return res.json();
  };

  it('a key created on one machine works on the other', async () => {
    for (const s of secrets) for (const m of [a, b]) await get(m.url, '/v1/external/api-key?credential_type=train', s);
    const onA = (await get(a.url, '/v1/external/api-key?credential_type=train', secret)).api_key;
    await get(b.url, '/v1/external/data-sets', onA);
  });

  it('a URL signed by one machine is accepted by the other, and the data set is listed by both', async () => {
    const key = (await get(a.url, '/v1/external/api-key?credential_type=train', secret)).api_key;
    const urls = await get(a.url, '/v1/external/data-sets/upload-url?extension=csv', key);
    const signedByA = new URL(urls.learn_data_set_upload_url);
    const toB = new URL(signedByA.pathname + signedByA.search, b.url);
    const csv =
      ['x,y,label', ...Array.from({ length: 120 }, (_, i) => `${i % 17},${(i * 7) % 11},${(i % 17) + ((i * 7) % 11) > 13 ? 'hi' : 'lo'}`)].join('\n') + '\n';
    const put = await fetch(toB, { method: 'PUT', body: csv });
    expect(put.status, await put.text()).toBe(200);
    for (const m of [a, b]) {
      const listed = await get(m.url, '/v1/external/data-sets', key);
      expect(listed.data_sets).toHaveLength(1);
    }

    // A training queued through A is claimed from the shared queue and finished by a machine.
    const post = await fetch(`${a.url}/v1/external/models`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ external_process_id: urls.external_process_id, name: 'shared', config: { tc: 'label', tt: 'binary_classification', tv: 'hi' } }),
    });
    expect(post.status, await post.text()).toBe(200);
    const statusPath = `/v1/external/models/results?external_process_id=${urls.external_process_id}`;
    let status: any;
    for (;;) {
      status = await get(b.url, statusPath, key);
      if (status.status === 'finished' || status.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(status.status, status.message).toBe('finished');
    const zip = await fetch(status.result_url);
    expect(zip.status).toBe(200);
    expect(
      Buffer.from(await zip.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
  }, 120_000);
});
