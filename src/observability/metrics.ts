/**
 * Prometheus metrics (prom-client), one registry per server: HTTP requests by route and status,
 * the job queue's depth and job durations by kind and outcome, rows trained and predicted, the
 * deployed-model cache, and the process itself. docs/operations.md lists them with alert rules.
 *
 * Values that live elsewhere (queue depth in the database, cache counters in the ModelCache) are
 * read when Prometheus scrapes, not pushed: every machine reports the same queue depth, and its
 * own cache.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ServiceMetrics } from '../services/metrics.js';
import type { ActiveJobCount } from '../storage/ports.js';

export type JobOutcome = 'completed' | 'failed' | 'abandoned';

export interface ModelCacheSnapshot {
  readonly entries: number;
  readonly bytes: number;
  readonly maxBytes: number;
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
  readonly loadFailures: number;
}

export interface MetricSources {
  /** The queue's waiting and running jobs (JobQueue.countActive). */
  readonly activeJobs?: () => Promise<readonly ActiveJobCount[]>;
  readonly modelCache?: () => ModelCacheSnapshot;
  /** Node's process metrics (CPU, memory, event-loop lag, GC): on in servers, off in most tests. */
  readonly processMetrics?: boolean;
}

/** What the HTTP layer, the job workers and the services report. */
export interface Metrics extends ServiceMetrics {
  readonly registry: Registry;
  httpRequest(method: string, route: string, status: number, seconds: number): void;
  jobFinished(kind: string, outcome: JobOutcome, seconds: number): void;
}

/** Request latencies from 1 ms (inference) to a minute (large uploads). */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Job durations from a second (a small batch) to hours (a long training budget). */
const JOB_BUCKETS = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200];

/** @example const metrics = createMetrics({ activeJobs: () => storage.jobs.countActive(), processMetrics: true }); */
export function createMetrics(sources: MetricSources = {}): Metrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'yosoku_http_requests_total',
    help: 'HTTP requests answered, by route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'yosoku_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  const jobs = new Histogram({
    name: 'yosoku_job_duration_seconds',
    help: 'Time a job ran on this machine, by kind and outcome (completed, failed, abandoned at shutdown).',
    labelNames: ['kind', 'outcome'],
    buckets: JOB_BUCKETS,
    registers: [registry],
  });
  const trainedRows = new Counter({
    name: 'yosoku_training_rows_total',
    help: 'Data rows of the training files of finished trainings, by prediction type.',
    labelNames: ['task'],
    registers: [registry],
  });
  const predictedRows = new Counter({
    name: 'yosoku_predicted_rows_total',
    help: 'Rows predicted, by source (inference requests, batch predictions).',
    labelNames: ['source'],
    registers: [registry],
  });
  const invalidRows = new Counter({
    name: 'yosoku_invalid_rows_total',
    help: 'Rows that could not be predicted (reported in prediction_invalid.csv), by source.',
    labelNames: ['source'],
    registers: [registry],
  });

  const { activeJobs, modelCache } = sources;
  if (activeJobs !== undefined) {
    new Gauge({
      name: 'yosoku_jobs',
      help: 'Jobs in the shared queue, by kind and state (waiting = queue depth).',
      labelNames: ['kind', 'state'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const c of await activeJobs()) this.set({ kind: c.kind, state: c.state }, c.count);
      },
    });
  }
  if (modelCache !== undefined) {
    const gauge = (name: string, help: string, pick: (s: ModelCacheSnapshot) => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(pick(modelCache()));
        },
      });
    // Cumulative counts kept by the cache itself: exported as counters, read at scrape time.
    const counter = (name: string, help: string, pick: (s: ModelCacheSnapshot) => number) =>
      new Counter({
        name,
        help,
        registers: [registry],
        collect() {
          this.reset();
          this.inc(pick(modelCache()));
        },
      });
    gauge('yosoku_model_cache_bytes', 'Estimated bytes of the deployed models held in memory.', (s) => s.bytes);
    gauge('yosoku_model_cache_max_bytes', 'The model cache budget (MODEL_CACHE_BYTES).', (s) => s.maxBytes);
    gauge('yosoku_model_cache_models', 'Deployed models held in memory.', (s) => s.entries);
    counter('yosoku_model_cache_hits_total', 'Model lookups answered from memory.', (s) => s.hits);
    counter('yosoku_model_cache_misses_total', 'Model lookups that loaded the model from the blob store.', (s) => s.misses);
    counter('yosoku_model_cache_evictions_total', 'Models dropped from memory to stay within the budget.', (s) => s.evictions);
    counter('yosoku_model_cache_load_failures_total', 'Models that could not be loaded (missing or unreadable blob).', (s) => s.loadFailures);
  }
  if (sources.processMetrics === true) collectDefaultMetrics({ register: registry });

  return {
    registry,
    httpRequest(method, route, status, seconds) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      latency.observe(labels, seconds);
    },
    jobFinished(kind, outcome, seconds) {
      jobs.observe({ kind, outcome }, seconds);
    },
    rowsTrained(task, rows) {
      trainedRows.inc({ task }, rows);
    },
    rowsPredicted(source, rows, invalid) {
      if (rows > 0) predictedRows.inc({ source }, rows);
      if (invalid > 0) invalidRows.inc({ source }, invalid);
    },
  };
}
