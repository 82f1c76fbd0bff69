/** `column_info.csv` (header `column_name,column_type`, UTF-8 with/without BOM or Shift_JIS) → column types. */
import { CsvRecordReader } from '../formats/csv-reader.js';
import { decodeBytes } from './encoding.js';
import { AppError } from '../domain/errors.js';
import { badColumnInfo } from './errors.js';
import { COLUMN_TYPES, type ColumnType } from '../table/table.js';

const COLUMN_TYPE_SET: ReadonlySet<string> = new Set(COLUMN_TYPES);

/**
 * Parse `column_info.csv`. Header names and type values are matched case-insensitively and trimmed;
 * column names are kept exactly. Blank lines are skipped. Errors (`BAD_COLUMN_INFO`) name the line.
 * @example parseColumnInfoCsv(utf8('column_name,column_type\n年齢,float\n')) // → { 年齢: 'float' }
 */
export function parseColumnInfoCsv(bytes: Uint8Array): Record<string, ColumnType> {
  const { text } = decodeBytes(bytes);
  const delimiter = !text.split('\n', 1)[0]!.includes(',') && text.includes('\t') ? '\t' : ',';
  const records: { fields: string[]; line: number }[] = [];
  const reader = new CsvRecordReader(delimiter);
  const sink = (fields: string[], nFields: number, line: number): void => {
    records.push({ fields: fields.slice(0, nFields), line });
  };
  reader.push(text, sink);
  reader.end(sink);
  if (records.length === 0) throw badColumnInfo('the file is empty; expected the header column_name,column_type', 1);
  const header = records[0]!;
  const headerNames = header.fields.map((f) => f.trim().toLowerCase());
  if (headerNames.length !== 2 || headerNames[0] !== 'column_name' || headerNames[1] !== 'column_type') {
    throw badColumnInfo(`expected the header column_name,column_type, got ${JSON.stringify(header.fields.join(delimiter))}`, header.line);
  }
  const types: Record<string, ColumnType> = Object.create(null) as Record<string, ColumnType>;
  for (let r = 1; r < records.length; r++) {
    const { fields, line } = records[r]!;
    if (fields.length !== 2) throw badColumnInfo(`expected 2 fields (column_name,column_type), got ${fields.length}`, line);
    const name = fields[0]!;
    const type = fields[1]!.trim().toLowerCase();
    if (name === '') throw badColumnInfo('empty column_name', line);
    if (!COLUMN_TYPE_SET.has(type)) {
      throw badColumnInfo(
        `unknown column_type ${JSON.stringify(fields[1])} for column ${JSON.stringify(name)}; allowed: ${COLUMN_TYPES.join(', ')}`,
        line,
        fields[1],
      );
    }
    if (name in types) throw badColumnInfo(`column ${JSON.stringify(name)} is listed twice`, line, name);
    types[name] = type as ColumnType;
  }
  return types;
}

/** Every name in `types` must be a column of the data file (`UNKNOWN_COLUMN` otherwise). */
export function checkColumnInfo(types: Readonly<Record<string, ColumnType>>, columnNames: readonly string[]): void {
  const known = new Set(columnNames);
  for (const name of Object.keys(types)) {
    if (!known.has(name))
      throw new AppError('UNKNOWN_COLUMN', `column_info.csv names ${JSON.stringify(name)}, which is not a column of the data file`, { column: name });
  }
}
