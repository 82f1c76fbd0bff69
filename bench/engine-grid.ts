/**
 * The engine grid (`npm run bench:engine -- --grid`): our engine and XGBoost 1.7 `hist` on synthetic
 * problems over rows × features × tree shapes × objectives × threads, one after the other in the same
 * run with equal settings. Per cell: both times and their ratio, both test metrics, and our metric with
 * float gradients (a second training of ours when the default quantizes), then the worst cell and the
 * geometric means.
 *
 * Full grid (216 cells; hours, run it on a quiet machine):
 *   rows       20k, 200k, 2M                                      (--rows 20000,200000,2000000)
 *   features   dense20, dense100, cat20 (10 numeric + 10 categorical of 10–1,000 levels;
 *              XGBoost gets them as its own categorical features)  (--features dense20,dense100,cat20)
 *   shapes     depth6 (depth 6, 64 leaves, min data 1, XGBoost depthwise max_depth 6),
 *              leaves31 (31 leaves leaf-wise, lossguide), leaves255 (255 leaves leaf-wise, our
 *              min-data-in-leaf 20), depth10 (depth 10, XGBoost depthwise max_depth 10)
 *                                                                 (--shapes depth6,leaves31,leaves255,depth10)
 *   objectives binary (AUC), multiclass (5 classes, log-loss), regression (RMSE)
 *                                                                 (--objectives binary,multiclass,regression)
 *   threads    1, 2                                               (--threads-list 1,2)
 *   npm run bench:engine -- --grid --full
 * Default subset (< 20 min on a quiet 2-core machine): rows 20k and 200k × every shape × every
 * objective, the feature set and the thread count rotating so that every (rows, shape) pair sees two
 * feature sets and both thread counts: 24 cells. --rows, --shapes, --objectives and --threads-list
 * narrow the rotation; with --features (or --full) the cells are the product of the lists.
 *
 * Settings of every cell: --rounds (100), learning rate 0.1, 255 bins, L2 1, min hessian per leaf 1
 * (XGBoost's min_child_weight), 2% missing numeric values. Our time is the whole trainGbdt call
 * (binning included), after one untimed warm-up training per objective at the start of the run (its
 * time is printed separately); the thread pool is created once per thread count (AutoML keeps one).
 * XGBoost's time is DMatrix construction plus xgboost.train, after an OpenMP warm-up. Both sides also
 * report the process's CPU seconds over the training (all threads): on a machine loaded beyond its
 * cores, wall times of 2-thread runs are dominated by the other load (XGBoost's OpenMP threads lose
 * most, about 10× at load 25 on 2 cores), and the CPU ratio of 1-thread cells is the steadier figure.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Rng, evaluateMetric, predictRaw, toRowMajor, trainGbdt, type FeatureColumn, type FeatureTable, type GbdtParams } from '../src/engine/index.js';
import { createParallelTraining } from '../src/compute/parallel-training.js';

const PYTHON = '/usr/bin/python3';
const HELPER = new URL('./engine-xgb.py', import.meta.url).pathname;
const N_CLASSES = 5;

type Objective = 'binary' | 'multiclass' | 'regression';
type FeatureSet = 'dense20' | 'dense100' | 'cat20';
type Shape = 'depth6' | 'leaves31' | 'leaves255' | 'depth10';

interface ShapeSettings {
  maxDepth: number;
  maxLeaves: number;
  minDataInLeaf: number;
  growPolicy: 'depthwise' | 'lossguide';
}

const SHAPES: Record<Shape, ShapeSettings> = {
  depth6: { maxDepth: 6, maxLeaves: 64, minDataInLeaf: 1, growPolicy: 'depthwise' },
  leaves31: { maxDepth: 0, maxLeaves: 31, minDataInLeaf: 1, growPolicy: 'lossguide' },
  leaves255: { maxDepth: 0, maxLeaves: 255, minDataInLeaf: 20, growPolicy: 'lossguide' },
  depth10: { maxDepth: 10, maxLeaves: 1024, minDataInLeaf: 1, growPolicy: 'depthwise' },
};

export interface Cell {
  rows: number;
  features: FeatureSet;
  shape: Shape;
  objective: Objective;
  threads: number;
}

interface Problem {
  train: { table: FeatureTable; label: Float64Array };
  test: { table: FeatureTable; label: Float64Array };
  categorical: number[];
}

interface CellResult extends Cell {
  ours: number;
  xgb: number;
  /** CPU seconds of the process (every thread) during the training. */
  oursCpu: number;
  xgbCpu: number;
  oursMetric: number;
  xgbMetric: number;
  /** Our metric (and time) with float gradients; equal to ours when the default does not quantize. */
  floatMetric: number;
  floatSeconds: number | null;
}

