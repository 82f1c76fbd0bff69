/**
 * Excel uploads (extension=xlsx, or a retrain / batch file named *.xlsx): the PUT body is stored
 * to a scratch file, one sheet is converted to a UTF-8 CSV (ingest/xlsx.ts), and from then on the
 * CSV is the upload: column-info, training, retrains and batch predictions read it like any other.
 * The sheet comes from the signed URL's `sheet` parameter (signed with it), else the first sheet.
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, withContext } from '../domain/errors.js';
import { convertXlsxToCsv, type XlsxConversion } from '../ingest/index.js';
import type { ServiceDeps } from './deps.js';
import { SizeCap, uploadStreamError } from './signed-upload.js';

/** Upload file names that are converted from Excel. */
export function isWorkbookName(filename: string): boolean {
  return /\.xlsx$/i.test(filename);
}

/** The name a converted upload goes by afterwards (`new.xlsx` → `new.csv`). */
export function convertedName(filename: string): string {
  return isWorkbookName(filename) ? filename.replace(/\.xlsx$/i, '.csv') : filename;
}

/** Splits a verified signed path into the path and its `sheet` parameter. */
export function splitSheet(signedPath: string): { path: string; sheet: string | undefined } {
  const at = signedPath.indexOf('?');
  if (at < 0) return { path: signedPath, sheet: undefined };
  const sheet = new URLSearchParams(signedPath.slice(at + 1)).get('sheet');
  return { path: signedPath.slice(0, at), sheet: sheet === null || sheet === '' ? undefined : sheet };
}

/** `path` with `?sheet=` when a sheet was chosen, for signing. */
export function withSheet(path: string, sheet: string | undefined): string {
  return sheet === undefined ? path : `${path}?sheet=${encodeURIComponent(sheet)}`;
}

export interface ReceivedWorkbook extends XlsxConversion {
  /** Bytes of the workbook as uploaded. */
  readonly sizeBytes: number;
}

/**
 * Receives a workbook PUT and writes the chosen sheet as CSV to `destPath` (atomically). Throws
 * AppError: UPLOAD_TOO_LARGE, UPLOAD_INCOMPLETE, BAD_WORKBOOK (prefixed with `label`).
 */
export async function receiveWorkbookAsCsv(
  deps: ServiceDeps,
  body: Readable,
  declaredBytes: number | null,
  destPath: string,
  opts: { sheet: string | undefined; label: string },
): Promise<ReceivedWorkbook> {
  const raw = await deps.blobs.tempPath('upload.xlsx');
  const cap = new SizeCap(deps.config.maxUploadBytes);
  try {
    try {
      await pipeline(body, cap, createWriteStream(raw));
    } catch (err) {
      throw uploadStreamError(err);
    }
    if (declaredBytes !== null && cap.bytes !== declaredBytes) throw new AppError('UPLOAD_INCOMPLETE', `received ${cap.bytes} of ${declaredBytes} bytes`);
    if (cap.bytes === 0) throw new AppError('BAD_WORKBOOK', `${opts.label}: the uploaded file is empty`);
    const conversion = await convertXlsxToCsv(raw, destPath, {
      maxBytes: deps.config.maxUploadBytes,
      ...(opts.sheet === undefined ? {} : { sheet: opts.sheet }),
    }).catch((err: unknown) => {
      throw withContext(err, opts.label);
    });
    return { ...conversion, sizeBytes: cap.bytes };
  } finally {
    await rm(raw, { force: true });
  }
}
