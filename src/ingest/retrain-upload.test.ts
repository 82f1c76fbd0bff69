import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { AppError } from '../domain/errors.js';
import { detectUploadKind, prepareRetrainUpload, type PrepareRetrainOptions } from './retrain-upload.js';

async function zipOf(files: Record<string, string | Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files)) {
    if (name.endsWith('/')) zip.addEmptyDirectory(name);
    else zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name);
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Rename an entry in the raw bytes (local header and central directory): yazl refuses unsafe names. */
function renameEntry(zip: Buffer, from: string, to: string): Buffer {
  expect(to.length).toBe(from.length);
  const out = Buffer.from(zip);
  let at = out.indexOf(from);
  while (at >= 0) {
    out.write(to, at, 'latin1');
    at = out.indexOf(from, at + 1);
  }
  return out;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retrain-upload-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function prepare(bytes: Buffer, filename: string, over: Partial<PrepareRetrainOptions> = {}) {
  const uploadPath = join(dir, 'upload');
  await writeFile(uploadPath, bytes);
  return prepareRetrainUpload({ uploadPath, filename, trainPath: join(dir, 'train'), evalPath: join(dir, 'eval'), ...over });
}

async function failure(bytes: Buffer, filename: string, over: Partial<PrepareRetrainOptions> = {}): Promise<AppError> {
  try {
    await prepare(bytes, filename, over);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('accepted');
}

describe('detectUploadKind', () => {
  it('recognises zips by their bytes', () => {
    expect(detectUploadKind(Buffer.from('PK\x03\x04', 'latin1'))).toBe('zip');
    expect(detectUploadKind(Buffer.from('PK\x05\x06', 'latin1'))).toBe('zip');
    expect(detectUploadKind(Buffer.from('a,b\n'))).toBe('csv');
    expect(detectUploadKind(Buffer.from('PK'))).toBe('csv');
  });
});

describe('prepareRetrainUpload', () => {
  it('uses a CSV or TSV upload as the training file', async () => {
    const files = await prepare(Buffer.from('a,b\n1,2\n'), '2024Q3.CSV');
    expect(files).toEqual({ kind: 'csv', train: { path: join(dir, 'upload'), name: '2024Q3.CSV', extension: 'csv', sizeBytes: 8 }, eval: null });
    expect((await prepare(Buffer.from('a\tb\n'), '新データ.tsv')).train.extension).toBe('tsv');
  });

  it('refuses empty uploads, unknown extensions and fake zips', async () => {
    expect((await failure(Buffer.alloc(0), 'x.csv')).kind).toBe('EMPTY_UPLOAD');
    expect((await failure(Buffer.from('a,b\n'), 'x.txt')).detail).toBe('"x.txt" must be a .csv or .tsv file, or a .zip with train_src/ and eval_src/');
    expect((await failure(Buffer.from('a,b\n'), 'x.zip')).kind).toBe('BAD_ZIP');
  });

  it('extracts train_src and eval_src from a zip, whatever the upload is called', async () => {
    const zip = await zipOf({
      'train_src/': '',
      'train_src/学習.csv': 'a,b\n1,2\n',
      'eval_src/eval.TSV': 'a\tb\n3\t4\n',
      '__MACOSX/._x': 'junk',
      'README.txt': 'hi',
    });
    const files = await prepare(zip, 'upload.csv');
    expect(files.kind).toBe('zip');
    expect(files.train).toEqual({ path: join(dir, 'train'), name: 'train_src/学習.csv', extension: 'csv', sizeBytes: 8 });
    expect(files.eval).toEqual({ path: join(dir, 'eval'), name: 'eval_src/eval.TSV', extension: 'tsv', sizeBytes: 8 });
    expect(await readFile(join(dir, 'train'), 'utf8')).toBe('a,b\n1,2\n');
    expect(await readFile(join(dir, 'eval'), 'utf8')).toBe('a\tb\n3\t4\n');
  });

  it('accepts a zip without eval_src and one wrapped in a single folder', async () => {
    expect((await prepare(await zipOf({ 'train_src/t.csv': 'a\n1\n' }), 'r.zip')).eval).toBeNull();
    const wrapped = await prepare(await zipOf({ 'retrain/train_src/t.csv': 'a\n1\n', 'retrain/eval_src/e.csv': 'a\n2\n' }), 'r.zip');
    expect([wrapped.train.name, wrapped.eval?.name]).toEqual(['retrain/train_src/t.csv', 'retrain/eval_src/e.csv']);
  });

  it('says what is wrong with the zip layout', async () => {
    const noTrain = await failure(await zipOf({ 'data/t.csv': 'a\n1\n' }), 'r.zip');
    expect([noTrain.kind, noTrain.detail]).toEqual([
      'ZIP_NO_TRAIN_FILE',
      'the zip has no training file: expected train_src/<file>.csv (and optionally eval_src/<file>.csv)',
    ]);
    const twoTrain = await failure(await zipOf({ 'train_src/a.csv': 'a\n1\n', 'train_src/b.csv': 'a\n1\n' }), 'r.zip');
    expect([twoTrain.kind, twoTrain.detail]).toEqual([
      'ZIP_MULTIPLE_FILES',
      'train_src/ must hold exactly one file, found 2: "train_src/a.csv", "train_src/b.csv"',
    ]);
    expect((await failure(await zipOf({ 'train_src/a.csv': 'a\n1\n', 'eval_src/b.csv': 'a\n', 'eval_src/c.csv': 'a\n' }), 'r.zip')).kind).toBe(
      'ZIP_MULTIPLE_FILES',
    );
    expect((await failure(await zipOf({ 'train_src/a.xlsx': 'x' }), 'r.zip')).detail).toBe('"train_src/a.xlsx" must be a .csv or .tsv file');
    expect((await failure(await zipOf({ 'train_src/a.csv': '' }), 'r.zip')).kind).toBe('EMPTY_UPLOAD');
    expect((await failure(await zipOf({ '[Content_Types].xml': '<x/>', 'xl/workbook.xml': '<x/>' }), 'book.xlsx')).detail).toMatch(/Excel workbook/);
    expect((await failure(Buffer.from('PK\x03\x04 this is not really a zip', 'latin1'), 'r.zip')).kind).toBe('BAD_ZIP');
  });

  it('refuses path traversal in entry names', async () => {
    const zip = renameEntry(await zipOf({ 'train_src/t.csv': 'a\n1\n', 'xx/evil.csv': 'a\n1\n' }), 'xx/evil.csv', '../evil.csv');
    const err = await failure(zip, 'r.zip');
    expect(err.kind).toBe('ZIP_UNSAFE_PATH');
    expect(existsSync(join(dir, '..', 'evil.csv'))).toBe(false);
    expect(existsSync(join(dir, 'train'))).toBe(false);
  });

  it('stops decompressing at the size limit and removes partial output', async () => {
    const bomb = await zipOf({ 'train_src/t.csv': 'a\n1\n', 'eval_src/e.csv': Buffer.alloc(200_000, 0x30) });
    expect(bomb.length).toBeLessThan(5_000);
    const err = await failure(bomb, 'r.zip', { maxUncompressedBytes: 100_000 });
    expect(err.kind).toBe('ZIP_TOO_LARGE');
    expect(existsSync(join(dir, 'train'))).toBe(false);
    expect(existsSync(join(dir, 'eval'))).toBe(false);
    expect((await failure(bomb, 'r.zip', { maxEntries: 1 })).kind).toBe('ZIP_TOO_MANY_ENTRIES');
  });

  it('does not trust the sizes the zip declares', async () => {
    const bomb = await zipOf({ 'train_src/t.csv': Buffer.alloc(200_000, 0x30) });
    // Make the central directory claim 10 bytes uncompressed (offset 24 of the PK\x01\x02 record).
    const central = bomb.indexOf(Buffer.from('PK\x01\x02', 'latin1'));
    bomb.writeUInt32LE(10, central + 24);
    const err = await failure(bomb, 'r.zip', { maxUncompressedBytes: 100_000 });
    expect(err.kind).toBe('ZIP_TOO_LARGE');
    expect(existsSync(join(dir, 'train'))).toBe(false);
  });
});
