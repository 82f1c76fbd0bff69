/** CSV/TSV → TypedTable: streamed from a normalised file, or from small in-memory text (inference). */
import { createReadStream } from 'node:fs';
import { CsvRecordReader, type RecordSink } from '../formats/csv-reader.js';
import { AppError } from '../domain/errors.js';
import { fromReaderError } from './errors.js';
import { TableBuilder, type TableTypesOptions } from './table-builder.js';
import type { TypedTable } from './table.js';

export interface ReadTableOptions extends TableTypesOptions {
  readonly delimiter?: ',' | '\t';
  /** Fewest columns the header may have (training files need 2, spec §8). Default 1. */
  readonly minColumns?: number;
  /** Longest record accepted (`MALFORMED_FILE` (kind RECORD_TOO_LONG) beyond); default the reader's 16 Mi characters. */
  readonly maxRecordChars?: number;
}

/** Chunk size of the streamed read: big enough that per-chunk overhead vanishes. */
const READ_CHUNK_BYTES = 1 << 20;

function makeSink(opts: ReadTableOptions): { sink: RecordSink; result: () => TypedTable } {
  let builder: TableBuilder | null = null;
  const sink: RecordSink = (fields, nFields, line) => {
    if (builder === null) {
      if (nFields > 0 && fields[0]!.charCodeAt(0) === 0xfeff) fields[0] = fields[0]!.slice(1);
      builder = new TableBuilder(fields.slice(0, nFields), opts, opts.minColumns ?? 1);
      return;
    }
    builder.add(fields, nFields, line);
  };
  const result = (): TypedTable => {
    if (builder === null) throw new AppError('EMPTY_FILE', 'the file has no header row');
    return builder.finish();
  };
  return { sink, result };
}

/**
 * Stream a normalised (UTF-8) file into typed columns. Rows with a different field count than the
 * header throw `RAGGED_ROW` with the row and line; a bad header throws `DUPLICATE_COLUMN`,
 * `EMPTY_COLUMN_NAME` or `TOO_FEW_COLUMNS`.
 * @example
 * const table = await readTypedTable('learn.csv', { delimiter: ',', types: { age: 'integer', sex: 'string' } });
 */
export async function readTypedTable(path: string, opts: ReadTableOptions): Promise<TypedTable> {
  const reader = new CsvRecordReader(opts.delimiter ?? ',', opts.maxRecordChars === undefined ? {} : { maxRecordChars: opts.maxRecordChars });
  const { sink, result } = makeSink(opts);
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: READ_CHUNK_BYTES });
  try {
    for await (const chunk of stream) reader.push(chunk as string, sink);
    reader.end(sink);
  } catch (err) {
    throw fromReaderError(err);
  } finally {
    stream.destroy();
  }
  return result();
}

/**
 * The same for a small CSV already in memory (an inference request: header + N rows). A leading
 * BOM is tolerated.
 * @example parseCsvText('age,sex\n30,F\n', { types: { age: 'integer', sex: 'string' } }).nRows // → 1
 */
export function parseCsvText(text: string, opts: ReadTableOptions): TypedTable {
  const reader = new CsvRecordReader(opts.delimiter ?? ',');
  const { sink, result } = makeSink(opts);
  reader.push(text, sink);
  reader.end(sink);
  return result();
}
