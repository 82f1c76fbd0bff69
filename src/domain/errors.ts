/**
 * The one catalogue of user-facing errors, and the one error type every layer throws for them.
 *
 * Each entry (a *kind*, e.g. `INVALID_CONFIG`) has the code, error name and message the client
 * sees; HTTP status = first three digits of the code (DESIGN.md §1 row 1). Documented Prediction
 * One codes and messages are used verbatim; several kinds may share one documented triple (the
 * `4001000204` family, the ingest kinds that all answer MALFORMED_FILE). Our own codes extend the
 * scheme: 400100 03xx request validation · 404100 04xx not found · 409100 05xx conflict ·
 * 413100 06xx too large · 429100 07xx too many requests · 500100 0201 internal. The prediction API (`INFERENCE_ERRORS`) has its
 * own documented codes.
 *
 * docs/errors.md lists every entry; test/api/errors-doc.test.ts keeps the two in step.
 */

export interface ErrorSpec {
  readonly code: number;
  readonly error: string;
  /** Fixed text, or the prefix that a detail is appended to (`message: detail`). */
  readonly message: string;
  /**
   * The message is fixed: the detail is kept on the error (logs, batch statuses) but never
   * appended. The prediction API's documented runtime messages are exact strings (spec §2.14).
   */
  readonly fixedMessage?: true;
}

const BAD = 'PREDA_EXTERNAL_BAD_REQUEST';
const INTERNAL_ERROR = 'PREDA_EXTERNAL_INTERNAL_SERVER_ERROR';

const MALFORMED_FILE = { code: 4001000331, error: 'MALFORMED_FILE', message: 'The file cannot be read as CSV/TSV' } as const;
const COLUMN_COUNT_INVALID = { code: 4001000312, error: 'COLUMN_COUNT_INVALID', message: 'Invalid number of columns' } as const;
const BAD_COLUMN_INFO = { code: 4001000332, error: 'BAD_COLUMN_INFO', message: 'Invalid column_info.csv' } as const;
const UPLOAD_TOO_LARGE = { code: 4131000601, error: 'UPLOAD_TOO_LARGE', message: 'The upload exceeds the size limit' } as const;
const EVAL_COLUMNS_MISMATCH = {
  code: 4001000313,
  error: 'EVAL_COLUMNS_MISMATCH',
  message: 'The evaluation file does not have the columns of the training file',
} as const;

