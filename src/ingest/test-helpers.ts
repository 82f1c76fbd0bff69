/** Test-only helpers: temporary directories and streams from bytes. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'yosoku-ingest-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A stream that yields `bytes` in chunks of `chunkBytes` (to exercise chunk boundaries). */
export function streamOf(bytes: Uint8Array, chunkBytes = 7): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkBytes) chunks.push(Buffer.from(bytes.subarray(i, i + chunkBytes)));
  return Readable.from(chunks);
}
