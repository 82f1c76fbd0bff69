/** Formats: pure byte/text transforms (CSV reading and writing, dates). */
export { csvEscape, csvLines, isFormulaLike, toCsvLine, writeCsv, type WriteCsvOptions } from './csv.js';
export { isIntegerText, isNumberText } from './number-text.js';
export { CsvRecordReader, CsvRecordTooLong, DEFAULT_MAX_RECORD_CHARS, parseCsvRecords, type RecordSink } from './csv-reader.js';
export {
  DATE_FORMATS,
  DATE_MAX_YEAR,
  DATE_MIN_YEAR,
  detectDateFormat,
  guessTimeUnit,
  parseDate,
  TIME_UNIT,
  type DateOptions,
  type DetectDateOptions,
} from './dates.js';
