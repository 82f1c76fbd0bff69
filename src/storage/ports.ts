/**
 * Storage ports: the only way services reach metadata, the job queue and file bytes. Narrow on
 * purpose, split by aggregate, so a second implementation (PostgreSQL + S3) is small and
 * passes the same contract suites in test/contract/.
 *
 * Ownership is part of every read: a repository answers "not found" (null / false) for another
 * user's record, so services cannot forget the check.
 */
import type { Readable } from 'node:stream';
import type {
  ApiKey,
  BatchPrediction,
  Classifier,
  DataSet,
  FileExtension,
  Model,
  Page,
  ProcessStatus,
  RetrainJob,
  RetrainStatus,
  TrainingProcess,
  User,
} from '../domain/records.js';

export interface PageRequest {
  readonly offset: number;
  readonly limit: number;
}

export interface UserRepo {
  create(user: User): Promise<void>;
  get(id: string): Promise<User | null>;
  findByName(name: string): Promise<User | null>;
  count(): Promise<number>;
  markDeleted(id: string, at: string): Promise<void>;
}

export interface KeyRepo {
  create(key: ApiKey): Promise<void>;
  findByHash(keyHash: string): Promise<ApiKey | null>;
}

export type NewProcess = Pick<TrainingProcess, 'id' | 'userId' | 'extension' | 'createdAt'>;
/** Fields a service may change; `updatedAt` is always set by the caller. */
export type ProcessPatch = Partial<Omit<TrainingProcess, 'id' | 'userId' | 'extension' | 'createdAt'>> & {
  readonly updatedAt: string;
};

export interface ProcessRepo {
  create(p: NewProcess): Promise<TrainingProcess>;
  get(userId: string, id: string): Promise<TrainingProcess | null>;
  /** For the job runner, which acts on behalf of the owner recorded in the job. */
  getById(id: string): Promise<TrainingProcess | null>;
  update(id: string, patch: ProcessPatch): Promise<TrainingProcess>;
  /**
   * Compare-and-set on status: applies the patch only if the status is still `expected`.
   * Returns null when another request won (e.g. two concurrent POST /models).
   */
  updateIfStatus(id: string, expected: ProcessStatus, patch: ProcessPatch): Promise<TrainingProcess | null>;
  /** The user's processes not yet finished or failed (uploading, waiting, running): the process quota. */
  countOpen(userId: string): Promise<number>;
}

export type NewDataSet = Omit<DataSet, 'id'>;

export interface DataSetRepo {
  /** Returns the new numeric id. */
  create(d: NewDataSet): Promise<DataSet>;
  get(userId: string, id: number): Promise<DataSet | null>;
  /** Newest first. */
  list(userId: string, page: PageRequest): Promise<Page<DataSet>>;
  /** Sum of `sizeBytes` of the user's data sets: the storage quota. */
  totalBytes(userId: string): Promise<number>;
  /** Sets the name shown in lists; false when the data set is not the user's (or gone). */
  rename(userId: string, id: number, name: string, updatedAt: string): Promise<boolean>;
  delete(userId: string, id: number): Promise<boolean>;
}

export type NewModel = Omit<Model, 'id'>;

export interface ModelRepo {
  /**
   * Stores a trained model. Idempotent per `processId` (one model per training process): when a
   * model of that process already exists (a job rerun after a crash), that model is returned and
   * nothing is written.
   */
  create(m: NewModel): Promise<Model>;
  get(userId: string, id: number): Promise<Model | null>;
  list(userId: string, page: PageRequest): Promise<Page<Model>>;
  delete(userId: string, id: number): Promise<boolean>;
}

/** Fields of a classifier a service may change; `updatedAt` is always set. */
export type ClassifierUpdate = Partial<Pick<Classifier, 'status' | 'active' | 'isEditable' | 'rules' | 'url'>> & {
  readonly updatedAt: string;
};

