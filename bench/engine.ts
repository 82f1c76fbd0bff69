/**
 * Engine benchmark: our GBDT against XGBoost 1.7 (`hist`, loss-guided) at equal settings, one after the
 * other in the same run, on synthetic 1M × 20 problems and on every dev dataset's fixed train/test rows.
 *
 *   npm run bench:engine -- [--rows 1000000] [--rounds 100] [--threads 2] [--only synthetic|datasets]
 *                           [--repeat N] [--quantize-min-rows N]
 *   npm run bench:engine -- --grid [--full] [--rows ...] [--features ...] [--shapes ...] ...
 *
 * --grid runs the rows × features × shapes × objectives × threads grid instead (bench/engine-grid.ts
 * documents it and its default subset).
 *
 * --quantize-min-rows passes the engine's parameter (histograms from quantized gradients from that many
 * training rows; default 65,536, so the dev datasets train on float gradients): 0 checks quantized
 * training's accuracy on every dataset.
 *
 * With --repeat N each side trains N times, alternating ours and XGBoost, and the table shows the
 * median time (the machine's other load moves single runs by tens of percent). The load average is
 * printed before and after.
 *
 * Prints a Markdown table: our seconds, XGBoost's, their ratio, and both test metrics (AUC for binary,
 * macro F1 for multiclass, RMSE for regression). Our time covers binning and training (as XGBoost's
 * `fit` covers its quantile sketch and training); data generation and file reading are not timed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { evaluateMetric, predictRaw, toRowMajor, trainGbdt, type FeatureColumn, type FeatureTable, type GbdtParams } from '../src/engine/index.js';
// A test fixture, not part of the engine's surface.
import { syntheticProblem } from '../src/engine/boosting/train-fixtures.js';
import { createParallelTraining } from '../src/compute/parallel-training.js';
import { runGrid } from './engine-grid.js';

const PYTHON = '/usr/bin/python3';
const SHARED = process.env.YOSOKU_SHARED ?? '/work/shared';
const HELPER = new URL('./engine-xgb.py', import.meta.url).pathname;

type Task = 'binary' | 'multiclass' | 'regression';

interface Settings {
  rounds: number;
  learningRate: number;
  maxLeaves: number;
  maxBin: number;
  lambdaL2: number;
  /** XGBoost's min_child_weight; ours is minSumHessian with minDataInLeaf = 1. */
  minChildWeight: number;
  threads: number;
  /** The engine's quantizeMinRows, or undefined for its default. */
  quantizeMinRows: number | undefined;
}

interface Row {
  name: string;
  rows: string;
  ours: number;
  xgb: number;
  metric: string;
  oursMetric: number;
  xgbMetric: number;
}

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

function metricName(task: Task): string {
  return task === 'binary' ? 'auc' : task === 'multiclass' ? 'macro_f1' : 'rmse';
}

