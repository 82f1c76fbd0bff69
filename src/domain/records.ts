/** Records of the service, in our own names (api/compat maps them to Prediction One names). */
import type { ColumnType } from '../table/table.js';
import type { TimeSeriesSettings } from './time-series.js';

export type TaskType = 'binary_classification' | 'multi_classification' | 'regression';

/** Validated training settings (internal names; the API maps Prediction One's config keys to these). */
export interface TrainSettings {
  /** Target column name (`tc`). */
  readonly target: string;
  /** Prediction type (`tt`). */
  readonly task: TaskType;
  /** Binary only: the positive class label (`tv`). */
  readonly positiveLabel?: string;
  /** `cv`: 0 automatic, -1 CV with automatic k, 1 hold-out, k ≥ 2 k-fold. */
  readonly cv: number;
  /** `im`: weight classes to correct imbalance (classification only). */
  readonly imbalance: boolean;
  /** Wall-clock budget for the search, in seconds (measured by the caller's hooks, not by AutoML). */
  readonly timeBudgetSeconds: number;
  readonly seed: number;
  /** Time-series mode (`tsm=true`): the resolved `ts*` settings; absent for tabular training. */
  readonly timeSeries?: TimeSeriesSettings;
}

/** Statuses of a classifier (its state machine: deploy/classifier-lifecycle.ts). */
export const CLASSIFIER_STATUSES = ['building', 'running', 'updating', 'failed', 'terminating', 'terminated'] as const;
export type ClassifierStatus = (typeof CLASSIFIER_STATUSES)[number];

export type RuleOrder = 'allow' | 'deny';

/** One rule as the API carries it (`rules[]` of Create/Update Classifier). */
export interface IpRule {
  readonly source: string;
  readonly order: RuleOrder;
  readonly priority: number;
}

