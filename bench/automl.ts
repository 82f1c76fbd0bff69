/**
 * AutoML benchmark: the whole AutoML with default settings (cv 0, time_budget 60, as the API runs
 * it) on every dev dataset's train rows, scored on the test rows, beside the tuned anchor
 * (shared/bench/tuned.py, XGBoost tuned by Optuna) and XGBoost / HGB at their defaults
 * (shared/bench/baseline.py), all on the same split.
 *
 *   npm run bench:automl                          # baseline.py (--repeat 1) into .bench-out/automl/splits
 *   npm run bench:automl -- --baseline-dir DIR    # reuse DIR/<name>/{train,test}.csv + results.json
 *   npm run bench:automl -- --only penguins,diamonds
 *   npm run bench:automl -- --threads 1              # the trainer's threads (default 2)
 *   npm run bench:automl -- --no-tuned               # skip the tuned anchor
 *   npm run bench:automl -- --tuned-json F1,F2       # seed the cache from tuned.py outputs run on these splits
 *   npm run bench:automl -- --tuned-reference        # no tuned.py run: uncached datasets take the metric of
 *                                                    # shared/bench/results-tuned-dev.md (same splits; no log loss)
 *   npm run bench:automl -- --no-wall-stop           # accuracy of the deterministic model on a loaded machine:
 *                                                    # the wall-clock safety stop never fires (wall time is still measured)
 *
 * The tuned anchor takes ≈ 45 min for the nine dev sets on 2 cores, so its result per dataset is
 * cached in .bench-out/tuned/<dataset>-<key>.json, the key a hash of the split's train and test
 * files and the trial count: a rerun on the same split reuses it, and the output says which numbers
 * came from the cache. Types come from ingest's profiling of the train file; time-series datasets
 * run as plain regression with date features.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { profileFile, readTypedTable } from '../src/ingest/index.js';
import type { ColumnType } from '../src/table/table.js';
import { predictAutoModel, trainAutoModel } from '../src/automl/pipeline.js';
import type { TaskType } from '../src/automl/types.js';
import { auc, macroF1, rmse } from '../src/engine/index.js';
import { createParallelTraining } from '../src/compute/parallel-training.js';

const SHARED = '/work/shared';
const MANIFEST = join(SHARED, 'bench/datasets.json');
const OUT = '.bench-out';
const TUNED_TRIALS = 20;

interface Dataset {
  name: string;
  set: string;
  task: 'binary' | 'multiclass' | 'regression' | 'timeseries';
  target: string;
  positive_label?: string;
  metric: 'auc' | 'macro_f1' | 'rmse';
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { datasets: Dataset[] };
const only = (arg('--only') ?? '').split(',').filter((s) => s !== '');
const datasets = manifest.datasets.filter((d) => d.set === 'dev' && (only.length === 0 || only.includes(d.name)));
let dir = arg('--baseline-dir');
if (dir === undefined) {
  dir = join(OUT, 'automl', 'splits');
  mkdirSync(dir, { recursive: true });
  console.error(`running baseline.py into ${dir} ...`);
  execFileSync(
    '/usr/bin/python3',
    [
      join(SHARED, 'bench/baseline.py'),
      '--manifest',
      MANIFEST,
      '--data-dir',
      join(SHARED, 'datasets'),
      '--out',
      dir,
      '--repeat',
      '1',
      ...(only.length ? ['--only', only.join(',')] : []),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
}
const baseline = existsSync(join(dir, 'results.json'))
  ? (JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { results: Record<string, unknown>[] }).results
  : [];

function baselineMetric(name: string, model: string, metric: string): number {
  const r = baseline.find((x) => x.dataset === name && x.model === model);
  return r === undefined || typeof r[metric] !== 'number' ? NaN : (r[metric] as number);
}

/** The cache key of a tuned run: the split's files and the trial count. */
export function tunedKey(splitDir: string, trials: number): string {
  const h = createHash('sha256');
  h.update(readFileSync(join(splitDir, 'train.csv')));
  h.update(readFileSync(join(splitDir, 'test.csv')));
  h.update(`trials=${trials}`);
  return h.digest('hex').slice(0, 16);
}

const TUNED_CACHE = join(OUT, 'tuned');
const tunedCacheFile = (name: string): string => join(TUNED_CACHE, `${name}-${tunedKey(join(dir, name), TUNED_TRIALS)}.json`);

