/**
 * The dependency rules of the service half (style-anchors §5), checked on the import lines:
 * only main.ts names concrete implementations; services see ports; api sees services.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/server-process.js';

const SRC = join(REPO_ROOT, 'src');

function filesUnder(dir: string): string[] {
  return readdirSync(join(SRC, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => relative(SRC, join(e.parentPath, e.name)));
}

/** Relative imports of a source file, as paths under src/ (e.g. 'storage/sqlite/index.js'). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const specs = [...text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return specs.map((s) => relative(SRC, resolve(dirname(join(SRC, file)), s)));
}

function violations(dir: string, forbidden: RegExp): string[] {
  return filesUnder(dir).flatMap((f) => importsOf(f).filter((i) => forbidden.test(i)).map((i) => `${f} → ${i}`));
}

const CONCRETE = /^(storage\/(sqlite|postgres|kysely|blob-fs|blob-s3|scale-out)|compute\/worker-pool)/;

describe('dependency rules', () => {
  it('only main.ts names concrete storage and compute implementations', () => {
    const offenders = ['api', 'services', 'jobs', 'domain'].flatMap((d) => violations(d, CONCRETE));
    expect(offenders).toEqual([]);
  });

  it('api reaches storage and the engine only through services', () => {
    expect(violations('api', /^(storage|engine|compute|jobs)\//)).toEqual([]);
  });

  it('services, jobs and domain never import the HTTP layer', () => {
    expect(['services', 'jobs', 'domain'].flatMap((d) => violations(d, /^api\//))).toEqual([]);
  });

  it('the domain depends on nothing but itself (and type-only shapes)', () => {
    expect(violations('domain', /^(storage|services|jobs|compute|engine)\//)).toEqual([]);
  });

  it('the typed client and the API schemas depend on no server code (the web UI imports the schemas)', () => {
    expect(violations('client', /^(?!api\/schemas\/|client\/)/)).toEqual([]);
    expect(violations('api/schemas', /^(?!api\/schemas\/|domain\/train-config\.js)/)).toEqual([]);
  });
});
