/**
 * Prediction One's loose values, as zod schemas: "2" and 2, "true" and true, an empty query
 * parameter as absent. Each failure is one custom issue whose message is the documented detail
 * (`offset: got "x"; allowed: an integer ≥ 0`) and whose `params.error` names the catalogue entry
 * (INVALID_PARAMETER, INVALID_BODY, INVALID_CONFIG …), so the API renders exactly the errors the
 * hand-written checks did. zod only: the web UI and the typed client import these modules too.
 */
import { z } from 'zod';

/** Catalogue names a schema issue may carry (src/domain/errors.ts has their codes and texts). */
export type SchemaErrorKind =
  | 'INVALID_PARAMETER'
  | 'INVALID_BODY'
  | 'INVALID_CONFIG'
  | 'UNKNOWN_CONFIG_KEY'
  | 'TIME_SERIES_UNSUPPORTED_OPTION'
  | 'MODEL_ID_REQUIRED';

export interface SchemaIssueParams {
  readonly error: SchemaErrorKind;
  /** The catalogue message alone (documented fixed texts such as `Model id is required.`). */
  readonly noDetail?: true;
}

type Ctx = z.core.$RefinementCtx;

/** Adds the one issue of a failed loose value and returns z.NEVER; '' = no detail. */
export function fail(ctx: Ctx, error: SchemaErrorKind, message: string): never {
  const params: SchemaIssueParams = message === '' ? { error, noDetail: true } : { error };
  ctx.addIssue({ code: 'custom', message: message === '' ? error : message, params });
  return z.NEVER;
}

export function got(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** A query or JSON value that is absent: missing, null, or the empty string. */
export function isAbsent(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

const INTEGER_TEXT = /^\s*-?\d+\s*$/;

/** An integer from a number or a decimal string; null when it is neither. */
export function integerOf(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && INTEGER_TEXT.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) ? n : null;
}

/** true/false, also as "true"/"false" (and, with `capitalised`, "True"/"TRUE"…); null otherwise. */
export function booleanOf(v: unknown, capitalised = false): boolean | null {
  if (v === true || v === 'true' || (capitalised && (v === 'True' || v === 'TRUE'))) return true;
  if (v === false || v === 'false' || (capitalised && (v === 'False' || v === 'FALSE'))) return false;
  return null;
}

export function rangeText(min: number, max: number): string {
  return max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
}

const INT_JSON = { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^-?\\d+$' }] };
const BOOL_JSON = { anyOf: [{ type: 'boolean' }, { type: 'string', enum: ['true', 'false'] }] };

export interface LooseOptions {
  readonly error?: SchemaErrorKind;
  readonly description?: string;
  readonly example?: unknown;
}

function meta(json: Record<string, unknown>, o: LooseOptions): Record<string, unknown> {
  return { ...json, ...(o.description === undefined ? {} : { description: o.description }), ...(o.example === undefined ? {} : { example: o.example }) };
}

/**
 * A required integer in [min, max] (a number or a decimal string).
 * @example looseInt('model_id', 1).parse('3') // → 3
 */
export function looseInt(name: string, min: number, max = Number.MAX_SAFE_INTEGER, o: LooseOptions = {}) {
  return z
    .custom<number | string>()
    .transform((v, ctx) => {
      const n = integerOf(v);
      // As the hand-written checks wrote it: a missing value is `got undefined` here.
      if (n === null || n < min || n > max)
        return fail(ctx, o.error ?? 'INVALID_PARAMETER', `${name}: got ${JSON.stringify(v)}; allowed: ${rangeText(min, max)}`);
      return n;
    })
    .meta(meta(INT_JSON, o));
}

/** An optional integer: absent ('' included) gives `fallback`. */
export function looseIntOr<F extends number | undefined>(name: string, fallback: F, min: number, max = Number.MAX_SAFE_INTEGER, o: LooseOptions = {}) {
  return z
    .custom<number | string | undefined>()
    .optional()
    .transform((v, ctx): number | F => {
      if (isAbsent(v)) return fallback;
      const n = integerOf(v);
      if (n === null || n < min || n > max)
        return fail(ctx, o.error ?? 'INVALID_PARAMETER', `${name}: got ${JSON.stringify(v)}; allowed: ${rangeText(min, max)}`);
      return n;
    })
    .meta(meta(INT_JSON, o));
}

/** A required non-empty string. */
export function requiredString(name: string, o: LooseOptions = {}) {
  return z
    .custom<string>()
    .transform((v, ctx) => {
      if (typeof v !== 'string' || v === '') return fail(ctx, o.error ?? 'INVALID_PARAMETER', `${name}: got ${got(v)}; allowed: a non-empty string`);
      return v;
    })
    .meta(meta({ type: 'string', minLength: 1 }, o));
}

/** An optional non-empty string ('' and null are absent). */
export function optionalString(name: string, o: LooseOptions = {}) {
  return z
    .custom<string | undefined>()
    .optional()
    .transform((v, ctx): string | undefined => {
      if (isAbsent(v)) return undefined;
      if (typeof v !== 'string') return fail(ctx, o.error ?? 'INVALID_PARAMETER', `${name}: got ${got(v)}; allowed: a non-empty string`);
      return v;
    })
    .meta(meta({ type: 'string' }, o));
}

/** An optional boolean, also as "true"/"false"; absent (and null) gives `fallback`. */
export function looseBool<F extends boolean | undefined>(name: string, fallback: F, o: LooseOptions = {}) {
  return z
    .custom<boolean | 'true' | 'false' | undefined>()
    .optional()
    .transform((v, ctx): boolean | F => {
      if (v === undefined || v === null) return fallback;
      const b = booleanOf(v);
      if (b === null) return fail(ctx, o.error ?? 'INVALID_BODY', `${name}: got ${got(v)}; allowed: true or false`);
      return b;
    })
    .meta(meta(BOOL_JSON, o));
}

/** An optional one of `values` (absent and '' give `fallback`). */
export function looseEnum<const T extends readonly [string, ...string[]], F extends T[number] | undefined>(
  name: string,
  values: T,
  fallback: F,
  o: LooseOptions = {},
) {
  return z
    .custom<T[number] | undefined>()
    .optional()
    .transform((v, ctx): T[number] | F => {
      if (isAbsent(v)) return fallback;
      if (typeof v !== 'string' || !(values as readonly string[]).includes(v))
        return fail(ctx, o.error ?? 'INVALID_PARAMETER', `${name}: got ${got(v)}; allowed: ${values.join(', ')}`);
      return v as T[number];
    })
    .meta(meta({ type: 'string', enum: [...values] }, o));
}

/**
 * A JSON object body: `z.object(shape)` whose own failure (not an object, absent) says
 * `message` (INVALID_BODY, the renderer's default for bodies).
 */
export function bodyObject<S extends z.core.$ZodLooseShape>(shape: S, message: string) {
  return z.object(shape, { error: (iss) => (iss.code === 'invalid_type' ? message : undefined) });
}

/** The issue params of a schema failure, for the API's error renderer. */
export function issueError(issue: { params?: unknown } | undefined): SchemaErrorKind | undefined {
  const p = issue?.params as Partial<SchemaIssueParams> | undefined;
  return p?.error;
}
