/**
 * The API's JSON shapes the UI reads (docs/api.md), in one module so that deriving them from the
 * server's zod schemas (src/api/schemas/, being written) is a change to this file only.
 */

export interface ColumnInfoColumn {
  readonly column_id: number;
  readonly name: string;
  readonly initial_data_type: number;
  readonly available_data_types: readonly number[];
  readonly unique_count: number;
  readonly data_count: number;
  readonly missing_count: number;
  /** Relevance to the target: mutual information, damped for high cardinality; null for text and dates. */
  readonly cor_score: number | null;
  /** Held-out information about the target, for every column (ours, docs/api.md §3); null without a target. */
  readonly predictive_power?: number | null;
  /** What `predictive_power` was measured on: the values, numeric bins, words or date parts. */
  readonly predictive_power_basis?: 'values' | 'bins' | 'words' | 'date_parts' | null;
  readonly classify_value: readonly { readonly name: string; readonly value: number }[];
  readonly numerical_value: readonly { readonly max_value: number; readonly min_value: number; readonly avg_value: number; readonly median_value: number }[];
  readonly range_pick_info: {
    readonly numeric: { readonly max_val: number; readonly min_val: number; readonly initial_threshold: number } | null;
    readonly date: { readonly max_epoc_sec: number; readonly min_epoc_sec: number; readonly initial_threshold_epoc_sec: number; readonly time_unit_id: number } | null;
  } | null;
}

export interface ColumnInfo {
  readonly raw_column_names: readonly string[];
  readonly raw_training_data: readonly { readonly row_data: string }[];
  readonly training_data_columns: readonly ColumnInfoColumn[];
  readonly useless_column_list: readonly string[];
  readonly trainingdata_row_count: number;
}

export interface UploadUrls {
  readonly learn_data_set_upload_url: string;
  readonly eval_data_set_upload_url: string;
  readonly column_info_upload_url: string;
  readonly external_process_id: string;
}

export interface TrainStatus {
  readonly status: 'waiting' | 'running' | 'finished' | 'failed';
  readonly progress?: number;
  readonly message?: string;
  readonly model_id?: number;
  readonly result_url?: string;
  readonly created_datetime?: string;
}

export interface ClassifierRule {
  readonly source: string;
  readonly order: 'allow' | 'deny';
  readonly priority: number;
}

export interface Classifier {
  readonly classifier_id: string;
  readonly model_id: number;
  readonly status: string;
  readonly api_key: string;
  readonly version: string;
  readonly url: string | null;
  readonly active: boolean;
  readonly is_editable: boolean;
  readonly rules: readonly ClassifierRule[];
}

export interface InferenceAnswer {
  readonly version: string;
  readonly outputs: readonly { readonly name: string; readonly data: string }[];
  readonly warnings?: readonly string[];
}

export type JobStatus = 'job_waiting' | 'job_running' | 'job_finished' | 'job_failed';

export interface RetrainStatus {
  readonly status: JobStatus;
  readonly model_id?: number;
  readonly message?: string;
  readonly download_url?: string;
}

export interface BatchStatus {
  readonly batch_prediction_id: string;
  readonly status: JobStatus;
  readonly progress: number;
  readonly message?: string;
  readonly download_url?: string;
  readonly rows?: { readonly total: number; readonly predicted: number; readonly invalid: number };
}

export interface ModelItem {
  readonly model_id: number;
  readonly name: string | null;
  readonly target_type: string;
  readonly version: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly created_date: string;
}

export interface DataSetItem {
  readonly data_set_id: string | number;
  readonly name: string;
  readonly extension: string;
  readonly column_count: number;
  readonly data_count: number;
  readonly data_size: number;
  readonly download_url: string;
  readonly created_date: string;
}
