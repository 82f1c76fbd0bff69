/** docs/errors.md and the catalogue (src/domain/errors.ts) list the same errors, both ways. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, httpStatusOf } from '../../src/domain/errors.js';
import { REPO_ROOT } from '../helpers/server-process.js';

/** `| code | HTTP | error | \`message\` |`, the start of a table row of docs/errors.md. */
function rowOf(spec: { code: number; error: string; message: string }): string {
  return `| ${spec.code} | ${httpStatusOf(spec.code)} | ${spec.error} | \`${spec.message}\` |`;
}

describe('docs/errors.md', () => {
  it('has a row for every catalogue entry', async () => {
    const doc = await readFile(join(REPO_ROOT, 'docs/errors.md'), 'utf8');
    const missing = Object.entries(CATALOGUE).filter(([, spec]) => !doc.includes(rowOf(spec)));
    expect(missing.map(([kind, spec]) => `${kind}: ${rowOf(spec)}`)).toEqual([]);
  });

  it('has no row that the catalogue lacks', async () => {
    const doc = await readFile(join(REPO_ROOT, 'docs/errors.md'), 'utf8');
    const known = new Set(Object.values(CATALOGUE).map(rowOf));
    const rows = doc.split('\n').filter((line) => /^\| \d{10} \|/.test(line));
    expect(rows.length).toBeGreaterThan(0);
    const stale = rows.filter((line) => ![...known].some((row) => line.startsWith(row)));
    expect(stale).toEqual([]);
  });
});
