/**
 * Retrain uploads (spec §2.15): either one training CSV/TSV, or a zip holding
 * `train_src/<file>.csv|tsv` and optionally `eval_src/<file>.csv|tsv`. A zip is recognised by its
 * bytes, not its name, and extracted safely: no path traversal, one file per folder, and a cap on
 * the bytes actually decompressed (zip bombs), whatever the headers claim.
 */
import { createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { AppError } from '../domain/errors.js';

export type UploadKind = 'zip' | 'csv';

/**
 * Zip when the bytes start with a local-file header (`PK\x03\x04`) or an empty archive's end
 * record (`PK\x05\x06`); anything else is treated as CSV/TSV text (ingest validates it later).
 */
export function detectUploadKind(head: Uint8Array): UploadKind {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b) {
    if ((head[2] === 0x03 && head[3] === 0x04) || (head[2] === 0x05 && head[3] === 0x06)) return 'zip';
  }
  return 'csv';
}

export type DataExtension = 'csv' | 'tsv';

export interface RetrainFile {
  /** Where the file is: the upload itself (CSV form) or the destination it was extracted to. */
  readonly path: string;
  /** The upload's file name (CSV form) or the entry's path inside the zip. */
  readonly name: string;
  readonly extension: DataExtension;
  readonly sizeBytes: number;
}

export interface RetrainFiles {
  readonly kind: UploadKind;
  readonly train: RetrainFile;
  /** Null when the upload has no evaluation file: the stored validation plan then applies. */
  readonly eval: RetrainFile | null;
}

export interface PrepareRetrainOptions {
  /** The stored upload. */
  readonly uploadPath: string;
  /** The `filename` given when the upload URL was requested. */
  readonly filename: string;
  /** Destinations for a zip's training and evaluation files (not touched for a CSV upload). */
  readonly trainPath: string;
  readonly evalPath: string;
  /** Cap on the bytes decompressed from the zip, both files together. Default 1 GiB (DESIGN row 14). */
  readonly maxUncompressedBytes?: number;
  /** Cap on the number of entries of the zip. Default 1,000. */
  readonly maxEntries?: number;
}

export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024;
export const DEFAULT_MAX_ENTRIES = 1000;

const TRAIN_DIR = 'train_src';
const EVAL_DIR = 'eval_src';

/** `csv`/`tsv` from a name's extension (case-insensitive), else null. */
export function dataExtension(name: string): DataExtension | null {
  const m = /\.(csv|tsv)$/i.exec(name);
  return m === null ? null : (m[1]!.toLowerCase() as DataExtension);
}

/** Why an entry name is unsafe to even consider, or null. yauzl already refuses `..` and absolute paths; this is the second lock. */
function unsafePathProblem(name: string): string | null {
  if (name.includes('\0')) return 'contains a NUL character';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'is an absolute path';
  if (name.split('/').some((segment) => segment === '..')) return 'leaves the archive folder (..)';
  return null;
}

/** Skipped: folders, macOS resource forks, hidden files such as .DS_Store. */
function isJunk(name: string): boolean {
  if (name.endsWith('/')) return true;
  const segments = name.split('/');
  return segments[0] === '__MACOSX' || segments[segments.length - 1]!.startsWith('.');
}

/**
 * Check a retrain upload and put its files where the retrain job reads them.
 * - CSV/TSV (anything that is not a zip): the upload is the training file; its extension comes from `filename`.
 * - Zip: exactly one file in `train_src/`, at most one in `eval_src/`, each `.csv` or `.tsv`;
 *   other entries are ignored. A single wrapping folder (`myzip/train_src/...`, as "compress
 *   folder" tools make) is accepted.
 * Throws AppError (EMPTY_UPLOAD, BAD_ZIP, ZIP_* …; the detail is written for the retrain job's
 * `message`); partial output files are removed.
 * @example
 * const files = await prepareRetrainUpload({ uploadPath, filename: 'retrain.zip', trainPath: `${dir}/train`, evalPath: `${dir}/eval` });
 */
export async function prepareRetrainUpload(opts: PrepareRetrainOptions): Promise<RetrainFiles> {
  const handle = await open(opts.uploadPath, 'r');
  let head: Uint8Array;
  let sizeBytes: number;
  try {
    const buf = Buffer.alloc(4);
    const { bytesRead } = await handle.read(buf, 0, 4, 0);
    head = buf.subarray(0, bytesRead);
    sizeBytes = (await handle.stat()).size;
  } finally {
    await handle.close();
  }
  if (sizeBytes === 0) throw new AppError('EMPTY_UPLOAD', 'the uploaded file is empty');
  if (detectUploadKind(head) === 'zip') return extractRetrainZip(opts);
  if (/\.zip$/i.test(opts.filename)) throw new AppError('BAD_ZIP', `"${opts.filename}" is named .zip but is not a zip archive`);
  const extension = dataExtension(opts.filename);
  if (extension === null) {
    throw new AppError('BAD_EXTENSION', `"${opts.filename}" must be a .csv or .tsv file, or a .zip with train_src/ and eval_src/`);
  }
  return { kind: 'csv', train: { path: opts.uploadPath, name: opts.filename, extension, sizeBytes }, eval: null };
}

function zipError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/invalid relative path|absolute path|invalid characters in fileName/i.test(message)) {
    return new AppError('ZIP_UNSAFE_PATH', `the zip has an unsafe entry name: ${message}`);
  }
  if (/too many bytes|uncompressed size/i.test(message)) return new AppError('ZIP_TOO_LARGE', `the zip's sizes do not add up: ${message}`);
  return new AppError('BAD_ZIP', `the file is not a readable zip archive: ${message}`);
}

