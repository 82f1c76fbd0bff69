/**
 * `gbdt` command line: train one GBDT with exactly the given settings on a CSV, or predict with a saved
 * model.
 *
 *   gbdt train --data TRAIN.csv --target COL --objective binary|multiclass|regression [--valid VALID.csv]
 *              [--rounds N] [--learning-rate X] [--max-depth D] [--max-leaves L] [--max-bin B]
 *              [--min-data-in-leaf M] [--lambda-l2 X] [--threads T] [--seed S] [--early-stopping R]
 *              [--quantize-min-rows N] [--out MODEL]
 *   gbdt predict --model MODEL --data FILE --out OUT.csv [--shap]
 *
 * `train` ends with one JSON line: {"rounds": N, "train_seconds": T, "valid_metric": {"name", "value"} | null}.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  deserializeModel,
  evaluateMetric,
  predictRaw,
  serializeModel,
  shapValues,
  toRowMajor,
  trainGbdt,
  type GbdtModel,
  type GbdtParams,
} from '../engine/index.js';
import { createParallelTraining } from '../compute/parallel-training.js';
import { encodeTable, inferSchema, readCsv } from './gbdt-table.js';
import type { TableSchema } from './gbdt-table.js';

const USAGE = `usage:
  gbdt train --data TRAIN.csv --target COL --objective binary|multiclass|regression [--valid VALID.csv]
             [--rounds N] [--learning-rate X] [--max-depth D] [--max-leaves L] [--max-bin B]
             [--min-data-in-leaf M] [--lambda-l2 X] [--threads T] [--seed S] [--early-stopping R]
             [--quantize-min-rows N] [--out MODEL]
  gbdt predict --model MODEL --data FILE --out OUT.csv [--shap]`;

const MODEL_FILE_FORMAT = 'yosoku-gbdt-cli';

class UsageError extends Error {}

interface ModelFile {
  format: typeof MODEL_FILE_FORMAT;
  version: 1;
  schema: TableSchema;
  model: unknown;
}

const TRAIN_FLAGS: Record<string, keyof GbdtParams | null> = {
  '--data': null,
  '--target': null,
  '--objective': null,
  '--valid': null,
  '--out': null,
  '--threads': 'nThreads',
  '--rounds': 'nRounds',
  '--learning-rate': 'learningRate',
  '--max-depth': 'maxDepth',
  '--max-leaves': 'maxLeaves',
  '--max-bin': 'maxBin',
  '--min-data-in-leaf': 'minDataInLeaf',
  '--lambda-l2': 'lambdaL2',
  '--seed': 'seed',
  '--early-stopping': 'earlyStoppingRounds',
  // Histograms from quantized gradients from this many training rows (default 65,536; 0 = always).
  '--quantize-min-rows': 'quantizeMinRows',
};

function parseFlags(argv: string[], allowed: readonly string[], booleans: readonly string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (booleans.includes(a)) {
      out.set(a, 'true');
      continue;
    }
    if (!allowed.includes(a)) throw new UsageError(`unknown option ${a}`);
    const v = argv[i + 1];
    if (v === undefined) throw new UsageError(`option ${a} needs a value`);
    out.set(a, v);
    i++;
  }
  return out;
}

function required(flags: Map<string, string>, name: string): string {
  const v = flags.get(name);
  if (v === undefined) throw new UsageError(`missing ${name}`);
  return v;
}

/**
 * Runs the CLI; returns the process exit code (0 ok, 1 error, 2 usage).
 *
 * @example
 *   await runGbdtCli(['train', '--data', 'train.csv', '--target', 'y', '--objective', 'binary']);
 */
export async function runGbdtCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'train') return await train(rest);
    if (command === 'predict') return predict(rest);
    throw new UsageError(command === undefined ? 'missing command' : `unknown command ${command}`);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`gbdt: ${err.message}\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`gbdt: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

