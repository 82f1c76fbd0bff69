/**
 * The one render path of errors: whatever a route throws becomes one catalogued AppError, and its
 * Prediction One body `{code, error, message}` (DESIGN.md §1 row 1) with the status of its code.
 */
import { AppError, INFERENCE_ERRORS } from '../../domain/errors.js';
import { schemaValidationError } from '../schema-errors.js';

export interface CompatErrorBody {
  readonly code: number;
  readonly error: string;
  readonly message: string;
  /**
   * Ours, additive: what exactly was wrong, for the kinds whose documented message is a fixed
   * string (the prediction API's `Invalid request` says nothing of which column or input);
   * the other kinds carry it in `message` already.
   */
  readonly detail?: string;
}

/**
 * The AppError to answer with. Fastify's own 4xx failures (unparsable JSON, a body over the
 * limit) become INVALID_BODY / UPLOAD_TOO_LARGE; on the prediction API every 4xx is its
 * documented schema error INFERENCE_INVALID_REQUEST; anything unknown is INTERNAL.
 */
export function asAppError(err: unknown, onInferenceRoute: boolean): AppError {
  // A route's zod schema refused the request: its issue names the catalogue entry.
  const schemaError = schemaValidationError(err);
  if (schemaError !== null) err = schemaError;
  const fastifyStatus = (err as { statusCode?: unknown } | null)?.statusCode;
  const clientStatus =
    err instanceof AppError ? err.status : typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500 ? fastifyStatus : null;
  if (onInferenceRoute && clientStatus !== null && clientStatus < 500 && !isInferenceError(err)) {
    return new AppError('INFERENCE_INVALID_REQUEST', (err as Error).message);
  }
  if (err instanceof AppError) return err;
  if (clientStatus === 413) return new AppError('UPLOAD_TOO_LARGE', 'the request body is too large');
  if (clientStatus !== null) return new AppError('INVALID_BODY', (err as Error).message);
  return new AppError('INTERNAL');
}

/** The prediction API's own errors (4001030101, 4001030104, 4031030201) pass through as they are, and so does its rate limit (429). */
function isInferenceError(err: unknown): boolean {
  return err instanceof AppError && (Object.hasOwn(INFERENCE_ERRORS, err.kind) || err.kind === 'RATE_LIMITED');
}

export function errorBody(err: AppError): CompatErrorBody {
  const body = { code: err.code, error: err.error, message: err.message };
  return err.spec.fixedMessage === true && err.detail !== undefined ? { ...body, detail: err.detail } : body;
}
