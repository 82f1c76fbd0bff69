/**
 * Row types of the metadata schema, as kysely sees them. The tables come from migrations.ts, for
 * both stores (test/storage/schema.test.ts checks that these types name exactly its columns):
 * timestamps and nested parts as TEXT, booleans as 0/1 integers. The one difference in what comes back: pg returns BIGINT
 * columns as strings (exactness), so those are typed as either and read with Number().
 */
import type { ColumnType, Generated } from 'kysely';

/** BIGINT on PostgreSQL (read as a string), INTEGER on SQLite (read as a number); written as a number. */
type BigIntColumn = ColumnType<number | string, number, number>;

export interface UsersTable {
  id: string;
  name: string;
  created_at: string;
  deleted_at: string | null;
}

export interface ApiKeysTable {
  key_hash: string;
  user_id: string;
  scope: string;
  model_id: number | null;
  end_date: string | null;
  created_at: string;
}

export interface ProcessesTable {
  id: string;
  user_id: string;
  extension: string;
  status: string;
  name: string | null;
  config_json: string | null;
  settings_json: string | null;
  learn_json: string | null;
  eval_json: string | null;
  column_types_json: string | null;
  model_id: number | null;
  progress: number | null;
  message: string | null;
  result_blob_key: string | null;
  created_at: string;
  updated_at: string;
}

export interface DataSetsTable {
  id: Generated<number>;
  user_id: string;
  process_id: string;
  name: string | null;
  extension: string;
  column_count: number;
  row_count: number;
  size_bytes: BigIntColumn;
  blob_key: string;
  created_at: string;
  updated_at: string;
}

export interface ModelsTable {
  id: Generated<number>;
  user_id: string;
  process_id: string;
  name: string | null;
  task: string;
  version: string;
  config_json: string;
  blob_key: string;
  metrics_json: string;
  created_at: string;
  updated_at: string;
}

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  payload_json: string;
  state: string;
  attempts: number;
  max_attempts: number;
  worker_id: string | null;
  lease_until_ms: ColumnType<number | string | null, number | null, number | null>;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  /** The user the job works for (fair claiming); null for jobs queued without one. */
  owner: string | null;
  /** Claim order: larger = claimed later (fair claiming: whose turn it is). Not a clock: a frozen test clock must not tie. */
  claim_seq: ColumnType<number | string | null, number | null, number | null>;
}

export interface ClassifiersTable {
  id: string;
  user_id: string;
  group_id: string;
  model_id: number;
  api_key: string;
  status: string;
  active: number;
  is_editable: number;
  version: number;
  rules_json: string;
  url: string | null;
  created_at: string;
  updated_at: string;
}

export interface RetrainJobsTable {
  id: string;
  user_id: string;
  model_id: number;
  classifier_id: string | null;
  filename: string;
  upload_blob_key: string | null;
  status: string;
  message: string | null;
  process_id: string | null;
  new_model_id: number | null;
  result_blob_key: string | null;
  switched_at: string | null;
  cancelled_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface BatchPredictionsTable {
  id: string;
  user_id: string;
  classifier_id: string;
  model_id: number | null;
  filename: string;
  options_json: string;
  upload_blob_key: string | null;
  status: string;
  progress: number;
  message: string | null;
  result_blob_key: string | null;
  rows_json: string | null;
  created_at: string;
  updated_at: string;
}

export interface Schema {
  classifiers: ClassifiersTable;
  retrain_jobs: RetrainJobsTable;
  batch_predictions: BatchPredictionsTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  processes: ProcessesTable;
  data_sets: DataSetsTable;
  models: ModelsTable;
  jobs: JobsTable;
}
