/**
 * Row types of the PostgreSQL schema (migrations/*.sql), as kysely sees them. Same columns as
 * SQLite's; BIGINT columns come back from pg as strings, so they are typed that way and converted
 * with Number() in the repositories.
 */
import type { ColumnType, Generated } from 'kysely';

/** A BIGINT column: pg returns a string (exactness), we write numbers. */
type BigIntColumn = ColumnType<string, number, number>;

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
  lease_until_ms: ColumnType<string | null, number | null, number | null>;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface Schema {
  users: UsersTable;
  api_keys: ApiKeysTable;
  processes: ProcessesTable;
  data_sets: DataSetsTable;
  models: ModelsTable;
  jobs: JobsTable;
}
