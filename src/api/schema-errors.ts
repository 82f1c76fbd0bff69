/**
 * A request that fails its route's zod schema, as the catalogued error it answers: the schema's
 * issue names the entry (`params.error`, set by api/schemas/loose.ts) and its message is the
 * detail; an issue of a plain zod type falls back to INVALID_PARAMETER (query, path) or
 * INVALID_BODY (body), with the field's path in front of zod's message.
 */
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorName } from '../domain/errors.js';
import type { SchemaErrorKind } from './schemas/index.js';

interface ValidationEntry {
  readonly instancePath: string;
  readonly message?: string;
  readonly params?: { readonly params?: { readonly error?: SchemaErrorKind; readonly noDetail?: true } };
}

export function schemaValidationError(err: unknown): AppError | null {
  if (!hasZodFastifySchemaValidationErrors(err)) return null;
  const first = (err as { validation: ValidationEntry[] }).validation[0]!;
  const context = (err as { validationContext?: string }).validationContext;
  const kind: ErrorName = first.params?.params?.error ?? (context === 'body' ? 'INVALID_BODY' : 'INVALID_PARAMETER');
  const declared = first.params?.params?.error !== undefined;
  const message = first.message ?? '';
  if (declared) return new AppError(kind, first.params?.params?.noDetail === true ? undefined : message);
  const field = first.instancePath.replace(/^\//, '').replaceAll('/', '.');
  return new AppError(kind, field === '' ? message : `${field}: ${message}`);
}
