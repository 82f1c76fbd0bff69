/**
 * docs/api.md gives every endpoint one curl and one Python example (issue 12): each numbered
 * endpoint section (`## N. Name — METHOD /path`) has an `### §N Name` example with exactly one
 * runnable shell block that calls curl on the endpoint's path and one Python block that calls it
 * with requests. test/docs/snippets.test.ts runs them.
 */
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/server-process.js';
import { readBlocks, runnableSnippets } from '../helpers/snippets.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const markdown = readFileSync(join(REPO_ROOT, 'docs/api.md'), 'utf8');
const lines = markdown.split('\n');
const snippets = runnableSnippets(readBlocks(REPO_ROOT, 'docs/api.md'));

/** `## 4. Train — `POST /v1/external/models`` → number, name, the last path segment that is not a parameter. */
const endpoints = lines.flatMap((l) => {
  const m = /^## (\d+)\. (.+?) — `?(?:GET|POST|PUT|PATCH|DELETE) ([^`\s?,]+)/.exec(l);
  return m === null ? [] : [{ n: Number(m[1]), name: m[2]!, path: m[3]! }];
});

/** The runnable blocks between `### §N` and the next heading. */
function examplesOf(n: number) {
  const start = lines.findIndex((l) => l.startsWith(`### §${n} `));
  if (start < 0) return null;
  const end = lines.findIndex((l, i) => i > start && /^##+ /.test(l));
  return snippets.filter((s) => s.line > start && (end < 0 || s.line <= end));
}

describe('docs/api.md examples', () => {
  it('finds the 18 endpoint sections', () => {
    expect(endpoints.map((e) => e.n)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
  });

  for (const e of endpoints) {
    it(`§${e.n} ${e.name} has one curl and one Python example that call ${e.path}`, () => {
      const blocks = examplesOf(e.n);
      expect(blocks, `no "### §${e.n}" example section`).not.toBeNull();
      const sh = blocks!.filter((b) => b.language === 'sh');
      const py = blocks!.filter((b) => b.language === 'python');
      expect([sh.length, py.length]).toEqual([1, 1]);
      // The path's fixed part (parameters like {id} are the ids the blocks saved).
      const fixed = e.path.split('/').filter((seg) => seg !== '' && !seg.startsWith('{') && seg !== 'v1');
      const last = fixed.at(-1)!;
      expect(sh[0]!.code).toContain('curl ');
      expect(sh[0]!.code).toContain(last);
      expect(py[0]!.code).toMatch(/requests\.(get|post|put|patch|delete)\(/);
      expect(py[0]!.code).toContain(last);
    });
  }
});
