/**
 * Checksums on the blobs that are costly to lose silently: trained models and result zips. A
 * BlobStore wrapper (any store: disk or S3) that writes a SHA-256 sidecar (`<key>.sha256`) next to
 * each such blob and checks it on every `get` and on the first `localPath` of the key in this
 * process, so a flipped byte, a truncated file or a half-restored backup is reported as
 * STORED_FILE_CORRUPT instead of being served, or deserialized into a wrong model.
 *
 * Order of writes: the old sidecar is removed, the blob written, then its sidecar. A crash between
 * leaves a blob without a sidecar, which reads as unverified (as do blobs stored before checksums
 * existed) — never a good blob reported corrupt. Hashing streams in chunks: no long stall of the
 * event loop, whatever the size.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline, type Readable, Transform } from 'node:stream';
import { AppError } from '../domain/errors.js';
import type { BlobStore } from './ports.js';

/** The keys that carry a checksum: models and result zips (uploads are checked when profiled). */
export const CHECKSUMMED_KEY = /(^|\/)(model\.json|result\.zip)$/;
const SIDECAR_SUFFIX = '.sha256';

interface Digest {
  readonly sha256: string;
  readonly bytes: number;
}

export function sidecarKey(key: string): string {
  return key + SIDECAR_SUFFIX;
}

async function digestOf(stream: AsyncIterable<unknown>): Promise<Digest> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    hash.update(b);
    bytes += b.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

function parseSidecar(text: string): Digest | null {
  try {
    const d = JSON.parse(text) as Partial<Digest>;
    return typeof d.sha256 === 'string' && typeof d.bytes === 'number' ? { sha256: d.sha256, bytes: d.bytes } : null;
  } catch {
    return null;
  }
}

/** What the user is told: which kind of file, never the storage key (that goes to the log via `facts`). */
function describe(key: string): string {
  return key.endsWith('model.json') ? 'the stored model' : 'the stored result file';
}

export class ChecksummedBlobStore implements BlobStore {
  readonly #inner: BlobStore;
  /** Keys whose `localPath` copy was verified by this process (a deployed model is reached by path on every offloaded request). */
  readonly #verifiedPaths = new Map<string, string>();

  constructor(inner: BlobStore) {
    this.#inner = inner;
  }

  async put(key: string, body: Readable | Uint8Array): Promise<void> {
    if (!CHECKSUMMED_KEY.test(key)) return this.#inner.put(key, body);
    await this.#forget(key);
    const hash = createHash('sha256');
    let bytes = 0;
    const count = (chunk: Uint8Array) => {
      hash.update(chunk);
      bytes += chunk.length;
    };
    let counted: Readable | Uint8Array = body;
    if (body instanceof Uint8Array) count(body);
    else {
      const tap = new Transform({
        transform(chunk: Buffer, _enc, done) {
          count(chunk);
          done(null, chunk);
        },
      });
      // pipeline: an error of the source destroys the tap, so the inner put fails and stores nothing.
      counted = pipeline(body, tap, () => undefined);
    }
    await this.#inner.put(key, counted);
    await this.#writeSidecar(key, { sha256: hash.digest('hex'), bytes });
  }

  async putFile(key: string, srcPath: string): Promise<void> {
    if (!CHECKSUMMED_KEY.test(key)) return this.#inner.putFile(key, srcPath);
    await this.#forget(key);
    const digest = await digestOf(createReadStream(srcPath));
    await this.#inner.putFile(key, srcPath);
    await this.#writeSidecar(key, digest);
  }

  async get(key: string): Promise<Readable> {
    if (CHECKSUMMED_KEY.test(key)) await this.#verify(key, async () => this.#inner.get(key));
    return this.#inner.get(key);
  }

  size(key: string): Promise<number | null> {
    return this.#inner.size(key);
  }

  async delete(key: string): Promise<void> {
    await this.#inner.delete(key);
    if (CHECKSUMMED_KEY.test(key)) await this.#forget(key);
  }

  async localPath(key: string): Promise<string> {
    const path = await this.#inner.localPath(key);
    if (!CHECKSUMMED_KEY.test(key) || this.#verifiedPaths.get(key) === path) return path;
    await this.#verify(key, async () => createReadStream(path));
    this.#verifiedPaths.set(key, path);
    return path;
  }

  tempPath(name: string): Promise<string> {
    return this.#inner.tempPath(name);
  }

  async #forget(key: string): Promise<void> {
    this.#verifiedPaths.delete(key);
    await this.#inner.delete(sidecarKey(key));
  }

  async #writeSidecar(key: string, d: Digest): Promise<void> {
    await this.#inner.put(sidecarKey(key), Buffer.from(JSON.stringify(d) + '\n', 'utf8'));
  }

  async #expected(key: string): Promise<Digest | null | 'unreadable'> {
    if ((await this.#inner.size(sidecarKey(key))) === null) return null;
    const d = parseSidecar((await digestText(await this.#inner.get(sidecarKey(key)))).trim());
    return d ?? 'unreadable';
  }

  async #verify(key: string, open: () => Promise<AsyncIterable<unknown>>): Promise<void> {
    const expected = await this.#expected(key);
    if (expected === null) return; // stored before checksums, or a crash before the sidecar: unverified
    const corrupt = (why: string) => new AppError('STORED_FILE_CORRUPT', `${describe(key)} is damaged (${why}); the operator must restore it from a backup`);
    if (expected === 'unreadable') throw corrupt('its checksum file cannot be read');
    const actual = await digestOf(await open());
    if (actual.bytes !== expected.bytes) throw corrupt(`${actual.bytes} bytes stored, ${expected.bytes} written`);
    if (actual.sha256 !== expected.sha256) throw corrupt('SHA-256 checksum mismatch');
  }
}

async function digestText(stream: AsyncIterable<unknown>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** @example const blobs = withChecksums(new FsBlobStore(dir)) */
export function withChecksums(inner: BlobStore): BlobStore {
  return inner instanceof ChecksummedBlobStore ? inner : new ChecksummedBlobStore(inner);
}
