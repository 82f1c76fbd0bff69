/**
 * The one schema source (src/storage/kysely/migrations.ts) against what was shipped before it
 * (the SQL migrations kept in fixtures/): a fresh database gets the same schema as one made by the
 * old migrations, an old database opens, keeps its rows and passes the storage contracts, and
 * the row types of kysely/schema.ts name exactly the columns the migrations create. Both stores.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/storage/postgres/database.js';
import { createPostgresStorage } from '../../src/storage/postgres/index.js';
import { openSqlite } from '../../src/storage/sqlite/database.js';
import { createSqliteStorage } from '../../src/storage/sqlite/index.js';
import { runDeployReposContract } from '../contract/deploy-repos.case.js';
import { runJobQueueContract } from '../contract/job-queue.case.js';
import { runReposContract } from '../contract/repos.case.js';
import { postgresUnavailable, TEST_DATABASE_URL, TestSchemas } from '../helpers/postgres.js';
import { REPO_ROOT } from '../helpers/server-process.js';

const FIXTURES = join(REPO_ROOT, 'test/storage/fixtures');
const T0 = '2026-01-01T00:00:00.000Z';

function manualClock() {
  let ms = Date.parse('2026-01-01T00:00:00Z');
  return { now: () => new Date(ms), advance: (d: number) => void (ms += d), nowMs: () => ms };
}

const fixture = (name: string) => readFile(join(FIXTURES, name), 'utf8');

/** The column names and nullability of every table declared in kysely/schema.ts (`name: type;` lines). */
async function declaredTables(): Promise<Record<string, Record<string, boolean>>> {
  const text = await readFile(join(REPO_ROOT, 'src/storage/kysely/schema.ts'), 'utf8');
  const interfaces = new Map<string, Record<string, boolean>>();
  for (const m of text.matchAll(/export interface (\w+Table) \{([^}]*)\}/g)) {
    const columns: Record<string, boolean> = {};
    for (const line of m[2]!.split('\n')) {
      const col = /^\s*(\w+): (.+);$/.exec(line);
      if (col !== null) columns[col[1]!] = /\bnull\b/.test(col[2]!);
    }
    interfaces.set(m[1]!, columns);
  }
  const schema = /export interface Schema \{([^}]*)\}/.exec(text)![1]!;
  const tables: Record<string, Record<string, boolean>> = {};
  for (const m of schema.matchAll(/(\w+): (\w+Table);/g)) tables[m[1]!] = interfaces.get(m[2]!)!;
  return tables;
}

/** Column → nullable, per table, from the database itself. */
type LiveTables = Record<string, Record<string, boolean>>;

// ---------------------------------------------------------------------------------------- SQLite

/** A DATA_DIR database as the code before kysely/migrations.ts left it: its SQL, user_version 2. */
async function oldSqlite(path: string): Promise<Database.Database> {
  const raw = new Database(path);
  raw.exec(await fixture('sqlite-0001.sql'));
  raw.exec(await fixture('sqlite-0002.sql'));
  raw.pragma('user_version = 2');
  return raw;
}

/** Everything SQLite knows about the schema, in a form that does not depend on how the DDL was spelled. */
function sqliteShape(raw: Database.Database) {
  const objects = raw.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as {
    type: string;
    name: string;
    tbl_name: string;
    sql: string | null;
  }[];
  const norm = (s: string) => s.toLowerCase().replace(/["\s]/g, '');
  return objects.map((o) => ({
    type: o.type,
    name: o.name,
    table: o.tbl_name,
    ...(o.type === 'table'
      ? {
          columns: raw.pragma(`table_xinfo(${o.name})`),
          foreignKeys: raw.pragma(`foreign_key_list(${o.name})`),
          checks: [...norm(o.sql ?? '').matchAll(/check\((.*?\))\)/g)].map((m) => m[1]).sort(),
        }
      : { index: raw.pragma(`index_xinfo(${o.name})`), unique: /unique/i.test(o.sql ?? '') }),
  }));
}

function sqliteTables(raw: Database.Database): LiveTables {
  const tables: LiveTables = {};
  for (const { name } of raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]) {
    const cols = raw.pragma(`table_info(${name})`) as { name: string; notnull: number; pk: number }[];
    tables[name] = Object.fromEntries(cols.map((c) => [c.name, c.notnull === 0 && c.pk === 0]));
  }
  return tables;
}

