/**
 * Every environment variable the server and the CLI read is documented for operators, and every
 * documented variable is read: the names in src/ (config.ts, main.ts, the CLI) against the
 * variable tables of README.md ("Configuration", "Command line"), docs/scale-out.md
 * ("Environment") and docs/operations.md ("Environment variables").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/server-process.js';

/** Read by libraries, not by our code (the AWS SDK's credential chain and its notice). */
const READ_BY_LIBRARIES = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE', 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Names read as `env.NAME`, `env['NAME']`, `process.env.NAME` or through config.ts's `int(env, 'NAME', …)` / `bool(env, 'NAME')`. */
function variablesRead(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]+)|\[['"]([A-Z][A-Z0-9_]+)['"]\])/g)) names.add((m[1] ?? m[2])!);
  for (const m of source.matchAll(/\b(?:int|bool)\(env, '([A-Z][A-Z0-9_]+)'/g)) names.add(m[1]!);
  return [...names];
}

/** The lines of a Markdown section (from its heading to the next heading of the same or a higher level). */
function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  if (start < 0) throw new Error(`no section ${heading}`);
  const level = heading.indexOf(' ');
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && l.indexOf(' ') <= level);
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** Backticked upper-case names in the first cell of a section's table rows. */
function tableVariables(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l))
    .flatMap((l) => [...(l.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]{2,})(?:=[^`]*)?`/g)].map((m) => m[1]!));
}

const read = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');
const DOCUMENTED_IN = [
  ['README.md', '## Configuration'],
  ['README.md', '## Command line'],
  ['docs/scale-out.md', '## Environment'],
  ['docs/operations.md', '## Environment variables'],
] as const;

const documented = new Map<string, string[]>();
for (const [file, heading] of DOCUMENTED_IN) {
  for (const name of tableVariables(section(read(file), heading))) documented.set(name, [...(documented.get(name) ?? []), `${file} ${heading}`]);
}
const readBy = new Map<string, string>();
for (const path of sourceFiles(join(REPO_ROOT, 'src'))) {
  for (const name of variablesRead(readFileSync(path, 'utf8'))) if (!readBy.has(name)) readBy.set(name, relative(REPO_ROOT, path));
}

describe('environment variables', () => {
  it('finds the variables config.ts reads (the scan itself works)', () => {
    expect(variablesRead("int(env, 'PORT', 8080, 0); env.HOST || x; env['DATA_DIR']; bool(env, 'S3_FORCE_PATH_STYLE')").sort()).toEqual([
      'DATA_DIR',
      'HOST',
      'PORT',
      'S3_FORCE_PATH_STYLE',
    ]);
    expect(readBy.get('PORT')).toBe('src/config.ts');
    expect(readBy.get('YOSOKU_URL')).toBe('src/cli/context.ts');
    expect(readBy.size).toBeGreaterThan(45);
  });

  it('every variable read in src/ is in a variable table of the docs', () => {
    const missing = [...readBy].filter(([name]) => !documented.has(name)).map(([name, file]) => `${name} (read in ${file})`);
    expect(missing).toEqual([]);
  });

  it('every documented variable is read by our code or a library we name', () => {
    const stale = [...documented].filter(([name]) => !readBy.has(name) && !READ_BY_LIBRARIES.has(name)).map(([name, where]) => `${name} (${where.join(', ')})`);
    expect(stale).toEqual([]);
  });
});