export interface ClassifierRepo {
  create(c: Classifier): Promise<Classifier>;
  /** Owner-filtered. */
  get(userId: string, id: string): Promise<Classifier | null>;
  /** No owner filter: inference (the classifier key is the credential) and jobs. */
  getById(id: string): Promise<Classifier | null>;
  /** Newest first. */
  list(userId: string, page: PageRequest): Promise<Page<Classifier>>;
  update(id: string, patch: ClassifierUpdate): Promise<Classifier | null>;
  /** Compare-and-set on status; null when the status is no longer `expected` (or the row is gone). */
  updateIfStatus(id: string, expected: Classifier['status'], patch: ClassifierUpdate): Promise<Classifier | null>;
  /**
   * Sets `model_id` and `version + 1` in one statement, only if the classifier still serves
   * `expectedModelId`; applies `patch` in the same statement. Null when it does not (or is gone).
   */
  switchModel(id: string, expectedModelId: number, newModelId: number, patch: ClassifierUpdate): Promise<Classifier | null>;
  delete(id: string): Promise<boolean>;
  /** Classifiers (of any status) that serve a model, newest first. */
  listByModel(modelId: number): Promise<Classifier[]>;
  /** Every classifier in one of `statuses` (start-up recovery of builds and stops). */
  listByStatus(statuses: readonly Classifier['status'][]): Promise<Classifier[]>;
}

export type NewRetrainJob = Pick<RetrainJob, 'id' | 'userId' | 'modelId' | 'classifierId' | 'filename' | 'createdAt'>;
export type RetrainJobPatch = Partial<Omit<RetrainJob, 'id' | 'userId' | 'modelId' | 'filename' | 'createdAt'>> & {
  readonly updatedAt: string;
};

export interface RetrainJobRepo {
  create(j: NewRetrainJob): Promise<RetrainJob>;
  /** Owner-filtered. */
  get(userId: string, id: string): Promise<RetrainJob | null>;
  getById(id: string): Promise<RetrainJob | null>;
  update(id: string, patch: RetrainJobPatch): Promise<RetrainJob>;
  /** Compare-and-set on status (null when another request won). */
  updateIfStatus(id: string, expected: RetrainStatus, patch: RetrainJobPatch): Promise<RetrainJob | null>;
  /** Marks every job of the model cancelled (the model was deleted); returns how many. */
  cancelByModel(modelId: number, at: string): Promise<number>;
}

export type NewBatchPrediction = Pick<BatchPrediction, 'id' | 'userId' | 'classifierId' | 'filename' | 'options' | 'createdAt'>;
export type BatchPredictionPatch = Partial<Omit<BatchPrediction, 'id' | 'userId' | 'classifierId' | 'filename' | 'options' | 'createdAt'>> & {
  readonly updatedAt: string;
};

export interface BatchPredictionRepo {
  create(b: NewBatchPrediction): Promise<BatchPrediction>;
  get(userId: string, id: string): Promise<BatchPrediction | null>;
  getById(id: string): Promise<BatchPrediction | null>;
  update(id: string, patch: BatchPredictionPatch): Promise<BatchPrediction>;
  updateIfStatus(id: string, expected: RetrainStatus, patch: BatchPredictionPatch): Promise<BatchPrediction | null>;
}

/** Job states; the database enforces the same set. */
export const JOB_STATES = Object.freeze({
  waiting: 'waiting',
  running: 'running',
  completed: 'completed',
  failed: 'failed',
} as const);
export type JobState = (typeof JOB_STATES)[keyof typeof JOB_STATES];

export interface Job {
  readonly id: number;
  readonly kind: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly state: JobState;
  /** Claims so far, including the current one. */
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly workerId: string | null;
  /** Epoch ms; a running job whose lease passed is presumed dead and may be requeued. */
  readonly leaseUntilMs: number | null;
  readonly lastError: string | null;
  /** The user the job works for (fair claiming); null for jobs queued without one. */
  readonly owner: string | null;
}

export interface ClaimOptions {
  readonly maxRunningPerOwner?: number;
}