describe('SQLite schema', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
  async function tempPath(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'yosoku-schema-'));
    dirs.push(dir);
    return join(dir, 'yosoku.db');
  }

  it('is the same for a fresh database as for one made by the old migrations (and upgraded by the migrations after them)', async () => {
    const path = await tempPath();
    (await oldSqlite(path)).close();
    const old = openSqlite(path);
    const fresh = openSqlite(':memory:');
    expect(sqliteShape(fresh.raw)).toEqual(sqliteShape(old.raw));
    expect(fresh.raw.pragma('user_version', { simple: true })).toBe(3);
    await old.close();
    await fresh.close();
  });

  it('opens a database made by the old migrations and keeps its rows', async () => {
    const path = await tempPath();
    const old = await oldSqlite(path);
    old.prepare('INSERT INTO users (id, name, created_at) VALUES (?, ?, ?)').run('u1', 'alice', T0);
    old
      .prepare(
        'INSERT INTO models (user_id, process_id, name, task, version, config_json, blob_key, metrics_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run('u1', 'p1', 'm', 'regression', '1', '{}', 'k', '{}', T0, T0);
    old.close();
    const storage = createSqliteStorage(path, manualClock());
    expect(await storage.users.findByName('alice')).toMatchObject({ id: 'u1' });
    expect((await storage.models.get('u1', 1))?.processId).toBe('p1');
    const next = await storage.models.create({
      userId: 'u1',
      processId: 'p2',
      name: 'm2',
      task: 'regression',
      version: '1',
      config: {},
      blobKey: 'k2',
      metrics: {},
      createdAt: T0,
      updatedAt: T0,
    });
    expect(next.id).toBe(2);
    await storage.close();
  });

  it('declares in kysely/schema.ts exactly the columns it creates', async () => {
    const db = openSqlite(':memory:');
    expect(sqliteTables(db.raw)).toEqual(await declaredTables());
    await db.close();
  });

  describe('made by the old migrations, then opened by this code', () => {
    const upgraded = async () => {
      const path = await tempPath();
      (await oldSqlite(path)).close();
      return createSqliteStorage(path, manualClock());
    };
    runReposContract(upgraded);
    runDeployReposContract(upgraded);
    runJobQueueContract(async () => {
      const clock = manualClock();
      const path = await tempPath();
      (await oldSqlite(path)).close();
      return { queue: createSqliteStorage(path, clock).jobs, advance: clock.advance, nowMs: clock.nowMs };
    });
  });
});

// ------------------------------------------------------------------------------------ PostgreSQL

const unavailable = await postgresUnavailable();

