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

  it('the domain depends on nothing but itself and the table model; table/ on nothing', () => {
    expect(violations('domain', /^(?!domain\/|table\/)/)).toEqual([]);
    expect(violations('table', /^(?!table\/)/)).toEqual([]);
  });

  it('the typed client and the API schemas depend on no server code (the web UI imports the schemas)', () => {
    expect(violations('client', /^(?!api\/schemas\/|client\/)/)).toEqual([]);
    expect(violations('api/schemas', /^(?!api\/schemas\/|domain\/train-config\.js)/)).toEqual([]);
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

/** A file's code without comments and string contents, so that words in prose do not count. */
function codeOf(file: string): string {
  return readFileSync(join(SRC, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .replace(/`(?:\\.|[^`\\])*`|'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"/g, '""');
}

/** Every module specifier of a file (relative and packages). */
function specifiersOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  return [...text.matchAll(/(?:from|\bimport\(?)\s*'([^']+)'/g)].map((m) => m[1]!);
}

/** Import cycles among the source files (strongly connected components of more than one file). */
function importCycles(): string[][] {
  const files = filesUnder('.').map((f) => f.replace(/^\.\//, ''));
  const known = new Set(files);
  const graph = new Map(files.map((f) => [f, importsOf(f).map((i) => i.replace(/\.js$/, '.ts')).filter((i) => known.has(i))]));
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return cycles;
}

describe('the engine is pure computation', () => {
  it('imports no node: module and no package', () => {
    const offenders = filesUnder('engine').flatMap((f) => specifiersOf(f).filter((s) => !s.startsWith('.')).map((s) => `${f} → ${s}`));
    expect(offenders).toEqual([]);
  });

  it('reads no clock, no timer and no global randomness (a seeded Rng is passed in)', () => {
    const banned = /\b(?:Date|performance|setTimeout|setInterval|setImmediate|queueMicrotask|process)\b|Math\.random|crypto\./;
    const offenders = filesUnder('engine').flatMap((f) => {
      const m = banned.exec(codeOf(f));
      return m === null ? [] : [`${f}: ${m[0]}`];
    });
    expect(offenders).toEqual([]);
  });

  it('is reached from outside through engine/index.ts only', () => {
    const outside = filesUnder('.').filter((f) => !f.startsWith('engine/'));
    const offenders = outside.flatMap((f) => importsOf(f).filter((i) => i.startsWith('engine/') && i !== 'engine/index.js').map((i) => `${f} → ${i}`));
    expect(offenders).toEqual([]);
  });

  it('stays inside engine/', () => {
    expect(violations('engine', /^(?!engine\/)/)).toEqual([]);
  });
});

describe('layers', () => {
  it('has no import cycles', () => {
    // Known cycles, each closed by a type-only import, for their owners to end (issue 16: give
    // CandidateResult and Catalogue files of their own). A known cycle that is gone must leave
    // this list, so that it cannot come back unnoticed.
    const known = ['automl/ensemble.ts,automl/search.ts', 'automl/results/catalogue.ts,automl/results/en.ts,automl/results/ja.ts'];
    expect(importCycles().map((c) => c.join(',')).sort()).toEqual(known);
  });

  it('services see storage and compute through their ports only', () => {
    expect(violations('services', /^storage\/(?!ports\.js$)|^compute\/(?![a-z-]+-runner\.js$)|^jobs\//)).toEqual([]);
  });
});
