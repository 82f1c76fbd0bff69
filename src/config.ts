/** Environment → typed, validated configuration, read once at startup (main.ts, cli.ts). */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { DEFAULT_MAX_RECORD_CHARS } from './formats/csv-reader.js';

/** The version recorded on models (package.json's). */
export const YOSOKU_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface Limits {
  /** Fewest data rows a training file may have (spec §8 hard minimum: 11). */
  readonly minRows: number;
  readonly maxRows: number;
  readonly minColumns: number;
  readonly maxColumns: number;
  readonly maxClasses: number;
  /** Largest `cv` fold count a training may ask for (MAX_CV_FOLDS): every fold builds its own tables. */
  readonly maxCvFolds: number;
  /** Largest `time_budget` a training may ask for (MAX_TIME_BUDGET_SECONDS): a slot is held that long. */
  readonly maxTimeBudgetSeconds: number;
  /** Time-series mode's own limits (spec §8: 20–10,000 rows, ≤ 200 columns, ≤ 200 series). */
  readonly timeSeries: TimeSeriesLimits;
}

export interface TimeSeriesLimits {
  /** TS_MIN_ROWS: fewest data rows (default 20). */
  readonly minRows: number;
  /** TS_MAX_ROWS: most data rows (default 10,000). */
  readonly maxRows: number;
  /** TS_MAX_COLUMNS: most columns (default 200). */
  readonly maxColumns: number;
  /** TS_MAX_SERIES: most distinct `tss` values (default 200). */
  readonly maxSeries: number;
}

export interface Config {
  readonly host: string;
  readonly port: number;
  /** Base of every absolute URL we hand out (upload, result and data-set download URLs). */
  readonly publicUrl: string;
  readonly dataDir: string;
  /** Largest accepted upload, in original bytes. */
  readonly maxUploadBytes: number;
  /**
   * Longest record (line) of an uploaded file, in characters (MAX_RECORD_CHARS, default and most
   * 16 Mi: the readers after the upload use that default, and DuckDB's line limit is above it).
   */
  readonly maxRecordChars: number;
  /** DuckDB's memory limit for one column analysis (PROFILE_MEMORY_BYTES, default 1 GiB; more spills to disk). */
  readonly profileMemoryBytes: number;
  /** Lifetime of signed upload/download URLs. */
  readonly signedUrlTtlSeconds: number;
  readonly apiKeyTtlDays: number;
  /** Training jobs run at the same time (each in its own worker thread). */
  readonly trainingWorkers: number;
  /** Threads each training uses for the GBDT trainer (binning, histograms, partitions, gradients). */
  readonly trainingThreads: number;
  /** Lease of a running job; heartbeats renew it at a third of this. */
  readonly jobLeaseMs: number;
  /** Wall-clock budget handed to AutoML per training. */
  readonly trainingTimeBudgetSeconds: number;
  readonly trainingSeed: number;
  readonly limits: Limits;
  /**
   * Testing aid: while this file exists, a claimed training job waits before it starts computing.
   * Lets the restart test kill the server while a job is known to be running. Unset in production.
   */
  readonly holdTrainingFile: string | null;
  /**
   * Testing aid (YOSOKU_HOLD_SWITCH_FILE): while this file exists, a retrain switch waits after the
   * classifier became `updating`, so the crash test can kill the server mid-switch. Unset in production.
   */
  readonly holdSwitchFile: string | null;
  /**
   * Testing aid (YOSOKU_HOLD_BATCH_FILE): while this file exists, a batch prediction waits after it
   * became `job_running`, so the crash test can kill the server mid-batch. Unset in production.
   */
  readonly holdBatchFile: string | null;
  /**
   * CLASSIFIER_SWITCH_LEASE_MS (10 min): a classifier `updating` for longer than this is taken back to
   * `running` on its old model (its switch died with its process); embedded servers also do it at start.
   */
  readonly switchLeaseMs: number;
  /** Budget of the in-memory cache of deployed models (MODEL_CACHE_BYTES, default 512 MiB). */
  readonly modelCacheBytes: number;
  /** Data rows per inference request (INFERENCE_MAX_ROWS, default 10,000; DESIGN row 15). */
  readonly inferenceMaxRows: number;
  /** Decoded CSV bytes per inference request (INFERENCE_MAX_CSV_BYTES, default 32 MiB). */
  readonly inferenceMaxCsvBytes: number;
  /** Compute threads for costly inference requests (INFERENCE_THREADS, default 1), apart from trainings. */
  readonly inferenceThreads: number;
  /**
   * INFERENCE_INLINE_MAX_COST (10,000): an inference request whose rows × model KiB (× 3 with reasons)
   * is above this runs in a compute thread, not on the event loop (about 1–2 ms of CPU; 0: always a thread).
   */
  readonly inferenceInlineMaxCost: number;
  /** Cap on the bytes decompressed from a retrain zip (RETRAIN_MAX_UNCOMPRESSED_BYTES, default 1 GiB). */
  readonly retrainMaxUncompressedBytes: number;
  /**
   * Fastify `trustProxy` (TRUST_PROXY): off by default, so `request.ip` is the socket address and
   * IP rules cannot be bypassed with X-Forwarded-For. A hop count, or a comma-separated list of
   * proxy addresses/CIDRs; never "trust every hop".
   */
  readonly trustProxy: false | number | string;
  /**
   * Requests per minute per API key (0 = no limit): inference (INFERENCE_RATE_LIMIT_PER_MINUTE,
   * 60,000) and API-key creation (API_KEY_RATE_LIMIT_PER_MINUTE, 60). Counted by RATE_LIMIT_STORE:
   * `postgres` (the default with DATABASE_URL: one count shared by every machine) or `local` (this
   * process alone; the default embedded).
   */
  readonly rateLimits: { readonly inferencePerMinute: number; readonly apiKeyPerMinute: number; readonly store: 'local' | 'postgres' };
  /** Per-user quotas (docs/api.md): what one user may hold or run at once. */
  readonly quotas: Quotas;
  /** HTTP server timeouts (docs/operations.md): a slow or silent client cannot hold a socket for ever. */
  readonly http: HttpTimeouts;
  /** Set when DATABASE_URL is: several machines share PostgreSQL and S3 instead of DATA_DIR. */
  readonly scaleOut: ScaleOutConfig | null;
  /**
   * URL_SIGNING_SECRET: the HMAC key of signed URLs, shared by every machine (required in
   * scale-out). Unset in the embedded mode, which keeps a generated key in DATA_DIR.
   */
  readonly urlSigningSecret: string | null;
  /** METRICS_TOKEN: when set, GET /metrics needs it as `Authorization: Bearer <token>`. */
  readonly metricsToken: string | null;
}

