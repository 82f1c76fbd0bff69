/**
 * `npm start`: the composition root, and the only file that names concrete implementations.
 * Picks the embedded ones (SQLite + files under DATA_DIR) or, when DATABASE_URL is set, the
 * scale-out ones (PostgreSQL + S3, docs/scale-out.md); builds the services, serves HTTP and runs
 * the job workers (worker threads) in this process. cli.ts reuses `openRuntime` so the CLI and
 * the servers share one store.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './api/app.js';
import { RunnerClosed } from './compute/training-runner.js';
import { ThreadPool } from './compute/thread-pool.js';
import { WorkerThreadBatchRunner, WorkerThreadComparisonRunner, WorkerThreadInferenceRunner, WorkerThreadRunner } from './compute/worker-pool.js';
import { ConfigError, loadConfig, YOSOKU_VERSION, type Config, type ScaleOutConfig } from './config.js';
import { systemClock, type Clock } from './domain/clock.js';
import { newSigningSecret } from './domain/ids.js';
import { JobWorkers } from './jobs/worker-loop.js';
import {
  AuthService,
  BATCH_PREDICT_JOB,
  BatchPredictionJobHandler,
  createServices,
  createUrlSigner,
  RETRAIN_JOB,
  RetrainJobHandler,
  TRAIN_JOB,
  TrainingJobHandler,
  type ServiceDeps,
  type ServiceMetrics,
} from './services/index.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import type { CreatedSecret } from './services/auth.js';
import { FsBlobStore } from './storage/blob-fs/index.js';
import { withChecksums } from './storage/blob-checksums.js';
import { PgRateLimitCounters } from './storage/postgres/rate-limits.js';
import type { BlobStore, MetadataStorage } from './storage/ports.js';
import { openScaleOut } from './storage/scale-out.js';
import { createSqliteStorage } from './storage/sqlite/index.js';

export interface Runtime {
  readonly storage: MetadataStorage;
  readonly deps: ServiceDeps;
  /** Scale-out: other machines share the store, so jobs running at start may be alive elsewhere. */
  readonly shared: boolean;
}

export interface RuntimeOptions {
  readonly clock?: Clock;
  readonly onJobQueued?: () => void;
  readonly metrics?: ServiceMetrics;
}

/** The HMAC key of signed URLs: made once per data directory, so URLs survive restarts. */
async function signingSecret(dataDir: string): Promise<string> {
  const path = join(dataDir, 'url-signing.key');
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secret = newSigningSecret();
  // 'wx': if two processes race on a fresh directory, the loser reads the winner's key.
  await writeFile(path, secret + '\n', { mode: 0o600, flag: 'wx' }).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  return (await readFile(path, 'utf8')).trim();
}

function serviceDeps(storage: MetadataStorage, blobs: BlobStore, secret: string, config: Config, clock: Clock, opts: RuntimeOptions): ServiceDeps {
  return {
    users: storage.users,
    keys: storage.keys,
    processes: storage.processes,
    dataSets: storage.dataSets,
    models: storage.models,
    jobs: storage.jobs,
    classifiers: storage.classifiers,
    retrainJobs: storage.retrainJobs,
    batchPredictions: storage.batchPredictions,
    // Models and result zips carry a SHA-256 sidecar, checked on read (a damaged file is reported, not served).
    blobs: withChecksums(blobs),
    clock,
    signer: createUrlSigner({ secret, publicUrl: config.publicUrl, ttlSeconds: config.signedUrlTtlSeconds }),
    config,
    ...(opts.onJobQueued === undefined ? {} : { onJobQueued: opts.onJobQueued }),
    ...(opts.metrics === undefined ? {} : { metrics: opts.metrics }),
  };
}

export async function openEmbedded(config: Config, opts: RuntimeOptions = {}): Promise<Runtime> {
  await mkdir(config.dataDir, { recursive: true });
  await chmod(config.dataDir, 0o700).catch(() => undefined);
  const clock = opts.clock ?? systemClock;
  const storage = createSqliteStorage(join(config.dataDir, 'yosoku.db'), clock);
  const blobs = new FsBlobStore(join(config.dataDir, 'blobs'));
  const secret = config.urlSigningSecret ?? (await signingSecret(config.dataDir));
  return { storage, deps: serviceDeps(storage, blobs, secret, config, clock, opts), shared: false };
}