export interface EnqueueOptions {
  readonly maxAttempts?: number;
  /** The user the job works for: claims are shared fairly between owners (see `JobQueue.claim`). */
  readonly owner?: string;
}

/**
 * A durable job table with leases. At-least-once: a job whose worker died runs again, so
 * handlers must be idempotent (the training handler overwrites its own outputs).
 */
export interface ActiveJobCount {
  readonly kind: string;
  readonly state: 'waiting' | 'running';
  readonly count: number;
}

export interface JobQueue {
  enqueue(kind: string, payload: Record<string, unknown>, opts?: EnqueueOptions): Promise<number>;
  /**
   * Atomically takes a waiting job of one of `kinds`, or null. Fair between owners: the owner with
   * the fewest running jobs first, then the one whose last claim is oldest (an owner never served
   * first), then the oldest job — so users take turns whatever order they queued in. Jobs without
   * an owner form one owner of their own. With `maxRunningPerOwner`, an owner that has that many
   * jobs running is skipped (the per-user quota of concurrent trainings; ownerless jobs are exempt).
   */
  claim(kinds: readonly string[], workerId: string, leaseMs: number, opts?: ClaimOptions): Promise<Job | null>;
  /** Extends the lease; false if the job is no longer this worker's (requeued or finished). */
  heartbeat(jobId: number, workerId: string, leaseMs: number): Promise<boolean>;
  complete(jobId: number, workerId: string): Promise<boolean>;
  fail(jobId: number, workerId: string, error: string): Promise<boolean>;
  /**
   * Hands a running job back (its worker is shutting down): waiting again, the attempt not
   * counted, claimable at once by any worker. False if the job is no longer this worker's.
   */
  release(jobId: number, workerId: string): Promise<boolean>;
  /**
   * Running jobs whose lease ended before `nowMs` go back to waiting, or to failed once they
   * used up `maxAttempts` (a job that kills its worker every time must not loop forever).
   * Returns the jobs that went to failed, so their owners can be told.
   */
  requeueExpired(nowMs: number): Promise<{ requeued: number; failed: Job[] }>;
  get(jobId: number): Promise<Job | null>;
  /** Jobs waiting or running, counted by kind (the queue depth, for metrics and readiness). */
  countActive(): Promise<ActiveJobCount[]>;
  /**
   * Optional: calls `onQueued` when another machine enqueues a job (a shared queue); resolves to a
   * function that stops it. The embedded queue has one process, whose own enqueues wake its workers.
   */
  subscribe?(onQueued: () => void): Promise<() => Promise<void>>;
}

/** Every metadata repository and the job queue over one database (SQLite or PostgreSQL). */
export interface MetadataStorage {
  readonly users: UserRepo;
  readonly keys: KeyRepo;
  readonly processes: ProcessRepo;
  readonly dataSets: DataSetRepo;
  readonly models: ModelRepo;
  readonly jobs: JobQueue;
  readonly classifiers: ClassifierRepo;
  readonly retrainJobs: RetrainJobRepo;
  readonly batchPredictions: BatchPredictionRepo;
  close(): Promise<void>;
}

/**
 * File bytes by key ("users/u1/processes/p1/learn.csv"). Writes are durable before they resolve
 * (fsync + rename on disk; a completed PUT on S3).
 */
export interface BlobStore {
  /** Stores a stream; resolves once durable. A failed stream leaves nothing under `key`. */
  put(key: string, body: Readable | Uint8Array): Promise<void>;
  /** Moves a finished local file (e.g. a normalised upload) under `key`. */
  putFile(key: string, srcPath: string): Promise<void>;
  get(key: string): Promise<Readable>;
  size(key: string): Promise<number | null>;
  delete(key: string): Promise<void>;
  /**
   * A local path to read the blob from: the stored file itself on disk, a cached copy for remote
   * stores. DuckDB and the training worker read files by path.
   */
  localPath(key: string): Promise<string>;
  /** A scratch path on the same filesystem, for files that will be `putFile`d. */
  tempPath(name: string): Promise<string>;
}

export type { FileExtension };
