/**
 * What every client command shares: the server (--server, YOSOKU_URL, default
 * http://127.0.0.1:8080), the secret key (--secret-key, YOSOKU_SECRET_KEY, or
 * DATA_DIR/secret-key.txt), --json output, and errors printed as the API's code and message.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { YosokuApiError, YosokuClient } from '../client/index.js';

export const DEFAULT_SERVER = 'http://127.0.0.1:8080';

export interface GlobalOptions {
  readonly server?: string;
  readonly secretKey?: string;
  readonly json?: boolean;
}

/** A failure the CLI reports on stderr before exiting non-zero. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function secretKeyOf(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env): string {
  if (opts.secretKey !== undefined && opts.secretKey !== '') return opts.secretKey;
  if (env.YOSOKU_SECRET_KEY !== undefined && env.YOSOKU_SECRET_KEY !== '') return env.YOSOKU_SECRET_KEY;
  const path = join(resolve(env.DATA_DIR || './data'), 'secret-key.txt');
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    throw new CliError(`no secret key: pass --secret-key, set YOSOKU_SECRET_KEY, or run where ${path} exists (npm start writes it)`);
  }
}

export function serverOf(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env): string {
  return opts.server || env.YOSOKU_URL || DEFAULT_SERVER;
}

export function clientOf(opts: GlobalOptions): YosokuClient {
  return new YosokuClient({ baseUrl: serverOf(opts), secretKey: secretKeyOf(opts) });
}

/** Prints `value` as one JSON document (--json) or `human()` lines. */
export function print(opts: GlobalOptions, value: unknown, human: () => string): void {
  process.stdout.write(opts.json === true ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

/** stderr text for a failure: the API's code and message, or the CLI's own. */
export function describeFailure(err: unknown): string {
  if (err instanceof YosokuApiError) {
    const id = err.requestId === undefined ? '' : ` (request_id ${err.requestId})`;
    return `error: ${err.describe()}${id}`;
  }
  if (err instanceof CliError) return `error: ${err.message}`;
  return `error: ${err instanceof Error ? err.message : String(err)}`;
}

/** Columns padded to their widest cell. */
export function table(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length))).join('  ')).join('\n');
}