export const KEY_SCOPES = ['secret', 'train', 'deploy', 'retrain'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];
/** Scopes `GET /v1/external/api-key` hands out (`credential_type`). */
export const API_KEY_SCOPES = ['train', 'deploy', 'retrain'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export interface User {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  /** Set when the user is deleted; their keys then answer "This user may be deleted.". */
  readonly deletedAt: string | null;
}

export interface ApiKey {
  /** Hex SHA-256 of the key; the key itself is never stored. */
  readonly keyHash: string;
  readonly userId: string;
  readonly scope: KeyScope;
  /** Retrain keys: the model they may retrain. */
  readonly modelId: number | null;
  /** ISO 8601 UTC; null = never expires (secret keys). */
  readonly endDate: string | null;
  readonly createdAt: string;
}

/** Who is calling, once a key is checked. */
export interface Principal {
  readonly userId: string;
  readonly scope: KeyScope;
  readonly modelId: number | null;
}

/**
 * A training process: opened by the upload-url call, fed by up to three uploads, then trained.
 * `uploading` is ours: the process exists but no training was requested yet.
 */
export const PROCESS_STATUSES = ['uploading', 'waiting', 'running', 'finished', 'failed'] as const;
export type ProcessStatus = (typeof PROCESS_STATUSES)[number];

export const UPLOAD_KINDS = ['learn', 'eval', 'column_info'] as const;
export type UploadKind = (typeof UPLOAD_KINDS)[number];

/** How a process's data files are read; `xlsx` uploads are converted to CSV when they arrive. */
export type FileExtension = 'csv' | 'tsv' | 'xlsx';

/** A stored, normalised (UTF-8, no BOM) data file. */
export interface StoredDataFile {
  readonly blobKey: string;
  readonly encoding: 'utf-8' | 'utf-8-bom' | 'shift_jis';
  readonly delimiter: ',' | '\t';
  readonly sizeBytes: number;
  readonly dataSetId: number;
  /** Header names in file order (read at upload). */
  readonly columnNames: readonly string[];
  /**
   * The file name the client gave with the PUT (Content-Disposition), which names the data set;
   * absent when none was given (the data set is then named after the model at training).
   */
  readonly fileName?: string;
}

export interface TrainingProcess {
  readonly id: string;
  readonly userId: string;
  readonly extension: FileExtension;
  readonly status: ProcessStatus;
  readonly name: string | null;
  /** The `config` object as the client sent it (echoed by Get Model). */
  readonly config: Readonly<Record<string, unknown>> | null;
  readonly settings: TrainSettings | null;
  readonly learn: StoredDataFile | null;
  readonly eval: StoredDataFile | null;
  /** Types from column_info.csv. */
  readonly columnTypes: Readonly<Record<string, ColumnType>> | null;
  readonly modelId: number | null;
  /** 0–100 while running. */
  readonly progress: number | null;
  /** Why training failed, written for the user. */
  readonly message: string | null;
  readonly resultBlobKey: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface DataSet {
  readonly id: number;
  readonly userId: string;
  readonly processId: string;
  readonly name: string | null;
  readonly extension: FileExtension;
  readonly columnCount: number;
  readonly rowCount: number;
  readonly sizeBytes: number;
  readonly blobKey: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface Model {
  readonly id: number;
  readonly userId: string;
  readonly processId: string;
  readonly name: string | null;
  readonly task: TrainSettings['task'];
  /** Yosoku version that trained it. */
  readonly version: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** Serialized AutoModel. */
  readonly blobKey: string;
  readonly metrics: Readonly<Record<string, number>>;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
}

/** A deployed model: a prediction API (spec §2.10–§2.14). `version` counts retrain switches, from 1. */
export interface Classifier {
  /** 16 lowercase alphanumerics. */
  readonly id: string;
  readonly userId: string;
  /** The `/v1/groups/{group_id}` segment of its inference URL (the owner's group, DESIGN row 32). */
  readonly groupId: string;
  readonly modelId: number;
  /** The inference key, stored readable because Get Classifier returns it (docs/deploy.md §4). */
  readonly apiKey: string;
  readonly status: ClassifierStatus;
  readonly active: boolean;
  /** true = unlocked (DESIGN row 20). */
  readonly isEditable: boolean;
  readonly version: number;
  readonly rules: readonly IpRule[];
  /** Inference URL; null until the classifier was first built. */
  readonly url: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Retrain statuses (DESIGN row 4). */
export const RETRAIN_STATUSES = ['job_waiting', 'job_running', 'job_finished', 'job_failed'] as const;
export type RetrainStatus = (typeof RETRAIN_STATUSES)[number];

/** A retrain of one model (the retrain key's), fed by one upload (spec §2.15–§2.17). */
export interface RetrainJob {
  readonly id: string;
  readonly userId: string;
  /** The model being retrained (the retrain key's `model_id`). */
  readonly modelId: number;
  /** The classifier serving `modelId` when the job was created (the one the switch updates), if any. */
  readonly classifierId: string | null;
  readonly filename: string;
  /** Set once the upload is stored; the job is queued at the same time. */
  readonly uploadBlobKey: string | null;
  readonly status: RetrainStatus;
  readonly message: string | null;
  /** The training process that retrains (created by the job). */
  readonly processId: string | null;
  readonly newModelId: number | null;
  /** The comparison zip. */
  readonly resultBlobKey: string | null;
  readonly switchedAt: string | null;
  /** Set when the model was deleted: the job answers "This job may be deleted.". */
  readonly cancelledAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A batch prediction over an uploaded file (docs/deploy.md §9). Statuses as for retrain jobs. */
export interface BatchPrediction {
  readonly id: string;
  readonly userId: string;
  readonly classifierId: string;
  /** Fixed when the job starts, so a switch midway does not mix models. */
  readonly modelId: number | null;
  readonly filename: string;
  /** The flags `ar`, `ad`, `nc`, `nr`, `pc` as given. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly uploadBlobKey: string | null;
  readonly status: RetrainStatus;
  readonly progress: number;
  readonly message: string | null;
  readonly resultBlobKey: string | null;
  readonly rows: { readonly total: number; readonly predicted: number; readonly invalid: number } | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}
