/**
 * Receiving the bytes of a signed PUT: the size cap, how a failed body stream reads to the user,
 * and the raw receive of retrain and batch uploads into the blob store.
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { AppError } from '../domain/errors.js';
import type { ServiceDeps } from './deps.js';
import { isDiskFull } from './disk-full.js';

/** Counts the bytes that pass and fails the stream with UPLOAD_TOO_LARGE past `max`. */
export class SizeCap extends Transform {
  bytes = 0;
  constructor(readonly max: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.max) done(new AppError('UPLOAD_TOO_LARGE', `the limit is ${this.max} bytes`));
    else done(null, chunk);
  }
}

/**
 * What a failed upload stream means to the user: a client that hung up mid-body is an incomplete
 * upload, a full disk is STORAGE_FULL (nothing was stored); anything else is returned as it is.
 */
export function uploadStreamError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  if (isDiskFull(err)) return new AppError('STORAGE_FULL', 'the server is out of disk space; nothing was stored, try again later');
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (err as Error | null)?.message === 'aborted') {
    return new AppError('UPLOAD_INCOMPLETE', 'the client closed the connection before the body ended');
  }
  return err;
}

/** Streams `body` to `key`; checks the cap and the declared length. Returns the size. */
export async function receiveRawUpload(deps: ServiceDeps, key: string, body: Readable, declaredBytes: number | null): Promise<number> {
  const cap = new SizeCap(deps.config.maxUploadBytes);
  body.on('error', (err) => cap.destroy(err));
  try {
    await deps.blobs.put(key, body.pipe(cap));
  } catch (err) {
    throw uploadStreamError(err);
  }
  if (declaredBytes !== null && cap.bytes !== declaredBytes) {
    await deps.blobs.delete(key);
    throw new AppError('UPLOAD_INCOMPLETE', `received ${cap.bytes} of ${declaredBytes} bytes`);
  }
  return cap.bytes;
}