/** The management API and the failure messages of jobs (trainings, retrains, batches). */
export const ERRORS = {
  // Documented (spec §1.5, §2.1, Appendix B).
  INVALID_API_KEY: { code: 4001000204, error: BAD, message: 'invalid_api_key.' },
  INACTIVE_CREDENTIAL: { code: 4001000204, error: BAD, message: 'Inactive_credential.' },
  NOT_FOUND_CREDENTIAL: { code: 4001000204, error: BAD, message: 'Not_found_credential.' },
  USER_DELETED: { code: 4001000204, error: BAD, message: 'This user may be deleted.' },
  MODEL_DELETED: { code: 4001000204, error: BAD, message: 'This model may be deleted.' },
  MODEL_ID_REQUIRED: { code: 4001000204, error: BAD, message: 'Model id is required.' },
  NOT_FOUND_RETRAIN_JOB: { code: 4001000204, error: BAD, message: 'Not found retrain job.' },
  RETRAIN_JOB_DELETED: { code: 4001000204, error: BAD, message: 'This job may be deleted.' },
  RETRAIN_NOT_FINISHED: { code: 4001000204, error: BAD, message: 'Retrain job is not finished.' },
  NOT_FOUND_CLASSIFIER: { code: 4001000204, error: BAD, message: 'Not found classifier.' },
  CONFIGURATION_FILE_NOT_FOUND: { code: 5001000201, error: INTERNAL_ERROR, message: 'Not found configuration_file.' },
  INTERNAL: { code: 5001000201, error: INTERNAL_ERROR, message: 'Internal server error.' },
  /** The server's disk is full (ENOSPC): nothing was stored; the detail says so. */
  STORAGE_FULL: { code: 5001000201, error: INTERNAL_ERROR, message: 'Internal server error.' },
  /** A stored model or result file failed its checksum (storage/blob-checksums.ts); the detail says which kind. */
  STORED_FILE_CORRUPT: { code: 5001000201, error: INTERNAL_ERROR, message: 'Internal server error.' },

  // Ours: request validation (400100 03xx).
  INVALID_PARAMETER: { code: 4001000301, error: 'INVALID_PARAMETER', message: 'Invalid parameter' },
  INVALID_BODY: { code: 4001000302, error: 'INVALID_BODY', message: 'Invalid request body' },
  INVALID_CONFIG: { code: 4001000303, error: 'INVALID_CONFIG', message: 'Invalid config' },
  UNKNOWN_CONFIG_KEY: { code: 4001000304, error: 'UNKNOWN_CONFIG_KEY', message: 'Unknown config key' },
  /** Code 4001000305 answered TIME_SERIES_NOT_SUPPORTED before time-series mode existed; it now names what the mode refuses (cv, an eval file). */
  TIME_SERIES_UNSUPPORTED_OPTION: { code: 4001000305, error: 'TIME_SERIES_UNSUPPORTED_OPTION', message: 'Not available in time-series mode' },
  TARGET_NOT_FOUND: { code: 4001000306, error: 'TARGET_NOT_FOUND', message: 'Target column not found' },
  TARGET_TYPE_INVALID: { code: 4001000307, error: 'TARGET_TYPE_INVALID', message: 'Target column cannot be used for this prediction type' },
  CLASS_COUNT_INVALID: { code: 4001000308, error: 'CLASS_COUNT_INVALID', message: 'Number of target values does not fit the prediction type' },
  POSITIVE_LABEL_INVALID: { code: 4001000309, error: 'POSITIVE_LABEL_INVALID', message: 'Invalid tv' },
  TOO_FEW_ROWS: { code: 4001000310, error: 'TOO_FEW_ROWS', message: 'Too few rows' },
  TOO_MANY_ROWS: { code: 4001000311, error: 'TOO_MANY_ROWS', message: 'Too many rows' },
  COLUMN_COUNT_INVALID,
  EVAL_COLUMNS_MISMATCH,
  UPLOAD_SIGNATURE_INVALID: { code: 4001000320, error: 'UPLOAD_SIGNATURE_INVALID', message: 'The signed URL is invalid or was altered' },
  SIGNED_URL_EXPIRED: { code: 4001000321, error: 'SIGNED_URL_EXPIRED', message: 'The signed URL has expired' },
  UPLOAD_INCOMPLETE: { code: 4001000322, error: 'UPLOAD_INCOMPLETE', message: 'The upload ended before all bytes arrived' },
  BAD_ENCODING: { code: 4001000330, error: 'BAD_ENCODING', message: 'Unsupported character encoding (use UTF-8 or Shift_JIS)' },
  MALFORMED_FILE,
  BAD_COLUMN_INFO,
  BAD_WORKBOOK: { code: 4001000333, error: 'BAD_WORKBOOK', message: 'The file cannot be read as an Excel workbook (.xlsx)' },

  // Ours: the file problems that ingest names precisely; each answers one of the entries above.
  // The detail names row, line and column; `facts` carries them as numbers.
  EMPTY_FILE: MALFORMED_FILE,
  RAGGED_ROW: MALFORMED_FILE,
  DUPLICATE_COLUMN: MALFORMED_FILE,
  EMPTY_COLUMN_NAME: MALFORMED_FILE,
  MALFORMED_CSV: MALFORMED_FILE,
  TOO_FEW_COLUMNS: COLUMN_COUNT_INVALID,
  TOO_MANY_COLUMNS: COLUMN_COUNT_INVALID,
  /** A record (line) longer than MAX_RECORD_CHARS: the reader stops there instead of buffering it. */
  RECORD_TOO_LONG: MALFORMED_FILE,
  UNKNOWN_COLUMN: BAD_COLUMN_INFO,
  MISSING_COLUMN: EVAL_COLUMNS_MISMATCH,

  // Ours: time-series data checks (400100 035x, docs/timeseries.md §API). The detail names the
  // column, the row or timestamp (and the series), and what was expected.
  TS_TIME_INVALID: { code: 4001000350, error: 'TS_TIME_INVALID', message: 'The time column has a value that is not a date' },
  TS_DUPLICATE_TIME: { code: 4001000351, error: 'TS_DUPLICATE_TIME', message: 'A timestamp occurs twice in one series' },
  TS_TIME_ORDER: { code: 4001000352, error: 'TS_TIME_ORDER', message: 'The timestamps are out of order' },
  TS_IRREGULAR_INTERVAL: { code: 4001000353, error: 'TS_IRREGULAR_INTERVAL', message: 'The timestamps are not evenly spaced' },
  TS_MISSING_TARGET: { code: 4001000354, error: 'TS_MISSING_TARGET', message: 'The target is missing inside the history' },
  TS_SERIES_TOO_SHORT: { code: 4001000355, error: 'TS_SERIES_TOO_SHORT', message: 'A series is too short for the forecast horizon' },
  TS_TOO_MANY_SERIES: { code: 4001000356, error: 'TS_TOO_MANY_SERIES', message: 'Too many series' },

  // Ours: retrain uploads (400100 034x), told in the retrain job's `message` (docs/deploy.md §8).
  EMPTY_UPLOAD: { code: 4001000340, error: 'EMPTY_UPLOAD', message: 'The retrain upload is empty' },
  BAD_ZIP: { code: 4001000341, error: 'BAD_ZIP', message: 'The retrain upload is not a readable zip archive' },
  BAD_EXTENSION: { code: 4001000342, error: 'BAD_EXTENSION', message: 'The retrain file must be a .csv or .tsv file, or a .zip' },
  ZIP_UNSAFE_PATH: { code: 4001000343, error: 'ZIP_UNSAFE_PATH', message: 'The zip has an unsafe entry name' },
  ZIP_ENCRYPTED_ENTRY: { code: 4001000344, error: 'ZIP_ENCRYPTED_ENTRY', message: 'The zip has an encrypted entry' },
  ZIP_NO_TRAIN_FILE: { code: 4001000345, error: 'ZIP_NO_TRAIN_FILE', message: 'The zip has no train_src/ file' },
  ZIP_MULTIPLE_FILES: { code: 4001000346, error: 'ZIP_MULTIPLE_FILES', message: 'A folder of the zip holds more than one file' },

  // Ours: not found (404100 04xx). Other users' resources are reported the same way.
  PROCESS_NOT_FOUND: { code: 4041000401, error: 'PROCESS_NOT_FOUND', message: 'Not found external_process_id' },
  DATA_SET_NOT_FOUND: { code: 4041000402, error: 'DATA_SET_NOT_FOUND', message: 'Not found data set' },
  MODEL_NOT_FOUND: { code: 4041000403, error: 'MODEL_NOT_FOUND', message: 'Not found model' },
  ROUTE_NOT_FOUND: { code: 4041000404, error: 'ROUTE_NOT_FOUND', message: 'Not found' },
  RESULT_NOT_FOUND: { code: 4041000405, error: 'RESULT_NOT_FOUND', message: 'Not found result' },
  CLASSIFIER_NOT_FOUND: { code: 4041000406, error: 'CLASSIFIER_NOT_FOUND', message: 'Not found classifier_id' },
  BATCH_PREDICTION_NOT_FOUND: { code: 4041000407, error: 'BATCH_PREDICTION_NOT_FOUND', message: 'Not found batch_prediction_id' },

  // Ours: conflict (409100 05xx).
  LEARN_DATA_MISSING: { code: 4091000501, error: 'LEARN_DATA_MISSING', message: 'The training file has not been uploaded to learn_data_set_upload_url yet' },
  TRAINING_ALREADY_REQUESTED: { code: 4091000502, error: 'TRAINING_ALREADY_REQUESTED', message: 'Training was already requested for this external_process_id' },
  TRAINING_NOT_REQUESTED: {
    code: 4091000503,
    error: 'TRAINING_NOT_REQUESTED',
    message: 'No training was requested for this external_process_id; POST /v1/external/models first',
  },
  PROCESS_LOCKED: { code: 4091000504, error: 'PROCESS_LOCKED', message: 'Training was already requested; the files of this process can no longer change' },
  MODEL_IN_USE: {
    code: 4091000505,
    error: 'MODEL_IN_USE',
    message: 'The model is served by a classifier; delete the classifier or switch it to another model first',
  },
  UPLOAD_ALREADY_RECEIVED: { code: 4091000506, error: 'UPLOAD_ALREADY_RECEIVED', message: 'This upload URL was already used; request a new one' },
  RETRAIN_FILE_MISSING: { code: 4091000507, error: 'RETRAIN_FILE_MISSING', message: 'The retrain file has not been uploaded.' },
  CLASSIFIER_LOCKED: { code: 4091000510, error: 'CLASSIFIER_LOCKED', message: 'The classifier is locked' },
  CLASSIFIER_BUSY: { code: 4091000511, error: 'CLASSIFIER_BUSY', message: 'The classifier is busy' },
  CLASSIFIER_NOT_SWITCHABLE: { code: 4091000512, error: 'CLASSIFIER_NOT_SWITCHABLE', message: 'The classifier cannot switch models now' },
  PROCESS_QUOTA_EXCEEDED: { code: 4091000520, error: 'PROCESS_QUOTA_EXCEEDED', message: 'Too many open processes for this user' },

  // Ours: too large (413100 06xx).
  UPLOAD_TOO_LARGE,
  ZIP_TOO_LARGE: { code: 4131000602, error: 'ZIP_TOO_LARGE', message: 'The zip decompresses to more than the size limit' },
  ZIP_TOO_MANY_ENTRIES: { code: 4131000603, error: 'ZIP_TOO_MANY_ENTRIES', message: 'The zip has too many entries' },
  /** The column analysis needs more than PROFILE_MEMORY_BYTES; the detail names the setting. */
  PROFILE_MEMORY_EXCEEDED: UPLOAD_TOO_LARGE,
  /** The user's stored data files would pass USER_MAX_STORED_BYTES; the detail says how much is stored. */
  STORAGE_QUOTA_EXCEEDED: UPLOAD_TOO_LARGE,

  // Ours: too many requests (429100 07xx).
  RATE_LIMITED: { code: 4291000701, error: 'RATE_LIMITED', message: 'Too many requests' },
} as const satisfies Record<string, ErrorSpec>;