const LEVELS = [10, 25, 50, 100, 200, 300, 500, 700, 850, 1000];

/** A seeded synthetic problem: nonlinear score over a few numeric and categorical features plus noise. */
function makeProblem(nTrain: number, nTest: number, features: FeatureSet, objective: Objective, seed: number): Problem {
  const rng = new Rng(seed);
  const n = nTrain + nTest;
  const nNumeric = features === 'dense100' ? 100 : features === 'dense20' ? 20 : 10;
  const nCat = features === 'cat20' ? 10 : 0;
  const numeric: Float64Array[] = [];
  for (let f = 0; f < nNumeric; f++) {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) c[i] = rng.nextFloat() + rng.nextFloat() + rng.nextFloat() - 1.5;
    numeric.push(c);
  }
  const cats: Int32Array[] = [];
  const effects: Float64Array[] = [];
  for (let f = 0; f < nCat; f++) {
    const levels = LEVELS[f]!;
    const c = new Int32Array(n);
    // Skewed level frequencies (squared uniform), as real categorical columns have.
    for (let i = 0; i < n; i++) c[i] = Math.min(levels - 1, Math.floor(rng.nextFloat() ** 2 * levels));
    const e = new Float64Array(levels);
    for (let l = 0; l < levels; l++) e[l] = rng.nextFloat() * 2 - 1;
    cats.push(c);
    effects.push(e);
  }
  const col = (f: number): Float64Array => numeric[f % nNumeric]!;
  const label = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let score = 2 * col(0)[i]! - 1.5 * col(1)[i]! * col(2)[i]! + (col(3)[i]! > 0.2 ? 1 : -0.5) + Math.sin(3 * col(2)[i]!);
    score += 0.5 * col(4)[i]! * col(5)[i]! - Math.abs(col(6)[i]!);
    for (let f = 0; f < nCat; f++) score += effects[f]![cats[f]![i]!]! * (f < 3 ? 1 : 0.4);
    const y = score + (rng.nextFloat() - 0.5) * 1.5;
    if (objective === 'binary') label[i] = y > 0 ? 1 : 0;
    else if (objective === 'regression') label[i] = y;
    else label[i] = y < -1.6 ? 0 : y < -0.5 ? 1 : y < 0.5 ? 2 : y < 1.6 ? 3 : 4;
  }
  for (const c of numeric) for (let i = 0; i < n; i++) if (rng.nextFloat() < 0.02) c[i] = NaN;
  const tableOf = (from: number, to: number): FeatureTable => {
    const columns: FeatureColumn[] = [];
    numeric.forEach((c, f) => columns.push({ kind: 'numeric', name: `x${f}`, values: c.slice(from, to) }));
    cats.forEach((c, f) => columns.push({ kind: 'categorical', name: `c${f}`, codes: c.slice(from, to), nCategories: LEVELS[f]! }));
    return { nRows: to - from, columns };
  };
  return {
    train: { table: tableOf(0, nTrain), label: label.slice(0, nTrain) },
    test: { table: tableOf(nTrain, n), label: label.slice(nTrain, n) },
    categorical: cats.map((_, f) => nNumeric + f),
  };
}