// --tuned-json: results of tuned.py runs on these splits go into the cache.
for (const f of (arg('--tuned-json') ?? '').split(',').filter((x) => x !== '')) {
  mkdirSync(TUNED_CACHE, { recursive: true });
  for (const r of (JSON.parse(readFileSync(f, 'utf8')) as { results: Record<string, unknown>[] }).results) {
    if (typeof r.dataset !== 'string' || r.trials !== TUNED_TRIALS || !existsSync(join(dir, r.dataset, 'train.csv'))) continue;
    writeFileSync(tunedCacheFile(r.dataset), JSON.stringify(r));
    console.error(`[${r.dataset}] tuned result from ${f} cached`);
  }
}

/** The reference run's metric (shared/bench/results-tuned-dev.md), for --tuned-reference. */
function tunedReference(name: string): number {
  const md = readFileSync(join(SHARED, 'bench/results-tuned-dev.md'), 'utf8');
  const row = md.split('\n').find((l) => l.startsWith(`| ${name} |`));
  return row === undefined ? NaN : Number(row.split('|')[3]!.trim());
}

type TunedSource = 'cache' | 'this run' | 'reference md';

/** The tuned anchor's result on one dataset: from the cache, or by running tuned.py (then cached). */
function tuned(ds: Dataset): { result: Record<string, number> | null; from: TunedSource } {
  const file = tunedCacheFile(ds.name);
  if (existsSync(file)) return { result: JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>, from: 'cache' };
  if (process.argv.includes('--tuned-reference')) return { result: { [ds.metric]: tunedReference(ds.name) }, from: 'reference md' };
  const key = tunedKey(join(dir!, ds.name), TUNED_TRIALS);
  const cacheDir = TUNED_CACHE;
  mkdirSync(cacheDir, { recursive: true });
  const tmp = join(cacheDir, `${ds.name}-${key}.run.json`);
  console.error(`[${ds.name}] running tuned.py (${TUNED_TRIALS} trials; minutes) ...`);
  execFileSync(
    '/usr/bin/python3',
    [
      join(SHARED, 'bench/tuned.py'),
      '--manifest',
      MANIFEST,
      '--splits',
      dir!,
      '--out',
      tmp,
      '--set',
      'dev',
      '--only',
      ds.name,
      '--trials',
      String(TUNED_TRIALS),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const rows = (JSON.parse(readFileSync(tmp, 'utf8')) as { results: Record<string, number>[] }).results;
  if (rows.length === 0) return { result: null, from: 'this run' };
  writeFileSync(file, JSON.stringify(rows[0]));
  return { result: rows[0]!, from: 'this run' };
}

const taskOf: Record<Dataset['task'], TaskType> = {
  binary: 'binary_classification',
  multiclass: 'multi_classification',
  regression: 'regression',
  timeseries: 'regression',
};

/** `--threads N` (default 2, the budget machine's cores): threads for the GBDT trainer's parallel work. */
const nThreads = Number(arg('--threads') ?? 2);
const parallel = nThreads > 1 ? createParallelTraining(nThreads) : null;
const withTuned = !process.argv.includes('--no-tuned');
const wallStop = !process.argv.includes('--no-wall-stop');
const load = (): string =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
console.error(`load average at start: ${load()}`);

const lines: string[] = [
  '| dataset | metric | yosoku | tuned | xgboost | hgb | ok | logloss yosoku | logloss tuned | ok | ECE | yosoku s | yosoku CPU s | candidates | leak warning | tuned from |',
  '|---|---|---:|---:|---:|---:|---|---:|---:|---|---:|---:|---:|---:|---|---|',
];
for (const ds of datasets) {
  const trainPath = join(dir, ds.name, 'train.csv');
  const testPath = join(dir, ds.name, 'test.csv');
  if (!existsSync(trainPath)) {
    console.error(`[${ds.name}] no split in ${dir}, skipped`);
    continue;
  }
  const anchor = withTuned ? tuned(ds) : { result: null, from: 'this run' as TunedSource };
  const profile = await profileFile(trainPath, { delimiter: ',', encoding: 'utf-8', target: ds.target });
  const types: Record<string, ColumnType> = {};
  for (const c of profile.columns) types[c.name] = c.detectedType;
  // The target is read as a label for classification (string), as a number for regression.
  if (ds.task === 'binary' || ds.task === 'multiclass') types[ds.target] = 'string';
  const train = await readTypedTable(trainPath, { delimiter: ',', types });
  const test = await readTypedTable(testPath, { delimiter: ',', types });
  const task = taskOf[ds.task];
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  // time_budget 60 and cv 0: the defaults of a Create Model call (services/train-config.ts).
  const out = trainAutoModel(
    {
      train,
      settings: {
        target: ds.target,
        task,
        ...(ds.positive_label !== undefined ? { positiveLabel: ds.positive_label } : {}),
        cv: 0,
        imbalance: false,
        timeBudgetSeconds: 60,
        seed: Number(arg('--seed') ?? 0),
      },
    },
    { elapsedSeconds: () => (wallStop ? (performance.now() - start) / 1000 : 0), ...(parallel ? { parallel } : {}) },
  );
  const trainSeconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  // CPU seconds of this process's threads (the trainer's included): on 2 cores the wall time of a quiet machine is at least half of it.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const pred = predictAutoModel(out.model, test, { reasons: false });
  const targetCol = test.columns.find((c) => c.name === ds.target)!;
  let ours: number;
  let logloss = NaN;
  if (ds.metric === 'rmse') {
    const y = (targetCol as { values: Float64Array }).values;
    ours = rmse(y, pred.values!);
  } else {
    const classes = out.model.info.classes;
    const K = classes.length;
    const col = targetCol as { codes: Int32Array; levels: readonly string[] };
    const truth = Int32Array.from(col.codes, (c) => classes.indexOf(col.levels[c]!));
    const p = pred.probabilities!;
    logloss = 0;
    for (let i = 0; i < test.nRows; i++) logloss -= Math.log(Math.min(1 - 1e-15, Math.max(1e-15, p[i * K + truth[i]!]!)));
    logloss /= test.nRows;
    if (ds.metric === 'auc')
      ours = auc(
        truth,
        Float64Array.from({ length: test.nRows }, (_, i) => p[2 * i + 1]!),
      );
    else
      ours = macroF1(
        truth,
        Int32Array.from(pred.labels!, (l) => classes.indexOf(l)),
        K,
      );
  }
  const manifestJson = JSON.parse(out.resultFiles.find((f) => f.name === 'model.json')!.content as string) as { search: { candidates: unknown[] } };
  const report = out.resultFiles.find((f) => f.name === 'report.html')!.content as string;
  const leakWarning = report.includes('suspected leakage');
  const xgb = baselineMetric(ds.name, 'xgboost', ds.metric);
  const hgb = baselineMetric(ds.name, 'hgb', ds.metric);
  const anchorMetric = anchor.result?.[ds.metric] ?? NaN;
  const anchorLogloss = anchor.result?.logloss ?? NaN;
  const lower = ds.metric === 'rmse';
  // Compared at the anchor's precision (6 significant digits in tuned.py's output).
  const okMetric = Number.isNaN(anchorMetric) ? '—' : (lower ? ours <= anchorMetric * (1 + 1e-6) : ours >= anchorMetric - 1e-6) ? 'yes' : 'no';
  const okLogloss = Number.isNaN(anchorLogloss) ? '—' : logloss <= anchorLogloss + 1e-6 ? 'yes' : 'no';
  const f = (v: number): string => (Number.isNaN(v) ? '—' : lower ? v.toFixed(2) : v.toFixed(4));
  const ece = out.metrics.ece;
  const from = anchor.result === null ? '—' : anchor.from;
  const line = `| ${ds.name} | ${ds.metric} | ${f(ours)} | ${f(anchorMetric)} | ${f(xgb)} | ${f(hgb)} | ${okMetric} | ${Number.isNaN(logloss) ? '—' : logloss.toFixed(4)} | ${Number.isNaN(anchorLogloss) ? '—' : anchorLogloss.toFixed(4)} | ${ds.metric === 'rmse' ? '—' : okLogloss} | ${ece === undefined ? '—' : ece.toFixed(4)} | ${trainSeconds.toFixed(1)} | ${cpuSeconds.toFixed(1)} | ${manifestJson.search.candidates.length} | ${leakWarning ? 'yes' : 'no'} | ${from} |`;
  console.error(line, JSON.stringify(out.metrics), `load ${load()}`);
  lines.push(line);
}
console.log(lines.join('\n'));
console.log(
  `\nwall-clock stop: ${wallStop ? 'on (as in the service)' : 'off (--no-wall-stop)'}; load average at end: ${load()}; tuned anchor: ${withTuned ? `"tuned from" says where each came from: cache (${TUNED_CACHE}), this run, or the reference md` : 'skipped (--no-tuned)'}`,
);
await parallel?.close();
