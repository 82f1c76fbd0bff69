/**
 * The dependency rules of the code (style-anchors §5, docs/architecture.md), checked on the import
 * lines by test/helpers/import-rules.ts: every rule holds on src/, and every rule names the bad
 * import of a small made-up tree (so that a rule that stopped checking fails here too).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, readSourceTree, RULES, type RuleName, type SourceTree } from './helpers/import-rules.js';
import { REPO_ROOT } from './helpers/server-process.js';

const tree = readSourceTree(join(REPO_ROOT, 'src'));

/** A made-up tree of one-line files. */
const fake = (files: Record<string, string>): SourceTree => new Map(Object.entries(files));

/** For each rule: a tree that breaks it, and the offender the rule must name. */
const BROKEN: Record<RuleName, { readonly tree: SourceTree; readonly offender: string }> = {
  'only main.ts names concrete storage and compute implementations': {
    tree: fake({ 'services/x.ts': "import { openSqlite } from '../storage/sqlite/index.js';", 'main.ts': "import '../storage/sqlite/index.js';" }),
    offender: 'services/x.ts → storage/sqlite/index.ts',
  },
  'api reaches storage, the engine, compute and jobs only through services': {
    tree: fake({ 'api/routes/x.ts': "import type { Repos } from '../../storage/ports.js';" }),
    offender: 'api/routes/x.ts → storage/ports.ts',
  },
  'services, jobs and domain never import the HTTP layer': {
    tree: fake({ 'jobs/x.ts': "import { errorBody } from '../api/errors.js';" }),
    offender: 'jobs/x.ts → api/errors.ts',
  },
  'services see storage and compute through their ports only': {
    tree: fake({ 'services/x.ts': "import { ThreadPool } from '../compute/thread-pool.js';\nimport type { TrainingRunner } from '../compute/training-runner.js';" }),
    offender: 'services/x.ts → compute/thread-pool.ts',
  },
  'domain/ depends on nothing but itself and the table model': {
    tree: fake({ 'domain/x.ts': "import type { AutoModel } from '../automl/types.js';\nimport type { TypedTable } from '../table/table.js';" }),
    offender: 'domain/x.ts → automl/types.ts',
  },
  'table/ depends on nothing': {
    tree: fake({ 'table/x.ts': "import { readFile } from 'node:fs/promises';" }),
    offender: 'table/x.ts → node:fs/promises',
  },
  'the typed client and the API schemas depend on no server code (the web UI imports the schemas)': {
    tree: fake({ 'api/schemas/x.ts': "import { CATALOGUE } from '../../domain/errors.js';" }),
    offender: 'api/schemas/x.ts → domain/errors.ts',
  },
  'deploy/ does no I/O: no node: module but crypto, no zip or database package': {
    tree: fake({ 'deploy/x.ts': "import { randomUUID } from 'node:crypto';\nimport yauzl from 'yauzl';" }),
    offender: 'deploy/x.ts → yauzl',
  },
  'the engine imports no node: module and no package': {
    tree: fake({ 'engine/x.ts': "const { Worker } = await import('node:worker_threads');" }),
    offender: 'engine/x.ts → node:worker_threads',
  },
  'the engine reads no clock, no timer and no global randomness (a seeded Rng is passed in)': {
    tree: fake({ 'engine/x.ts': "// Math.random is banned here\nexport const seed = (): number => Math.random();" }),
    offender: 'engine/x.ts: Math.random',
  },
  'the engine is reached from outside through engine/index.ts only': {
    tree: fake({ 'automl/x.ts': "import { trainGbdt } from '../engine/index.js';\nimport { shap } from '../engine/explain/tree-shap.js';" }),
    offender: 'automl/x.ts → engine/explain/tree-shap.ts',
  },
  'the engine stays inside engine/': {
    tree: fake({ 'engine/tree/x.ts': "import type { TypedTable } from '../../table/table.js';" }),
    offender: 'engine/tree/x.ts → table/table.ts',
  },
};

describe('dependency rules', () => {
  for (const [name, rule] of Object.entries(RULES) as [RuleName, (t: SourceTree) => string[]][]) {
    it(name, () => {
      expect(rule(tree)).toEqual([]);
      expect(rule(BROKEN[name].tree)).toEqual([BROKEN[name].offender]);
    });
  }
});

describe('import cycles', () => {
  it('has none but the known ones, type-only imports included', () => {
    expect(importCycles(tree)).toEqual([]);
  });

  it('finds a cycle through a type-only import, and only the files on it', () => {
    const cyclic = fake({
      'compute/pool.ts': "import type { Task } from './worker.js';",
      'compute/worker.ts': "import { Pool } from './pool.js';\nimport { log } from '../log.js';",
      'log.ts': '',
    });
    expect(importCycles(cyclic)).toEqual(['compute/pool.ts,compute/worker.ts']);
    expect(importCycles(fake({ 'a.ts': "import './b.js';", 'b.ts': "import './c.js';", 'c.ts': '' }))).toEqual([]);
  });
});
