import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.js';
import { normalizeUpload } from './normalize-upload.js';
import { streamOf, withTempDir } from './test-helpers.js';

const TEXT = '顧客名,ｶﾅ,記号,金額\n山田 太郎,ﾔﾏﾀﾞ ﾀﾛｳ,①,100\n"鈴木, 花子",ｽｽﾞｷ,㈱,200\n';

describe('normalizeUpload', () => {
  it('transcodes Shift_JIS (CP932: half-width kana, ①, ㈱) to UTF-8, across chunk boundaries', async () => {
    await withTempDir(async (dir) => {
      const sjis = iconv.encode(TEXT, 'cp932');
      for (const chunkBytes of [1, 3, 64 * 1024]) {
        const dest = join(dir, `sjis-${chunkBytes}.csv`);
        const facts = await normalizeUpload(streamOf(sjis, chunkBytes), dest, { extension: 'csv', maxBytes: 1 << 20 });
        expect(await readFile(dest, 'utf8')).toBe(TEXT);
        expect(facts).toEqual({
          encoding: 'shift_jis',
          delimiter: ',',
          sizeBytes: sjis.length,
          normalizedBytes: Buffer.byteLength(TEXT),
          sha256: createHash('sha256').update(sjis).digest('hex'),
        });
      }
    });
  });

  it('strips a UTF-8 BOM and passes UTF-8 through; tsv gives a tab delimiter', async () => {
    await withTempDir(async (dir) => {
      const dest = join(dir, 'bom.tsv');
      const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]);
      const facts = await normalizeUpload(streamOf(bytes, 2), dest, { extension: 'tsv', maxBytes: 1 << 20 });
      expect(await readFile(dest, 'utf8')).toBe(TEXT);
      expect(facts.encoding).toBe('utf-8-bom');
      expect(facts.delimiter).toBe('\t');
      expect(facts.normalizedBytes).toBe(bytes.length - 3);
    });
  });

  it('switches to Shift_JIS when the first non-ASCII byte comes after a long ASCII head', async () => {
    await withTempDir(async (dir) => {
      const ascii = 'id,name\n' + '1,abc\n'.repeat(20_000); // > 64 KiB of ASCII
      const bytes = iconv.encode(ascii + '2,ﾔﾏﾀﾞ①\n', 'cp932');
      const dest = join(dir, 'late.csv');
      const facts = await normalizeUpload(streamOf(bytes, 4096), dest, { extension: 'csv', maxBytes: 1 << 20 });
      expect(facts.encoding).toBe('shift_jis');
      expect(await readFile(dest, 'utf8')).toBe(ascii + '2,ﾔﾏﾀﾞ①\n');
    });
  });

  it('decides at the first non-ASCII character even when a chunk cuts it after an ASCII head', async () => {
    await withTempDir(async (dir) => {
      const ascii = 'id,name\n' + '1,abc\n'.repeat(20_000);
      for (const [tail, encode] of [
        ['2,山田\n', (t: string) => Buffer.from(t)],
        ['2,ﾔﾏﾀﾞ山\n', (t: string) => iconv.encode(t, 'cp932')],
      ] as const) {
        const bytes = encode(ascii + tail);
        const cut = Buffer.byteLength(ascii) + 3; // right after the first byte of the first non-ASCII character
        const chunks = [bytes.subarray(0, 70_000), bytes.subarray(70_000, cut), bytes.subarray(cut)].map((b) => Buffer.from(b));
        const dest = join(dir, 'cut.csv');
        await normalizeUpload(Readable.from(chunks), dest, { extension: 'csv', maxBytes: 1 << 20 });
        expect(await readFile(dest, 'utf8')).toBe(ascii + tail);
      }
    });
  });

  it('rejects a UTF-8 file that turns into another encoding, leaving no file behind', async () => {
    await withTempDir(async (dir) => {
      // The UTF-8 part is longer than the detection head, so detection has already chosen UTF-8.
      const bytes = Buffer.concat([Buffer.from('a,b\n' + '山,1\n'.repeat(20_000)), iconv.encode('ﾔﾏﾀﾞ,2\n', 'cp932')]);
      const dest = join(dir, 'mixed.csv');
      const err = await normalizeUpload(streamOf(bytes, 1000), dest, { extension: 'csv', maxBytes: 1 << 20 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).kind).toBe('BAD_ENCODING');
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it('never falls back to Shift_JIS after a UTF-8 BOM', async () => {
    await withTempDir(async (dir) => {
      const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,b\n'), iconv.encode('ﾔﾏﾀﾞ,2\n', 'cp932')]);
      const err = await normalizeUpload(streamOf(bytes), join(dir, 'bom.csv'), { extension: 'csv', maxBytes: 1 << 20 }).catch((e: unknown) => e);
      expect((err as AppError).kind).toBe('BAD_ENCODING');
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it('stops at maxBytes with UPLOAD_TOO_LARGE and leaves neither the file nor the partial', async () => {
    await withTempDir(async (dir) => {
      const dest = join(dir, 'big.csv');
      const err = await normalizeUpload(streamOf(Buffer.from('a,b\n' + '1,2\n'.repeat(1000)), 100), dest, { extension: 'csv', maxBytes: 1000 }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).kind).toBe('UPLOAD_TOO_LARGE');
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it('leaves no file when the input stream fails midway, and keeps an existing destination', async () => {
    await withTempDir(async (dir) => {
      const dest = join(dir, 'dest.csv');
      await normalizeUpload(streamOf(Buffer.from('old,file\n')), dest, { extension: 'csv', maxBytes: 1 << 20 });
      async function* failing(): AsyncGenerator<Buffer> {
        yield Buffer.from('a,b\n1,2\n');
        throw new Error('connection reset');
      }
      await expect(normalizeUpload(Readable.from(failing()), dest, { extension: 'csv', maxBytes: 1 << 20 })).rejects.toThrow('connection reset');
      expect(await readdir(dir)).toEqual(['dest.csv']);
      expect(await readFile(dest, 'utf8')).toBe('old,file\n');
    });
  });

  it('rejects an empty upload', async () => {
    await withTempDir(async (dir) => {
      const err = await normalizeUpload(streamOf(new Uint8Array(0)), join(dir, 'e.csv'), { extension: 'csv', maxBytes: 10 }).catch((e: unknown) => e);
      expect((err as AppError).kind).toBe('EMPTY_FILE');
      expect(await readdir(dir)).toEqual([]);
    });
  });
});
