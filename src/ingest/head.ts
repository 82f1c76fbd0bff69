/** Reads the start of a normalised file: header, the first rows (for type detection) and raw preview lines. */
import { createReadStream } from 'node:fs';
import { CsvRecordReader, type RecordSink } from '../formats/csv-reader.js';
import { AppError } from '../domain/errors.js';
import { fromReaderError, raggedRow } from './errors.js';

export interface FileHead {
  readonly header: string[];
  /** Up to `nRows` data rows, fields copied. */
  readonly rows: string[][];
  /** The first `nPreview` data rows as raw lines (without line ends). */
  readonly previewLines: string[];
  /** True when the file has no rows beyond `rows`. */
  readonly isWholeFile: boolean;
}

const HEAD_CHUNK_BYTES = 256 * 1024;

/**
 * Read only as much of the file as the first `nRows` data rows need. Rows with a field count other
 * than the header's throw `RAGGED_ROW`.
 */
export async function readHead(path: string, delimiter: string, nRows: number, nPreview = 10): Promise<FileHead> {
  const reader = new CsvRecordReader(delimiter, { keepRaw: true });
  let header: string[] | null = null;
  const rows: string[][] = [];
  const previewLines: string[] = [];
  let hasMore = false;
  const sink: RecordSink = (fields, nFields, line, raw) => {
    if (header === null) {
      header = fields.slice(0, nFields);
      if (header.length > 0 && header[0]!.charCodeAt(0) === 0xfeff) header[0] = header[0]!.slice(1);
      return;
    }
    if (rows.length >= nRows) {
      hasMore = true;
      return;
    }
    if (nFields !== header.length) throw raggedRow(line, rows.length + 1, header.length, nFields);
    rows.push(fields.slice(0, nFields));
    if (previewLines.length < nPreview) previewLines.push(raw!);
  };
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: HEAD_CHUNK_BYTES });
  try {
    for await (const chunk of stream) {
      reader.push(chunk as string, sink);
      if (hasMore) break;
    }
    if (!hasMore) reader.end(sink);
  } catch (err) {
    throw fromReaderError(err);
  } finally {
    stream.destroy();
  }
  if (header === null) throw new AppError('EMPTY_FILE', 'the file has no header row');
  return { header, rows, previewLines, isWholeFile: !hasMore };
}

/** Scan a whole file for the first record whose field count differs from the header's (throws `RAGGED_ROW`). */
export async function checkFieldCounts(path: string, delimiter: string): Promise<void> {
  const reader = new CsvRecordReader(delimiter);
  let nColumns = -1;
  let row = 0;
  const sink: RecordSink = (_fields, nFields, line) => {
    if (nColumns === -1) {
      nColumns = nFields;
      return;
    }
    row++;
    if (nFields !== nColumns) throw raggedRow(line, row, nColumns, nFields);
  };
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) reader.push(chunk as string, sink);
    reader.end(sink);
  } catch (err) {
    throw fromReaderError(err);
  } finally {
    stream.destroy();
  }
}
