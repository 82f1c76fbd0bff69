/**
 * AutoML benchmark: the whole AutoML with default settings on every dev dataset's train rows,
 * scored on the test rows, beside XGBoost and HGB from shared/bench/baseline.py run on the same
 * split.
 *
 *   npm run bench:automl                          # runs baseline.py (--repeat 1) into a temp dir
 *   npm run bench:automl -- --baseline-dir DIR    # reuse DIR/<name>/{train,test}.csv + results.json
 *   npm run bench:automl -- --only penguins,diamonds
 *   npm run bench:automl -- --threads 1              # the trainer's threads (default 2)
 *
 * Types come from ingest's profiling of the train file; time-series datasets run as plain
 * regression with date features.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profileFile, readTypedTable } from '../src/ingest/index.js';
import type { ColumnType } from '../src/table/table.js';
import { predictAutoModel, trainAutoModel } from '../src/automl/pipeline.js';
import type { TaskType } from '../src/automl/types.js';
import { auc, macroF1, rmse } from '../src/engine/index.js';
import { createParallelTraining } from '../src/compute/parallel-training.js';

const SHARED = '/work/shared';
const MANIFEST = join(SHARED, 'bench/datasets.json');

interface Dataset {
  name: string;
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
const datasets = manifest.datasets.filter((d) => only.length === 0 || only.includes(d.name));
let dir = arg('--baseline-dir');
if (dir === undefined) {
  dir = mkdtempSync(join(tmpdir(), 'automl-bench-'));
  console.error(`running baseline.py into ${dir} ...`);
  execFileSync('/usr/bin/python3', [join(SHARED, 'bench/baseline.py'), '--manifest', MANIFEST, '--data-dir', join(SHARED, 'datasets'), '--out', dir, '--repeat', '1', ...(only.length ? ['--only', only.join(',')] : [])], { stdio: ['ignore', 'ignore', 'inherit'] });
}
const baseline = existsSync(join(dir, 'results.json'))
  ? (JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { results: Record<string, unknown>[] }).results
  : [];

/** Fallback: the reference table in shared/bench/results-baseline-dev.md (same splits). */
const referenceMd = readFileSync(join(SHARED, 'bench/results-baseline-dev.md'), 'utf8');

function baselineMetric(name: string, model: string, metric: string): number {
  const r = baseline.find((x) => x.dataset === name && x.model === model);
  if (r !== undefined) return r[metric] as number;
  const row = referenceMd.split('\n').find((l) => l.startsWith(`| ${name} | dev | `) && l.split('|')[4]!.trim().includes('/'));
  if (row === undefined) return NaN;
  const cells = row.split('|').map((c) => c.trim());
  const v = cells[model === 'xgboost' ? 6 : 7]!;
  return Number(v.replace(/,/g, ''));
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

const lines: string[] = [
  '| dataset | metric | yosoku | xgboost | hgb | better of two | ok | yosoku train s | test rows |',
  '|---|---|---:|---:|---:|---:|---|---:|---:|',
];
for (const ds of datasets) {
  const trainPath = join(dir, ds.name, 'train.csv');
  const testPath = join(dir, ds.name, 'test.csv');
  if (!existsSync(trainPath)) {
    console.error(`[${ds.name}] no split in ${dir}, skipped`);
    continue;
  }
  const profile = await profileFile(trainPath, { delimiter: ',', encoding: 'utf-8', target: ds.target });
  const types: Record<string, ColumnType> = {};
  for (const c of profile.columns) types[c.name] = c.detectedType;
  // The target is read as a label for classification (string), as a number for regression.
  if (ds.task === 'binary' || ds.task === 'multiclass') types[ds.target] = 'string';
  const train = await readTypedTable(trainPath, { delimiter: ',', types });
  const test = await readTypedTable(testPath, { delimiter: ',', types });
  const task = taskOf[ds.task];
  const start = performance.now();
  const out = trainAutoModel(
    { train, settings: { target: ds.target, task, ...(ds.positive_label !== undefined ? { positiveLabel: ds.positive_label } : {}), cv: 0, imbalance: false, timeBudgetSeconds: 0, seed: Number(arg('--seed') ?? 0) } },
    { elapsedSeconds: () => (performance.now() - start) / 1000, ...(parallel ? { parallel } : {}) },
  );
  const trainSeconds = (performance.now() - start) / 1000;
  const pred = predictAutoModel(out.model, test, { reasons: false });
  const targetCol = test.columns.find((c) => c.name === ds.target)!;
  let ours: number;
  if (ds.metric === 'rmse') {
    const y = (targetCol as { values: Float64Array }).values;
    ours = rmse(y, pred.values!);
  } else {
    const classes = out.model.info.classes;
    const col = targetCol as { codes: Int32Array; levels: readonly string[] };
    const truth = Int32Array.from(col.codes, (c) => classes.indexOf(col.levels[c]!));
    if (ds.metric === 'auc') ours = auc(truth, Float64Array.from({ length: test.nRows }, (_, i) => pred.probabilities![2 * i + 1]!));
    else ours = macroF1(truth, Int32Array.from(pred.labels!, (l) => classes.indexOf(l)), classes.length);
  }
  const xgb = baselineMetric(ds.name, 'xgboost', ds.metric);
  const hgb = baselineMetric(ds.name, 'hgb', ds.metric);
  const lower = ds.metric === 'rmse';
  const better = lower ? Math.min(xgb, hgb) : Math.max(xgb, hgb);
  // Compare at the precision of the reference table (4 decimals; RMSE to 0.1): a tie counts as ok.
  const ok = lower ? Math.round(ours * 10) / 10 <= better : Math.round(ours * 1e4) / 1e4 >= better;
  const f = (v: number): string => (lower ? v.toFixed(2) : v.toFixed(4));
  const line = `| ${ds.name} | ${ds.metric} | ${f(ours)} | ${f(xgb)} | ${f(hgb)} | ${f(better)} | ${ok ? 'yes' : 'no'} | ${trainSeconds.toFixed(1)} | ${test.nRows} |`;
  console.error(line, JSON.stringify(out.metrics));
  lines.push(line);
}
console.log(lines.join('\n'));
await parallel?.close();