/** PostgreSQL + S3. DATA_DIR still holds this machine's blob cache and the first-start key file. */
async function openShared(config: Config, scale: ScaleOutConfig, secret: string, opts: RuntimeOptions): Promise<Runtime> {
  await mkdir(config.dataDir, { recursive: true });
  await chmod(config.dataDir, 0o700).catch(() => undefined);
  const clock = opts.clock ?? systemClock;
  const storage = await openScaleOut({
    databaseUrl: scale.databaseUrl,
    schema: scale.schema,
    s3: scale.s3,
    cacheDir: join(config.dataDir, 'blob-cache'),
    cacheMaxBytes: scale.blobCacheMaxBytes,
    clock,
  });
  return { storage, deps: serviceDeps(storage, storage.blobs, secret, config, clock, opts), shared: true };
}

/** The store the configuration selects: scale-out when DATABASE_URL is set, else embedded. */
export async function openRuntime(config: Config, opts: RuntimeOptions = {}): Promise<Runtime> {
  if (config.scaleOut === null) return openEmbedded(config, opts);
  if (config.urlSigningSecret === null) throw new ConfigError('URL_SIGNING_SECRET is required when DATABASE_URL is set');
  return openShared(config, config.scaleOut, config.urlSigningSecret, opts);
}

/** The user AuthService.bootstrapLocalUser creates. */
const LOCAL_USER = 'local';

/**
 * Creates the local user on an empty store. Scale-out machines may start together on an empty
 * database: the one that loses the race on the unique user name finds the winner's user and
 * creates nothing (the winner prints the key). One that looks up the name just after the winner
 * created it adds a second secret key to the same user and prints that; both keys are valid.
 */
async function bootstrapLocalUser(deps: ServiceDeps): Promise<CreatedSecret | null> {
  try {
    return await new AuthService(deps).bootstrapLocalUser();
  } catch (err) {
    if ((await deps.users.findByName(LOCAL_USER)) !== null) return null;
    throw err;
  }
}

/** Idle workers poll this often; a new job wakes them at once anyway (notify). */
const IDLE_POLL_MS = 2000;
/**
 * On SIGTERM, in-flight requests get this long to finish. A client that stops reading a download
 * must not keep the server from stopping; the jobs are safe either way (they run again on start).
 */
const SHUTDOWN_GRACE_MS = 10_000;