/**
 * The prediction API's documented runtime errors, verbatim (spec §2.14, Appendix B), checked in
 * this order: classifier, URL group, source IP, API key, status, body. A classifier that does not
 * serve names its runtime status: `stopped` is documented, `building` and `failed` follow it.
 */
export const INFERENCE_ERRORS = {
  INFERENCE_CLASSIFIER_NOT_FOUND: { code: 4001030101, error: 'NOT_FOUND_CLASSIFIER', message: 'Not found classifier in classifiers table', fixedMessage: true },
  INFERENCE_INVALID_CLASSIFIER_ID: { code: 4031030201, error: 'ACCESS_DENIED', message: 'Invalid classifier id', fixedMessage: true },
  INFERENCE_IP_NOT_ALLOWED: { code: 4031030201, error: 'ACCESS_DENIED', message: 'Not allowed source ip', fixedMessage: true },
  INFERENCE_INVALID_API_KEY: { code: 4031030201, error: 'ACCESS_DENIED', message: 'Invalid API key', fixedMessage: true },
  CLASSIFIER_STOPPED: { code: 5031030101, error: 'SERVICE_UNAVAILABLE_ERROR', message: 'status is not running (status: stopped)', fixedMessage: true },
  CLASSIFIER_BUILDING: { code: 5031030101, error: 'SERVICE_UNAVAILABLE_ERROR', message: 'status is not running (status: building)', fixedMessage: true },
  CLASSIFIER_FAILED: { code: 5031030101, error: 'SERVICE_UNAVAILABLE_ERROR', message: 'status is not running (status: failed)', fixedMessage: true },
  INFERENCE_INVALID_REQUEST: { code: 4001030104, error: 'BAD_REQUEST', message: 'Invalid request', fixedMessage: true },
} as const satisfies Record<string, ErrorSpec>;

