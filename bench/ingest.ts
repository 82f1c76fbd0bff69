/**
 * Ingest benchmark: CSV → profile and CSV → typed table, against DuckDB's raw `read_csv` of the same
 * file (the budget: ingest at ≥ 50 % of DuckDB's speed, DESIGN.md §4).
 *
 *   node --import tsx bench/ingest.ts [nRows=1000000] [nColumns=20]
 *
 * The synthetic file mixes integers, floats, low-cardinality strings, an ID column and a date column.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { profileFile, readTypedTable } from '../src/ingest/index.js';
import type { ColumnType } from '../src/table/table.js';

const nRows = Number(process.argv[2] ?? 1_000_000);
const nColumns = Math.max(5, Number(process.argv[3] ?? 20));

/** Deterministic LCG so the file is the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function columnKind(j: number): ColumnType {
  if (j === 0) return 'integer'; // id
  if (j === 1) return 'date';
  return (['integer', 'float', 'string'] as const)[j % 3]!;
}

async function writeSynthetic(path: string): Promise<void> {
  const rand = lcg(42);
  const out = createWriteStream(path);
  const header = Array.from({ length: nColumns }, (_, j) => (j === 0 ? 'id' : j === 1 ? 'day' : `c${j}_${columnKind(j)}`));
  out.write(header.join(',') + '\n');
  const levels = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
  let batch = '';
  for (let i = 0; i < nRows; i++) {
    const cells: string[] = [];
    for (let j = 0; j < nColumns; j++) {
      const kind = columnKind(j);
      if (j === 0) cells.push(String(i + 1));
      else if (kind === 'date') cells.push(new Date(Date.UTC(2015, 0, 1) + Math.floor(rand() * 3000) * 86_400_000).toISOString().slice(0, 10));
      else if (rand() < 0.02) cells.push('');
      else if (kind === 'integer') cells.push(String(Math.floor(rand() * 1000)));
      else if (kind === 'float') cells.push((rand() * 100).toFixed(3));
      else cells.push(levels[Math.floor(rand() * levels.length)]!);
    }
    batch += cells.join(',') + '\n';
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      batch = '';
    }
  }
  out.end(batch);
  await new Promise<void>((resolve) => out.on('finish', () => resolve()));
}

async function timeIt<T>(label: string, fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const t0 = performance.now();
  const result = await fn();
  const ms = performance.now() - t0;
  console.log(`${label.padEnd(34)} ${ms.toFixed(0).padStart(7)} ms`);
  return { ms, result };
}

const dir = await mkdtemp(join(tmpdir(), 'yosoku-bench-ingest-'));
try {
  const path = join(dir, 'synthetic.csv');
  await writeSynthetic(path);
  const sizeMb = (await stat(path)).size / 1e6;
  console.log(`file: ${nRows} rows × ${nColumns} columns, ${sizeMb.toFixed(0)} MB`);

  const duck = await timeIt('duckdb read_csv → table', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const con = await instance.connect();
    await con.run(`CREATE TABLE t AS SELECT * FROM read_csv('${path}')`);
    con.closeSync();
    instance.closeSync();
  });
  const profile = await timeIt('profileFile', () => profileFile(path, { delimiter: ',', encoding: 'utf-8', target: 'c4_float' }));
  const types = Object.fromEntries(profile.result.columns.map((c) => [c.name, c.detectedType]));
  const table = await timeIt('readTypedTable', () => readTypedTable(path, { delimiter: ',', types }));
  if (table.result.nRows !== nRows) throw new Error(`read ${table.result.nRows} rows, expected ${nRows}`);

  const ratio = (ms: number): string => `${((duck.ms / ms) * 100).toFixed(0)} % of DuckDB's speed`;
  console.log(`profileFile: ${ratio(profile.ms)}; readTypedTable: ${ratio(table.ms)}; profile + table: ${ratio(profile.ms + table.ms)}`);
  console.log(
    `throughput: duckdb ${(sizeMb / (duck.ms / 1000)).toFixed(0)} MB/s, profile ${(sizeMb / (profile.ms / 1000)).toFixed(0)} MB/s, table ${(sizeMb / (table.ms / 1000)).toFixed(0)} MB/s`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
