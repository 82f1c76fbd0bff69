/**
 * Streamed upload normalisation: raw CSV/TSV bytes in any supported encoding → UTF-8 without BOM
 * on disk, written atomically (`dest.partial`, fsync, rename), never holding the file in memory.
 */
import { createHash } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { DETECT_HEAD_BYTES, detectEncoding, SHIFT_JIS_CODEC, utf8ValidPrefix, type SourceEncoding } from './encoding.js';
import { AppError } from '../domain/errors.js';
import { uploadTooLarge } from './errors.js';
import { binaryKindOf, describeBinaryKind } from './file-kind.js';

export type Delimiter = ',' | '\t';

export interface NormalizeUploadOptions {
  readonly extension: 'csv' | 'tsv';
  /** Limit on the original (not transcoded) bytes; exceeding it throws AppError UPLOAD_TOO_LARGE. */
  readonly maxBytes: number;
}

export interface UploadFacts {
  readonly encoding: SourceEncoding;
  readonly delimiter: Delimiter;
  /** Bytes received. */
  readonly sizeBytes: number;
  /** Bytes written to `destPath` (UTF-8, no BOM). */
  readonly normalizedBytes: number;
  /** Hex SHA-256 of the original bytes. */
  readonly sha256: string;
}

export function delimiterFor(extension: 'csv' | 'tsv'): Delimiter {
  return extension === 'tsv' ? '\t' : ',';
}

function firstNonAscii(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return i;
  return -1;
}

/**
 * Transcodes chunk by chunk. Detection runs on the first `DETECT_HEAD_BYTES`; when that head is
 * pure ASCII the decision is revisited at the first non-ASCII byte, so a Shift_JIS file whose
 * Japanese text starts late is still read as Shift_JIS (ASCII is the same in both encodings).
 */
class Transcoder {
  encoding: SourceEncoding | null = null;
  #hasSeenNonAscii = false;
  #sjisDecoder: ReturnType<typeof iconv.getDecoder> | null = null;
  #utf8Validator = new TextDecoder('utf-8', { fatal: true });
  #inputOffset = 0;
  /** Undecided bytes: the first non-ASCII character was cut by the end of its chunk. */
  #carry: Buffer | null = null;

  /** Decide from the head; returns the head's output. */
  start(head: Buffer): Buffer {
    const binary = binaryKindOf(head);
    if (binary !== null) throw new AppError('MALFORMED_CSV', describeBinaryKind(binary));
    // Then what is not a known binary format but is not text in a supported encoding either.
    checkNotUtf16(head);
    checkNoNul(head, 0);
    this.encoding = detectEncoding(head);
    if (this.encoding === 'shift_jis') this.#sjisDecoder = iconv.getDecoder(SHIFT_JIS_CODEC);
    if (this.encoding === 'utf-8-bom') {
      // A BOM is a declaration: never fall back to Shift_JIS afterwards.
      this.#hasSeenNonAscii = true;
      this.#inputOffset = 3;
      return this.write(head.subarray(3));
    }
    return this.write(head);
  }