export interface Quotas {
  /** USER_MAX_STORED_BYTES (100 GiB): the sum of a user's stored data files (training and evaluation uploads). */
  readonly maxStoredBytes: number;
  /** USER_MAX_OPEN_PROCESSES (100): a user's processes not yet finished or failed (upload-url opens one). */
  readonly maxOpenProcesses: number;
  /** USER_MAX_RUNNING_JOBS (2): a user's trainings, retrains and batches running at once (the rest wait their turn). */
  readonly maxRunningJobs: number;
}

export interface HttpTimeouts {
  /** CONNECTION_TIMEOUT_MS (60 s): a socket with no traffic in either direction for this long is closed. */
  readonly connectionTimeoutMs: number;
  /** REQUEST_TIMEOUT_MS (15 min): the whole request, body included, must arrive within this (1 GiB at ≥ 1.2 MB/s). */
  readonly requestTimeoutMs: number;
  /** HEADERS_TIMEOUT_MS (30 s, at most REQUEST_TIMEOUT_MS): the request line and headers must arrive within this. */
  readonly headersTimeoutMs: number;
  /** KEEP_ALIVE_TIMEOUT_MS (5 s): an idle kept-alive connection is closed after this. */
  readonly keepAliveTimeoutMs: number;
}

/** Scale-out storage (PostgreSQL + S3), selected by DATABASE_URL. See docs/scale-out.md. */
export interface ScaleOutConfig {
  readonly databaseUrl: string;
  /** DATABASE_SCHEMA, default `yosoku`. */
  readonly schema: string;
  readonly s3: {
    readonly bucket: string;
    readonly region: string;
    readonly endpoint?: string;
    readonly forcePathStyle: boolean;
    readonly prefix?: string;
  };
  /** BLOB_CACHE_MAX_BYTES: this machine's cache of S3 blobs read by path (default 10 GiB). */
  readonly blobCacheMaxBytes: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

function int(env: Env, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(raw)}`);
  }
  return n;
}

/** Address classes proxy-addr (Fastify's trustProxy) knows by name. */
const PROXY_ADDRESS_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (PROXY_ADDRESS_NAMES.has(entry)) return true;
  const slash = entry.indexOf('/');
  const address = slash < 0 ? entry : entry.slice(0, slash);
  const family = isIP(address);
  if (family === 0) return false;
  if (slash < 0) return true;
  const prefix = entry.slice(slash + 1);
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY: unset/`false`/`0` (the socket address is the client), a hop count, or the proxies'
 * addresses/CIDRs. Not `true`: that trusts every hop, so `request.ip` becomes the first
 * X-Forwarded-For entry, which the client writes itself, and IP rules could be bypassed.
 */
function trustProxy(raw: string | undefined): false | number | string {
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true') {
    throw new ConfigError(
      'TRUST_PROXY=true would trust a client-written X-Forwarded-For (IP rules could be bypassed); give the number of proxies in front of the server (e.g. 1) or their addresses/CIDRs (e.g. 10.0.0.1,10.1.0.0/16)',
    );
  }
  if (/^\d+$/.test(raw)) return Number(raw);
  const entries = raw.split(',').map((e) => e.trim());
  const bad = entries.find((e) => !isProxyAddress(e));
  if (bad !== undefined) {
    throw new ConfigError(
      `TRUST_PROXY must be a hop count or a comma-separated list of proxy addresses/CIDRs (or loopback, linklocal, uniquelocal); ${JSON.stringify(bad)} is none of them`,
    );
  }
  return entries.join(',');
}

function httpTimeouts(env: Env): HttpTimeouts {
  const requestTimeoutMs = int(env, 'REQUEST_TIMEOUT_MS', 15 * 60_000, 100);
  return {
    connectionTimeoutMs: int(env, 'CONNECTION_TIMEOUT_MS', 60_000, 100),
    requestTimeoutMs,
    headersTimeoutMs: int(env, 'HEADERS_TIMEOUT_MS', Math.min(30_000, requestTimeoutMs), 100, requestTimeoutMs),
    keepAliveTimeoutMs: int(env, 'KEEP_ALIVE_TIMEOUT_MS', 5_000, 100),
  };
}

/** Short enough to guess offline is not a secret: at least 32 characters (128 bits as hex). */
const MIN_SIGNING_SECRET_CHARS = 32;

function bool(env: Env, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ConfigError(`${name} must be true or false, got ${JSON.stringify(raw)}`);
}

function isAbsoluteUrl(s: string): boolean {
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}

function rateLimitStore(value: string | undefined, scaledOut: boolean): 'local' | 'postgres' {
  if (value === undefined || value === '') return scaledOut ? 'postgres' : 'local';
  if (value !== 'local' && value !== 'postgres') throw new ConfigError(`RATE_LIMIT_STORE must be local or postgres, got ${JSON.stringify(value)}`);
  if (value === 'postgres' && !scaledOut) throw new ConfigError('RATE_LIMIT_STORE=postgres needs DATABASE_URL');
  return value;
}

function timeSeriesLimits(env: Env): TimeSeriesLimits {
  const minRows = int(env, 'TS_MIN_ROWS', 20, 2);
  return {
    minRows,
    maxRows: int(env, 'TS_MAX_ROWS', 10_000, minRows),
    maxColumns: int(env, 'TS_MAX_COLUMNS', 200, 2),
    maxSeries: int(env, 'TS_MAX_SERIES', 200, 1),
  };
}

function scaleOut(env: Env): ScaleOutConfig | null {
  const databaseUrl = env.DATABASE_URL;
  if (databaseUrl === undefined || databaseUrl === '') return null;
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// URL');
  }
  const bucket = env.S3_BUCKET;
  if (bucket === undefined || bucket === '') throw new ConfigError('S3_BUCKET is required when DATABASE_URL is set');
  const endpoint = env.S3_ENDPOINT || undefined;
  if (endpoint !== undefined && !isAbsoluteUrl(endpoint)) {
    throw new ConfigError(`S3_ENDPOINT must be an absolute URL, got ${JSON.stringify(endpoint)}`);
  }
  const prefix = env.S3_PREFIX || undefined;
  return {
    databaseUrl,
    schema: env.DATABASE_SCHEMA || 'yosoku',
    s3: {
      bucket,
      region: env.S3_REGION || 'us-east-1',
      ...(endpoint === undefined ? {} : { endpoint }),
      forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE'),
      ...(prefix === undefined ? {} : { prefix }),
    },
    blobCacheMaxBytes: int(env, 'BLOB_CACHE_MAX_BYTES', 10 * 1024 ** 3, 0),
  };
}

function urlSigningSecret(env: Env, required: boolean): string | null {
  const raw = env.URL_SIGNING_SECRET;
  if (raw === undefined || raw === '') {
    if (required) throw new ConfigError('URL_SIGNING_SECRET is required when DATABASE_URL is set (every machine must sign URLs with the same key)');
    return null;
  }
  if (raw.length < MIN_SIGNING_SECRET_CHARS) {
    throw new ConfigError(`URL_SIGNING_SECRET must have at least ${MIN_SIGNING_SECRET_CHARS} characters (e.g. \`openssl rand -hex 32\`)`);
  }
  return raw;
}