/** `npm start` (and `yosoku serve`): serves HTTP and runs the job workers until SIGTERM or SIGINT. */
export async function main(): Promise<void> {
  const config = loadConfig();
  let workers: JobWorkers | null = null;
  // The metrics read the queue and the model cache when scraped; both exist once the runtime does.
  let metrics: Metrics | null = null;
  const reporter: ServiceMetrics = {
    rowsTrained: (task, rows) => metrics?.rowsTrained(task, rows),
    rowsPredicted: (source, rows, invalid) => metrics?.rowsPredicted(source, rows, invalid),
  };
  const { storage, deps, shared } = await openRuntime(config, { onJobQueued: () => workers?.notify(), metrics: reporter });
  // The compute threads: one pool for the job slots (trainings, batches, retrain comparisons) and
  // one for costly inference requests, so a training never delays a prediction.
  const jobThreads = new ThreadPool({ maxThreads: config.trainingWorkers, threadsPerTraining: config.trainingThreads });
  const inferenceThreads = new ThreadPool({ maxThreads: config.inferenceThreads });
  const services = createServices({ ...deps, inferenceRunner: new WorkerThreadInferenceRunner(inferenceThreads) });
  metrics = createMetrics({
    activeJobs: () => storage.jobs.countActive(),
    modelCache: () => ({ ...services.models.stats, maxBytes: config.modelCacheBytes }),
    processMetrics: true,
  });
  // Scale-out: every machine counts into the same rate-limit windows (else N machines allow N × the limit).
  const rateLimitCounters =
    config.scaleOut !== null && config.rateLimits.store === 'postgres'
      ? await PgRateLimitCounters.open({ connectionString: config.scaleOut.databaseUrl, schema: config.scaleOut.schema })
      : null;
  const app = buildApp(services, {
    logger: { level: process.env.LOG_LEVEL || 'info' },
    trustProxy: config.trustProxy,
    inferenceMaxCsvBytes: config.inferenceMaxCsvBytes,
    metrics,
    metricsToken: config.metricsToken,
    timeouts: config.http,
    rateLimits: config.rateLimits,
    ...(rateLimitCounters === null ? {} : { rateLimitCounters }),
    hsts: config.publicUrl.startsWith('https://'),
  });
  services.deployment.onBackgroundError = (err) => app.log.error({ err }, 'classifier build/stop error');
  // Classifiers left `building` by a previous run (the process stopped mid-build) build again. In
  // scale-out another machine may be building them right now: both load the model and the status
  // change is a compare-and-set, so one of them wins and the other's transition is a no-op.
  await services.deployment.resumeBuilds();
  // A retrain switch killed between `updating` and the swap: embedded, this server was the only
  // writer, so every `updating` classifier is such a leftover; scale-out, only those past the lease.
  await services.deployment.recoverStuckSwitches(shared ? new Date(Date.now() - config.switchLeaseMs) : null);
  const switchSweep = setInterval(
    () => {
      services.deployment
        .recoverStuckSwitches(new Date(Date.now() - config.switchLeaseMs))
        .catch((err: unknown) => app.log.error({ err }, 'classifier switch recovery error'));
    },
    Math.min(60_000, Math.ceil(config.switchLeaseMs / 2)),
  );
  switchSweep.unref();

  const created = await bootstrapLocalUser(deps);
  if (created !== null) {
    const path = join(config.dataDir, 'secret-key.txt');
    await writeFile(path, created.secretKey + '\n', { mode: 0o600 });
    console.log(`Created the local user. Secret key (also in ${path}):\n${created.secretKey}`);
  }

  // Load AutoML in the threads now, not on the first training or large request.
  jobThreads.warm(config.trainingWorkers);
  inferenceThreads.warm(config.inferenceThreads);
  const runner = new WorkerThreadRunner(jobThreads);
  const training = new TrainingJobHandler(deps, { runner, version: YOSOKU_VERSION, holdTrainingFile: config.holdTrainingFile });
  const retrain = new RetrainJobHandler(deps, training, new WorkerThreadComparisonRunner(jobThreads));
  const batch = new BatchPredictionJobHandler(deps, new WorkerThreadBatchRunner(jobThreads));
  workers = new JobWorkers({
    queue: storage.jobs,
    handlers: { [TRAIN_JOB]: training, [RETRAIN_JOB]: retrain, [BATCH_PREDICT_JOB]: batch },
    concurrency: config.trainingWorkers,
    workerId: `${hostname()}:${process.pid}`,
    leaseMs: config.jobLeaseMs,
    maxRunningPerOwner: config.quotas.maxRunningJobs,
    idleMs: IDLE_POLL_MS,
    onError: (err, job) => app.log.error({ err, jobId: job?.id }, 'job error'),
    isAbandon: (err) => err instanceof RunnerClosed,
    onJobDone: (job, outcome, ms) => metrics?.jobFinished(job.kind, outcome, ms / 1000),
    now: () => Date.now(),
  });
  // Embedded: any running job is left from this server's previous run. Scale-out: it may be
  // running on another machine; only expired leases are requeued (by every machine's sweeper).
  await workers.start({ recoverAll: !shared });
  // Scale-out: a job queued on another machine wakes this machine's idle workers at once.
  const stopListening = await storage.jobs.subscribe?.(() => workers?.notify());
  await app.listen({ host: config.host, port: config.port });
  const where = config.scaleOut === null ? `data in ${config.dataDir}` : `PostgreSQL schema ${config.scaleOut.schema}, S3 bucket ${config.scaleOut.s3.bucket}`;
  console.log(`Yosoku ${YOSOKU_VERSION} listening on ${config.publicUrl} (${where})`);

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    app.log.info(`${signal}: stopping`);
    clearInterval(switchSweep);
    await Promise.race([app.close(), sleep(SHUTDOWN_GRACE_MS)]);
    await jobThreads.close();
    await inferenceThreads.close();
    await workers?.stop();
    await stopListening?.();
    await rateLimitCounters?.close();
    await storage.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

const isEntry = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) {
  main().catch((err: unknown) => {
    console.error(err instanceof ConfigError ? `configuration error: ${err.message}` : err);
    process.exit(1);
  });
}
