/**
 * TreeSHAP benchmark: CPU µs per row of exact TreeSHAP on models trained by the real trainer (data
 * and model cache: bench/predict.ts), for
 * - one row at a time, every output: the recursive algorithm (Lundberg 2018, the previous
 *   implementation, kept as `shapValuesRecursive`) against the planned one without tables (budget 0)
 *   and with the default table budget;
 * - one row, predicted class only (`shapValuesOfOutput`), and a whole serving request
 *   (predictRaw + SHAP of the predicted output + top-3 reasons) with wall-clock p50 / p99;
 * - a batch of 10k rows (the recursion and the no-table variant on a 1k-row slice, which is enough
 *   for a per-row figure).
 *
 *   node --import tsx bench/shap.ts [--rows 50000] [--rounds 200] [--batch 10000] [--recursive-batch 1000] [--no-cache]
 *
 * Also checks exactness: the largest |fast − recursive| over the batch slice is printed.
 *
 * Since the one-row layouts (2026-11-28), calls of up to 8 rows (`ROW_LAYOUT_MAX_ROWS`) go through
 * `row-shap.ts` and small trees through their whole-tree tables (`tree-table.ts`, built whatever the
 * table budget), so the single-row "planned" columns measure those; batches use the per-tree kernel.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { compileForServing, predictRaw, shapValues, shapValuesOfOutput, shapValuesRecursive, type GbdtModel } from '../src/engine/index.js';
import { benchModels, copyRow, cpuMs, depthStats, flag, fmt, latencyPercentiles, timePerRow } from './predict.js';

/** Indices of the 3 largest |φ_f| among phi[offset .. offset + nFeatures) into top (no allocation). */
function top3(phi: Float64Array, offset: number, nFeatures: number, top: Int32Array): void {
  top[0] = top[1] = top[2] = -1;
  let a0 = -1;
  let a1 = -1;
  let a2 = -1;
  for (let f = 0; f < nFeatures; f++) {
    const a = Math.abs(phi[offset + f]!);
    if (a > a0) {
      a2 = a1;
      top[2] = top[1]!;
      a1 = a0;
      top[1] = top[0]!;
      a0 = a;
      top[0] = f;
    } else if (a > a1) {
      a2 = a1;
      top[2] = top[1]!;
      a1 = a;
      top[1] = f;
    } else if (a > a2) {
      a2 = a;
      top[2] = f;
    }
  }
}

function argmax(values: Float64Array, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) if (values[k]! > values[best]!) best = k;
  return best;
}

/** CPU µs per row of shapValues-like `fn` for one row at a time. */
function singleRow(model: GbdtModel, rows: Float64Array, nRows: number, fn: (row: Float64Array) => void): number {
  const row = new Float64Array(model.features.length);
  let r = 0;
  return timePerRow(() => {
    copyRow(rows, r, row);
    fn(row);
    r = (r + 1) % nRows;
  }, 1);
}

function batchCpuUs(fn: () => void, nRows: number): number {
  const c0 = cpuMs();
  fn();
  return ((cpuMs() - c0) * 1000) / nRows;
}

function main(): void {
  const batch = Number(flag('--batch', '10000'));
  const recursiveBatch = Math.min(batch, Number(flag('--recursive-batch', '1000')));
  const models = benchModels(batch);
  console.log(
    `node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)}; CPU µs per row (median of 5 timed runs) unless marked wall\n`,
  );

  const header1: string[] = [];
  const header2: string[] = [];
  for (const m of models) {
    const { model, rows, nRows } = m;
    const nF = model.features.length;
    const nOut = model.nOutputs;
    const stride = nF + 1;
    const st = depthStats(model);

    const t0 = performance.now();
    const noTables = compileForServing(model, { maxTableBytes: 0 }).shapPlan;
    const prepNoTables = performance.now() - t0;
    const one = new Float64Array(nOut * stride);
    const singleRecursive = singleRow(model, rows, nRows, (row) => shapValuesRecursive(model, row, 1, one));
    const singleDirect = singleRow(model, rows, nRows, (row) => shapValues(model, row, 1, one));
    const slice = rows.subarray(0, recursiveBatch * nF);
    const batchDirect = batchCpuUs(() => shapValues(model, slice, recursiveBatch, new Float64Array(recursiveBatch * nOut * stride)), recursiveBatch);

    const t1 = performance.now();
    const plan = compileForServing(model).shapPlan;
    const prepTables = performance.now() - t1;
    const singleTables = singleRow(model, rows, nRows, (row) => shapValues(model, row, 1, one));
    const oneOut = new Float64Array(stride);
    const raw = new Float64Array(nOut);
    const singleClass = singleRow(model, rows, nRows, (row) => {
      predictRaw(model, row, 1, raw);
      shapValuesOfOutput(model, row, 1, nOut === 1 ? 0 : argmax(raw, nOut), oneOut);
    });
    // A whole request on the serving path: predict, SHAP of the predicted output, top-3 reasons.
    const row = new Float64Array(nF);
    const top = new Int32Array(3);
    const lat = latencyPercentiles(
      (i) => {
        copyRow(rows, i, row);
        predictRaw(model, row, 1, raw);
        shapValuesOfOutput(model, row, 1, nOut === 1 ? 0 : argmax(raw, nOut), oneOut);
        top3(oneOut, 0, nF, top);
      },
      nRows,
      5000,
    );

    const out = new Float64Array(nRows * nOut * stride);
    const w0 = performance.now();
    const batchTables = batchCpuUs(() => shapValues(model, rows, nRows, out), nRows);
    const batchWall = (performance.now() - w0) / 1000;
    const ref = new Float64Array(recursiveBatch * nOut * stride);
    const batchRecursive = batchCpuUs(() => shapValuesRecursive(model, slice, recursiveBatch, ref), recursiveBatch);
    let maxDiff = 0;
    for (let j = 0; j < ref.length; j++) maxDiff = Math.max(maxDiff, Math.abs(ref[j]! - out[j]!));

    header1.push(
      `| ${m.name} | ${st.nTrees} | ${st.meanDepth.toFixed(1)} / ${st.maxDepth} | ${fmt(singleRecursive)} | ${fmt(singleDirect)} | ${fmt(singleTables)} | ${nOut > 1 ? fmt(singleClass) : fmt(singleClass) + ' (1 output)'} | ${fmt(lat.p50)} / ${fmt(lat.p99)} |`,
    );
    header2.push(
      `| ${m.name} | ${fmt(batchRecursive)} | ${fmt(batchDirect)} | ${fmt(batchTables)} | ${((batchTables * nRows) / 1e6).toFixed(2)} (wall ${batchWall.toFixed(2)}) | ${(plan.tableBytes / 2 ** 20).toFixed(1)} MiB, d ≤ ${plan.maxTableFeatures}, ${(plan.tabledLeafFraction * 100).toFixed(0)}% of leaves | ${prepNoTables.toFixed(0)} / ${prepTables.toFixed(0)} | ${maxDiff.toExponential(1)} |`,
    );
    void noTables;
  }
  console.log('Single row (serving):\n');
  console.log(
    '| model | trees | mean / max leaf depth | recursive (before) | planned, no tables | planned + tables | predict + SHAP of predicted class | request p50 / p99 (wall µs) |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const line of header1) console.log(line);
  console.log(`\nBatch of ${batch} rows, every output (recursive and no-tables: first ${recursiveBatch} rows):\n`);
  console.log(
    '| model | recursive (before) | planned, no tables | planned + tables | batch CPU s | tables | prepare ms (no tables / tables) | max abs diff vs recursive |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |');
  for (const line of header2) console.log(line);
}

main();
