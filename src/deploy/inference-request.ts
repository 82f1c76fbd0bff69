/**
 * Decoding and validation of the inference body (spec §2.14):
 * `{"inputs": [{"name": "pr", "type": "csv", "data": "<base64>"}, {"name": "ar", "type": "boolean", "data": true}, ...]}`.
 * Every failure is a 4001030104 `Invalid request` whose `detail` names the input and the problem.
 */
import { AppError } from '../domain/errors.js';
import { decodeBytes, type SourceEncoding } from '../ingest/index.js';

/**
 * The 4001030104 `Invalid request` error; the detail names the input and the problem.
 * @example invalidRequest('inputs[0].data: not valid base64').code // → 4001030104
 */
export function invalidRequest(detail: string): AppError {
  return new AppError('INFERENCE_INVALID_REQUEST', detail);
}

/** Output flags, with the CLI's defaults applied (spec §2.14, DOC-CLI). */
export interface InferenceFlags {
  /** `ar`: compute reasons and return prediction_analysis.csv. Default true. */
  readonly withReasons: boolean;
  /** `ad`: append the input columns. Default false. */
  readonly appendInput: boolean;
  /** `nc`: classification: omit the predicted class label. Default true. */
  readonly omitLabel: boolean;
  /** `nr`: omit the row number column. Default false. */
  readonly omitRowNumber: boolean;
  /** `pc`: input column put at the left edge instead of the row number; null when absent. */
  readonly keyColumn: string | null;
}

export interface InferenceRequest {
  /** The `pr` CSV as text, BOM removed. */
  readonly csvText: string;
  readonly encoding: SourceEncoding;
  /** Size of the decoded `pr` bytes. */
  readonly csvBytes: number;
  readonly flags: InferenceFlags;
}

export const DEFAULT_FLAGS: InferenceFlags = {
  withReasons: true,
  appendInput: false,
  omitLabel: true,
  omitRowNumber: false,
  keyColumn: null,
};

/** Decoded `pr` larger than this is refused; the HTTP body limit should sit just above 4/3 of it. */
export const DEFAULT_MAX_CSV_BYTES = 32 * 1024 * 1024;

type InputName = 'pr' | 'ar' | 'ad' | 'nc' | 'nr' | 'pc';
const INPUT_TYPES: Readonly<Record<InputName, 'csv' | 'boolean' | 'string'>> = {
  pr: 'csv',
  ar: 'boolean',
  ad: 'boolean',
  nc: 'boolean',
  nr: 'boolean',
  pc: 'string',
};
const FLAG_FIELDS = { ar: 'withReasons', ad: 'appendInput', nc: 'omitLabel', nr: 'omitRowNumber' } as const;

/** Standard base64 (RFC 4648 §4), padded or not. Whitespace is removed before this test. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Strict base64 decoding: line breaks and spaces (as `base64` without `-w0` writes them) are
 * ignored, anything else outside the alphabet, bad padding or an impossible length is refused.
 * Null when `text` is not base64.
 * @example decodeBase64Strict('YSxi\nCjEsMgo=')?.toString() // → 'a,b\n1,2\n'
 */
export function decodeBase64Strict(text: string): Buffer | null {
  const s = text.replace(/[\r\n\t ]+/g, '');
  if (!BASE64.test(s)) return null;
  const firstPad = s.indexOf('=');
  const body = firstPad < 0 ? s : s.slice(0, firstPad);
  if (firstPad >= 0 && s.length % 4 !== 0) return null;
  if (body.length % 4 === 1) return null;
  const bytes = Buffer.from(s, 'base64');
  // Node ignores non-zero trailing bits; a canonical re-encoding catches them (e.g. "YR==").
  if (bytes.toString('base64').replace(/=+$/, '') !== body) return null;
  return bytes;
}

const UTF8 = new TextDecoder('utf-8');

/**
 * The raw request body as JSON: undefined when blank (then `parseInferenceRequest` says what is
 * missing), `invalidRequest` when it is not JSON. Any content type is read as JSON: the manual's
 * own examples send `application/jsonn` (spec §1.6).
 */
