/**
 * Train Data Upload: opening a process with signed upload URLs, and accepting the PUTs.
 * A data file is streamed through ingest's normaliser (encoding detection, UTF-8 on disk, size
 * limit), checked for a readable layout, then moved durably into the blob store; the PUT is
 * answered only after that. A column_info.csv is parsed at upload so mistakes show up at once.
 */
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { isoUtc } from '../domain/clock.js';
import { AppError, withContext } from '../domain/errors.js';
import { newProcessId } from '../domain/ids.js';
import type { FileExtension, Principal, StoredDataFile, TrainingProcess, UploadKind } from '../domain/records.js';
import { UPLOAD_KINDS } from '../domain/records.js';
import { normalizeUpload, parseColumnInfoCsv, readTypedTable } from '../ingest/index.js';
import type { ServiceDeps } from './deps.js';
import { uploadStreamError } from './signed-upload.js';
import { convertedName, receiveWorkbookAsCsv, splitSheet, withSheet } from './workbook-upload.js';

/** column_info.csv is one line per column: a few hundred KB at most. Larger is a mistake. */
const MAX_COLUMN_INFO_BYTES = 4 * 1024 * 1024;

export interface OpenedProcess {
  readonly processId: string;
  readonly urls: Readonly<Record<UploadKind, string>>;
}

export function uploadPath(processId: string, kind: UploadKind): string {
  return `/uploads/${encodeURIComponent(processId)}/${kind}`;
}

export function dataBlobKey(processId: string, kind: 'learn' | 'eval', extension: FileExtension): string {
  return `processes/${processId}/${kind}.${storedExtension(extension)}`;
}

/** What a data file is stored as: a workbook is stored as the CSV of its sheet. */
function storedExtension(extension: FileExtension): 'csv' | 'tsv' {
  return extension === 'xlsx' ? 'csv' : extension;
}

/** A data set's name when the upload gave none (until training names it after the model). */
export function defaultDataSetName(kind: 'learn' | 'eval', extension: FileExtension): string {
  return `${kind}.${extension}`;
}

export class UploadService {
  readonly #d: ServiceDeps;
  constructor(deps: ServiceDeps) {
    this.#d = deps;
  }

  /**
   * `GET /v1/external/data-sets/upload-url?extension=csv|tsv|xlsx` (default csv). With xlsx,
   * `sheet` (ours) names the sheet to read from the training and evaluation workbooks.
   */
  async openProcess(principal: Principal, opts: { extension: FileExtension; sheet?: string | undefined }): Promise<OpenedProcess> {
    const { extension, sheet } = opts;
    const { maxOpenProcesses } = this.#d.config.quotas;
    const open = await this.#d.processes.countOpen(principal.userId);
    if (open >= maxOpenProcesses) {
      throw new AppError(
        'PROCESS_QUOTA_EXCEEDED',
        `${open} processes are open (not finished or failed); allowed: ${maxOpenProcesses} (USER_MAX_OPEN_PROCESSES)`,
      );
    }
    const now = this.#d.clock.now();
    const p = await this.#d.processes.create({
      id: newProcessId(),
      userId: principal.userId,
      extension,
      createdAt: isoUtc(now),
    });
    const url = (kind: UploadKind) => this.#d.signer.sign('PUT', withSheet(uploadPath(p.id, kind), kind === 'column_info' ? undefined : sheet), now.getTime());
    return { processId: p.id, urls: { learn: url('learn'), eval: url('eval'), column_info: url('column_info') } };
  }

  /**
   * A PUT on a signed upload URL. `requestUrl` is the path and query as received; `declaredBytes`
   * the Content-Length header (null when chunked); `fileName` the name the client gave in a
   * Content-Disposition header (null when none), which names the data set.
   */
  async acceptUpload(requestUrl: string, body: Readable, declaredBytes: number | null, fileName: string | null = null): Promise<void> {
    const now = this.#d.clock.now().getTime();
    const { path, sheet } = splitSheet(this.#d.signer.verify('PUT', requestUrl, now));
    const match = /^\/uploads\/([^/]+)\/([a-z_]+)$/.exec(path);
    const kind = match?.[2] as UploadKind | undefined;
    if (match === null || kind === undefined || !UPLOAD_KINDS.includes(kind)) throw new AppError('UPLOAD_SIGNATURE_INVALID');
    const process = await this.#d.processes.getById(decodeURIComponent(match[1]!));
    if (process === null) throw new AppError('PROCESS_NOT_FOUND');
    if (process.status !== 'uploading') throw new AppError('PROCESS_LOCKED');
    if (kind === 'column_info') return this.#acceptColumnInfo(process, body, declaredBytes);
    await storeDataFile(this.#d, process, kind, body, declaredBytes, fileName, { sheet });
  }

  async #acceptColumnInfo(process: TrainingProcess, body: Readable, declaredBytes: number | null): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of body) {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
        size += buf.length;
        if (size > MAX_COLUMN_INFO_BYTES) throw new AppError('UPLOAD_TOO_LARGE', `column_info.csv is limited to ${MAX_COLUMN_INFO_BYTES} bytes`);
        chunks.push(buf);
      }
    } catch (err) {
      throw uploadStreamError(err);
    }
    if (declaredBytes !== null && size !== declaredBytes) {
      throw new AppError('UPLOAD_INCOMPLETE', `received ${size} of ${declaredBytes} bytes`);
    }
    const types = parseColumnInfoCsv(Buffer.concat(chunks));
    await this.#d.processes.update(process.id, { updatedAt: isoUtc(this.#d.clock.now()), columnTypes: types });
  }
}

