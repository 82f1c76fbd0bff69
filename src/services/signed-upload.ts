/** Receiving the raw bytes of a signed PUT (retrain and batch uploads) into the blob store, with a size cap. */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { AppError } from '../domain/errors.js';
import type { ServiceDeps } from './deps.js';

class SizeCap extends Transform {
  bytes = 0;
  constructor(readonly max: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.max) return done(new AppError('UPLOAD_TOO_LARGE', `the limit is ${this.max} bytes`));
    done(null, chunk);
  }
}

/** Streams `body` to `key`; checks the cap and the declared length. Returns the size. */
export async function receiveRawUpload(deps: ServiceDeps, key: string, body: Readable, declaredBytes: number | null): Promise<number> {
  const cap = new SizeCap(deps.config.maxUploadBytes);
  body.on('error', (err) => cap.destroy(err));
  try {
    await deps.blobs.put(key, body.pipe(cap));
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as NodeJS.ErrnoException | null)?.code;
    if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (err as Error | null)?.message === 'aborted') {
      throw new AppError('UPLOAD_INCOMPLETE', 'the client closed the connection before the body ended');
    }
    throw err;
  }
  if (declaredBytes !== null && cap.bytes !== declaredBytes) {
    await deps.blobs.delete(key);
    throw new AppError('UPLOAD_INCOMPLETE', `received ${cap.bytes} of ${declaredBytes} bytes`);
  }
  return cap.bytes;
}
