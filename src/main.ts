/**
 * `npm start`: the composition root, and the only file that names concrete implementations.
 * Picks the embedded ones (SQLite + files under DATA_DIR, worker threads), builds the services,
 * serves HTTP and runs the training workers in this process. cli.ts reuses `openEmbedded` so the
 * CLI and a running server share one data directory.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './api/app.js';
import { RunnerClosed } from './compute/training-runner.js';
import { WorkerThreadRunner } from './compute/worker-pool.js';
import { ConfigError, loadConfig, YOSOKU_VERSION, type Config } from './config.js';
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
} from './services/index.js';
import { WorkerThreadBatchRunner } from './deploy/batch-pool.js';
import { FsBlobStore } from './storage/blob-fs/index.js';
import { createSqliteStorage, type SqliteStorage } from './storage/sqlite/index.js';

export interface EmbeddedRuntime {
  readonly storage: SqliteStorage;
  readonly deps: ServiceDeps;
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

export async function openEmbedded(config: Config, opts: { clock?: Clock; onJobQueued?: () => void } = {}): Promise<EmbeddedRuntime> {
  await mkdir(config.dataDir, { recursive: true });
  await chmod(config.dataDir, 0o700).catch(() => undefined);
  const clock = opts.clock ?? systemClock;
  const storage = createSqliteStorage(join(config.dataDir, 'yosoku.db'), clock);
  const deps: ServiceDeps = {
    users: storage.users,
    keys: storage.keys,
    processes: storage.processes,
    dataSets: storage.dataSets,
    models: storage.models,
    jobs: storage.jobs,
    classifiers: storage.classifiers,
    retrainJobs: storage.retrainJobs,
    batchPredictions: storage.batchPredictions,
    blobs: new FsBlobStore(join(config.dataDir, 'blobs')),
    clock,
    signer: createUrlSigner({ secret: await signingSecret(config.dataDir), publicUrl: config.publicUrl, ttlSeconds: config.signedUrlTtlSeconds }),
    config,
    ...(opts.onJobQueued === undefined ? {} : { onJobQueued: opts.onJobQueued }),
  };
  return { storage, deps };
}

/** Idle workers poll this often; a new job wakes them at once anyway (notify). */
const IDLE_POLL_MS = 2000;
/**
 * On SIGTERM, in-flight requests get this long to finish. A client that stops reading a download
 * must not keep the server from stopping; the jobs are safe either way (they run again on start).
 */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig();
  let workers: JobWorkers | null = null;
  const { storage, deps } = await openEmbedded(config, { onJobQueued: () => workers?.notify() });
  const services = createServices(deps);
  const app = buildApp(services, {
    logger: { level: process.env.LOG_LEVEL || 'info' },
    trustProxy: config.trustProxy,
    inferenceMaxCsvBytes: config.inferenceMaxCsvBytes,
  });
  services.deployment.onBackgroundError = (err) => app.log.error({ err }, 'classifier build/stop error');
  // Classifiers left `building` by a previous run (the process stopped mid-build) build again.
  await services.deployment.resumeBuilds();

  const created = await new AuthService(deps).bootstrapLocalUser();
  if (created !== null) {
    const path = join(config.dataDir, 'secret-key.txt');
    await writeFile(path, created.secretKey + '\n', { mode: 0o600 });
    console.log(`Created the local user. Secret key (also in ${path}):\n${created.secretKey}`);
  }

  const runner = new WorkerThreadRunner();
  runner.warm(config.trainingWorkers); // load AutoML in the threads now, not on the first training
  const training = new TrainingJobHandler(deps, { runner, version: YOSOKU_VERSION, holdTrainingFile: config.holdTrainingFile });
  const retrain = new RetrainJobHandler(deps, training, services.models);
  const batchRunner = new WorkerThreadBatchRunner();
  const batch = new BatchPredictionJobHandler(deps, batchRunner);
  workers = new JobWorkers({
    queue: storage.jobs,
    handlers: { [TRAIN_JOB]: training, [RETRAIN_JOB]: retrain, [BATCH_PREDICT_JOB]: batch },
    concurrency: config.trainingWorkers,
    workerId: `${hostname()}:${process.pid}`,
    leaseMs: config.jobLeaseMs,
    idleMs: IDLE_POLL_MS,
    onError: (err, job) => app.log.error({ err, jobId: job?.id }, 'job error'),
    isAbandon: (err) => err instanceof RunnerClosed,
    now: () => Date.now(),
  });
  await workers.start({ recoverAll: true });
  await app.listen({ host: config.host, port: config.port });
  console.log(`Yosoku ${YOSOKU_VERSION} listening on ${config.publicUrl} (data in ${config.dataDir})`);

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    app.log.info(`${signal}: stopping`);
    await Promise.race([app.close(), sleep(SHUTDOWN_GRACE_MS)]);
    await runner.close();
    await batchRunner.close();
    await workers?.stop();
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