  write(input: Buffer): Buffer {
    const offset = this.#inputOffset;
    this.#inputOffset += input.length;
    if (this.#sjisDecoder !== null) return Buffer.from(this.#sjisDecoder.write(input), 'utf8');
    let chunk = input;
    if (!this.#hasSeenNonAscii) {
      if (this.#carry !== null) {
        chunk = Buffer.concat([this.#carry, input]);
        this.#carry = null;
      }
      const at = firstNonAscii(chunk);
      if (at === -1) return chunk;
      const validLength = utf8ValidPrefix(chunk.subarray(at));
      if (validLength === 0) {
        // Only a cut character so far: one byte like 0xE3 fits both encodings. Wait for more.
        this.#carry = Buffer.from(chunk.subarray(at));
        return chunk.subarray(0, at);
      }
      this.#hasSeenNonAscii = true;
      if (validLength < 0) {
        this.encoding = 'shift_jis';
        this.#sjisDecoder = iconv.getDecoder(SHIFT_JIS_CODEC);
        return Buffer.from(this.#sjisDecoder.write(chunk), 'utf8');
      }
    }
    try {
      this.#utf8Validator.decode(chunk, { stream: true });
    } catch {
      throw new AppError('BAD_ENCODING', `invalid UTF-8 near byte ${offset}: the file mixes encodings`, { byteOffset: offset });
    }
    return chunk;
  }

  end(): Buffer {
    if (this.#carry !== null) {
      // The file ends in a lone non-ASCII fragment: not UTF-8, so Shift_JIS.
      this.encoding = 'shift_jis';
      this.#sjisDecoder = iconv.getDecoder(SHIFT_JIS_CODEC);
      const out = this.#sjisDecoder.write(this.#carry) + (this.#sjisDecoder.end() ?? '');
      this.#carry = null;
      return Buffer.from(out, 'utf8');
    }
    if (this.#sjisDecoder !== null) return Buffer.from(this.#sjisDecoder.end() ?? '', 'utf8');
    try {
      this.#utf8Validator.decode();
    } catch {
      throw new AppError('BAD_ENCODING', 'the file ends inside a UTF-8 character', { byteOffset: this.#inputOffset });
    }
    return Buffer.alloc(0);
  }
}

/** A UTF-16 byte-order mark: the file is not one of the supported encodings. */
function checkNotUtf16(first: Buffer): void {
  if (first.length >= 2 && ((first[0] === 0xff && first[1] === 0xfe) || (first[0] === 0xfe && first[1] === 0xff))) {
    throw new AppError('BAD_ENCODING', 'the file is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8 or Shift_JIS', { byteOffset: 0 });
  }
}

/**
 * A NUL byte: no CSV text in UTF-8 or Shift_JIS has one, so this is binary data or UTF-16/UTF-32
 * text without a byte-order mark (a native scan per chunk).
 */
function checkNoNul(chunk: Buffer, offset: number): void {
  const at = chunk.indexOf(0);
  if (at !== -1) {
    throw new AppError(
      'BAD_ENCODING',
      `the file has a NUL byte at byte ${offset + at}: binary data or UTF-16 text is not a CSV; save it as UTF-8 or Shift_JIS`,
      { byteOffset: offset + at },
    );
  }
}

/**
 * Stream an upload to `destPath` as UTF-8 without BOM. On any failure (too large, bad encoding,
 * empty, I/O) the partial file is removed and `destPath` is left untouched.
 * @example
 * const facts = await normalizeUpload(req.raw, '/data/ds1/learn.csv', { extension: 'csv', maxBytes: 1 << 30 });
 */
export async function normalizeUpload(input: NodeJS.ReadableStream, destPath: string, opts: NormalizeUploadOptions): Promise<UploadFacts> {
  const partialPath = destPath + '.partial';
  const fh = await open(partialPath, 'w');
  const hash = createHash('sha256');
  const transcoder = new Transcoder();
  let sizeBytes = 0;
  let normalizedBytes = 0;
  let head: Buffer[] = [];
  let headBytes = 0;
  const emit = async (out: Buffer): Promise<void> => {
    if (out.length === 0) return;
    normalizedBytes += out.length;
    await fh.write(out);
  };
  try {
    for await (const piece of input) {
      const chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
      const offset = sizeBytes;
      sizeBytes += chunk.length;
      if (sizeBytes > opts.maxBytes) throw uploadTooLarge(opts.maxBytes);
      hash.update(chunk);
      if (transcoder.encoding !== null) {
        checkNoNul(chunk, offset);
        await emit(transcoder.write(chunk));
        continue;
      }
      head.push(chunk);
      headBytes += chunk.length;
      if (headBytes >= DETECT_HEAD_BYTES) {
        await emit(transcoder.start(Buffer.concat(head)));
        head = [];
      }
    }
    if (transcoder.encoding === null) await emit(transcoder.start(Buffer.concat(head)));
    await emit(transcoder.end());
    if (normalizedBytes === 0) throw new AppError('EMPTY_FILE', 'the uploaded file is empty');
    await fh.sync();
    await fh.close();
    await rename(partialPath, destPath);
  } catch (err) {
    await fh.close().catch(() => undefined);
    await rm(partialPath, { force: true });
    throw err;
  }
  return {
    encoding: transcoder.encoding!,
    delimiter: delimiterFor(opts.extension),
    sizeBytes,
    normalizedBytes,
    sha256: hash.digest('hex'),
  };
}