function writeF64(path: string, a: Float64Array): void {
  writeFileSync(path, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

function readF64(path: string): Float64Array {
  const b = readFileSync(path);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** Row-major matrix → engine table (categorical columns as level codes, NaN → -1). */
function tableFromMatrix(x: Float64Array, nFeatures: number, names: string[], categorical: boolean[], nLevels: number[]): FeatureTable {
  const nRows = x.length / nFeatures;
  const columns: FeatureColumn[] = names.map((name, f) => {
    if (categorical[f]) {
      const codes = new Int32Array(nRows);
      for (let i = 0; i < nRows; i++) {
        const v = x[i * nFeatures + f]!;
        codes[i] = Number.isNaN(v) ? -1 : v;
      }
      return { kind: 'categorical', name, codes, nCategories: Math.max(1, nLevels[f]!) };
    }
    const values = new Float64Array(nRows);
    for (let i = 0; i < nRows; i++) values[i] = x[i * nFeatures + f]!;
    return { kind: 'numeric', name, values };
  });
  return { nRows, columns };
}

function runOurs(
  task: Task,
  nClasses: number,
  train: { table: FeatureTable; label: Float64Array },
  test: { table: FeatureTable; label: Float64Array },
  s: Settings,
  parallel: ReturnType<typeof createParallelTraining> | undefined,
): { seconds: number; metric: number } {
  const params: Partial<GbdtParams> & { objective: Task } = {
    objective: task,
    nRounds: s.rounds,
    learningRate: s.learningRate,
    maxLeaves: s.maxLeaves,
    maxBin: s.maxBin,
    lambdaL2: s.lambdaL2,
    minDataInLeaf: 1,
    minSumHessian: s.minChildWeight,
    binSampleSize: 200_000,
    nThreads: s.threads,
    ...(s.quantizeMinRows !== undefined ? { quantizeMinRows: s.quantizeMinRows } : {}),
    ...(task === 'multiclass' ? { nClasses } : {}),
  };
  const t0 = performance.now();
  const model = trainGbdt(train, params, { parallel });
  const seconds = (performance.now() - t0) / 1000;
  const raw = predictRaw(model, toRowMajor(test.table), test.table.nRows);
  return { seconds, metric: evaluateMetric(metricName(task), task, test.label, raw, model.nOutputs) };
}

function runXgb(dir: string, task: Task, nFeatures: number, nClasses: number, s: Settings): { seconds: number; metric: number } {
  const out = execFileSync(
    PYTHON,
    [
      HELPER,
      'train',
      '--dir',
      dir,
      '--task',
      task,
      '--n-features',
      String(nFeatures),
      '--n-classes',
      String(nClasses),
      '--rounds',
      String(s.rounds),
      '--learning-rate',
      String(s.learningRate),
      '--max-leaves',
      String(s.maxLeaves),
      '--max-bin',
      String(s.maxBin),
      '--lambda-l2',
      String(s.lambdaL2),
      '--min-child-weight',
      String(s.minChildWeight),
      '--threads',
      String(s.threads),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  const r = JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
  return { seconds: r.fit_s!, metric: r[metricName(task)]! };
}

function fmt(v: number, digits = 4): string {
  return Math.abs(v) >= 1000 ? v.toFixed(1) : v.toFixed(digits);
}

async function main(): Promise<void> {
  if (process.argv.includes('--grid')) return runGrid(process.argv);
  const nRows = Number(flag('--rows', '1000000'));
  const only = flag('--only', 'all');
  const settings: Settings = {
    rounds: Number(flag('--rounds', '100')),
    learningRate: Number(flag('--learning-rate', '0.1')),
    maxLeaves: Number(flag('--max-leaves', '31')),
    maxBin: Number(flag('--max-bin', '255')),
    lambdaL2: 1,
    minChildWeight: 1,
    threads: Number(flag('--threads', '2')),
    quantizeMinRows: process.argv.includes('--quantize-min-rows') ? Number(flag('--quantize-min-rows', '65536')) : undefined,
  };
  const repeat = Math.max(1, Number(flag('--repeat', '1')));
  /** Ours and XGBoost, alternating, `repeat` times; median seconds of each (metrics are deterministic). */
  const timed = (ours: () => { seconds: number; metric: number }, xgb: () => { seconds: number; metric: number }) => {
    const o: { seconds: number; metric: number }[] = [];
    const x: { seconds: number; metric: number }[] = [];
    for (let r = 0; r < repeat; r++) {
      o.push(ours());
      x.push(xgb());
    }
    const median = (runs: { seconds: number; metric: number }[]) => {
      const sorted = runs.map((run) => run.seconds).sort((a, b) => a - b);
      return { seconds: sorted[(sorted.length - 1) >> 1]!, metric: runs[0]!.metric };
    };
    return { ours: median(o), xgb: median(x) };
  };
  const loadBefore = loadavg()[0]!;
  const work = join(tmpdir(), `yosoku-bench-engine-${process.pid}`);
  mkdirSync(work, { recursive: true });
  const parallel = settings.threads > 1 ? createParallelTraining(settings.threads) : undefined;
  const rows: Row[] = [];
  const report = (r: Row): void => {
    rows.push(r);
    process.stderr.write(`[${r.name}] ours ${r.ours.toFixed(2)} s, xgboost ${r.xgb.toFixed(2)} s, ${r.metric} ${fmt(r.oursMetric)} vs ${fmt(r.xgbMetric)}\n`);
  };
  try {
    if (only === 'all' || only === 'synthetic') {
      const nFeatures = 20;
      const nTest = Math.max(1000, Math.round(nRows / 5));
      for (const task of ['binary', 'regression'] as const) {
        const p = syntheticProblem(nRows + nTest, nFeatures, 2026, task);
        const dir = join(work, `synthetic-${task}`);
        mkdirSync(dir, { recursive: true });
        const sub = (from: number, to: number) => ({
          table: {
            nRows: to - from,
            columns: p.table.columns.map((c) => (c.kind === 'numeric' ? { ...c, values: c.values.subarray(from, to) } : c)),
          } as FeatureTable,
          label: p.label.subarray(from, to),
        });
        const train = sub(0, nRows);
        const test = sub(nRows, nRows + nTest);
        writeF64(join(dir, 'Xtr.f64'), toRowMajor(train.table));
        writeF64(join(dir, 'Xte.f64'), toRowMajor(test.table));
        writeF64(join(dir, 'ytr.f64'), train.label.slice());
        writeF64(join(dir, 'yte.f64'), test.label.slice());
        const { ours, xgb } = timed(
          () => runOurs(task, 0, train, test, settings, parallel),
          () => runXgb(dir, task, nFeatures, 0, settings),
        );
        report({
          name: `synthetic ${task}`,
          rows: `${nRows}/${nTest}`,
          ours: ours.seconds,
          xgb: xgb.seconds,
          metric: metricName(task),
          oursMetric: ours.metric,
          xgbMetric: xgb.metric,
        });
        rmSync(dir, { recursive: true, force: true });
      }
    }
    if (only === 'all' || only === 'datasets') {
      const splitDir = join(work, 'splits');
      const manifest = join(SHARED, 'bench/datasets.json');
      const baseline = join(SHARED, 'bench/baseline.py');
      execFileSync(PYTHON, [baseline, '--manifest', manifest, '--data-dir', join(SHARED, 'datasets'), '--out', splitDir, '--splits-only'], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const names = (JSON.parse(readFileSync(manifest, 'utf8')) as { datasets: { name: string; set: string }[] }).datasets
        .filter((d) => d.set === 'dev')
        .map((d) => d.name);
      for (const name of names) {
        execFileSync(PYTHON, [HELPER, 'prepare', '--manifest', manifest, '--baseline', baseline, '--split-dir', splitDir, '--name', name]);
        const dir = join(splitDir, name);
        const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as {
          task: Task;
          n_classes: number;
          names: string[];
          categorical: boolean[];
          n_levels: number[];
        };
        const nF = meta.names.length;
        const train = {
          table: tableFromMatrix(readF64(join(dir, 'Xtr.f64')), nF, meta.names, meta.categorical, meta.n_levels),
          label: readF64(join(dir, 'ytr.f64')),
        };
        const test = {
          table: tableFromMatrix(readF64(join(dir, 'Xte.f64')), nF, meta.names, meta.categorical, meta.n_levels),
          label: readF64(join(dir, 'yte.f64')),
        };
        const { ours, xgb } = timed(
          () => runOurs(meta.task, meta.n_classes, train, test, settings, parallel),
          () => runXgb(dir, meta.task, nF, meta.n_classes, settings),
        );
        report({
          name,
          rows: `${train.table.nRows}/${test.table.nRows}`,
          ours: ours.seconds,
          xgb: xgb.seconds,
          metric: metricName(meta.task),
          oursMetric: ours.metric,
          xgbMetric: xgb.metric,
        });
      }
    }
  } finally {
    await parallel?.close();
    rmSync(work, { recursive: true, force: true });
  }

  const lines = [
    `Settings: ${settings.rounds} rounds, learning rate ${settings.learningRate}, ${settings.maxLeaves} leaves (leaf-wise / lossguide, no depth limit), ${settings.maxBin} bins, L2 ${settings.lambdaL2}, min hessian per leaf ${settings.minChildWeight}, ${settings.threads} threads each;${settings.quantizeMinRows !== undefined ? ` quantizeMinRows ${settings.quantizeMinRows};` : ''} ${repeat === 1 ? 'one run each' : `median of ${repeat} alternating runs each`}; load average ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after.`,
    '',
    '| problem | train/test rows | ours s | XGBoost s | time ratio | metric | ours | XGBoost | metric diff % |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const rel = ((r.oursMetric - r.xgbMetric) / Math.abs(r.xgbMetric)) * 100;
    lines.push(
      `| ${r.name} | ${r.rows} | ${r.ours.toFixed(2)} | ${r.xgb.toFixed(2)} | ${(r.ours / r.xgb).toFixed(2)} | ${r.metric} | ${fmt(r.oursMetric)} | ${fmt(r.xgbMetric)} | ${rel >= 0 ? '+' : ''}${rel.toFixed(2)} |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
