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
  // 2: deployment (classifiers, retrain jobs, batch predictions); one model per training process.
  `
  DELETE FROM models WHERE id IN (
    SELECT m.id FROM models m JOIN processes p ON p.id = m.process_id
    WHERE p.model_id IS NOT NULL AND p.model_id != m.id
  );
  DELETE FROM models WHERE id NOT IN (SELECT MAX(id) FROM models GROUP BY process_id);
  CREATE UNIQUE INDEX models_process ON models (process_id);
  CREATE TABLE classifiers (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    group_id TEXT NOT NULL,
    model_id INTEGER NOT NULL,
    api_key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('building', 'running', 'updating', 'failed', 'terminating', 'terminated')),
    active INTEGER NOT NULL,
    is_editable INTEGER NOT NULL,
    version INTEGER NOT NULL,
    rules_json TEXT NOT NULL,
    url TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX classifiers_user ON classifiers (user_id, created_at, id);
  CREATE INDEX classifiers_model ON classifiers (model_id);
  CREATE TABLE retrain_jobs (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    model_id INTEGER NOT NULL,
    classifier_id TEXT,
    filename TEXT NOT NULL,
    upload_blob_key TEXT,
    status TEXT NOT NULL CHECK (status IN ('job_waiting', 'job_running', 'job_finished', 'job_failed')),
    message TEXT,
    process_id TEXT,
    new_model_id INTEGER,
    result_blob_key TEXT,
    switched_at TEXT,
    cancelled_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX retrain_jobs_model ON retrain_jobs (model_id);
  CREATE TABLE batch_predictions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    classifier_id TEXT NOT NULL,
    model_id INTEGER,
    filename TEXT NOT NULL,
    options_json TEXT NOT NULL,
    upload_blob_key TEXT,
    status TEXT NOT NULL CHECK (status IN ('job_waiting', 'job_running', 'job_finished', 'job_failed')),
    progress INTEGER NOT NULL,
    message TEXT,
    result_blob_key TEXT,
    rows_json TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
  // 3: fair claiming between users (the owner of a job, and the order of its latest claim).
  `
  ALTER TABLE jobs ADD COLUMN owner TEXT;
  ALTER TABLE jobs ADD COLUMN claim_seq INTEGER;
  CREATE INDEX jobs_owner_state ON jobs (owner, state);
  CREATE INDEX jobs_owner_claim_seq ON jobs (owner, claim_seq);
  `,
];
