/**
 * `yosoku train FILE --target COL …`: uploads the file (and an evaluation file), guesses the
 * prediction type and positive value when not given (saying so), trains with progress bars,
 * writes the result zip and prints the headline metrics.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { ColumnInfoColumn, TaskType, TrainConfigInput } from '../api/schemas/index.js';
import type { YosokuClient } from '../client/index.js';
import { CliError, print, table, type GlobalOptions } from './context.js';
import { uploadFiles } from './files.js';
import { statusBar } from './progress.js';
import { metricsTable, zipEntries } from './zip-entries.js';

export interface TrainOptions extends GlobalOptions {
  readonly target: string;
  readonly type?: string;
  readonly positive?: string;
  readonly eval?: string;
  readonly cv?: string;
  readonly sheet?: string;
  readonly timeColumn?: string;
  readonly horizon?: string;
  readonly tsu?: string;
  readonly tsi?: string;
  readonly tss?: string;
  readonly tsine?: readonly string[];
  readonly tsin?: boolean;
  readonly holidays?: string;
  readonly timeBudget?: string;
  readonly name?: string;
  readonly out?: string;
  /** A process uploaded before (`yosoku upload`), instead of FILE. */
  readonly process?: string;
}

const TASK_ALIASES: Readonly<Record<string, TaskType>> = {
  binary: 'binary_classification',
  binary_classification: 'binary_classification',
  multiclass: 'multi_classification',
  multi: 'multi_classification',
  multi_classification: 'multi_classification',
  regression: 'regression',
};

/** Values that read as "the positive outcome" in the files we see (English and Japanese). */
const POSITIVE_WORDS = /^(1|yes|y|true|t|positive|pos|ok|churn|churned|陽性|あり|有|はい|可)$/i;
const NUMERIC_TYPES = new Set([1, 2]);

/** The prediction type a person would pick from the target column, and why. */
export function guessTask(column: ColumnInfoColumn): { task: TaskType; why: string } {
  const n = column.unique_count;
  if (n === 2) return { task: 'binary_classification', why: `"${column.name}" has 2 values` };
  if (NUMERIC_TYPES.has(column.initial_data_type) && n > 20) return { task: 'regression', why: `"${column.name}" is numeric with ${n} values` };
  if (n >= 3 && n <= 200) return { task: 'multi_classification', why: `"${column.name}" has ${n} values` };
  throw new CliError(`cannot guess the prediction type of "${column.name}" (${n} distinct values): pass --type binary, multiclass or regression`);
}

/** A value that reads as positive, else the minority class. */
export function guessPositive(column: ColumnInfoColumn): { value: string; why: string } {
  const values = column.classify_value;
  const word = values.find((v) => POSITIVE_WORDS.test(v.name.trim()));
  if (word !== undefined) return { value: word.name, why: `"${word.name}" reads as the positive value` };
  const minority = [...values].sort((a, b) => a.value - b.value)[0];
  if (minority === undefined) throw new CliError(`"${column.name}" has no values to choose a positive value from: pass --positive`);
  return { value: minority.name, why: `"${minority.name}" is the minority class (${minority.value} rows)` };
}

function parseHorizon(text: string): { tsf: number; tst: number } {
  const m = /^(\d+)(?:\.\.(\d+))?$/.exec(text.trim());
  if (m === null) throw new CliError(`--horizon: got ${JSON.stringify(text)}; allowed: N or A..B (steps ahead, e.g. 1..7)`);
  const tsf = Number(m[1]);
  return { tsf, tst: m[2] === undefined ? tsf : Number(m[2]) };
}

/**
 * The time-series keys of the config from the flags (docs/timeseries.md §API); any of them sets
 * tsm=true, and the server checks the rest (a missing --time-column, --tsu without a value…).
 */
export function timeSeriesConfig(opts: TrainOptions): Record<string, string | number | boolean | string[]> {
  const config: Record<string, string | number | boolean | string[]> = {};
  if (opts.timeColumn !== undefined) config.tsc = opts.timeColumn;
  if (opts.horizon !== undefined) Object.assign(config, parseHorizon(opts.horizon));
  if (opts.tsu !== undefined) config.tsu = opts.tsu;
  if (opts.tsi !== undefined) config.tsi = opts.tsi;
  if (opts.tss !== undefined) config.tss = opts.tss;
  if (opts.tsine !== undefined) config.tsine = [...opts.tsine];
  if (opts.tsin === true) config.tsin = true;
  if (opts.holidays !== undefined) config.holidays = opts.holidays;
  return Object.keys(config).length === 0 ? {} : { tsm: true, ...config };
}

