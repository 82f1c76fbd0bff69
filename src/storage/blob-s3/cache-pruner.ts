/**
 * Keeps a directory of cached blob copies under a byte budget, least recently used first.
 *
 * The S3 store's `localPath` copies (training files, models for batch jobs) would otherwise pile up on
 * every machine forever. Files are immutable (named by key and ETag), so deleting one only costs a
 * later download. "Used" is the file's mtime, which `touch` moves on every cache hit. A file used in
 * the last `protectMs` is never deleted: its reader may not have opened it yet (once open, a deleted
 * file stays readable until it is closed).
 */
import { readdir, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';

export interface CachePrunerOptions {
  /** The cache directory: files in subdirectories one level down (objects/ab/abcdef…). */
  readonly dir: string;
  /** Largest total size kept, in bytes. */
  readonly maxBytes: number;
  /** Files used more recently than this are kept whatever the size (default 10 minutes). */
  readonly protectMs?: number;
  readonly now?: () => number;
}

export class CachePruner {
  readonly #dir: string;
  readonly #maxBytes: number;
  readonly #protectMs: number;
  readonly #now: () => number;
  /** Prunes run one at a time; a request during a prune runs once it ends. */
  #running: Promise<void> = Promise.resolve();

  constructor(opts: CachePrunerOptions) {
    this.#dir = opts.dir;
    this.#maxBytes = opts.maxBytes;
    this.#protectMs = opts.protectMs ?? 10 * 60 * 1000;
    this.#now = opts.now ?? Date.now;
  }

  /** Marks a cached file as just used. */
  async touch(path: string): Promise<void> {
    const t = new Date(this.#now());
    await utimes(path, t, t).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  /**
   * Deletes least recently used files until the directory fits `maxBytes`. Protected files and `keep`
   * (the copy about to be handed out) stay, even if the directory then stays over budget.
   */
  prune(keep?: string): Promise<void> {
    const next = this.#running.then(() => this.#pruneOnce(keep));
    this.#running = next.catch(() => undefined);
    return next;
  }

  async #pruneOnce(keep: string | undefined): Promise<void> {
    const files: { path: string; size: number; used: number }[] = [];
    for (const sub of await readdirOrEmpty(this.#dir)) {
      for (const name of await readdirOrEmpty(join(this.#dir, sub))) {
        const path = join(this.#dir, sub, name);
        const s = await stat(path).catch(() => null);
        if (s?.isFile()) files.push({ path, size: s.size, used: s.mtimeMs });
      }
    }
    let total = files.reduce((sum, f) => sum + f.size, 0);
    if (total <= this.#maxBytes) return;
    files.sort((a, b) => a.used - b.used || a.path.localeCompare(b.path));
    const protectedSince = this.#now() - this.#protectMs;
    for (const f of files) {
      if (total <= this.#maxBytes) break;
      if (f.used >= protectedSince || f.path === keep) continue;
      await rm(f.path, { force: true });
      total -= f.size;
    }
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw err;
  }
}
