/** The error a client call throws: the API's documented body (docs/errors.md), or what went wrong on the way. */
import type { ErrorBody } from '../api/schemas/index.js';

export class YosokuApiError extends Error {
  override readonly name = 'YosokuApiError';
  constructor(
    /** HTTP status (0 when no answer arrived). */
    readonly status: number,
    /** The documented code, e.g. 4001000301; 0 when the answer was not an error body. */
    readonly code: number,
    /** The documented name, e.g. INVALID_PARAMETER. */
    readonly error: string,
    message: string,
    readonly requestId: string | undefined,
  ) {
    super(message);
  }

  /** `4001000301 INVALID_PARAMETER: Invalid parameter: …` */
  describe(): string {
    return this.code === 0 ? this.message : `${this.code} ${this.error}: ${this.message}`;
  }
}

function isErrorBody(v: unknown): v is ErrorBody {
  return typeof v === 'object' && v !== null && typeof (v as ErrorBody).code === 'number' && typeof (v as ErrorBody).message === 'string';
}

/** The error of a non-2xx answer, from its body when it is the documented shape. */
export async function errorOf(res: Response): Promise<YosokuApiError> {
  const text = await res.text().catch(() => '');
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: a proxy's page, or nothing
  }
  const requestId = res.headers.get('x-request-id') ?? undefined;
  if (isErrorBody(body)) return new YosokuApiError(res.status, body.code, body.error, body.message, body.request_id ?? requestId);
  return new YosokuApiError(res.status, 0, 'HTTP_ERROR', `HTTP ${res.status} ${res.statusText}${text === '' ? '' : `: ${text.slice(0, 200)}`}`, requestId);
}
