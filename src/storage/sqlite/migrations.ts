/**
 * Schema migrations, applied in order at open. Each entry runs once; `user_version` records how
 * many ran. Append only: never edit a shipped migration.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    deleted_at TEXT
  );
  CREATE TABLE api_keys (
    key_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    scope TEXT NOT NULL CHECK (scope IN ('secret', 'train', 'deploy', 'retrain')),
    model_id INTEGER,
    end_date TEXT,
    created_at TEXT NOT NULL
  );
  CREATE TABLE processes (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    extension TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('uploading', 'waiting', 'running', 'finished', 'failed')),
    name TEXT,
    config_json TEXT,
    settings_json TEXT,
    learn_json TEXT,
    eval_json TEXT,
    column_types_json TEXT,
    model_id INTEGER,
    progress INTEGER,
    message TEXT,
    result_blob_key TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE data_sets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL REFERENCES users(id),
    process_id TEXT NOT NULL,
    name TEXT,
    extension TEXT NOT NULL,
    column_count INTEGER NOT NULL,
    row_count INTEGER NOT NULL,
    size_bytes INTEGER NOT NULL,
    blob_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX data_sets_user ON data_sets (user_id, id);
  CREATE TABLE models (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL REFERENCES users(id),
    process_id TEXT NOT NULL,
    name TEXT,
    task TEXT NOT NULL,
    version TEXT NOT NULL,
    config_json TEXT NOT NULL,
    blob_key TEXT NOT NULL,
    metrics_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX models_user ON models (user_id, id);
  CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    payload_json TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('waiting', 'running', 'completed', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    worker_id TEXT,
    lease_until_ms INTEGER,
    last_error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX jobs_claim ON jobs (state, id);
  `,
];