export function parseJsonBody(bytes: Uint8Array): unknown {
  const text = UTF8.decode(bytes);
  // /\S/ stops at the first non-blank character; `trim()` would copy a multi-megabyte body.
  if (!/\S/.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw invalidRequest('the body is not valid JSON');
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json === undefined ? typeof value : json.length > 40 ? `${json.slice(0, 37)}...` : json;
}

/** A boolean input: JSON true/false, or the strings "true"/"false" (DESIGN row 10's leniency). */
function readBoolean(value: unknown, at: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw invalidRequest(`${at}.data: must be a boolean, got ${describe(value)}`);
}

/**
 * Parse an inference body (already JSON-decoded). Throws AppError 4001030104 with a
 * `detail` such as `inputs[2].type: "pr" must have type "csv", got "string"`.
 * @example
 * const req = parseInferenceRequest({ inputs: [{ name: 'pr', type: 'csv', data: 'YSxiCjEsMgo=' }] });
 * req.csvText // → 'a,b\n1,2\n'; req.flags.withReasons // → true
 */
export function parseInferenceRequest(body: unknown, opts: { maxCsvBytes?: number } = {}): InferenceRequest {
  const maxCsvBytes = opts.maxCsvBytes ?? DEFAULT_MAX_CSV_BYTES;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidRequest('the body must be a JSON object {"inputs": [...]}');
  const inputs = (body as Record<string, unknown>).inputs;
  if (!Array.isArray(inputs)) throw invalidRequest(`inputs: must be an array, got ${describe(inputs)}`);
  const seen = new Set<string>();
  const flags: { -readonly [K in keyof InferenceFlags]: InferenceFlags[K] } = { ...DEFAULT_FLAGS };
  let csv: Buffer | null = null;
  for (let i = 0; i < inputs.length; i++) {
    const at = `inputs[${i}]`;
    const item: unknown = inputs[i];
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw invalidRequest(`${at}: must be an object {name, type, data}`);
    const { name, type, data } = item as Record<string, unknown>;
    if (typeof name !== 'string' || !Object.hasOwn(INPUT_TYPES, name)) {
      throw invalidRequest(`${at}.name: must be one of pr, ar, ad, nc, nr, pc, got ${describe(name)}`);
    }
    const inputName = name as InputName;
    if (seen.has(inputName)) throw invalidRequest(`${at}.name: "${inputName}" is given more than once`);
    seen.add(inputName);
    const expectedType = INPUT_TYPES[inputName];
    if (type !== expectedType) throw invalidRequest(`${at}.type: "${inputName}" must have type "${expectedType}", got ${describe(type)}`);
    switch (inputName) {
      case 'pr': {
        if (typeof data !== 'string' || data.length === 0) throw invalidRequest(`${at}.data: must be a non-empty base64 string`);
        csv = decodeBase64Strict(data);
        if (csv === null) throw invalidRequest(`${at}.data: not valid base64`);
        if (csv.length === 0) throw invalidRequest(`${at}.data: the CSV is empty`);
        if (csv.length > maxCsvBytes) throw invalidRequest(`${at}.data: the CSV exceeds ${maxCsvBytes} bytes`);
        break;
      }
      case 'pc':
        if (typeof data !== 'string' || data.length === 0) throw invalidRequest(`${at}.data: must be a non-empty column name, got ${describe(data)}`);
        flags.keyColumn = data;
        break;
      default:
        flags[FLAG_FIELDS[inputName]] = readBoolean(data, at);
    }
  }
  if (csv === null) throw invalidRequest('inputs: "pr" (the CSV to predict) is required');
  const { text, encoding } = decodeBytes(csv);
  // Bytes that are neither UTF-8 nor CP932 decode to U+FFFD: say so rather than predict on mojibake.
  if (encoding === 'shift_jis' && text.includes('\uFFFD')) throw invalidRequest('inputs: "pr" is neither UTF-8 nor Shift_JIS text');
  return { csvText: text, encoding, csvBytes: csv.length, flags };
}