/**
 * @example loadConfig({ PORT: '0', DATA_DIR: '/tmp/y' })
 */
export function loadConfig(env: Env = process.env): Config {
  const host = env.HOST || '127.0.0.1';
  const port = int(env, 'PORT', 8080, 0, 65535);
  const publicUrl = (env.PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');
  try {
    new URL(publicUrl);
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute URL, got ${JSON.stringify(publicUrl)}`);
  }
  const minRows = int(env, 'MIN_ROWS', 11, 2);
  const minColumns = int(env, 'MIN_COLUMNS', 2, 2);
  const scale = scaleOut(env);
  const trainingWorkers = int(env, 'TRAINING_WORKERS', 1, 1, 64);
  const maxTimeBudgetSeconds = int(env, 'MAX_TIME_BUDGET_SECONDS', 3600, 1, 86_400);
  return {
    host,
    port,
    publicUrl,
    dataDir: resolve(env.DATA_DIR || './data'),
    maxUploadBytes: int(env, 'MAX_UPLOAD_BYTES', 1024 ** 3, 1),
    maxRecordChars: int(env, 'MAX_RECORD_CHARS', DEFAULT_MAX_RECORD_CHARS, 1024, DEFAULT_MAX_RECORD_CHARS),
    profileMemoryBytes: int(env, 'PROFILE_MEMORY_BYTES', 1024 ** 3, 256 * 1024 ** 2),
    signedUrlTtlSeconds: int(env, 'SIGNED_URL_TTL_SECONDS', 3600, 1),
    apiKeyTtlDays: int(env, 'API_KEY_TTL_DAYS', 30, 1),
    trainingWorkers,
    // By default the trainings running at once share the cores between them.
    trainingThreads: int(env, 'TRAINING_THREADS', Math.max(1, Math.floor(availableParallelism() / trainingWorkers)), 1, 256),
    jobLeaseMs: int(env, 'JOB_LEASE_MS', 30_000, 1000),
    trainingTimeBudgetSeconds: int(env, 'TRAINING_TIME_BUDGET_SECONDS', Math.min(60, maxTimeBudgetSeconds), 1, maxTimeBudgetSeconds),
    trainingSeed: int(env, 'TRAINING_SEED', 42, 0, 2 ** 31 - 1),
    limits: {
      minRows,
      maxRows: int(env, 'MAX_ROWS', 1_000_000, minRows),
      minColumns,
      maxColumns: int(env, 'MAX_COLUMNS', 999, minColumns),
      maxClasses: int(env, 'MAX_CLASSES', 200, 3),
      maxCvFolds: int(env, 'MAX_CV_FOLDS', 10, 2, 100),
      maxTimeBudgetSeconds,
      timeSeries: timeSeriesLimits(env),
    },
    holdTrainingFile: env.YOSOKU_HOLD_TRAINING_FILE || null,
    holdSwitchFile: env.YOSOKU_HOLD_SWITCH_FILE || null,
    holdBatchFile: env.YOSOKU_HOLD_BATCH_FILE || null,
    switchLeaseMs: int(env, 'CLASSIFIER_SWITCH_LEASE_MS', 10 * 60_000, 1000),
    modelCacheBytes: int(env, 'MODEL_CACHE_BYTES', 512 * 1024 ** 2, 1),
    inferenceMaxRows: int(env, 'INFERENCE_MAX_ROWS', 10_000, 1),
    inferenceMaxCsvBytes: int(env, 'INFERENCE_MAX_CSV_BYTES', 32 * 1024 ** 2, 1),
    inferenceThreads: int(env, 'INFERENCE_THREADS', 1, 1, 64),
    inferenceInlineMaxCost: int(env, 'INFERENCE_INLINE_MAX_COST', 10_000, 0),
    retrainMaxUncompressedBytes: int(env, 'RETRAIN_MAX_UNCOMPRESSED_BYTES', 1024 ** 3, 1),
    trustProxy: trustProxy(env.TRUST_PROXY),
    http: httpTimeouts(env),
    quotas: {
      maxStoredBytes: int(env, 'USER_MAX_STORED_BYTES', 100 * 1024 ** 3, 1),
      maxOpenProcesses: int(env, 'USER_MAX_OPEN_PROCESSES', 100, 1),
      maxRunningJobs: int(env, 'USER_MAX_RUNNING_JOBS', 2, 1),
    },
    rateLimits: {
      inferencePerMinute: int(env, 'INFERENCE_RATE_LIMIT_PER_MINUTE', 60_000, 0),
      apiKeyPerMinute: int(env, 'API_KEY_RATE_LIMIT_PER_MINUTE', 60, 0),
      store: rateLimitStore(env.RATE_LIMIT_STORE, scale !== null),
    },
    scaleOut: scale,
    urlSigningSecret: urlSigningSecret(env, scale !== null),
    metricsToken: env.METRICS_TOKEN || null,
  };
}
