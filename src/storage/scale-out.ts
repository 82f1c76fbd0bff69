/**
 * The scale-out storage: metadata and the job queue on PostgreSQL, file bytes on S3. Returns the
 * same repositories, queue and blob store that main.ts builds for the embedded mode, so the
 * services and the job workers run unchanged on every machine.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { systemClock, type Clock } from '../domain/clock.js';
import { S3BlobStore } from './blob-s3/index.js';
import { createPostgresStorage } from './postgres/index.js';
import type { BlobStore, MetadataStorage } from './ports.js';

export interface ScaleOutOptions {
  /** postgres://user:pass@host:5432/db */
  readonly databaseUrl: string;
  /** PostgreSQL schema for Yosoku's tables; created and migrated at open. */
  readonly schema: string;
  readonly poolSize?: number;
  readonly s3: {
    /** Omit for AWS; e.g. http://minio:9000 for an S3-compatible store. */
    readonly endpoint?: string;
    readonly bucket: string;
    readonly region: string;
    /** Omit to use the SDK's default chain (env, instance role, …). */
    readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
    /** true for MinIO / s3rver and other stores without virtual-host buckets. */
    readonly forcePathStyle?: boolean;
    /** Key prefix inside the bucket, e.g. "yosoku/". */
    readonly prefix?: string;
  };
  /** Local cache of blobs read by path (training files); defaults to a directory under the OS temp dir. */
  readonly cacheDir?: string;
  /** Largest total size of that cache; least recently used copies go first (default: no limit). */
  readonly cacheMaxBytes?: number;
  readonly clock?: Clock;
}

export interface ScaleOutStorage extends MetadataStorage {
  readonly blobs: BlobStore;
}

/**
 * Opens PostgreSQL (migrating under an advisory lock, so many machines may start at once) and
 * checks that the bucket is reachable, so a wrong bucket or credentials fail at start, not at the
 * first upload.
 */
export async function openScaleOut(opts: ScaleOutOptions): Promise<ScaleOutStorage> {
  const client = new S3Client({
    region: opts.s3.region,
    ...(opts.s3.endpoint === undefined ? {} : { endpoint: opts.s3.endpoint }),
    ...(opts.s3.credentials === undefined ? {} : { credentials: opts.s3.credentials }),
    forcePathStyle: opts.s3.forcePathStyle ?? false,
  });
  try {
    await client.send(new HeadBucketCommand({ Bucket: opts.s3.bucket }));
  } catch (err) {
    client.destroy();
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    throw new Error(`S3 bucket ${JSON.stringify(opts.s3.bucket)} is not reachable${status === undefined ? '' : ` (HTTP ${status})`}: ${(err as Error).name}`, {
      cause: err,
    });
  }
  const storage = await createPostgresStorage(
    { connectionString: opts.databaseUrl, schema: opts.schema, ...(opts.poolSize === undefined ? {} : { poolSize: opts.poolSize }) },
    opts.clock ?? systemClock,
  ).catch((err: unknown) => {
    client.destroy();
    throw err;
  });
  const blobs = new S3BlobStore({
    client,
    bucket: opts.s3.bucket,
    ...(opts.s3.prefix === undefined ? {} : { prefix: opts.s3.prefix }),
    cacheDir: opts.cacheDir ?? join(tmpdir(), 'yosoku-blob-cache'),
    ...(opts.cacheMaxBytes === undefined ? {} : { cacheMaxBytes: opts.cacheMaxBytes }),
  });
  return {
    ...storage,
    blobs,
    close: async () => {
      await storage.close();
      client.destroy();
    },
  };
}
