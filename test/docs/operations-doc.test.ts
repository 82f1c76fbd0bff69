/**
 * docs/operations.md tells the truth about the metrics: its table lists exactly the `yosoku_*`
 * metrics a server registers, and its alert expressions use only those.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/observability/metrics.js';
import { REPO_ROOT } from '../helpers/server-process.js';

const doc = readFileSync(join(REPO_ROOT, 'docs/operations.md'), 'utf8');

function section(heading: string): string {
  const start = doc.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const next = doc.indexOf('\n## ', start + heading.length + 1);
  return doc.slice(start, next < 0 ? undefined : next);
}

/** Every metric a server registers (main.ts gives createMetrics all its sources). */
async function registered(): Promise<string[]> {
  const metrics = createMetrics({
    activeJobs: async () => [{ kind: 'train', state: 'waiting', count: 1 }],
    modelCache: () => ({ bytes: 0, maxBytes: 1, entries: 0, hits: 0, misses: 0, evictions: 0, loadFailures: 0 }),
  });
  return (await metrics.registry.getMetricsAsJSON())
    .map((m) => m.name)
    .filter((n) => n.startsWith('yosoku_'))
    .sort();
}

describe('docs/operations.md', () => {
  it('lists exactly the yosoku_* metrics a server registers', async () => {
    const rows = section('## Metrics')
      .split('\n')
      .filter((l) => l.startsWith('| `'));
    const documented = rows.flatMap((l) => [...(l.split('|')[1] ?? '').matchAll(/`(yosoku_[a-z_]+)`/g)].map((m) => m[1]!)).sort();
    expect(documented).toEqual(await registered());
  });

  it('alerts only on metrics that exist (histograms by their _bucket, _count and _sum series)', async () => {
    const known = new Set(await registered());
    const used = [...section('## What to alert on').matchAll(/\b(yosoku_[a-z_]+)/g)].map((m) => m[1]!.replace(/_(bucket|count|sum)$/, ''));
    expect(used.length).toBeGreaterThan(5);
    expect(used.filter((n) => !known.has(n))).toEqual([]);
  });
});
