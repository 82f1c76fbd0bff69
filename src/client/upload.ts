/** Request bodies for uploads: bytes or a file streamed from disk, with progress as fetch reads them. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';

export interface UploadProgress {
  readonly sentBytes: number;
  readonly totalBytes: number;
}

export type UploadSource = { readonly path: string } | { readonly bytes: Uint8Array | string; readonly fileName?: string };

export interface PreparedBody {
  readonly body: AsyncIterable<Uint8Array> | Uint8Array;
  readonly sizeBytes: number;
  /** The file name for Content-Disposition (names the data set). */
  readonly fileName: string | undefined;
}

/** 1 MiB reads: a progress bar moves smoothly without a callback per 64 KiB. */
const CHUNK_BYTES = 1 << 20;

async function* counted(chunks: AsyncIterable<Uint8Array>, total: number, onProgress?: (p: UploadProgress) => void): AsyncGenerator<Uint8Array> {
  let sent = 0;
  onProgress?.({ sentBytes: 0, totalBytes: total });
  for await (const chunk of chunks) {
    sent += chunk.length;
    yield chunk;
    onProgress?.({ sentBytes: sent, totalBytes: total });
  }
}

export async function prepareBody(source: UploadSource, onProgress?: (p: UploadProgress) => void): Promise<PreparedBody> {
  if ('path' in source) {
    const { size } = await stat(source.path);
    const stream = createReadStream(source.path, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Uint8Array>;
    return { body: counted(stream, size, onProgress), sizeBytes: size, fileName: basename(source.path) };
  }
  const bytes = typeof source.bytes === 'string' ? Buffer.from(source.bytes, 'utf8') : source.bytes;
  if (onProgress === undefined) return { body: bytes, sizeBytes: bytes.length, fileName: source.fileName };
  async function* slices(): AsyncGenerator<Uint8Array> {
    for (let at = 0; at < bytes.length; at += CHUNK_BYTES) yield bytes.subarray(at, at + CHUNK_BYTES);
  }
  return { body: counted(slices(), bytes.length, onProgress), sizeBytes: bytes.length, fileName: source.fileName };
}

/** `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): the ASCII fallback and the exact name. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
