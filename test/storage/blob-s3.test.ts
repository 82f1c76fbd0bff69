/**
 * Runs the BlobStore contract against S3, using s3rver (a local S3-compatible server, test-only)
 * started on a free port with a temporary directory. Each test gets its own bucket.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateBucketCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { S3BlobStore } from '../../src/storage/blob-s3/index.js';
import { openScaleOut } from '../../src/storage/scale-out.js';
import { runBlobStoreContract } from '../contract/blob-store.case.js';
import { postgresUnavailable, TEST_DATABASE_URL, TestSchemas } from '../helpers/postgres.js';

const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

interface LocalS3 {
  readonly endpoint: string;
  readonly client: S3Client;
  readonly dirs: string[];
  close(): Promise<void>;
}

let server: Promise<LocalS3> | null = null;
let buckets = 0;

/** Starts s3rver once per file, on demand. */
function localS3(): Promise<LocalS3> {
  server ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yosoku-s3rver-'));
    const s3rver = new S3rver({ address: '127.0.0.1', port: 0, directory: dir, silent: true });
    const { port } = await s3rver.run();
    const endpoint = `http://127.0.0.1:${port}`;
    const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: CREDENTIALS });
    const dirs = [dir];
    return {
      endpoint,
      client,
      dirs,
      close: async () => {
        client.destroy();
        await s3rver.close();
        await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
      },
    };
  })();
  return server;
}

afterAll(async () => {
  if (server !== null) await (await server).close();
});

async function freshStore(
  partSize?: number,
  cache: { cacheMaxBytes?: number; cacheProtectMs?: number } = {},
): Promise<{ store: S3BlobStore; s3: LocalS3; bucket: string; cacheDir: string }> {
  const s3 = await localS3();
  const bucket = `yosoku-test-${++buckets}`;
  await s3.client.send(new CreateBucketCommand({ Bucket: bucket }));
  const cacheDir = await mkdtemp(join(tmpdir(), 'yosoku-s3-cache-'));
  s3.dirs.push(cacheDir);
  const store = new S3BlobStore({ client: s3.client, bucket, prefix: 'yosoku/', cacheDir, ...(partSize === undefined ? {} : { partSize }), ...cache });
  return { store, s3, bucket, cacheDir };
}

