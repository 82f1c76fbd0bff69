import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CachePruner } from './cache-pruner.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A cache with files a…e of 100 bytes, last used at minutes 1…5 (e most recent). */
async function cache(): Promise<{ dir: string; path: (name: string) => string }> {
  const dir = await mkdtemp(join(tmpdir(), 'yosoku-cache-'));
  dirs.push(dir);
  const path = (name: string) => join(dir, name.slice(0, 1) === 'e' ? 'e0' : 'ab', name);
  await mkdir(join(dir, 'ab'));
  await mkdir(join(dir, 'e0'));
  const names = ['a', 'b', 'c', 'd', 'e'];
  for (const [i, name] of names.entries()) {
    await writeFile(path(name), Buffer.alloc(100, i));
    const t = new Date(Date.UTC(2026, 0, 1, 0, i + 1));
    await utimes(path(name), t, t);
  }
  return { dir, path };
}

const MINUTE = 60_000;
const at = (minute: number) => () => Date.UTC(2026, 0, 1, 0, minute);

describe('CachePruner', () => {
  it('deletes least recently used files until the cache fits', async () => {
    const { dir, path } = await cache();
    await new CachePruner({ dir, maxBytes: 300, protectMs: 0, now: at(10) }).prune();
    expect(['a', 'b', 'c', 'd', 'e'].map((n) => existsSync(path(n)))).toEqual([false, false, true, true, true]);
  });

  it('counts a touched file as just used', async () => {
    const { dir, path } = await cache();
    const pruner = new CachePruner({ dir, maxBytes: 300, protectMs: 0, now: at(10) });
    await pruner.touch(path('a'));
    await pruner.prune();
    expect(['a', 'b', 'c', 'd', 'e'].map((n) => existsSync(path(n)))).toEqual([true, false, false, true, true]);
  });

  it('keeps recently used files and the copy being handed out, even over budget', async () => {
    const { dir, path } = await cache();
    // Minute 6 with 3 minutes of protection: c (minute 3) and later are protected; a is being handed out.
    await new CachePruner({ dir, maxBytes: 100, protectMs: 3 * MINUTE, now: at(6) }).prune(path('a'));
    expect(['a', 'b', 'c', 'd', 'e'].map((n) => existsSync(path(n)))).toEqual([true, false, true, true, true]);
  });

  it('does nothing under budget, and copes with a missing directory', async () => {
    const { dir, path } = await cache();
    await new CachePruner({ dir, maxBytes: 500, protectMs: 0, now: at(10) }).prune();
    expect(['a', 'b', 'c', 'd', 'e'].every((n) => existsSync(path(n)))).toBe(true);
    await new CachePruner({ dir: join(dir, 'none'), maxBytes: 0, protectMs: 0 }).prune();
  });
});
