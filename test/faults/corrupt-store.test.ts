/**
 * A corrupted stored model or result file (a byte flipped on disk, a truncated file) is detected by
 * its SHA-256 checksum on read and reported as STORED_FILE_CORRUPT with a clear detail: never served
 * as a download, never deserialized into a model, and a batch that needs it fails once with the reason.
 */
import { mkdtemp, open, readFile, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerThreadBatchRunner } from '../../src/compute/worker-pool.js';
import { AppError } from '../../src/domain/errors.js';
import { BATCH_PREDICT_JOB, BatchPredictionJobHandler } from '../../src/services/index.js';
import { ModelStore } from '../../src/services/model-store.js';
import { ChecksummedBlobStore, sidecarKey } from '../../src/storage/blob-checksums.js';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { S3BlobStore } from '../../src/storage/blob-s3/index.js';
import { FsBlobStore } from '../../src/storage/blob-fs/index.js';
import { apiKey, CLASSIFIERS, closeRunner, deploy, trainModel } from '../helpers/deploy.js';
import { binaryCsv, createHarness, expectError, type Harness } from '../helpers/harness.js';

/** Flips every bit of the byte at `offset` of the file (from the end when negative). */
async function flipByte(path: string, offset: number): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    const { size } = await fh.stat();
    const at = offset < 0 ? size + offset : offset;
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, at);
    b[0] = b[0]! ^ 0xff;
    await fh.write(b, 0, 1, at);
  } finally {
    await fh.close();
  }
}

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function corruption(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).kind).toBe('STORED_FILE_CORRUPT');
  return err as AppError;
}

describe('the checksummed blob store', () => {
  async function store() {
    const fs = new FsBlobStore(await mkdtemp(join(tmpdir(), 'yosoku-sum-')));
    return { fs, blobs: new ChecksummedBlobStore(fs) };
  }

  it('reads back what was written, from a buffer, a stream or a file', async () => {
    const { fs, blobs } = await store();
    await blobs.put('processes/p1/model.json', Buffer.from('{"a":1}'));
    await blobs.put('processes/p2/model.json', Readable.from([Buffer.from('{"b":'), Buffer.from('2}')]));
    const src = await blobs.tempPath('zip');
    await writeFile(src, 'PK-zip-bytes');
    await blobs.putFile('batch/b1/result.zip', src);
    expect(await text(await blobs.get('processes/p1/model.json'))).toBe('{"a":1}');
    expect(await text(await blobs.get('processes/p2/model.json'))).toBe('{"b":2}');
    expect(await readFile(await blobs.localPath('batch/b1/result.zip'), 'utf8')).toBe('PK-zip-bytes');
    expect(await fs.size(sidecarKey('processes/p1/model.json'))).toBeGreaterThan(0);
  });

  it('reports a flipped byte on get and on localPath, naming the kind of file and not its path', async () => {
    const { fs, blobs } = await store();
    await blobs.put('processes/p1/model.json', Buffer.from('{"trees":[1,2,3]}'));
    await blobs.put('processes/p1/result.zip', Buffer.from('PK result'));
    await flipByte(await fs.localPath('processes/p1/model.json'), 5);
    await flipByte(await fs.localPath('processes/p1/result.zip'), -1);
    const e = await corruption(blobs.get('processes/p1/model.json'));
    expect(e.message).toBe('Internal server error.: the stored model is damaged (SHA-256 checksum mismatch); the operator must restore it from a backup');
    expect(e.message).not.toMatch(/processes|\/tmp/);
    await corruption(blobs.localPath('processes/p1/model.json'));
    expect((await corruption(blobs.get('processes/p1/result.zip'))).detail).toMatch(/^the stored result file is damaged/);
  });

  it('reports a truncated file with the byte counts', async () => {
    const { fs, blobs } = await store();
    await blobs.put('processes/p1/model.json', Buffer.from('0123456789'));
    await truncate(await fs.localPath('processes/p1/model.json'), 4);
    expect((await corruption(blobs.get('processes/p1/model.json'))).detail).toContain('4 bytes stored, 10 written');
  });

  it('a damaged checksum file is reported too', async () => {
    const { fs, blobs } = await store();
    await blobs.put('processes/p1/model.json', Buffer.from('{}'));
    await writeFile(await fs.localPath(sidecarKey('processes/p1/model.json')), 'not json');
    expect((await corruption(blobs.get('processes/p1/model.json'))).detail).toContain('its checksum file cannot be read');
  });

  it('detects corruption after a first verified localPath once the key is written again', async () => {
    const { fs, blobs } = await store();
    await blobs.put('processes/p1/model.json', Buffer.from('{"v":1}'));
    await blobs.localPath('processes/p1/model.json');
    await blobs.put('processes/p1/model.json', Buffer.from('{"v":2}'));
    await flipByte(await fs.localPath('processes/p1/model.json'), 2);
    await corruption(blobs.localPath('processes/p1/model.json'));
  });

  it('reads blobs stored without a checksum (before checksums, or a crash before the sidecar) unverified', async () => {
    const { fs, blobs } = await store();
    await fs.put('processes/old/model.json', Buffer.from('{"old":true}'));
    expect(await text(await blobs.get('processes/old/model.json'))).toBe('{"old":true}');
  });

  it('leaves other keys alone, and delete removes the checksum with the blob', async () => {
    const { fs, blobs } = await store();
    await blobs.put('processes/p1/learn.csv', Buffer.from('a,b\n'));
    expect(await fs.size(sidecarKey('processes/p1/learn.csv'))).toBeNull();
    await blobs.put('processes/p1/model.json', Buffer.from('{}'));
    await blobs.delete('processes/p1/model.json');
    expect(await fs.size('processes/p1/model.json')).toBeNull();
    expect(await fs.size(sidecarKey('processes/p1/model.json'))).toBeNull();
  });

  it('a stream that fails stores neither the blob nor a checksum', async () => {
    const { fs, blobs } = await store();
    const failing = new Readable({
      read() {
        this.push(Buffer.from('{"partial":'));
        this.destroy(new Error('client went away'));
      },
    });
    await expect(blobs.put('processes/p1/model.json', failing)).rejects.toThrow('client went away');
    expect(await fs.size('processes/p1/model.json')).toBeNull();
    expect(await fs.size(sidecarKey('processes/p1/model.json'))).toBeNull();
  });
});