if (unavailable !== null) {
  console.warn(`SKIPPED PostgreSQL schema tests: ${unavailable}`);
  describe.skip(`PostgreSQL schema (skipped: ${unavailable})`, () => {
    it('matches the old migrations', () => undefined);
  });
} else {
  const schemas = new TestSchemas();
  afterAll(() => schemas.dropAll());

  async function client(): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await c.connect();
    return c;
  }

  /** A schema as the code before kysely/migrations.ts left it: its SQL files and schema_migrations rows. */
  async function oldPostgres(schema: string): Promise<void> {
    const c = await client();
    try {
      await c.query(`CREATE SCHEMA ${schema}`);
      await c.query(`SET search_path = ${schema}`);
      await c.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
      for (const [version, name] of [
        [1, '0001_initial.sql'],
        [2, '0002_deployment.sql'],
      ] as const) {
        await c.query(await fixture(`postgres-${name}`));
        await c.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [version, name]);
      }
    } finally {
      await c.end();
    }
  }

  /** Columns, indexes and constraints as PostgreSQL itself prints them (the schema name taken out). */
  async function postgresShape(schema: string) {
    const c = await client();
    try {
      const columns = await c.query(
        `SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity, identity_generation, ordinal_position
         FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position`,
        [schema],
      );
      const indexes = await c.query('SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname', [schema]);
      const constraints = await c.query(
        `SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
         WHERE connamespace = $1::regnamespace ORDER BY conname`,
        [schema],
      );
      const strip = (rows: Record<string, unknown>[]) => JSON.parse(JSON.stringify(rows).replaceAll(`${schema}.`, '').replaceAll(schema, 'S'));
      return { columns: strip(columns.rows), indexes: strip(indexes.rows), constraints: strip(constraints.rows) };
    } finally {
      await c.end();
    }
  }

  describe('PostgreSQL schema', () => {
    it('is the same for a fresh schema as for one made by the old migrations (and upgraded by the migrations after them)', async () => {
      const old = schemas.next();
      await oldPostgres(old);
      await (await openPostgres({ connectionString: TEST_DATABASE_URL, schema: old, poolSize: 1 })).close();
      const fresh = schemas.next();
      const db = await openPostgres({ connectionString: TEST_DATABASE_URL, schema: fresh, poolSize: 1 });
      await db.close();
      expect(await postgresShape(fresh)).toEqual(await postgresShape(old));
    });

    it('opens a schema made by the old migrations, with nothing to redo, and keeps its rows', async () => {
      const schema = schemas.next();
      await oldPostgres(schema);
      const c = await client();
      await c.query(`INSERT INTO ${schema}.users (id, name, created_at) VALUES ('u1', 'alice', $1)`, [T0]);
      await c.end();
      const storage = await createPostgresStorage({ connectionString: TEST_DATABASE_URL, schema, poolSize: 2 }, manualClock());
      schemas.track(() => storage.close());
      expect(await storage.users.findByName('alice')).toMatchObject({ id: 'u1' });
      const check = await client();
      const versions = await check.query(`SELECT version, name FROM ${schema}.schema_migrations ORDER BY version`);
      await check.end();
      // Nothing of 1–2 is redone; the migrations after them (3: job owners) run once.
      expect(versions.rows).toEqual([
        { version: 1, name: '0001_initial.sql' },
        { version: 2, name: '0002_deployment.sql' },
        { version: 3, name: '0003_job_owner.sql' },
      ]);
    });

    it('declares in kysely/schema.ts exactly the columns it creates', async () => {
      const schema = schemas.next();
      const db = await openPostgres({ connectionString: TEST_DATABASE_URL, schema, poolSize: 1 });
      await db.close();
      const { columns } = await postgresShape(schema);
      const live: LiveTables = {};
      for (const col of columns as { table_name: string; column_name: string; is_nullable: string }[]) {
        if (col.table_name === 'schema_migrations') continue;
        (live[col.table_name] ??= {})[col.column_name] = col.is_nullable === 'YES';
      }
      const declared = await declaredTables();
      // `seq` is PostgreSQL's insertion order (kysely/dialect.ts); the repositories never read it as a field.
      delete live.classifiers!.seq;
      expect(live).toEqual(declared);
    });

    describe('made by the old migrations, then opened by this code', () => {
      const upgraded = async () => {
        const schema = schemas.next();
        await oldPostgres(schema);
        const storage = await createPostgresStorage({ connectionString: TEST_DATABASE_URL, schema, poolSize: 4 }, manualClock());
        schemas.track(() => storage.close());
        return storage;
      };
      runReposContract(upgraded);
      runDeployReposContract(upgraded);
    });
  });
}
