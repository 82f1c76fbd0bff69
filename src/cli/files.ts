/**
 * `upload` and `download`: the two ends of a training on their own, for a terminal user who
 * uploads, looks at the columns (or a colleague's analysis) before training with
 * `train --process ID`, and fetches a result zip again later.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { YosokuClient } from '../client/index.js';
import { CliError, print, table, type GlobalOptions } from './context.js';
import { bytesBar } from './progress.js';

export interface UploadOptions extends GlobalOptions {
  readonly eval?: string;
  readonly columnInfo?: string;
  readonly sheet?: string;
}

const TYPE_NAMES = ['ignore', 'integer', 'float', 'string', 'text', 'date'];

/** Uploads FILE (and an evaluation file, a column_info.csv) to a new process; prints its id and the columns. */
export async function uploadFiles(client: YosokuClient, file: string, opts: UploadOptions, label = 'upload'): Promise<string> {
  const showBars = opts.json !== true;
  const bars = { learn: bytesBar(label, showBars), eval: bytesBar('eval', showBars), column_info: bytesBar('column info', showBars) };
  try {
    return await client.uploadTrainingData({
      learn: { path: file },
      ...(opts.eval === undefined ? {} : { eval: { path: opts.eval } }),
      ...(opts.columnInfo === undefined ? {} : { columnInfo: { path: opts.columnInfo } }),
      ...(opts.sheet === undefined ? {} : { sheet: opts.sheet }),
      onProgress: (kind, p) => bars[kind].update(p.sentBytes, p.totalBytes),
    });
  } finally {
    for (const bar of Object.values(bars)) bar.stop();
  }
}

export async function uploadCommand(client: YosokuClient, file: string, opts: UploadOptions): Promise<void> {
  const processId = await uploadFiles(client, file, opts);
  const info = await client.columnInfo(processId);
  const columns = info.training_data_columns.map((c) => ({
    name: c.name,
    type: TYPE_NAMES[c.initial_data_type] ?? String(c.initial_data_type),
    unique: c.unique_count,
    missing: c.missing_count,
  }));
  print(opts, { external_process_id: processId, rows: info.trainingdata_row_count, columns }, () =>
    [
      `uploaded ${info.trainingdata_row_count} rows; external_process_id: ${processId}`,
      table(
        ['column', 'type', 'unique', 'missing'],
        columns.map((c) => [c.name, c.type, c.unique, c.missing]),
      ),
      `train it: yosoku train --process ${processId} --target COLUMN`,
    ].join('\n'),
  );
}

export interface DownloadOptions extends GlobalOptions {
  readonly model?: string;
  readonly out?: string;
}

/** The training process of a model (Get Model lists it), so `download --model N` works. */
async function processOfModel(client: YosokuClient, text: string): Promise<string> {
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id < 1) throw new CliError(`--model: got ${JSON.stringify(text)}; allowed: a positive integer`);
  for (let offset = 0; ; offset += 1000) {
    const page = await client.models({ offset, limit: 1000 });
    const model = page.models.find((m) => m.model_id === id);
    if (model !== undefined) return model.external_process_id;
    if (offset + page.models.length >= page.metadata.total || page.models.length === 0) break;
  }
  throw new CliError(`model ${id} is not one of your models (yosoku models lists them)`);
}

/** Writes a finished training's result zip (a fresh signed URL from its status) and prints the path. */
/** Usage errors (exit 2), checked before any key is looked up. */
export function checkDownloadArguments(processId: string | undefined, opts: DownloadOptions): void {
  if ((processId === undefined) === (opts.model === undefined)) throw new CliError('download: give exactly one of EXTERNAL_PROCESS_ID or --model ID', 2);
}

export async function downloadCommand(client: YosokuClient, processId: string | undefined, opts: DownloadOptions): Promise<void> {
  checkDownloadArguments(processId, opts);
  const pid = processId ?? (await processOfModel(client, opts.model!));
  const s = await client.trainingStatus(pid);
  if (s.status !== 'finished' || s.result_url === undefined) {
    throw new CliError(`training ${pid} is ${s.status}${s.message === undefined ? '' : `: ${s.message}`}; only a finished training has a result zip`);
  }
  const out = resolve(opts.out ?? `result-${s.model_id}.zip`);
  await mkdir(dirname(out), { recursive: true });
  const zip = await client.download(s.result_url);
  await writeFile(out, zip);
  print(opts, { external_process_id: pid, model_id: s.model_id, result_zip: out, bytes: zip.length }, () => out);
}