/** Every entry, by kind. */
export const CATALOGUE: Readonly<Record<ErrorName, ErrorSpec>> = { ...ERRORS, ...INFERENCE_ERRORS };

export type ErrorName = keyof typeof ERRORS | keyof typeof INFERENCE_ERRORS;
/** Fails to compile when a kind is declared in both tables (the spread would drop one). */
type SharedKinds = keyof typeof ERRORS & keyof typeof INFERENCE_ERRORS;
const NO_SHARED_KINDS: [SharedKinds] extends [never] ? true : never = true;
void NO_SHARED_KINDS;

/** HTTP status of a code: its first three digits. */
export function httpStatusOf(code: number): number {
  return Number(String(code).slice(0, 3));
}

/** Where in a file (or a request) the problem is: numbers a client or a test can read without parsing text. */
export interface ErrorFacts {
  /** 1-based physical line where the offending record starts (the header is line 1). */
  readonly line?: number;
  /** 1-based data row (the first row after the header is row 1). */
  readonly row?: number;
  readonly expectedFields?: number;
  readonly actualFields?: number;
  readonly column?: string;
  readonly maxBytes?: number;
  readonly byteOffset?: number;
  readonly value?: string;
}

/**
 * The error every layer throws for a failure the user can act on. `detail` (optional) says what
 * exactly was wrong and is appended to the catalogue message, so documented messages stay
 * verbatim when no detail is given (and always for `fixedMessage` kinds).
 * @example throw new AppError('INVALID_CONFIG', 'tt: got "bin"; allowed: binary_classification, multi_classification, regression')
 * @example new AppError('RAGGED_ROW', 'row 2 (line 3) has 1 fields, the header has 2', { row: 2, line: 3 }).code // → 4001000331
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: number;
  /** The `error` name of the body. */
  readonly error: string;

  constructor(
    readonly kind: ErrorName,
    readonly detail?: string,
    readonly facts: ErrorFacts = {},
  ) {
    const spec = CATALOGUE[kind];
    super(detail === undefined || spec.fixedMessage === true ? spec.message : `${spec.message}: ${detail}`);
    this.code = spec.code;
    this.error = spec.error;
  }

  get spec(): ErrorSpec {
    return CATALOGUE[this.kind];
  }

  get status(): number {
    return httpStatusOf(this.code);
  }
}

