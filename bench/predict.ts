/**
 * Prediction benchmark: µs per row of `predictRaw` for one row at a time (the HTTP serving path)
 * and for a batch, on models trained by the real trainer on a synthetic 50k × 20 problem.
 *
 *   node --import tsx bench/predict.ts [--rows 50000] [--rounds 200] [--batch 10000] [--no-cache]
 *
 * Models are cached as serialized JSON under $TMPDIR/yosoku-bench-models (keyed by their settings)
 * so repeated runs skip training; `--no-cache` retrains. Also exports the model fixtures that
 * bench/shap.ts reuses.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  Rng,
  deserializeModel,
  predictRaw,
  serializeModel,
  toRowMajor,
  trainGbdt,
  type FeatureColumn,
  type FeatureTable,
  type GbdtModel,
} from '../src/engine/index.js';

export function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

export const N_FEATURES = 20;
const N_CATEGORICAL = 2; // the last two columns, 12 levels each
const N_LEVELS = 12;

/**
 * nRows × 20 features: 18 numeric (sums of uniforms, ~5% missing in three of them) and 2
 * categorical (12 levels, ~3% missing). The score mixes main effects, interactions, thresholds and a
 * categorical effect, so trees use many features at varying depths, as on real tabular data.
 * Binary label: sign of score + noise; multiclass: 5 quantile-like bands of it.
 */
export function benchProblem(nRows: number, seed: number, nClasses: 2 | 5): { table: FeatureTable; label: Float64Array } {
  const rng = new Rng(seed);
  const nNumeric = N_FEATURES - N_CATEGORICAL;
  const num: Float64Array[] = [];
  for (let f = 0; f < nNumeric; f++) {
    const c = new Float64Array(nRows);
    for (let i = 0; i < nRows; i++) c[i] = rng.nextFloat() + rng.nextFloat() + rng.nextFloat() - 1.5;
    num.push(c);
  }
  const cat: Int32Array[] = [];
  for (let f = 0; f < N_CATEGORICAL; f++) {
    const c = new Int32Array(nRows);
    for (let i = 0; i < nRows; i++) c[i] = rng.nextInt(N_LEVELS);
    cat.push(c);
  }
  const catEffect = [0.8, -0.6, 0.1, 1.2, -1.1, 0, 0.4, -0.3, 0.9, -0.8, 0.2, -0.2];
  const label = new Float64Array(nRows);
  for (let i = 0; i < nRows; i++) {
    const x = (f: number) => num[f]![i]!;
    let score =
      1.6 * x(0) -
      1.2 * x(1) * x(2) +
      (x(3) > 0.2 ? 0.9 : -0.4) +
      Math.sin(3 * x(4)) +
      0.7 * x(5) * x(5) -
      0.5 * x(6) +
      0.4 * Math.abs(x(7)) -
      0.6 * x(8) * x(9) +
      0.3 * x(10) +
      catEffect[cat[0]![i]!]! +
      0.5 * catEffect[cat[1]![i]!]! * x(11);
    for (let f = 12; f < nNumeric; f++) score += 0.1 * x(f);
    score += (rng.nextFloat() - 0.5) * 1.5;
    label[i] = nClasses === 2 ? (score > 0 ? 1 : 0) : score < -1.2 ? 0 : score < -0.3 ? 1 : score < 0.4 ? 2 : score < 1.3 ? 3 : 4;
  }
  for (const f of [0, 4, 8]) for (let i = 0; i < nRows; i++) if (rng.nextFloat() < 0.05) num[f]![i] = NaN;
  for (const c of cat) for (let i = 0; i < nRows; i++) if (rng.nextFloat() < 0.03) c[i] = -1;
  const columns: FeatureColumn[] = [
    ...num.map((values, f): FeatureColumn => ({ kind: 'numeric', name: `x${f}`, values })),
    ...cat.map((codes, f): FeatureColumn => ({ kind: 'categorical', name: `c${f}`, codes, nCategories: N_LEVELS })),
  ];
  return { table: { nRows, columns }, label };
}

export interface BenchModel {
  readonly name: string;
  readonly model: GbdtModel;
  /** Held-out rows, row-major nRows × N_FEATURES. */
  readonly rows: Float64Array;
  readonly nRows: number;
  readonly trainSeconds: number;
}

/** The benchmark's model grid: binary and 5-class, 31 and 63 leaves. */
export const MODEL_SPECS = [
  { name: 'binary, 31 leaves', nClasses: 2, maxLeaves: 31 },
  { name: 'binary, 63 leaves', nClasses: 2, maxLeaves: 63 },
  { name: '5-class, 31 leaves', nClasses: 5, maxLeaves: 31 },
] as const;

/** Trains (or loads from the cache) every model of MODEL_SPECS and draws nTest held-out rows. */
export function benchModels(nTest: number): BenchModel[] {
  const nRows = Number(flag('--rows', '50000'));
  const nRounds = Number(flag('--rounds', '200'));
  const useCache = !process.argv.includes('--no-cache');
  const cacheDir = join(tmpdir(), 'yosoku-bench-models');
  mkdirSync(cacheDir, { recursive: true });
  const out: BenchModel[] = [];
  for (const spec of MODEL_SPECS) {
    const key = `k${spec.nClasses}-l${spec.maxLeaves}-n${nRows}-r${nRounds}-v1.json`;
    const path = join(cacheDir, key);
    let model: GbdtModel;
    let trainSeconds = 0;
    if (useCache && existsSync(path)) model = deserializeModel(readFileSync(path, 'utf8'));
    else {
      const train = benchProblem(nRows, 1, spec.nClasses);
      const t0 = performance.now();
      model = trainGbdt(
        train,
        spec.nClasses === 2
          ? { objective: 'binary', nRounds, maxLeaves: spec.maxLeaves, learningRate: 0.1, seed: 7 }
          : { objective: 'multiclass', nClasses: 5, nRounds, maxLeaves: spec.maxLeaves, learningRate: 0.1, seed: 7 },
      );
      trainSeconds = (performance.now() - t0) / 1000;
      writeFileSync(path, serializeModel(model));
    }
    const test = benchProblem(nTest, 2, spec.nClasses);
    out.push({ name: spec.name, model, rows: toRowMajor(test.table), nRows: nTest, trainSeconds });
  }
  return out;
}

