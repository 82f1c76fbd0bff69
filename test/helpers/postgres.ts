/**
 * PostgreSQL for tests: finds out once whether the server is reachable, and hands out private
 * schemas that are dropped afterwards, so test files (and tests) never share state.
 *
 * TEST_DATABASE_URL overrides the default (the CI machine's local server, trust auth). When the
 * server is not reachable the suites are skipped with the reason printed — never passed silently.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** null when reachable, else why not. */
export async function postgresUnavailable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (err) {
    return `PostgreSQL at ${TEST_DATABASE_URL.replace(/:[^:@/]*@/, ':***@')} is not reachable (${(err as Error).message}); set TEST_DATABASE_URL or start it (.ci/run does)`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh schema name for one test; `dropSchemas` removes every schema handed out. */
export class TestSchemas {
  readonly #names: string[] = [];
  readonly #closers: (() => Promise<void>)[] = [];

  next(): string {
    const name = `yosoku_test_${randomBytes(6).toString('hex')}`;
    this.#names.push(name);
    return name;
  }

  /** Something to close before the schemas are dropped (a pool, a storage). */
  track(close: () => Promise<void>): void {
    this.#closers.push(close);
  }

  async dropAll(): Promise<void> {
    await Promise.all(this.#closers.splice(0).map((c) => c().catch(() => undefined)));
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      for (const name of this.#names.splice(0)) await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
    } finally {
      await client.end();
    }
  }
}
