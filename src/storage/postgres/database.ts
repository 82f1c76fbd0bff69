/**
 * Opens the PostgreSQL metadata store: one pg pool whose connections all use one schema (through
 * search_path, so the SQL never names it), and the schema migrations (kysely/migrations.ts),
 * applied at open.
 *
 * Several machines start at once in a scale-out deployment, so migrating is serialised with a
 * transaction-scoped advisory lock: the first opener creates the schema and applies what is
 * missing; the others wait for it, then find nothing to do.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { compileMigration, SCHEMA_MIGRATIONS } from '../kysely/migrations.js';
import type { Schema } from '../kysely/schema.js';

/** Lower-case identifiers only: the schema name ends up in `search_path` and in DDL. */
const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;
/** First half of the advisory lock key ("yosk"); the second half is a hash of the schema name. */
const MIGRATION_LOCK_NAMESPACE = 0x796f736b;
/**
 * Connections per process. A worker machine needs about two per training slot at peak (heartbeat
 * and progress writes overlap); the HTTP server's queries are short. Ten stays far below
 * PostgreSQL's default max_connections (100) with a handful of machines.
 */
const DEFAULT_POOL_SIZE = 10;

export interface PostgresOptions {
  /** postgres://user:pass@host:5432/db */
  readonly connectionString: string;
  /** The schema holding Yosoku's tables (created if missing). */
  readonly schema: string;
  readonly poolSize?: number;
}

export interface PostgresDb {
  readonly db: Kysely<Schema>;
  /** The raw pool, for the queue's hand-written statements (queries/*.sql). */
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_PATTERN.test(schema)) {
    throw new Error(`invalid PostgreSQL schema name ${JSON.stringify(schema)}: use lower-case letters, digits and _ (at most 63)`);
  }
  return schema;
}

export async function openPostgres(opts: PostgresOptions): Promise<PostgresDb> {
  const schema = checkSchemaName(opts.schema);
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.poolSize ?? DEFAULT_POOL_SIZE,
    // Every connection, including ones opened later by the pool, works in our schema only.
    options: `-c search_path=${schema}`,
  });
  // An idle connection that the server drops must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    await migrate(pool, schema);
  } catch (err) {
    await pool.end();
    throw err;
  }
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    // Kysely's destroy ends the pool it was given.
    close: () => db.destroy(),
  };
}

async function migrate(pool: pg.Pool, schema: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [MIGRATION_LOCK_NAMESPACE, schema]);
    // Look first: CREATE SCHEMA (even IF NOT EXISTS) needs CREATE on the database, which a
    // deployment may grant only for the first start.
    const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    const done = new Set((await client.query<{ version: number }>(`SELECT version FROM ${schema}.schema_migrations`)).rows.map((r) => r.version));
    for (const m of SCHEMA_MIGRATIONS) {
      if (done.has(m.version)) continue;
      for (const statement of compileMigration(m, 'postgres')) await client.query(statement);
      await client.query(`INSERT INTO ${schema}.schema_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