async function train(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, Object.keys(TRAIN_FLAGS));
  const task = required(flags, '--objective');
  if (task !== 'binary' && task !== 'multiclass' && task !== 'regression') {
    throw new UsageError(`--objective must be binary, multiclass or regression, got ${task}`);
  }
  const trainCsv = readCsv(required(flags, '--data'));
  const schema = inferSchema(trainCsv, required(flags, '--target'), task);
  const trainData = encodeTable(trainCsv, schema, true);
  const validPath = flags.get('--valid');
  const validData = validPath !== undefined ? encodeTable(readCsv(validPath), schema, true) : null;

  const params: Partial<GbdtParams> & { objective: GbdtParams['objective'] } = { objective: task };
  if (task === 'multiclass') params.nClasses = schema.classes!.length;
  for (const [flag, key] of Object.entries(TRAIN_FLAGS)) {
    const v = flags.get(flag);
    if (key === null || v === undefined) continue;
    const num = Number(v);
    if (v.trim() === '' || !Number.isFinite(num)) throw new UsageError(`${flag} must be a number, got ${v}`);
    (params as Record<string, unknown>)[key] = num;
  }
  if (params.earlyStoppingRounds !== undefined && params.earlyStoppingRounds > 0 && validData === null) {
    throw new UsageError('--early-stopping needs --valid');
  }
  const nThreads = params.nThreads ?? 1;
  const parallel = nThreads > 1 ? createParallelTraining(nThreads) : undefined;
  let model: GbdtModel;
  const t0 = performance.now();
  try {
    model = trainGbdt(
      { table: trainData.table, label: trainData.label! },
      params,
      validData !== null ? { valid: { table: validData.table, label: validData.label! }, parallel } : { parallel },
    );
  } finally {
    await parallel?.close();
  }
  const trainSeconds = (performance.now() - t0) / 1000;

  let validMetric: { name: string; value: number } | null = null;
  if (validData !== null) {
    const raw = predictRaw(model, toRowMajor(validData.table), validData.table.nRows);
    const name = task === 'binary' ? 'auc' : task === 'multiclass' ? 'macro_f1' : 'rmse';
    validMetric = { name, value: evaluateMetric(name, model.objective, validData.label!, raw, model.nOutputs) };
  }
  const out = flags.get('--out');
  if (out !== undefined) {
    const file: ModelFile = { format: MODEL_FILE_FORMAT, version: 1, schema, model: JSON.parse(serializeModel(model)) };
    writeFileSync(out, JSON.stringify(file));
  }
  process.stdout.write(`${JSON.stringify({ rounds: model.nRoundsKept, train_seconds: Math.round(trainSeconds * 1000) / 1000, valid_metric: validMetric })}\n`);
  return 0;
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function predict(argv: string[]): number {
  const flags = parseFlags(argv, ['--model', '--data', '--out'], ['--shap']);
  const file = JSON.parse(readFileSync(required(flags, '--model'), 'utf8')) as ModelFile;
  if (file.format !== MODEL_FILE_FORMAT) throw new Error(`${flags.get('--model')} is not a gbdt CLI model file`);
  const model = deserializeModel(JSON.stringify(file.model));
  const { schema } = file;
  const data = encodeTable(readCsv(required(flags, '--data')), schema, false);
  const n = data.table.nRows;
  const rows = toRowMajor(data.table);
  const raw = predictRaw(model, rows, n);
  const k = model.nOutputs;
  const header: string[] = ['prediction'];
  const classes = schema.classes;
  if (classes !== null) for (const c of classes) header.push(`probability_${c}`);
  const featureNames = schema.columns.map((c) => c.name);
  const nF = featureNames.length;
  let shap: Float64Array | null = null;
  if (flags.has('--shap')) {
    shap = shapValues(model, rows, n);
    if (k === 1) header.push(...featureNames.map((f) => `shap_${f}`), 'shap_expected');
    else for (const c of classes!) header.push(...featureNames.map((f) => `shap_${c}_${f}`), `shap_${c}_expected`);
  }
  const lines = [header.map(csvField).join(',')];
  const probs = new Float64Array(Math.max(k, 2));
  for (let i = 0; i < n; i++) {
    const cells: string[] = [];
    if (schema.task === 'regression') cells.push(String(raw[i]));
    else {
      if (k === 1) {
        const p1 = 1 / (1 + Math.exp(-raw[i]!));
        probs[0] = 1 - p1;
        probs[1] = p1;
      } else {
        let max = -Infinity;
        for (let o = 0; o < k; o++) max = Math.max(max, raw[i * k + o]!);
        let sum = 0;
        for (let o = 0; o < k; o++) sum += probs[o] = Math.exp(raw[i * k + o]! - max);
        for (let o = 0; o < k; o++) probs[o] = probs[o]! / sum;
      }
      let best = 0;
      for (let c = 1; c < classes!.length; c++) if (probs[c]! > probs[best]!) best = c;
      cells.push(classes![best]!);
      for (let c = 0; c < classes!.length; c++) cells.push(String(probs[c]));
    }
    if (shap !== null) {
      const base = i * k * (nF + 1);
      for (let j = 0; j < k * (nF + 1); j++) cells.push(String(shap[base + j]));
    }
    lines.push(cells.map(csvField).join(','));
  }
  writeFileSync(required(flags, '--out'), `${lines.join('\n')}\n`);
  return 0;
}
