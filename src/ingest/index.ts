/** Ingest: uploaded files → normalised UTF-8 → typed tables and column analysis; retrain uploads (a CSV or a zip of them) unpacked. */
export { checkColumnInfo, parseColumnInfoCsv } from './column-info.js';
export { decodeBytes, detectEncoding, DETECT_HEAD_BYTES, type SourceEncoding } from './encoding.js';
export { delimiterFor, normalizeUpload, type Delimiter, type NormalizeUploadOptions, type UploadFacts } from './normalize-upload.js';
export type { ColumnProfile, DatasetProfile, NumericSummary, RangePick } from './profile-types.js';
export { profileFile, type ProfileOptions } from './profile.js';
export { parseCsvText, readTypedTable, type ReadTableOptions } from './read-table.js';
export { validateHeader, type TableTypesOptions } from './table-builder.js';
export { availableTypesFor, detectColumnType, TYPE_DETECT_ROWS, type DetectedType } from './type-detect.js';
export { isNumberText, parseNumber } from './values.js';
export { binaryKindOf, describeBinaryKind, type BinaryKind } from './file-kind.js';
export { convertXlsxToCsv, type XlsxConversion, type XlsxToCsvOptions } from './xlsx.js';
export {
  dataExtension,
  DEFAULT_MAX_ENTRIES,
  DEFAULT_MAX_UNCOMPRESSED_BYTES,
  detectUploadKind,
  prepareRetrainUpload,
  type DataExtension,
  type PrepareRetrainOptions,
  type RetrainFile,
  type RetrainFiles,
  type UploadKind,
} from './retrain-upload.js';
export {
  addUnits,
  checkTimeSeries,
  timeSeriesDataOf,
  unitsBetween,
  type SeriesFacts,
  type TimeSeriesCheckResult,
  type TimeSeriesData,
  type TimeSeriesRules,
} from './time-series-checks.js';