function metricOf(objective: Objective): string {
  return objective === 'binary' ? 'auc' : objective === 'multiclass' ? 'multi_logloss' : 'rmse';
}

/** Relative difference of a to b in the direction of "a is worse" (positive = worse). */
function worseBy(objective: Objective, a: number, b: number): number {
  const rel = (a - b) / Math.abs(b);
  return objective === 'binary' ? -rel : rel;
}

function writeF64(path: string, a: Float64Array): void {
  writeFileSync(path, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

function paramsOf(cell: Cell, rounds: number, quantizeMinRows?: number): Partial<GbdtParams> & { objective: Objective } {
  const s = SHAPES[cell.shape];
  return {
    objective: cell.objective,
    ...(cell.objective === 'multiclass' ? { nClasses: N_CLASSES } : {}),
    nRounds: rounds,
    learningRate: 0.1,
    maxLeaves: s.maxLeaves,
    maxDepth: s.maxDepth,
    minDataInLeaf: s.minDataInLeaf,
    minSumHessian: 1,
    lambdaL2: 1,
    maxBin: 255,
    nThreads: cell.threads,
    ...(quantizeMinRows !== undefined ? { quantizeMinRows } : {}),
  };
}

function runOurs(p: Problem, cell: Cell, rounds: number, parallel: ReturnType<typeof createParallelTraining> | undefined, quantizeMinRows?: number) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const model = trainGbdt(p.train, paramsOf(cell, rounds, quantizeMinRows), { parallel });
  const seconds = (performance.now() - t0) / 1000;
  const c1 = process.cpuUsage(c0);
  const cpu = (c1.user + c1.system) / 1e6;
  const raw = predictRaw(model, toRowMajor(p.test.table), p.test.table.nRows);
  const metric = evaluateMetric(metricOf(cell.objective), cell.objective, p.test.label, raw, model.nOutputs);
  return { seconds, cpu, metric, quantized: p.train.table.nRows >= model.params.quantizeMinRows };
}

function runXgb(dir: string, p: Problem, cell: Cell, rounds: number): { seconds: number; cpu: number; metric: number } {
  const s = SHAPES[cell.shape];
  const out = execFileSync(
    PYTHON,
    [
      HELPER,
      'grid',
      '--dir',
      dir,
      '--task',
      cell.objective,
      '--n-features',
      String(p.train.table.columns.length),
      '--n-classes',
      String(N_CLASSES),
      '--categorical',
      p.categorical.join(','),
      '--rounds',
      String(rounds),
      '--learning-rate',
      '0.1',
      '--grow-policy',
      s.growPolicy,
      '--max-depth',
      String(s.maxDepth),
      '--max-leaves',
      String(s.growPolicy === 'lossguide' ? s.maxLeaves : 0),
      '--max-bin',
      '255',
      '--lambda-l2',
      '1',
      '--min-child-weight',
      '1',
      '--threads',
      String(cell.threads),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  const r = JSON.parse(out.trim().split('\n').pop()!) as { fit_s: number; cpu_s: number; metric: number };
  return { seconds: r.fit_s, cpu: r.cpu_s, metric: r.metric };
}

function listFlag<T extends string | number>(name: string, parse: (s: string) => T): T[] | undefined {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  return v === undefined ? undefined : v.split(',').map(parse);
}

/** The cells to run: the product of the given lists, the full grid, or the default rotation. */
export function gridCells(argv: readonly string[]): Cell[] {
  const rows = listFlag('--rows', Number);
  const features = listFlag('--features', (s) => s as FeatureSet);
  const shapes = listFlag('--shapes', (s) => s as Shape);
  const objectives = listFlag('--objectives', (s) => s as Objective);
  const threads = listFlag('--threads-list', Number);
  const full = argv.includes('--full');
  const allShapes = Object.keys(SHAPES) as Shape[];
  const allObjectives: Objective[] = ['binary', 'multiclass', 'regression'];
  const allFeatures: FeatureSet[] = ['dense20', 'dense100', 'cat20'];
  const cells: Cell[] = [];
  if (full || features !== undefined) {
    for (const r of rows ?? (full ? [20_000, 200_000, 2_000_000] : [20_000, 200_000]))
      for (const f of features ?? allFeatures)
        for (const s of shapes ?? allShapes)
          for (const o of objectives ?? allObjectives)
            for (const t of threads ?? [1, 2]) cells.push({ rows: r, features: f, shape: s, objective: o, threads: t });
    return cells;
  }
  for (const r of rows ?? [20_000, 200_000])
    (shapes ?? allShapes).forEach((s, si) =>
      (objectives ?? allObjectives).forEach((o, oi) =>
        cells.push({
          rows: r,
          features: allFeatures[(si + oi) % 3]!,
          shape: s,
          objective: o,
          threads: (threads ?? [1, 2])[(si + oi) % (threads ?? [1, 2]).length]!,
        }),
      ),
    );
  return cells;
}

function fmt(v: number): string {
  return v.toFixed(4);
}

export async function runGrid(argv: readonly string[]): Promise<void> {
  const rounds = Number(argv[argv.indexOf('--rounds') + 1] ?? 100) || 100;
  const cells = gridCells(argv);
  const loadBefore = loadavg()[0]!;
  const work = join(tmpdir(), `yosoku-bench-grid-${process.pid}`);
  mkdirSync(work, { recursive: true });
  const pools = new Map<number, ReturnType<typeof createParallelTraining>>();
  const poolOf = (t: number) => {
    if (t === 1) return undefined;
    let p = pools.get(t);
    if (p === undefined) pools.set(t, (p = createParallelTraining(t)));
    return p;
  };
  const results: CellResult[] = [];
  const warmStart = performance.now();
  for (const objective of ['binary', 'multiclass', 'regression'] as const) {
    const p = makeProblem(4000, 1000, 'cat20', objective, 1);
    runOurs(p, { rows: 4000, features: 'cat20', shape: 'depth6', objective, threads: 1 }, 20, undefined);
  }
  const warmSeconds = (performance.now() - warmStart) / 1000;
  try {
    // Cells sharing a problem run back to back, so each problem is generated and written once.
    const key = (c: Cell) => `${c.rows}/${c.features}/${c.objective}`;
    const order = [...cells].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    let problemKey = '';
    let problem: Problem | null = null;
    const dir = join(work, 'cell');
    for (const cell of order) {
      if (key(cell) !== problemKey) {
        problemKey = key(cell);
        problem = makeProblem(cell.rows, Math.max(5000, Math.round(cell.rows / 4)), cell.features, cell.objective, 2026 + cell.rows);
        mkdirSync(dir, { recursive: true });
        writeF64(join(dir, 'Xtr.f64'), toRowMajor(problem.train.table));
        writeF64(join(dir, 'Xte.f64'), toRowMajor(problem.test.table));
        writeF64(join(dir, 'ytr.f64'), problem.train.label);
        writeF64(join(dir, 'yte.f64'), problem.test.label);
      }
      const p = problem!;
      const parallel = poolOf(cell.threads);
      const ours = runOurs(p, cell, rounds, parallel);
      const xgb = runXgb(dir, p, cell, rounds);
      const float = ours.quantized ? runOurs(p, cell, rounds, parallel, 2 ** 31) : null;
      const r: CellResult = {
        ...cell,
        ours: ours.seconds,
        xgb: xgb.seconds,
        oursCpu: ours.cpu,
        xgbCpu: xgb.cpu,
        oursMetric: ours.metric,
        xgbMetric: xgb.metric,
        floatMetric: float?.metric ?? ours.metric,
        floatSeconds: float?.seconds ?? null,
      };
      results.push(r);
      process.stderr.write(
        `[${cell.rows} ${cell.features} ${cell.shape} ${cell.objective} t${cell.threads}] ours ${r.ours.toFixed(2)} s, xgb ${r.xgb.toFixed(2)} s, ratio ${(r.ours / r.xgb).toFixed(2)} (cpu ${r.oursCpu.toFixed(2)} vs ${r.xgbCpu.toFixed(2)}), ${metricOf(cell.objective)} ${fmt(r.oursMetric)} vs ${fmt(r.xgbMetric)}${float !== null ? ` (float ${fmt(float.metric)} in ${float.seconds.toFixed(2)} s)` : ''}\n`,
      );
    }
  } finally {
    for (const p of pools.values()) await p.close();
    rmSync(work, { recursive: true, force: true });
  }
  printTable(results, rounds, warmSeconds, loadBefore);
}

function printTable(results: CellResult[], rounds: number, warmSeconds: number, loadBefore: number): void {
  const lines = [
    `${rounds} rounds, learning rate 0.1, 255 bins, L2 1, min hessian 1, 2% missing; one run each, ours then XGBoost per cell; warm-up (untimed) ${warmSeconds.toFixed(2)} s; load average ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after.`,
    '',
    '| rows | features | shape | objective | threads | ours s | XGBoost s | ratio | CPU ratio | metric | ours | float-gradient ours | XGBoost | vs float % | vs XGBoost % |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const pct = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(2)}`;
  for (const r of results) {
    const ratio = r.ours / r.xgb;
    lines.push(
      `| ${r.rows} | ${r.features} | ${r.shape} | ${r.objective} | ${r.threads} | ${r.ours.toFixed(2)} | ${r.xgb.toFixed(2)} | ${ratio.toFixed(2)} | ${(r.oursCpu / r.xgbCpu).toFixed(2)} | ${metricOf(r.objective)} | ${fmt(r.oursMetric)} | ${fmt(r.floatMetric)} | ${fmt(r.xgbMetric)} | ${pct(worseBy(r.objective, r.oursMetric, r.floatMetric))} | ${pct(worseBy(r.objective, r.oursMetric, r.xgbMetric))} |`,
    );
  }
  lines.push('', '"vs" columns: how much worse our metric is (positive = worse; targets ≤ 0.2 % vs float, ≤ 0.5 % vs XGBoost).', '');
  const summarize = (label: string, rs: CellResult[]) => {
    if (rs.length === 0) return;
    const ratios = rs.map((r) => r.ours / r.xgb);
    const geo = Math.exp(ratios.reduce((s, x) => s + Math.log(x), 0) / ratios.length);
    const cpuGeo = Math.exp(rs.reduce((s, r) => s + Math.log(r.oursCpu / r.xgbCpu), 0) / rs.length);
    let worst = 0;
    ratios.forEach((x, i) => (x > ratios[worst]! ? (worst = i) : 0));
    const w = rs[worst]!;
    const worstMetric = Math.max(...rs.map((r) => worseBy(r.objective, r.oursMetric, r.xgbMetric)));
    const worstFloat = Math.max(...rs.map((r) => worseBy(r.objective, r.oursMetric, r.floatMetric)));
    lines.push(
      `- ${label} (${rs.length} cells): geometric mean ratio ${geo.toFixed(2)} (CPU time ${cpuGeo.toFixed(2)}), worst ${ratios[worst]!.toFixed(2)} (${w.rows} ${w.features} ${w.shape} ${w.objective} ${w.threads} threads); worst metric vs XGBoost ${pct(worstMetric)} %, vs float ${pct(worstFloat)} %`,
    );
  };
  summarize('all', results);
  summarize(
    '20k rows',
    results.filter((r) => r.rows < 100_000),
  );
  summarize(
    '≥ 200k rows',
    results.filter((r) => r.rows >= 100_000),
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}
