-- Deployment: classifiers, retrain jobs, batch predictions. Same tables and rules as SQLite's
-- migration 2 (src/storage/sqlite/migrations.ts); models_process already exists from 0001.
-- Booleans are 0/1 SMALLINTs and nested parts JSON text, like SQLite, so the shared kysely
-- repositories (src/storage/kysely) read and write both stores the same way.
CREATE TABLE classifiers (
  id TEXT PRIMARY KEY,
  -- Insertion order, the tie-break of "newest first" lists (SQLite uses its rowid).
  seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
  user_id TEXT NOT NULL REFERENCES users(id),
  group_id TEXT NOT NULL,
  model_id INTEGER NOT NULL,
  api_key TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('building', 'running', 'updating', 'failed', 'terminating', 'terminated')),
  active SMALLINT NOT NULL CHECK (active IN (0, 1)),
  is_editable SMALLINT NOT NULL CHECK (is_editable IN (0, 1)),
  version INTEGER NOT NULL,
  rules_json TEXT NOT NULL,
  url TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX classifiers_user ON classifiers (user_id, created_at, seq);
CREATE INDEX classifiers_model ON classifiers (model_id);
CREATE INDEX classifiers_status ON classifiers (status);
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
