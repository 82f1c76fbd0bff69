/**
 * Reads the `.sql` files next to this module once and caches them. Query files hold one statement
 * each, start with a header saying what they return and what `$1..$n` are, and never name a schema
 * (the connection's search_path does).
 */
import { readdirSync, readFileSync } from 'node:fs';

const cache = new Map<string, string>();

/** The text of `queries/<name>.sql`. */
export function query(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`./queries/${name}.sql`, import.meta.url), 'utf8');
    cache.set(name, text);
  }
  return text;
}

export interface Migration {
  /** From the file name: `0001_initial.sql` → 1. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Every `migrations/NNNN_name.sql`, in version order. Append only: never edit a shipped file. */
export function migrations(): Migration[] {
  const dir = new URL('./migrations/', import.meta.url);
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 4)), name: f, sql: readFileSync(new URL(f, dir), 'utf8') }));
}