/**
 * Normalises one data file of a process, stores it and records it as a data set and on the process
 * (uploads and retrain jobs). Returns the stored file.
 */
export async function storeDataFile(
  deps: ServiceDeps,
  process: TrainingProcess,
  kind: 'learn' | 'eval',
  body: Readable,
  declaredBytes: number | null,
  fileName: string | null = null,
  opts: { sheet?: string | undefined } = {},
): Promise<StoredDataFile> {
  const { blobs, dataSets, processes, clock } = deps;
  // The quota counts what the user stores already, less the file this upload replaces.
  const previousBytes = process[kind]?.sizeBytes ?? 0;
  const storedBytes = (await dataSets.totalBytes(process.userId)) - previousBytes;
  checkStorageQuota(deps, storedBytes, declaredBytes);
  const extension = storedExtension(process.extension);
  const tmp = await blobs.tempPath(`${kind}.${extension}`);
  try {
    const facts =
      process.extension === 'xlsx'
        ? {
            ...(await receiveWorkbookAsCsv(deps, body, declaredBytes, tmp, { sheet: opts.sheet, label: `${kind} file` })),
            encoding: 'utf-8' as const,
            delimiter: ',' as const,
          }
        : await normalizeUpload(body, tmp, { extension, maxBytes: deps.config.maxUploadBytes }).catch((err: unknown) => {
            throw withContext(uploadStreamError(err), `${kind} file`);
          });
    if (declaredBytes !== null && facts.sizeBytes !== declaredBytes) {
      throw new AppError('UPLOAD_INCOMPLETE', `received ${facts.sizeBytes} of ${declaredBytes} bytes`);
    }
    checkStorageQuota(deps, storedBytes, facts.sizeBytes);
    // Reading every row once checks the layout (ragged rows, duplicate names) and counts rows.
    const table = await readTypedTable(tmp, { delimiter: facts.delimiter, types: {}, minColumns: 2, maxRecordChars: deps.config.maxRecordChars }).catch(
      (err: unknown) => {
        throw withContext(err, `${kind} file`);
      },
    );
    const key = dataBlobKey(process.id, kind, process.extension);
    await blobs.putFile(key, tmp).catch((err: unknown) => {
      throw uploadStreamError(err);
    });
    const now = isoUtc(clock.now());
    const previous = process[kind];
    if (previous !== null) await dataSets.delete(process.userId, previous.dataSetId);
    const dataSet = await dataSets.create({
      userId: process.userId,
      processId: process.id,
      // A workbook's data set is the CSV of its sheet: `sales.xlsx` is listed (and downloads) as `sales.csv`.
      name: fileName === null ? defaultDataSetName(kind, extension) : convertedName(fileName),
      extension,
      columnCount: table.columns.length,
      rowCount: table.nRows,
      sizeBytes: facts.sizeBytes,
      blobKey: key,
      createdAt: now,
      updatedAt: now,
    });
    const stored: StoredDataFile = {
      blobKey: key,
      encoding: facts.encoding,
      delimiter: facts.delimiter,
      sizeBytes: facts.sizeBytes,
      dataSetId: dataSet.id,
      columnNames: table.columns.map((c) => c.name),
      ...(fileName === null ? {} : { fileName }),
    };
    await processes.update(process.id, { updatedAt: now, [kind]: stored });
    return stored;
  } finally {
    await rm(tmp, { force: true });
  }
}

/** USER_MAX_STORED_BYTES: checked on the declared length before the body is read, and on what arrived. */
function checkStorageQuota(deps: ServiceDeps, storedBytes: number, incomingBytes: number | null): void {
  const max = deps.config.quotas.maxStoredBytes;
  if (incomingBytes !== null && storedBytes + incomingBytes > max) {
    throw new AppError(
      'STORAGE_QUOTA_EXCEEDED',
      `${storedBytes} bytes are stored and this file has ${incomingBytes}; allowed: ${max} in all (USER_MAX_STORED_BYTES); delete data sets to make room`,
    );
  }
}
