/**
 * The one catalogue of API errors: every error the service can answer with, its code, name and
 * message. HTTP status = first three digits of the code (DESIGN.md §1 row 1). Documented Prediction
 * One codes and messages are used verbatim; our own codes extend the scheme:
 *   400100 03xx request validation · 404100 04xx not found · 409100 05xx conflict ·
 *   413100 06xx too large · 429100 07xx too many requests · 500100 0201 internal.
 * docs/errors.md lists the same table; test/api/errors-doc.test.ts keeps the two in step.
 */

export interface ErrorSpec {
  readonly code: number;
  readonly error: string;
  /** Fixed text, or the prefix that a detail is appended to (`message: detail`). */
  readonly message: string;
}

const BAD = 'PREDA_EXTERNAL_BAD_REQUEST';

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
  CONFIGURATION_FILE_NOT_FOUND: { code: 5001000201, error: 'PREDA_EXTERNAL_INTERNAL_SERVER_ERROR', message: 'Not found configuration_file.' },
  INTERNAL: { code: 5001000201, error: 'PREDA_EXTERNAL_INTERNAL_SERVER_ERROR', message: 'Internal server error.' },

  // Ours: request validation (400100 03xx).
  INVALID_PARAMETER: { code: 4001000301, error: 'INVALID_PARAMETER', message: 'Invalid parameter' },
  INVALID_BODY: { code: 4001000302, error: 'INVALID_BODY', message: 'Invalid request body' },
  INVALID_CONFIG: { code: 4001000303, error: 'INVALID_CONFIG', message: 'Invalid config' },
  UNKNOWN_CONFIG_KEY: { code: 4001000304, error: 'UNKNOWN_CONFIG_KEY', message: 'Unknown config key' },
  TIME_SERIES_NOT_SUPPORTED: { code: 4001000305, error: 'TIME_SERIES_NOT_SUPPORTED', message: 'Time-series mode is not supported yet' },
  TARGET_NOT_FOUND: { code: 4001000306, error: 'TARGET_NOT_FOUND', message: 'Target column not found' },
  TARGET_TYPE_INVALID: { code: 4001000307, error: 'TARGET_TYPE_INVALID', message: 'Target column cannot be used for this prediction type' },
  CLASS_COUNT_INVALID: { code: 4001000308, error: 'CLASS_COUNT_INVALID', message: 'Number of target values does not fit the prediction type' },
  POSITIVE_LABEL_INVALID: { code: 4001000309, error: 'POSITIVE_LABEL_INVALID', message: 'Invalid tv' },
  TOO_FEW_ROWS: { code: 4001000310, error: 'TOO_FEW_ROWS', message: 'Too few rows' },
  TOO_MANY_ROWS: { code: 4001000311, error: 'TOO_MANY_ROWS', message: 'Too many rows' },
  COLUMN_COUNT_INVALID: { code: 4001000312, error: 'COLUMN_COUNT_INVALID', message: 'Invalid number of columns' },
  EVAL_COLUMNS_MISMATCH: { code: 4001000313, error: 'EVAL_COLUMNS_MISMATCH', message: 'The evaluation file does not have the columns of the training file' },
  UPLOAD_SIGNATURE_INVALID: { code: 4001000320, error: 'UPLOAD_SIGNATURE_INVALID', message: 'The signed URL is invalid or was altered' },
  SIGNED_URL_EXPIRED: { code: 4001000321, error: 'SIGNED_URL_EXPIRED', message: 'The signed URL has expired' },
  UPLOAD_INCOMPLETE: { code: 4001000322, error: 'UPLOAD_INCOMPLETE', message: 'The upload ended before all bytes arrived' },
  BAD_ENCODING: { code: 4001000330, error: 'BAD_ENCODING', message: 'Unsupported character encoding (use UTF-8 or Shift_JIS)' },
  MALFORMED_FILE: { code: 4001000331, error: 'MALFORMED_FILE', message: 'The file cannot be read as CSV/TSV' },
  BAD_COLUMN_INFO: { code: 4001000332, error: 'BAD_COLUMN_INFO', message: 'Invalid column_info.csv' },
  RECORD_TOO_LONG: { code: 4001000333, error: 'RECORD_TOO_LONG', message: 'A record of the file is longer than the limit' },

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
  TRAINING_NOT_REQUESTED: { code: 4091000503, error: 'TRAINING_NOT_REQUESTED', message: 'No training was requested for this external_process_id; POST /v1/external/models first' },
  MODEL_IN_USE: { code: 4091000505, error: 'MODEL_IN_USE', message: 'The model is served by a classifier; delete the classifier or switch it to another model first' },
  UPLOAD_ALREADY_RECEIVED: { code: 4091000506, error: 'UPLOAD_ALREADY_RECEIVED', message: 'This upload URL was already used; request a new one' },
  CLASSIFIER_LOCKED: { code: 4091000510, error: 'CLASSIFIER_LOCKED', message: 'The classifier is locked' },
  CLASSIFIER_BUSY: { code: 4091000511, error: 'CLASSIFIER_BUSY', message: 'The classifier is busy' },
  CLASSIFIER_NOT_SWITCHABLE: { code: 4091000512, error: 'CLASSIFIER_NOT_SWITCHABLE', message: 'The classifier cannot switch models now' },
  PROCESS_QUOTA_EXCEEDED: { code: 4091000520, error: 'PROCESS_QUOTA_EXCEEDED', message: 'Too many open processes for this user' },
  PROCESS_LOCKED: { code: 4091000504, error: 'PROCESS_LOCKED', message: 'Training was already requested; the files of this process can no longer change' },

  // Ours: too many requests (429100 07xx).
  RATE_LIMITED: { code: 4291000701, error: 'RATE_LIMITED', message: 'Too many requests' },

  // Ours: too large (413100 06xx).
  UPLOAD_TOO_LARGE: { code: 4131000601, error: 'UPLOAD_TOO_LARGE', message: 'The upload exceeds the size limit' },
  STORAGE_QUOTA_EXCEEDED: { code: 4131000603, error: 'STORAGE_QUOTA_EXCEEDED', message: 'The upload exceeds the storage quota of this user' },
  PROFILE_MEMORY_EXCEEDED: { code: 4131000602, error: 'PROFILE_MEMORY_EXCEEDED', message: 'The file needs more memory to analyse than the server allows' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorName = keyof typeof ERRORS;

/** HTTP status of a code: its first three digits. */
export function httpStatusOf(code: number): number {
  return Number(String(code).slice(0, 3));
}

/**
 * The error every service throws. `detail` (optional) is appended to the catalogue message, so
 * documented messages stay verbatim when no detail is given.
 * @example throw new AppError('INVALID_CONFIG', 'tt: got "bin"; allowed: binary_classification, multi_classification, regression')
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly spec: ErrorSpec;
  constructor(
    readonly kind: ErrorName,
    readonly detail?: string,
  ) {
    const spec = ERRORS[kind];
    super(detail === undefined ? spec.message : `${spec.message}: ${detail}`);
    this.spec = spec;
  }

  get code(): number {
    return this.spec.code;
  }

  get status(): number {
    return httpStatusOf(this.spec.code);
  }
}
