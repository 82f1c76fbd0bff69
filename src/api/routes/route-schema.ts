/**
 * Pieces every route schema shares: the error answers it documents, the key it takes (OpenAPI
 * security schemes, all the `x-api-key` header) and passthrough validation for routes whose
 * bytes are checked by their service (signed transfers, the prediction API).
 */
import type { FastifySchemaCompiler } from 'fastify';
import { ErrorBody } from '../schemas/index.js';

/** The OpenAPI security scheme of each key (docs/api.md "Keys and scopes"). */
export const SECURITY_SCHEMES = {
  secretKey: {
    type: 'apiKey',
    in: 'header',
    name: 'x-api-key',
    description: 'Secret key (printed by the first npm start; DATA_DIR/secret-key.txt): only for GET /v1/external/api-key',
  },
  trainKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'API key with credential_type=train: data sets and models' },
  deployKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'API key with credential_type=deploy: classifiers and batch predictions' },
  retrainKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'API key with credential_type=retrain&model_id=N: retrain jobs of model N' },
  classifierKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: "A classifier's api_key: its inference endpoint only" },
} as const;

export type SecurityScheme = keyof typeof SECURITY_SCHEMES;

export function security(scheme: SecurityScheme): { [K in SecurityScheme]?: string[] }[] {
  return [{ [scheme]: [] }];
}

const ERROR_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'Bad request: a documented 400 code (docs/errors.md): a key, parameter, body or data problem',
  403: 'Access denied (prediction API)',
  404: 'Not found',
  409: 'Conflict with the resource state',
  413: 'Too large',
  429: 'Too many requests for this key (RATE_LIMIT_*_PER_MINUTE)',
  500: 'Internal error (details in the server log, by request_id)',
  503: 'The classifier does not serve',
};

/** `{400: ErrorBody, …}` for the given statuses (400 and 500 always). */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorBody> {
  const out: Record<number, typeof ErrorBody> = {};
  for (const s of [400, ...statuses, 500].sort()) out[s] = ErrorBody.meta({ description: ERROR_DESCRIPTIONS[s] ?? 'Error' });
  return out;
}

/**
 * Accepts the request as it is: the schema documents the route, and the service checks the
 * bytes with its own documented errors (a signature, the inference body).
 */
export const documentOnly: FastifySchemaCompiler<unknown> = () => (data) => ({ value: data });
