/** Small helpers for the SQL text that profiling sends to DuckDB (no user data is ever interpolated raw). */
import type { DuckDBConnection } from '@duckdb/node-api';

/** A SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A DOUBLE literal that survives NaN/±Infinity. */
export function sqlDouble(x: number): string {
  if (Number.isNaN(x)) return `'nan'::DOUBLE`;
  if (!Number.isFinite(x)) return x > 0 ? `'inf'::DOUBLE` : `'-inf'::DOUBLE`;
  return `${String(x)}::DOUBLE`;
}

/** Physical column name of column `i` in the profiling table (header names never reach SQL). */
export function col(i: number): string {
  return `c${i}`;
}

/** Run a query and return its rows as plain objects, BIGINTs converted to numbers. */
export async function queryRows(con: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await con.runAndReadAll(sql);
  return reader.getRowObjectsJS().map((row) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'bigint' ? Number(v) : v;
    return out;
  });
}
