/** Shapes shared by every route family: the error body, list paging, timestamps. zod only. */
import { z } from 'zod';
import { looseIntOr } from './loose.js';

/** Every error answer (docs/errors.md); `request_id` is ours, additive. */
export const ErrorBody = z
  .object({
    code: z.number().int().meta({ description: 'HTTP status × 10^7 + family + number (docs/errors.md)', example: 4001000301 }),
    error: z.string().meta({ example: 'INVALID_PARAMETER' }),
    message: z.string().meta({ example: 'Invalid parameter: offset: got "x"; allowed: an integer ≥ 0' }),
    detail: z.string().optional().meta({
      description: 'Ours: what exactly was wrong, where the documented message is a fixed text (the prediction API’s “Invalid request”)',
      example: 'the CSV has none of the model\'s columns ("age", "plan")',
    }),
    request_id: z.string().optional().meta({ description: 'The request id, also in the x-request-id header and the server log' }),
  })
  .meta({ id: 'ErrorBody' });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** ISO 8601 UTC with `Z`. */
export const Timestamp = z.string().meta({ example: '2026-03-01T00:00:00.000Z' });

/** `offset` (default 0) and `limit` (default 30, at most 1000) of the list endpoints. */
export const PageQuery = z.object({
  offset: looseIntOr('offset', 0, 0, Number.MAX_SAFE_INTEGER, { description: 'Items to skip (newest first)', example: 0 }),
  limit: looseIntOr('limit', 30, 1, 1000, { description: 'Items to return, 1–1000', example: 30 }),
});

export const PageMetadata = z.object({
  offset: z.number().int(),
  limit: z.number().int(),
  total: z.number().int().meta({ description: "All of the user's items" }),
});

/** DELETE answers `{}` (documented clients call `.json()` on every response). */
export const Empty = z.object({}).strict();

/** The x-api-key header every management call sends (documented in the OpenAPI security schemes, not per route). */
export const ApiKeyHeader = z.object({ 'x-api-key': z.string().optional() });
