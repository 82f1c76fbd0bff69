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

const CONCRETE = /^(storage\/(sqlite|postgres|kysely|blob-fs|blob-s3|scale-out)|compute\/(worker-pool|thread-pool))/;

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
    expect(violations('api/schemas', /^(?!api\/schemas\/)/)).toEqual([]);
  });

  it('has no import cycles outside automl/ and engine/, type-only imports included (e.g. a pool and its thread entry)', () => {
    // automl/ (ensemble ↔ search, the results catalogues) is its owners' to untangle.
    const files = filesUnder('.').filter((f) => !/^(automl|engine)\//.test(f));
    const edges = new Map(files.map((f) => [f, importsOf(f).map((i) => i.replace(/\.js$/, '.ts'))]));
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const cycles: string[] = [];
    const visit = (f: string): void => {
      state.set(f, 'open');
      stack.push(f);
      for (const g of edges.get(f) ?? []) {
        if (!edges.has(g)) continue;
        if (state.get(g) === 'open') cycles.push([...stack.slice(stack.indexOf(g)), g].join(' → '));
        else if (!state.has(g)) visit(g);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });
});