function note(opts: GlobalOptions, text: string): void {
  if (opts.json !== true) process.stderr.write(`${text}\n`);
}

/** Usage errors (exit 2), checked before any key is looked up. */
export function checkTrainArguments(file: string | undefined, opts: TrainOptions): void {
  if ((file === undefined) === (opts.process === undefined))
    throw new CliError('train: give exactly one of FILE or --process EXTERNAL_PROCESS_ID (from yosoku upload)', 2);
  if (opts.process !== undefined && (opts.eval !== undefined || opts.sheet !== undefined))
    throw new CliError('train --process: --eval and --sheet belong to the upload (yosoku upload FILE --eval …)', 2);
}

export async function trainCommand(client: YosokuClient, file: string | undefined, opts: TrainOptions): Promise<void> {
  checkTrainArguments(file, opts);
  const showBars = opts.json !== true;
  const processId = opts.process ?? (await uploadFiles(client, file!, opts));
  const source = file === undefined ? `external_process_id ${processId}` : basename(file);

  let task = opts.type === undefined ? undefined : TASK_ALIASES[opts.type];
  if (opts.type !== undefined && task === undefined) throw new CliError(`--type: got ${JSON.stringify(opts.type)}; allowed: binary, multiclass, regression`);
  const timeSeries = timeSeriesConfig(opts);
  // A forecaster is always a regression (tsm=true needs tt=regression): no guess from the target.
  if (task === undefined && timeSeries.tsm === true) task = 'regression';
  let positive = opts.positive;
  if (task === undefined || (task === 'binary_classification' && positive === undefined)) {
    const info = await client.columnInfo(processId);
    const column = info.training_data_columns.find((c) => c.name === opts.target);
    if (column === undefined)
      throw new CliError(`--target: "${opts.target}" is not a column of ${source}; it has ${info.raw_column_names.map((n) => JSON.stringify(n)).join(', ')}`);
    if (task === undefined) {
      const guess = guessTask(column);
      task = guess.task;
      note(opts, `type: ${task} (${guess.why}; --type to choose)`);
    }
    if (task === 'binary_classification' && positive === undefined) {
      const guess = guessPositive(column);
      positive = guess.value;
      note(opts, `positive value: ${positive} (${guess.why}; --positive to choose)`);
    }
  }
  const config: Record<string, string | number | boolean | string[]> = { tc: opts.target, tt: task };
  if (task === 'binary_classification' && positive !== undefined) config.tv = positive;
  if (opts.cv !== undefined) config.cv = opts.cv;
  if (opts.timeBudget !== undefined) config.time_budget = opts.timeBudget;
  Object.assign(config, timeSeries);
  await client.train(processId, config as TrainConfigInput, opts.name ?? (file === undefined ? processId : basename(file)));

  const bar = statusBar('training', showBars);
  const done = await client.waitForTraining(processId, { onPoll: (s) => bar.update(s.progress ?? 0, s.status) });
  bar.stop();
  if (done.status === 'failed') throw new CliError(`training failed: ${done.message ?? 'no message'} (external_process_id ${processId})`);

  const outDir = resolve(opts.out ?? '.');
  await mkdir(outDir, { recursive: true });
  const zipPath = join(outDir, `result-${done.model_id}.zip`);
  const zip = await client.download(done.result_url!);
  await writeFile(zipPath, zip);
  const metrics = metricsTable((await zipEntries(zip)).get('metrics.csv')?.toString('utf8') ?? '');
  print(opts, { external_process_id: processId, model_id: done.model_id, task, config, result_zip: zipPath, metrics: metrics.headline }, () =>
    [
      `model ${done.model_id} (${task}${config.tsm === true ? ', time series' : ''}) trained; result: ${zipPath}`,
      table(metrics.header, metrics.rows.slice(0, 12)),
    ].join('\n'),
  );
}
