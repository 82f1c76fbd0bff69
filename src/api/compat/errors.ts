/** The Prediction One error body: `{code, error, message}` (DESIGN.md §1 row 1). */
import type { AppError, ErrorSpec } from '../../domain/errors.js';

export interface CompatErrorBody {
  readonly code: number;
  readonly error: string;
  readonly message: string;
}

export function errorBody(err: AppError): CompatErrorBody {
  return { code: err.spec.code, error: err.spec.error, message: err.message };
}

export function specBody(spec: ErrorSpec, detail?: string): CompatErrorBody {
  return { code: spec.code, error: spec.error, message: detail === undefined ? spec.message : `${spec.message}: ${detail}` };
}
