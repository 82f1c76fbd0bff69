/**
 * The dependency rules of src/ (style-anchors §5, issue 13), as functions of a source tree: a map
 * from paths under src/ ('deploy/batch.ts') to file text. test/architecture.test.ts runs every
 * rule on the real tree (no offender allowed) and on small made-up trees with one bad import each
 * (the rule must name it), so that a rule cannot silently stop checking.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/** Source files by their path under src/, test files left out. */
export type SourceTree = ReadonlyMap<string, string>;

export function readSourceTree(srcDir: string): SourceTree {
  const files = readdirSync(srcDir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => relative(srcDir, join(e.parentPath, e.name)))
    .sort();
  return new Map(files.map((f) => [f, readFileSync(join(srcDir, f), 'utf8')]));
}

function filesUnder(tree: SourceTree, dir: string): string[] {
  return [...tree.keys()].filter((f) => dir === '.' || f.startsWith(`${dir}/`));
}

function textOf(tree: SourceTree, file: string): string {
  const text = tree.get(file);
  if (text === undefined) throw new Error(`${file} is not in the source tree`);
  return text;
}

/** Every module specifier of a file: relative ones and packages, static and dynamic, type-only included. */
export function specifiersOf(text: string): string[] {
  return [...text.matchAll(/(?:\bfrom|\bimport\(?)\s*'([^']+)'/g)].flatMap((m) => (m[1] === undefined ? [] : [m[1]]));
}

/** Relative imports of a file, as paths under src/ with the source extension ('storage/ports.ts'). */
export function importsOf(tree: SourceTree, file: string): string[] {
  return specifiersOf(textOf(tree, file))
    .filter((s) => s.startsWith('./') || s.startsWith('../'))
    .map((s) => normalize(join(dirname(file), s)).replace(/\.js$/, '.ts'));
}

/** `file → import` for every relative import of a file under `dir` that matches `forbidden`. */
export function violations(tree: SourceTree, dir: string, forbidden: RegExp): string[] {
  return filesUnder(tree, dir).flatMap((f) =>
    importsOf(tree, f)
      .filter((i) => forbidden.test(i))
      .map((i) => `${f} → ${i}`),
  );
}

/** `file → package` for every non-relative specifier (node: modules and packages) of a file under `dir` not in `allowed`. */
export function packageViolations(tree: SourceTree, dir: string, allowed: readonly string[]): string[] {
  return filesUnder(tree, dir).flatMap((f) =>
    specifiersOf(textOf(tree, f))
      .filter((s) => !s.startsWith('.') && !allowed.includes(s))
      .map((s) => `${f} → ${s}`),
  );
}

/** A file's code without comments and string contents, so that words in prose do not count. */
export function codeOf(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .replace(/`(?:\\.|[^`\\])*`|'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"/g, '""');
}

/** Import cycles among the files (strongly connected components of more than one file, Tarjan), each sorted and joined by ','. */
export function importCycles(tree: SourceTree): string[] {
  const graph = new Map([...tree.keys()].map((f) => [f, importsOf(tree, f).filter((i) => tree.has(i))]));
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[] = [];
  const lowOf = (v: string): number => low.get(v) ?? Infinity;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      const seen = index.get(w);
      if (seen === undefined) {
        visit(w);
        low.set(v, Math.min(lowOf(v), lowOf(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(lowOf(v), seen));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
      onStack.delete(w);
      component.push(w);
      if (w === v) break;
    }
    if (component.length > 1) cycles.push(component.sort().join(','));
  };
  for (const f of tree.keys()) if (!index.has(f)) visit(f);
  return cycles.sort();
}

const CONCRETE = /^(storage\/(sqlite|postgres|kysely|blob-fs|blob-s3|scale-out)|compute\/(worker-pool|thread-pool))/;
const CLOCK_OR_RANDOMNESS = /\b(?:Date|performance|setTimeout|setInterval|setImmediate|queueMicrotask|process)\b|Math\.random|crypto\./;

/** Packages deploy/ may use: it is pure inference and lifecycle logic (no file, stream, zip or thread I/O). */
export const DEPLOY_PACKAGES = ['node:crypto', 'lru-cache', 'ipaddr.js'] as const;

/** Each rule returns its offenders in `tree`; none is the only passing answer. */
export const RULES = {
  'only main.ts names concrete storage and compute implementations': (tree: SourceTree) =>
    ['api', 'services', 'jobs', 'domain'].flatMap((d) => violations(tree, d, CONCRETE)),
  'api reaches storage, the engine, compute and jobs only through services': (tree: SourceTree) => violations(tree, 'api', /^(storage|engine|compute|jobs)\//),
  'services, jobs and domain never import the HTTP layer': (tree: SourceTree) => ['services', 'jobs', 'domain'].flatMap((d) => violations(tree, d, /^api\//)),
  'services see storage and compute through their ports only': (tree: SourceTree) =>
    violations(tree, 'services', /^storage\/(?!ports\.ts$)|^compute\/(?![a-z-]+-runner\.ts$)|^jobs\//),
  'domain/ depends on nothing but itself and the table model': (tree: SourceTree) => [
    ...violations(tree, 'domain', /^(?!domain\/|table\/)/),
    ...packageViolations(tree, 'domain', ['node:crypto']),
  ],
  'table/ depends on nothing': (tree: SourceTree) => [...violations(tree, 'table', /^(?!table\/)/), ...packageViolations(tree, 'table', [])],
  'the typed client and the API schemas depend on no server code (the web UI imports the schemas)': (tree: SourceTree) => [
    ...violations(tree, 'client', /^(?!api\/schemas\/|client\/)/),
    ...violations(tree, 'api/schemas', /^(?!api\/schemas\/|domain\/train-config\.ts$)/),
  ],
  'deploy/ does no I/O: no node: module but crypto, no zip or database package': (tree: SourceTree) => packageViolations(tree, 'deploy', DEPLOY_PACKAGES),
  'the engine imports no node: module and no package': (tree: SourceTree) => packageViolations(tree, 'engine', []),
  'the engine reads no clock, no timer and no global randomness (a seeded Rng is passed in)': (tree: SourceTree) =>
    filesUnder(tree, 'engine').flatMap((f) => {
      const m = CLOCK_OR_RANDOMNESS.exec(codeOf(textOf(tree, f)));
      return m === null ? [] : [`${f}: ${m[0]}`];
    }),
  'the engine is reached from outside through engine/index.ts only': (tree: SourceTree) =>
    [...tree.keys()]
      .filter((f) => !f.startsWith('engine/'))
      .flatMap((f) =>
        importsOf(tree, f)
          .filter((i) => i.startsWith('engine/') && i !== 'engine/index.ts')
          .map((i) => `${f} → ${i}`),
      ),
  'the engine stays inside engine/': (tree: SourceTree) => violations(tree, 'engine', /^(?!engine\/)/),
} satisfies Record<string, (tree: SourceTree) => string[]>;

export type RuleName = keyof typeof RULES;
