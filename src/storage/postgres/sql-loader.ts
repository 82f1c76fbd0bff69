/**
 * Reads the `.sql` files next to this module once and caches them. Query files hold one statement
 * each, start with a header saying what they return and what `$1..$n` are, and never name a schema
 * (the connection's search_path does).
 */
import { readFileSync } from 'node:fs';

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
