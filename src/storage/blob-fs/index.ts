/**
 * BlobStore on the local filesystem under one root. Writes go to a temp file in the same
 * directory tree, are fsynced, then renamed into place and the directory fsynced, so a key
 * either holds the complete file or nothing — also after a crash.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from '../ports.js';

const KEY_PATTERN = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

export class FsBlobStore implements BlobStore {
  readonly #root: string;
  readonly #tmp: string;

  constructor(root: string) {
    this.#root = resolve(root);
    this.#tmp = join(this.#root, '.tmp');
  }

  #path(key: string): string {
    // Keys come from our own code, but a path escape would be a disaster: refuse anything odd.
    if (!KEY_PATTERN.test(key) || key.split('/').some((p) => p === '.' || p === '..')) {
      throw new Error(`invalid blob key ${JSON.stringify(key)}`);
    }
    const p = join(this.#root, key);
    if (!p.startsWith(this.#root + sep)) throw new Error(`invalid blob key ${JSON.stringify(key)}`);
    return p;
  }

  async tempPath(name: string): Promise<string> {
    await mkdir(this.#tmp, { recursive: true });
    return join(this.#tmp, `${randomUUID()}-${name.replace(/[^A-Za-z0-9._-]/g, '_')}`);
  }

  async put(key: string, body: Readable | Uint8Array): Promise<void> {
    const tmp = await this.tempPath('put');
    try {
      const source = body instanceof Uint8Array ? Readable.from([body]) : body;
      await pipeline(source, createWriteStream(tmp));
      await fsyncPath(tmp);
      await this.putFile(key, tmp);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async putFile(key: string, srcPath: string): Promise<void> {
    const dest = this.#path(key);
    await mkdir(dirname(dest), { recursive: true });
    await fsyncPath(srcPath);
    await rename(srcPath, dest);
    await fsyncPath(dirname(dest));
  }

  async get(key: string): Promise<Readable> {
    const p = this.#path(key);
    await stat(p); // throw ENOENT here rather than on the first read
    return createReadStream(p);
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await stat(this.#path(key))).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.#path(key), { force: true });
  }

  async localPath(key: string): Promise<string> {
    return this.#path(key);
  }
}

/** fsync a file, or a directory (which makes a rename in it durable). */
async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