describe('the checksummed blob store over S3 (scale-out)', () => {
  it('reports an object changed in the bucket behind its back, on get and on the cached local copy', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yosoku-s3rver-sum-'));
    const s3rver = new S3rver({ address: '127.0.0.1', port: 0, directory: dir, silent: true });
    const { port } = await s3rver.run();
    const client = new S3Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    try {
      await client.send(new CreateBucketCommand({ Bucket: 'sums' }));
      const raw = new S3BlobStore({ client, bucket: 'sums', cacheDir: await mkdtemp(join(tmpdir(), 'yosoku-s3-sum-cache-')) });
      const blobs = new ChecksummedBlobStore(raw);
      await blobs.put('processes/p1/model.json', Buffer.from('{"trees":[1,2,3]}'));
      expect(await text(await blobs.get('processes/p1/model.json'))).toBe('{"trees":[1,2,3]}');
      // The same length, one byte different: only the checksum tells.
      await raw.put('processes/p1/model.json', Buffer.from('{"trees":[1,2,4]}'));
      await corruption(blobs.get('processes/p1/model.json'));
      await corruption(blobs.localPath('processes/p1/model.json'));
    } finally {
      client.destroy();
      await s3rver.close();
    }
  });
});

describe('a corrupted model or result file in the running service', () => {
  let h: Harness;
  let secret: string;
  let train: string;
  let modelId: number;
  const runner = new WorkerThreadBatchRunner();

  beforeAll(async () => {
    h = await createHarness({ TRAINING_TIME_BUDGET_SECONDS: '1' });
    const u = await h.user('alice');
    secret = u.secret;
    train = u.train;
    modelId = await trainModel(h, train, binaryCsv(80), { tc: 'churn', tt: 'binary_classification', tv: 'yes' });
  }, 120_000);

  afterAll(async () => {
    await runner.close();
    await closeRunner();
  });

  /** The on-disk file of a blob, past the checksum layer (the harness stores blobs on disk; scratch files live in <root>/.tmp). */
  async function fileOf(key: string): Promise<string> {
    return join(dirname(dirname(await h.deps.blobs.tempPath('x'))), key);
  }

  it('a result zip with a flipped byte is not served: the download answers what happened', async () => {
    const models = await h.storage.models.list((await h.storage.users.findByName('alice'))!.id, { offset: 0, limit: 10 });
    const pid = models.items[0]!.processId;
    const status = (await h.get(`/v1/external/models/results?external_process_id=${pid}`, train)).json();
    expect((await h.get(status.result_url)).statusCode).toBe(200);
    await flipByte(await fileOf(`processes/${pid}/result.zip`), 40);
    expectError(
      await h.get(status.result_url),
      5001000201,
      'Internal server error.: the stored result file is damaged (SHA-256 checksum mismatch); the operator must restore it from a backup',
    );
  });

  it('a model with a flipped byte is never loaded: a batch that needs it fails once with the reason', async () => {
    const deployKey = await apiKey(h, secret, 'deploy');
    const c = await deploy(h, deployKey, modelId);
    expect(c.status).toBe('running');
    const model = await h.storage.models.get((await h.storage.users.findByName('alice'))!.id, modelId);
    await flipByte(await fileOf(model!.blobKey), 10);
    // A server that starts now (an empty cache of loaded models) refuses to load it.
    await corruption(new ModelStore(h.deps).get(model!.userId, modelId));

    const opened = (await h.post(`${CLASSIFIERS}/${c.classifier_id}/batch-predictions`, deployKey, {})).json();
    expect((await h.put(opened.upload_url, binaryCsv(20).replace(/,(churn|yes|no)$/gm, ''))).statusCode).toBe(200);
    const job = (await h.storage.jobs.claim([BATCH_PREDICT_JOB], 'test', 60_000))!;
    await new BatchPredictionJobHandler(h.deps, runner).handle(job);
    const status = (await h.get(`${CLASSIFIERS}/${c.classifier_id}/batch-predictions/${opened.batch_prediction_id}`, deployKey)).json();
    expect(status).toMatchObject({
      status: 'job_failed',
      message: 'the stored model is damaged (SHA-256 checksum mismatch); the operator must restore it from a backup',
    });
    expect(status.download_url ?? null).toBeNull();
  });
});
