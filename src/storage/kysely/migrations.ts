/**
 * The metadata schema, written once with kysely's schema builder for both stores: the one source
 * of the tables of SQLite (sqlite/database.ts) and PostgreSQL (postgres/database.ts), and of the
 * row types in schema.ts (test/storage/schema.test.ts checks that they agree).
 *
 * Each migration compiles to SQL for one dialect; each store runs the statements in its own
 * migration transaction and records progress its own way (SQLite `user_version`, PostgreSQL
 * `schema_migrations`), as it always has, so databases made before this file existed upgrade
 * with nothing to redo. Append only: never edit a shipped migration.
 *
 * The two stores store the same things: timestamps and nested parts as TEXT (ISO 8601 UTC, JSON),
 * booleans as 0/1. Where they differ it is said here, in the `pg ? … : …` branches: PostgreSQL
 * has BIGINT and SMALLINT with range checks, identity columns, partial indexes for the job claim,
 * and a `seq` column where SQLite has its implicit rowid.
 */
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type ColumnDataType,
  type ColumnDefinitionBuilder,
  type Compilable,
  type CreateTableBuilder,
  type RawBuilder,
} from 'kysely';

export type SqlDialect = 'sqlite' | 'postgres';

export interface SchemaMigration {
  /** 1, 2, …: SQLite's `user_version` and PostgreSQL's `schema_migrations.version` after it ran. */
  readonly version: number;
  /** PostgreSQL's `schema_migrations.name` (the file name it had when migrations were SQL files). */
  readonly name: string;
  statements(db: Kysely<unknown>, dialect: SqlDialect): Statement[];
}

/** A schema builder, or raw SQL for what the builders do not express (data fixes). */
type Statement = Compilable | RawBuilder<unknown>;

const STATUS = {
  scope: ['secret', 'train', 'deploy', 'retrain'],
  process: ['uploading', 'waiting', 'running', 'finished', 'failed'],
  job: ['waiting', 'running', 'completed', 'failed'],
  classifier: ['building', 'running', 'updating', 'failed', 'terminating', 'terminated'],
  retrainJob: ['job_waiting', 'job_running', 'job_finished', 'job_failed'],
} as const;

/** `CHECK (column IN ('a', 'b'))`. */
function oneOf(column: string, values: readonly string[]) {
  return sql`${sql.ref(column)} IN (${sql.join(values.map((v) => sql.lit(v)))})`;
}