async function extractRetrainZip(opts: PrepareRetrainOptions): Promise<RetrainFiles> {
  const maxBytes = opts.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES;
  const maxEntries = opts.maxEntries ?? DEFAULT_MAX_ENTRIES;
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(opts.uploadPath, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
  } catch (err) {
    throw zipError(err);
  }
  const written: string[] = [];
  try {
    if (zip.entryCount > maxEntries) throw new AppError('ZIP_TOO_MANY_ENTRIES', `the zip has ${zip.entryCount} entries; at most ${maxEntries} are allowed`);
    const entries: yauzl.Entry[] = [];
    try {
      for await (const entry of zip.eachEntry()) {
        const problem = unsafePathProblem(entry.fileName);
        if (problem !== null) throw new AppError('ZIP_UNSAFE_PATH', `the zip entry "${entry.fileName}" ${problem}`);
        if (!isJunk(entry.fileName)) entries.push(entry);
      }
    } catch (err) {
      throw zipError(err);
    }

    const names = entries.map((e) => e.fileName);
    const prefix = wrapperPrefix(names);
    const inFolder = (dir: string): yauzl.Entry[] => entries.filter((e) => e.fileName.slice(prefix.length).toLowerCase().startsWith(`${dir}/`));
    const trainEntries = inFolder(TRAIN_DIR);
    const evalEntries = inFolder(EVAL_DIR);
    if (trainEntries.length === 0) {
      const looksLikeExcel = names.includes('[Content_Types].xml');
      throw new AppError(
        'ZIP_NO_TRAIN_FILE',
        looksLikeExcel
          ? 'the upload is an Excel workbook, not a CSV or a zip of CSV files; save it as CSV first'
          : 'the zip has no training file: expected train_src/<file>.csv (and optionally eval_src/<file>.csv)',
      );
    }
    const train = pickOne(trainEntries, TRAIN_DIR);
    const evalEntry = evalEntries.length === 0 ? null : pickOne(evalEntries, EVAL_DIR);
    const declared = train.uncompressedSize + (evalEntry?.uncompressedSize ?? 0);
    if (declared > maxBytes) throw new AppError('ZIP_TOO_LARGE', `the zip's files hold ${declared} bytes uncompressed; at most ${maxBytes} are allowed`);

    let budget = maxBytes;
    const extract = async (entry: yauzl.Entry, dest: string): Promise<RetrainFile> => {
      if (entry.isEncrypted()) throw new AppError('ZIP_ENCRYPTED_ENTRY', `the zip entry "${entry.fileName}" is encrypted; upload it without a password`);
      if (!entry.canDecodeFileData())
        throw new AppError('BAD_ZIP', `the zip entry "${entry.fileName}" uses an unsupported compression method (${entry.compressionMethod})`);
      written.push(dest);
      const counter = new ByteLimit(budget, entry.fileName);
      try {
        await pipeline(await zip.openReadStreamPromise(entry), counter, createWriteStream(dest));
      } catch (err) {
        throw zipError(err);
      }
      budget -= counter.nBytes;
      if (counter.nBytes === 0) throw new AppError('EMPTY_UPLOAD', `the zip entry "${entry.fileName}" is empty`);
      return { path: dest, name: entry.fileName, extension: dataExtension(entry.fileName)!, sizeBytes: counter.nBytes };
    };
    const trainFile = await extract(train, opts.trainPath);
    const evalFile = evalEntry === null ? null : await extract(evalEntry, opts.evalPath);
    return { kind: 'zip', train: trainFile, eval: evalFile };
  } catch (err) {
    await Promise.all(written.map((path) => rm(path, { force: true })));
    throw err;
  } finally {
    zip.close();
  }
}

/** `folder/` when every entry sits in one folder that has train_src/ inside, else ''. */
function wrapperPrefix(names: readonly string[]): string {
  if (names.length === 0) return '';
  const first = names[0]!.split('/')[0]!;
  const prefix = `${first}/`;
  if (names.some((n) => n.toLowerCase().startsWith(`${TRAIN_DIR}/`))) return '';
  if (!names.every((n) => n.startsWith(prefix))) return '';
  return names.some((n) => n.slice(prefix.length).toLowerCase().startsWith(`${TRAIN_DIR}/`)) ? prefix : '';
}

function pickOne(entries: readonly yauzl.Entry[], dir: string): yauzl.Entry {
  if (entries.length > 1) {
    const listed = entries
      .slice(0, 5)
      .map((e) => `"${e.fileName}"`)
      .join(', ');
    throw new AppError('ZIP_MULTIPLE_FILES', `${dir}/ must hold exactly one file, found ${entries.length}: ${listed}${entries.length > 5 ? ', ...' : ''}`);
  }
  const entry = entries[0]!;
  if (dataExtension(entry.fileName) === null) throw new AppError('BAD_EXTENSION', `"${entry.fileName}" must be a .csv or .tsv file`);
  return entry;
}

/** Pass-through that counts bytes and fails once more than `maxBytes` went through. */
class ByteLimit extends Transform {
  nBytes = 0;
  constructor(
    readonly maxBytes: number,
    readonly entryName: string,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.nBytes += chunk.length;
    if (this.nBytes > this.maxBytes) {
      callback(new AppError('ZIP_TOO_LARGE', `"${this.entryName}" decompresses to more than the limit of ${this.maxBytes} bytes`));
      return;
    }
    callback(null, chunk);
  }
}
