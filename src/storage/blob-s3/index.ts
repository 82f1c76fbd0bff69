/**
 * BlobStore on S3 (or any S3-compatible store: MinIO, Ceph, s3rver in tests).
 *
 * - `put` streams: the body is cut into parts of PART_SIZE bytes; a body that fits in one part is
 *   a single PutObject, a larger one a multipart upload. Only one part is held in memory at a time.
 *   S3 answers a PutObject / CompleteMultipartUpload only once the object is stored, so `put`
 *   resolving means durable. A failing source aborts the multipart upload: nothing appears under
 *   the key (S3 objects are all-or-nothing, so a half-written object is never visible).
 * - `localPath` downloads into a local cache named by key and ETag, so a re-put key is fetched
 *   again and an unchanged one is read once per machine (DuckDB and the trainer read by path). The
 *   cache is kept under `cacheMaxBytes`, least recently used copies deleted first (cache-pruner.ts).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { BlobStore } from '../ports.js';
import { CachePruner } from './cache-pruner.js';

/** Same rule as the filesystem store: keys are ours, but refuse anything odd. */
const KEY_PATTERN = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;
/**
 * Multipart part size. S3's minimum is 5 MiB (except the last part) and the maximum part count
 * is 10,000, so 16 MiB parts allow objects up to ~160 GB while buffering only 16 MiB per put.
 */
export const PART_SIZE = 16 * 1024 * 1024;

export interface S3BlobStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Prepended to every key ("yosoku/"), so one bucket can hold several deployments. */
  readonly prefix?: string;
  /** Local directory for `localPath` copies and `tempPath` scratch files. */
  readonly cacheDir: string;
  /** Largest total size of the `localPath` copies kept (default: no limit). */
  readonly cacheMaxBytes?: number;
  /** Test hook: copies used more recently than this are never evicted (default 10 minutes). */
  readonly cacheProtectMs?: number;
  /** Test hook; defaults to PART_SIZE. */
  readonly partSize?: number;
}

export class S3BlobStore implements BlobStore {
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #cache: string;
  readonly #tmp: string;
  readonly #partSize: number;
  readonly #pruner: CachePruner | null;

  constructor(opts: S3BlobStoreOptions) {
    this.#s3 = opts.client;
    this.#bucket = opts.bucket;
    this.#prefix = opts.prefix ?? '';
    this.#cache = join(opts.cacheDir, 'objects');
    this.#tmp = join(opts.cacheDir, 'tmp');
    this.#partSize = opts.partSize ?? PART_SIZE;
    this.#pruner =
      opts.cacheMaxBytes === undefined
        ? null
        : new CachePruner({ dir: this.#cache, maxBytes: opts.cacheMaxBytes, ...(opts.cacheProtectMs === undefined ? {} : { protectMs: opts.cacheProtectMs }) });
  }

  #key(key: string): string {
    if (!KEY_PATTERN.test(key) || key.split('/').some((p) => p === '.' || p === '..')) {
      throw new Error(`invalid blob key ${JSON.stringify(key)}`);
    }
    return this.#prefix + key;
  }

  async tempPath(name: string): Promise<string> {
    await mkdir(this.#tmp, { recursive: true });
    return join(this.#tmp, `${randomUUID()}-${name.replace(/[^A-Za-z0-9._-]/g, '_')}`);
  }

  async put(key: string, body: Readable | Uint8Array): Promise<void> {
    const Key = this.#key(key);
    const Bucket = this.#bucket;
    if (body instanceof Uint8Array && body.byteLength <= this.#partSize) {
      await this.#s3.send(new PutObjectCommand({ Bucket, Key, Body: body, ContentLength: body.byteLength }));
      return;
    }
    const source = body instanceof Uint8Array ? Readable.from([body]) : body;
    let uploadId: string | undefined;
    const parts: CompletedPart[] = [];
    let chunks: Buffer[] = [];
    let buffered = 0;
    const sendPart = async (data: Buffer): Promise<void> => {
      if (uploadId === undefined) {
        const created = await this.#s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
        uploadId = created.UploadId!;
      }
      const PartNumber = parts.length + 1;
      const r = await this.#s3.send(new UploadPartCommand({ Bucket, Key, UploadId: uploadId, PartNumber, Body: data, ContentLength: data.byteLength }));
      parts.push({ PartNumber, ETag: r.ETag! });
    };
    try {
      for await (const chunk of source) {
        const buf = Buffer.isBuffer(chunk)
          ? chunk
          : typeof chunk === 'string'
            ? Buffer.from(chunk)
            : Buffer.from((chunk as Uint8Array).buffer, (chunk as Uint8Array).byteOffset, (chunk as Uint8Array).byteLength);
        chunks.push(buf);
        buffered += buf.byteLength;
        while (buffered >= this.#partSize) {
          const all = Buffer.concat(chunks);
          await sendPart(all.subarray(0, this.#partSize));
          const rest = all.subarray(this.#partSize);
          chunks = rest.byteLength > 0 ? [rest] : [];
          buffered = rest.byteLength;
        }
      }
      const last = Buffer.concat(chunks);
      if (uploadId === undefined) {
        await this.#s3.send(new PutObjectCommand({ Bucket, Key, Body: last, ContentLength: last.byteLength }));
        return;
      }
      if (last.byteLength > 0) await sendPart(last);
      await this.#s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId: uploadId, MultipartUpload: { Parts: parts } }));
    } catch (err) {
      if (uploadId !== undefined) {
        await this.#s3.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId: uploadId })).catch(() => undefined);
      }
      throw err;
    }
  }

  /** Uploads the finished local file, then removes it (a move, as on disk). */
  async putFile(key: string, srcPath: string): Promise<void> {
    await this.put(key, createReadStream(srcPath));
    await rm(srcPath, { force: true });
  }

  async get(key: string): Promise<Readable> {
    const r = await this.#s3.send(new GetObjectCommand({ Bucket: this.#bucket, Key: this.#key(key) }));
    // In Node the SDK's body is an http.IncomingMessage, i.e. a Readable.
    return r.Body as Readable;
  }

  async size(key: string): Promise<number | null> {
    const head = await this.#head(key);
    return head === null ? null : head.size;
  }

  async delete(key: string): Promise<void> {
    // S3 DeleteObject succeeds for a missing key, like rm --force.
    await this.#s3.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#key(key) }));
  }

  async localPath(key: string): Promise<string> {
    const head = await this.#head(key);
    if (head === null) throw new Error(`blob ${JSON.stringify(key)} does not exist`);
    const name = createHash('sha256').update(`${this.#bucket}\0${this.#prefix}${key}\0${head.etag}`).digest('hex');
    const dest = join(this.#cache, name.slice(0, 2), name);
    try {
      await stat(dest);
      await this.#pruner?.touch(dest);
      return dest;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    await mkdir(join(this.#cache, name.slice(0, 2)), { recursive: true });
    const tmp = await this.tempPath('download');
    try {
      await pipeline(await this.get(key), createWriteStream(tmp));
      // Rename: a concurrent reader sees the whole file or none (two downloads just race to the same bytes).
      await rename(tmp, dest);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    // The new copy is protected (just used); older ones make room for it.
    await this.#pruner?.prune(dest);
    return dest;
  }

  async #head(key: string): Promise<{ size: number; etag: string } | null> {
    try {
      const r = await this.#s3.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: this.#key(key) }));
      return { size: r.ContentLength ?? 0, etag: r.ETag ?? '' };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}