describe('S3', () => {
  runBlobStoreContract(async () => (await freshStore()).store);

  describe('S3BlobStore', () => {
    it('streams a body larger than a part as a multipart upload', async () => {
      // s3rver enforces S3's 5 MiB minimum for every part but the last.
      const partSize = 5 * 1024 * 1024;
      const { store } = await freshStore(partSize);
      const chunk = Buffer.alloc(1024 * 1024, 7);
      const body = Readable.from(
        (function* () {
          for (let i = 0; i < 6; i++) yield chunk;
          yield Buffer.from('end');
        })(),
      );
      await store.put('big/file.bin', body);
      expect(await store.size('big/file.bin')).toBe(6 * 1024 * 1024 + 3);
      const back = Buffer.concat(await (await store.get('big/file.bin')).toArray());
      expect(back.subarray(-3).toString()).toBe('end');
      expect(back.byteLength).toBe(6 * 1024 * 1024 + 3);
    });

    it('aborts the multipart upload when the source fails after the first part', async () => {
      const partSize = 5 * 1024 * 1024;
      const { store, s3 } = await freshStore(partSize);
      const send = vi.spyOn(s3.client, 'send');
      let sent = 0;
      const failing = new Readable({
        read() {
          if (sent >= 6) {
            this.destroy(new Error('client went away'));
            return;
          }
          sent++;
          this.push(Buffer.alloc(1024 * 1024, 1));
        },
      });
      try {
        await expect(store.put('big/broken.bin', failing)).rejects.toThrow('client went away');
        const commands = send.mock.calls.map(([c]) => c);
        expect(commands.some((c) => c instanceof UploadPartCommand)).toBe(true);
        expect(commands.some((c) => c instanceof AbortMultipartUploadCommand)).toBe(true);
        expect(commands.some((c) => c instanceof CompleteMultipartUploadCommand)).toBe(false);
      } finally {
        send.mockRestore();
      }
      expect(await store.size('big/broken.bin')).toBeNull();
    });

    it('keeps its local copies under cacheMaxBytes, least recently used out first', async () => {
      const { store } = await freshStore(undefined, { cacheMaxBytes: 2_500, cacheProtectMs: 0 });
      for (const name of ['a', 'b', 'c']) await store.put(`f/${name}`, Buffer.alloc(1_000, name));
      const a = await store.localPath('f/a');
      const b = await store.localPath('f/b');
      await new Promise((r) => setTimeout(r, 20)); // distinct mtimes
      expect(await store.localPath('f/a')).toBe(a); // a hit: a is now more recent than b
      await new Promise((r) => setTimeout(r, 20));
      const c = await store.localPath('f/c'); // 3,000 bytes > 2,500: the least recently used (b) goes
      expect([existsSync(a), existsSync(b), existsSync(c)]).toEqual([true, false, true]);
      // An evicted copy is simply downloaded again.
      expect(await readFile(await store.localPath('f/b'), 'utf8')).toBe('b'.repeat(1_000));
    });

    it('refreshes the local copy when a key is written again, and reuses it otherwise', async () => {
      const { store } = await freshStore();
      await store.put('p/model.json', Buffer.from('v1'));
      const first = await store.localPath('p/model.json');
      expect(await store.localPath('p/model.json')).toBe(first);
      await store.put('p/model.json', Buffer.from('version 2'));
      const second = await store.localPath('p/model.json');
      expect(second).not.toBe(first);
      expect(await text(await store.get('p/model.json'))).toBe('version 2');
      await expect(store.localPath('p/missing.json')).rejects.toThrow(/blob "p\/missing.json" does not exist/);
    });

    it('putFile moves the file: the local scratch copy is gone afterwards', async () => {
      const { store, cacheDir } = await freshStore();
      const tmp = await store.tempPath('upload.csv');
      await (await import('node:fs/promises')).writeFile(tmp, 'a\n1\n');
      await store.putFile('p/learn.csv', tmp);
      expect(await readdir(join(cacheDir, 'tmp'))).toEqual([]);
      expect(await store.size('p/learn.csv')).toBe(4);
    });
  });
});

describe('openScaleOut', async () => {
  const unavailable = await postgresUnavailable();
  if (unavailable !== null) {
    console.warn(`SKIPPED openScaleOut tests: ${unavailable}`);
    it.skip(`opens PostgreSQL and S3 together (skipped: ${unavailable})`, () => undefined);
    return;
  }
  const schemas = new TestSchemas();
  afterAll(() => schemas.dropAll());

  it('opens PostgreSQL and S3 together and returns the ports main.ts wires', async () => {
    const s3 = await localS3();
    const bucket = 'yosoku-scale-out';
    await s3.client.send(new CreateBucketCommand({ Bucket: bucket }));
    const storage = await openScaleOut({
      databaseUrl: TEST_DATABASE_URL,
      schema: schemas.next(),
      poolSize: 2,
      s3: { endpoint: s3.endpoint, bucket, region: 'us-east-1', credentials: CREDENTIALS, forcePathStyle: true },
      cacheDir: await mkdtemp(join(tmpdir(), 'yosoku-s3-cache-')),
    });
    schemas.track(() => storage.close());
    await storage.blobs.put('a/b.txt', Buffer.from('hi'));
    expect(await text(await storage.blobs.get('a/b.txt'))).toBe('hi');
    const id = await storage.jobs.enqueue('train', {});
    expect((await storage.jobs.claim(['train'], 'w', 1000))?.id).toBe(id);
    expect(await storage.users.count()).toBe(0);
  });

  it('fails at open, naming the bucket, when the bucket does not exist', async () => {
    const s3 = await localS3();
    await expect(
      openScaleOut({
        databaseUrl: TEST_DATABASE_URL,
        schema: schemas.next(),
        s3: { endpoint: s3.endpoint, bucket: 'no-such-bucket', region: 'us-east-1', credentials: CREDENTIALS, forcePathStyle: true },
      }),
    ).rejects.toThrow(/S3 bucket "no-such-bucket" is not reachable \(HTTP 404\)/);
  });
});