/**
 * The same error with a context in front of its detail (which file, which step), or `err`
 * itself when it is not an AppError.
 * @example withContext(new AppError('EMPTY_FILE', 'the file has no header row'), 'learn file').message // → 'The file cannot be read as CSV/TSV: learn file: the file has no header row'
 */
export function withContext(err: unknown, context: string): unknown {
  if (!(err instanceof AppError)) return err;
  return new AppError(err.kind, err.detail === undefined ? context : `${context}: ${err.detail}`, err.facts);
}

/**
 * What a failed job (training, retrain, batch) shows in its status `message`: the detail, which
 * says what to fix, or the catalogue message when there is none.
 */
export function failureText(err: AppError): string {
  return err.detail ?? err.message;
}

/**
 * An error as plain data, for a worker-thread message: a user-facing error keeps its kind, detail
 * and facts; any other error is internal (`kind: null`) and keeps only its message, for the log.
 */
export interface WireError {
  readonly kind: ErrorName | null;
  readonly message: string;
  readonly detail?: string;
  readonly facts?: ErrorFacts;
}

export function toWire(err: unknown): WireError {
  if (err instanceof AppError) return { kind: err.kind, message: err.message, ...(err.detail === undefined ? {} : { detail: err.detail }), facts: err.facts };
  return { kind: null, message: err instanceof Error ? err.message : String(err) };
}

/** The error `toWire` described: an AppError again, or a plain Error for an internal failure. */
export function fromWire(wire: WireError): Error {
  if (wire.kind === null) return new Error(wire.message);
  return new AppError(wire.kind, wire.detail, wire.facts ?? {});
}