/** Depth statistics of a model's trees: [mean leaf depth, max leaf depth, trees]. */
export function depthStats(model: GbdtModel): { meanDepth: number; maxDepth: number; nTrees: number; meanLeaves: number } {
  let sumDepth = 0;
  let nLeaves = 0;
  let maxDepth = 0;
  for (const tree of model.trees) {
    const stack: [number, number][] = [[0, 0]];
    if (tree.nInternal === 0) {
      nLeaves++;
      continue;
    }
    while (stack.length > 0) {
      const [node, depth] = stack.pop()!;
      for (const child of [tree.leftChild[node]!, tree.rightChild[node]!]) {
        if (child >= 0) stack.push([child, depth + 1]);
        else {
          sumDepth += depth + 1;
          nLeaves++;
          if (depth + 1 > maxDepth) maxDepth = depth + 1;
        }
      }
    }
  }
  return { meanDepth: sumDepth / nLeaves, maxDepth, nTrees: model.trees.length, meanLeaves: nLeaves / model.trees.length };
}

/** CPU time (user + system) of this process in ms: unlike wall time, not inflated by other processes. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Times `fn` (which processes `rowsPerCall` rows) until at least `minMs` of CPU time elapsed after a
 * warm-up, and returns CPU µs per row: the median of 5 such runs. CPU time, because benchmark hosts
 * are often shared; wall-clock latency is reported separately.
 */
export function timePerRow(fn: () => void, rowsPerCall: number, minMs = 300): number {
  const warmUntil = cpuMs() + Math.min(200, minMs);
  while (cpuMs() < warmUntil) fn();
  const samples: number[] = [];
  for (let s = 0; s < 5; s++) {
    let calls = 0;
    const t0 = cpuMs();
    let t1 = t0;
    const perCheck = rowsPerCall === 1 ? 16 : 1; // keep the getrusage call out of the measurement
    do {
      for (let c = 0; c < perCheck; c++) fn();
      calls += perCheck;
      t1 = cpuMs();
    } while (t1 - t0 < minMs / 5);
    samples.push(((t1 - t0) * 1000) / (calls * rowsPerCall));
  }
  samples.sort((a, b) => a - b);
  return samples[2]!;
}

/**
 * Latency percentiles (µs) of `fn` called once per row for `nCalls` calls, rows cycling through the
 * test set: what one request on the serving path costs.
 */
export function latencyPercentiles(fn: (rowIdx: number) => void, nRowsAvailable: number, nCalls: number): { p50: number; p99: number } {
  for (let i = 0; i < Math.min(nCalls, 2000); i++) fn(i % nRowsAvailable);
  const times = new Float64Array(nCalls);
  for (let i = 0; i < nCalls; i++) {
    const t0 = performance.now();
    fn(i % nRowsAvailable);
    times[i] = (performance.now() - t0) * 1000;
  }
  times.sort();
  return { p50: times[Math.floor(nCalls * 0.5)]!, p99: times[Math.floor(nCalls * 0.99)]! };
}

/** Copies row `i` of a row-major matrix into `row` (a request's own buffer), without allocating. */
export function copyRow(rows: Float64Array, i: number, row: Float64Array): void {
  const n = row.length;
  const base = i * n;
  for (let f = 0; f < n; f++) row[f] = rows[base + f]!;
}

export function fmt(x: number, digits = 2): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(digits);
}

function main(): void {
  const batch = Number(flag('--batch', '10000'));
  const models = benchModels(batch);
  console.log(
    `node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)}; predictRaw, CPU µs per row (median of 5 timed runs); p50/p99 are wall-clock µs per call\n`,
  );
  console.log('| model | trees | mean leaf depth | max depth | single row (out reused) | single row p50 / p99 | batch of ' + batch + ' |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const m of models) {
    const { model, rows, nRows } = m;
    const st = depthStats(model);
    const nF = model.features.length;
    const one = new Float64Array(model.nOutputs);
    const row = new Float64Array(nF);
    let r = 0;
    const single = timePerRow(() => {
      copyRow(rows, r, row);
      predictRaw(model, row, 1, one);
      r = (r + 1) % nRows;
    }, 1);
    const lat = latencyPercentiles(
      (i) => {
        copyRow(rows, i, row);
        predictRaw(model, row, 1, one);
      },
      nRows,
      20000,
    );
    const out = new Float64Array(nRows * model.nOutputs);
    const batchUs = timePerRow(() => predictRaw(model, rows, nRows, out), nRows, 1500);
    console.log(
      `| ${m.name} | ${st.nTrees} | ${st.meanDepth.toFixed(1)} | ${st.maxDepth} | ${fmt(single)} | ${fmt(lat.p50)} / ${fmt(lat.p99)} | ${fmt(batchUs)} |`,
    );
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