type Column = (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
type Table = CreateTableBuilder<string, string>;

/** The column types and column shapes that differ between the dialects. */
function typesOf(dialect: SqlDialect) {
  const pg = dialect === 'postgres';
  return {
    pg,
    /** Byte counts and epoch milliseconds: BIGINT on PostgreSQL (pg returns it as a string). */
    bigint: (pg ? 'bigint' : 'integer') as ColumnDataType,
    /** The surrogate key of data sets, models and jobs. */
    serialKey: (t: Table): Table => t.addColumn('id', 'integer', (c) => (pg ? c.generatedByDefaultAsIdentity().primaryKey() : c.primaryKey().autoIncrement())),
  };
}

function flagColumn(t: Table, dialect: SqlDialect, name: string): Table {
  if (dialect === 'postgres') return t.addColumn(name, 'smallint', (c) => c.notNull().check(sql`${sql.ref(name)} IN (0, 1)`));
  return t.addColumn(name, 'integer', (c) => c.notNull());
}

function timestamps(t: Table): Table {
  return t.addColumn('created_at', 'text', (c) => c.notNull()).addColumn('updated_at', 'text', (c) => c.notNull());
}

const userRef: Column = (c) => c.notNull().references('users.id');

const initial: SchemaMigration = {
  version: 1,
  name: '0001_initial.sql',
  statements(db, dialect) {
    const { pg, bigint, serialKey } = typesOf(dialect);
    const s = db.schema;
    const out: Statement[] = [
      s
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('deleted_at', 'text'),
      s
        .createTable('api_keys')
        .addColumn('key_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', userRef)
        .addColumn('scope', 'text', (c) => c.notNull().check(oneOf('scope', STATUS.scope)))
        .addColumn('model_id', 'integer')
        .addColumn('end_date', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull()),
      timestamps(
        s
          .createTable('processes')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', userRef)
          .addColumn('extension', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull().check(oneOf('status', STATUS.process)))
          .addColumn('name', 'text')
          .addColumn('config_json', 'text')
          .addColumn('settings_json', 'text')
          .addColumn('learn_json', 'text')
          .addColumn('eval_json', 'text')
          .addColumn('column_types_json', 'text')
          .addColumn('model_id', 'integer')
          .addColumn('progress', 'integer')
          .addColumn('message', 'text')
          .addColumn('result_blob_key', 'text'),
      ),
      timestamps(
        serialKey(s.createTable('data_sets'))
          .addColumn('user_id', 'text', userRef)
          .addColumn('process_id', 'text', (c) => c.notNull())
          .addColumn('name', 'text')
          .addColumn('extension', 'text', (c) => c.notNull())
          .addColumn('column_count', 'integer', (c) => c.notNull())
          .addColumn('row_count', 'integer', (c) => c.notNull())
          .addColumn('size_bytes', bigint, (c) => c.notNull())
          .addColumn('blob_key', 'text', (c) => c.notNull()),
      ),
      s.createIndex('data_sets_user').on('data_sets').columns(['user_id', 'id']),
      timestamps(
        serialKey(s.createTable('models'))
          .addColumn('user_id', 'text', userRef)
          .addColumn('process_id', 'text', (c) => c.notNull())
          .addColumn('name', 'text')
          .addColumn('task', 'text', (c) => c.notNull())
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('config_json', 'text', (c) => c.notNull())
          .addColumn('blob_key', 'text', (c) => c.notNull())
          .addColumn('metrics_json', 'text', (c) => c.notNull()),
      ),
      s.createIndex('models_user').on('models').columns(['user_id', 'id']),
    ];
    // One model per training process: ModelRepo.create is idempotent per process. (SQLite got
    // this index in migration 2, after removing the duplicates older versions could leave.)
    if (pg) out.push(s.createIndex('models_process').on('models').column('process_id').unique());
    out.push(
      timestamps(
        serialKey(s.createTable('jobs'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('payload_json', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull().check(oneOf('state', STATUS.job)))
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('max_attempts', 'integer', (c) => c.notNull())
          .addColumn('worker_id', 'text')
          // Epoch ms from the claiming worker's clock.
          .addColumn('lease_until_ms', bigint)
          .addColumn('last_error', 'text'),
      ),
    );
    // The claim scans waiting jobs oldest first; the sweeper scans running jobs by lease.
    if (pg) {
      out.push(
        s.createIndex('jobs_waiting').on('jobs').columns(['kind', 'id']).where(sql.ref('state'), '=', 'waiting'),
        s.createIndex('jobs_running_lease').on('jobs').column('lease_until_ms').where(sql.ref('state'), '=', 'running'),
      );
    } else {
      out.push(s.createIndex('jobs_claim').on('jobs').columns(['state', 'id']));
    }
    return out;
  },
};

const deployment: SchemaMigration = {
  version: 2,
  name: '0002_deployment.sql',
  statements(db, dialect) {
    const { pg } = typesOf(dialect);
    const s = db.schema;
    const out: Statement[] = [];
    if (!pg) {
      // One model per training process: keep the model each process points at (else the newest).
      out.push(
        sql`DELETE FROM models WHERE id IN (
          SELECT m.id FROM models m JOIN processes p ON p.id = m.process_id
          WHERE p.model_id IS NOT NULL AND p.model_id != m.id
        )`,
        sql`DELETE FROM models WHERE id NOT IN (SELECT MAX(id) FROM models GROUP BY process_id)`,
        s.createIndex('models_process').on('models').column('process_id').unique(),
      );
    }
    let classifiers = s.createTable('classifiers').addColumn('id', 'text', (c) => c.primaryKey());
    // Insertion order, the tie-break of "newest first" lists (SQLite uses its rowid; kysely/dialect.ts).
    if (pg) classifiers = classifiers.addColumn('seq', 'bigint', (c) => c.generatedAlwaysAsIdentity().unique());
    classifiers = classifiers
      .addColumn('user_id', 'text', userRef)
      .addColumn('group_id', 'text', (c) => c.notNull())
      .addColumn('model_id', 'integer', (c) => c.notNull())
      .addColumn('api_key', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(oneOf('status', STATUS.classifier)));
    classifiers = flagColumn(flagColumn(classifiers, dialect, 'active'), dialect, 'is_editable')
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('rules_json', 'text', (c) => c.notNull())
      .addColumn('url', 'text');
    out.push(
      timestamps(classifiers),
      s
        .createIndex('classifiers_user')
        .on('classifiers')
        .columns(['user_id', 'created_at', pg ? 'seq' : 'id']),
      s.createIndex('classifiers_model').on('classifiers').column('model_id'),
    );
    if (pg) out.push(s.createIndex('classifiers_status').on('classifiers').column('status'));
    out.push(
      timestamps(
        s
          .createTable('retrain_jobs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', userRef)
          .addColumn('model_id', 'integer', (c) => c.notNull())
          .addColumn('classifier_id', 'text')
          .addColumn('filename', 'text', (c) => c.notNull())
          .addColumn('upload_blob_key', 'text')
          .addColumn('status', 'text', (c) => c.notNull().check(oneOf('status', STATUS.retrainJob)))
          .addColumn('message', 'text')
          .addColumn('process_id', 'text')
          .addColumn('new_model_id', 'integer')
          .addColumn('result_blob_key', 'text')
          .addColumn('switched_at', 'text')
          .addColumn('cancelled_at', 'text'),
      ),
      s.createIndex('retrain_jobs_model').on('retrain_jobs').column('model_id'),
      timestamps(
        s
          .createTable('batch_predictions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', userRef)
          .addColumn('classifier_id', 'text', (c) => c.notNull())
          .addColumn('model_id', 'integer')
          .addColumn('filename', 'text', (c) => c.notNull())
          .addColumn('options_json', 'text', (c) => c.notNull())
          .addColumn('upload_blob_key', 'text')
          .addColumn('status', 'text', (c) => c.notNull().check(oneOf('status', STATUS.retrainJob)))
          .addColumn('progress', 'integer', (c) => c.notNull())
          .addColumn('message', 'text')
          .addColumn('result_blob_key', 'text')
          .addColumn('rows_json', 'text'),
      ),
    );
    return out;
  },
};

/** Fair claiming between users: the owner of a job and the order of its latest claim (jobs/worker-loop, both queues). */
const jobOwners: SchemaMigration = {
  version: 3,
  name: '0003_job_owner.sql',
  statements(db, dialect) {
    const { pg, bigint } = typesOf(dialect);
    const s = db.schema;
    const out: Statement[] = [
      s.alterTable('jobs').addColumn('owner', 'text'),
      // A sequence, not a clock: claims in the same millisecond (or under a frozen test clock) must not tie.
      s.alterTable('jobs').addColumn('claim_seq', bigint),
      s.createIndex('jobs_owner_state').on('jobs').columns(['owner', 'state']),
      s.createIndex('jobs_owner_claim_seq').on('jobs').columns(['owner', 'claim_seq']),
    ];
    if (pg) out.push(sql`CREATE SEQUENCE jobs_claim_seq`);
    return out;
  },
};

export const SCHEMA_MIGRATIONS: readonly SchemaMigration[] = [initial, deployment, jobOwners];

/** A kysely that only compiles (no connection): migrations become SQL text before any store runs them. */
function compilerFor(dialect: SqlDialect): Kysely<unknown> {
  const pg = dialect === 'postgres';
  return new Kysely<unknown>({
    dialect: {
      createAdapter: () => (pg ? new PostgresAdapter() : new SqliteAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => (pg ? new PostgresIntrospector(db) : new SqliteIntrospector(db)),
      createQueryCompiler: () => (pg ? new PostgresQueryCompiler() : new SqliteQueryCompiler()),
    },
  });
}

/** The SQL of one migration for one dialect, statement by statement (DDL carries no parameters). */
export function compileMigration(migration: SchemaMigration, dialect: SqlDialect): string[] {
  const db = compilerFor(dialect);
  return migration.statements(db, dialect).map((statement) => {
    const compiled = 'isRawBuilder' in statement ? statement.compile(db) : statement.compile();
    if (compiled.parameters.length > 0) throw new Error(`migration ${migration.version}: a schema statement has parameters: ${compiled.sql}`);
    return compiled.sql;
  });
}
