/**
 * Errors of the prediction-API runtime and of classifier management, each with its documented
 * Prediction One code, error name and message (spec §2.14, Appendix B). The service layer's
 * catalogue (domain/errors.ts) can wrap these or re-declare the same triples; the api layer renders
 * `{code, error, message}` with the HTTP status taken from the first three digits of `code`.
 */

/** The documented inference errors, verbatim. */
export const INFERENCE_ERRORS = {
  notFoundClassifier: { code: 4001030101, error: 'NOT_FOUND_CLASSIFIER', message: 'Not found classifier in classifiers table' },
  invalidRequest: { code: 4001030104, error: 'BAD_REQUEST', message: 'Invalid request' },
  invalidApiKey: { code: 4031030201, error: 'ACCESS_DENIED', message: 'Invalid API key' },
  invalidClassifierId: { code: 4031030201, error: 'ACCESS_DENIED', message: 'Invalid classifier id' },
  notAllowedSourceIp: { code: 4031030201, error: 'ACCESS_DENIED', message: 'Not allowed source ip' },
  notRunning: { code: 5031030101, error: 'SERVICE_UNAVAILABLE_ERROR', message: 'status is not running (status: stopped)' },
} as const;

export type InferenceErrorKind = keyof typeof INFERENCE_ERRORS;

/**
 * A failed inference request. `message` is the documented text; `detail` says what exactly was
 * wrong (for logs, and for an optional additive `detail` key in the error body).
 * @example new InferenceError('invalidRequest', 'inputs[0].data: not valid base64').code // → 4001030104
 */
export class InferenceError extends Error {
  override readonly name = 'InferenceError';
  readonly code: number;
  readonly error: string;
  readonly httpStatus: number;

  constructor(
    readonly kind: InferenceErrorKind,
    readonly detail: string | null = null,
    message?: string,
  ) {
    const entry = INFERENCE_ERRORS[kind];
    super(message ?? entry.message);
    this.code = entry.code;
    this.error = entry.error;
    this.httpStatus = Math.floor(entry.code / 10_000_000);
  }
}

/** Shorthand for the most common case: a malformed body or CSV, with the reason. */
export function invalidRequest(detail: string): InferenceError {
  return new InferenceError('invalidRequest', detail);
}

/**
 * A management call refused because of the classifier's state or lock (HTTP 409). `code` follows
 * DESIGN row 1 (`409100 05xx`); the numbers (0510–0512, clear of domain/errors.ts's 0501–0504) are
 * proposals for the shared catalogue, where `message` becomes the AppError detail.
 */
export const LIFECYCLE_ERRORS = {
  locked: { code: 4091000510, error: 'CLASSIFIER_LOCKED' },
  busy: { code: 4091000511, error: 'CLASSIFIER_BUSY' },
  notSwitchable: { code: 4091000512, error: 'CLASSIFIER_NOT_SWITCHABLE' },
} as const;

export type LifecycleErrorKind = keyof typeof LIFECYCLE_ERRORS;

export class LifecycleError extends Error {
  override readonly name = 'LifecycleError';
  readonly code: number;
  readonly error: string;
  readonly httpStatus = 409;

  constructor(
    readonly kind: LifecycleErrorKind,
    message: string,
  ) {
    super(message);
    this.code = LIFECYCLE_ERRORS[kind].code;
    this.error = LIFECYCLE_ERRORS[kind].error;
  }
}
