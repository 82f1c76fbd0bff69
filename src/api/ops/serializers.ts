/**
 * Response serializers. Servers only serialize (JSON.stringify, as Fastify does for routes without
 * a schema); tests also check each answer against its route's zod response schema, so the
 * schemas (and /openapi.json) cannot drift from what the routes send. Extra fields pass: answers
 * are additive to the documented shapes.
 */
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import type { z } from 'zod';

export const jsonSerializer: FastifySerializerCompiler<unknown> = () => (data) => JSON.stringify(data);

export class ResponseShapeError extends Error {
  override readonly name = 'ResponseShapeError';
}

export const checkedSerializer: FastifySerializerCompiler<unknown> =
  ({ schema, method, url, httpStatus }) =>
  (data) => {
    const zodSchema = schema as z.ZodType | undefined;
    if (zodSchema !== undefined && typeof zodSchema.safeParse === 'function') {
      const r = zodSchema.safeParse(data);
      if (!r.success)
        throw new ResponseShapeError(`${method} ${url} ${httpStatus}: the answer does not match its schema: ${JSON.stringify(r.error.issues.slice(0, 3))}`);
    }
    return JSON.stringify(data);
  };
