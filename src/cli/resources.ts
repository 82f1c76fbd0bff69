/** `status`, `models`, `data-sets`, `delete`, `deploy`, `predict` and `report`: the CLI over the client. */
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { ClassifierItem, IpRule } from '../api/schemas/index.js';
import type { YosokuClient } from '../client/index.js';
import { CliError, print, table, type GlobalOptions } from './context.js';
import { bytesBar, statusBar } from './progress.js';
import { zipEntries } from './zip-entries.js';

function positiveInt(what: string, text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new CliError(`${what}: got ${JSON.stringify(text)}; allowed: a positive integer`);
  return n;
}

export async function statusCommand(client: YosokuClient, processId: string, opts: GlobalOptions): Promise<void> {
  const s = await client.trainingStatus(processId);
  print(opts, s, () =>
    table(
      ['field', 'value'],
      [
        ['status', s.status],
        ['progress', s.progress],
        ['model_id', s.model_id],
        ['message', s.message],
        ['updated', s.updated_datetime],
      ].filter((r) => r[1] !== undefined),
    ),
  );
}

export async function modelsCommand(client: YosokuClient, opts: GlobalOptions & { limit?: string }): Promise<void> {
  const list = await client.models(opts.limit === undefined ? {} : { limit: positiveInt('--limit', opts.limit) });
  print(opts, list, () =>
    list.models.length === 0
      ? 'no models yet'
      : table(
          ['model_id', 'name', 'type', 'created'],
          list.models.map((m) => [m.model_id, m.name, m.target_type, m.created_date]),
        ),
  );
}

export async function dataSetsCommand(client: YosokuClient, opts: GlobalOptions & { limit?: string }): Promise<void> {
  const list = await client.dataSets(opts.limit === undefined ? {} : { limit: positiveInt('--limit', opts.limit) });
  print(opts, list, () =>
    list.data_sets.length === 0
      ? 'no data sets yet'
      : table(
          ['data_set_id', 'name', 'rows', 'columns', 'bytes', 'created'],
          list.data_sets.map((d) => [d.data_set_id, d.name, d.data_count, d.column_count, d.data_size, d.created_date]),
        ),
  );
}

export const DELETABLE = ['model', 'data-set', 'classifier'] as const;

export async function deleteCommand(client: YosokuClient, kind: string, id: string, opts: GlobalOptions): Promise<void> {
  if (kind === 'model') await client.deleteModel(positiveInt('model id', id));
  else if (kind === 'data-set') await client.deleteDataSet(positiveInt('data set id', id));
  else if (kind === 'classifier') await client.deleteClassifier(id);
  else throw new CliError(`delete: got ${JSON.stringify(kind)}; allowed: ${DELETABLE.join(', ')}`, 2);
  print(opts, { deleted: kind, id }, () => `deleted ${kind} ${id}`);
}

/** `--allow CIDR…` → allow rules in the given order; anything else is then denied (docs/deploy.md §5). */
export function allowRules(cidrs: readonly string[]): IpRule[] {
  return cidrs.map((source, i) => ({ source, order: 'allow' as const, priority: i }));
}

function classifierLines(c: ClassifierItem): string {
  return table(
    ['field', 'value'],
    [
      ['classifier_id', c.classifier_id],
      ['model_id', c.model_id],
      ['status', c.status],
      ['url', c.url],
      ['api_key', c.api_key],
      ['version', c.version],
    ],
  );
}

export async function deployCommand(client: YosokuClient, model: string, opts: GlobalOptions & { allow?: string[] }): Promise<void> {
  const c = await client.deploy(positiveInt('model id', model), allowRules(opts.allow ?? []));
  if (c.status !== 'running') throw new CliError(`classifier ${c.classifier_id} is ${c.status}, not running`);
  print(opts, c, () => classifierLines(c));
}

/** A running classifier of the model, or a new one (said on stderr). */
async function classifierFor(client: YosokuClient, modelId: number, opts: GlobalOptions): Promise<ClassifierItem> {
  const { classifiers } = await client.classifiers({ limit: 1000 });
  const serving = classifiers.find((c) => c.model_id === modelId && c.status === 'running');
  if (serving !== undefined) return serving;
  if (opts.json !== true) process.stderr.write(`deploying model ${modelId} (no classifier serves it yet)\n`);
  const c = await client.deploy(modelId);
  if (c.status !== 'running') throw new CliError(`classifier ${c.classifier_id} is ${c.status}, not running`);
  return c;
}

export interface PredictOptions extends GlobalOptions {
  readonly model?: string;
  readonly classifier?: string;
  readonly reasons?: boolean;
  readonly out?: string;
  readonly sheet?: string;
}

/** Beside `out` (`pred.csv` → `pred.reasons.csv`). */
function sibling(out: string, suffix: string): string {
  const ext = extname(out);
  return join(dirname(out), `${basename(out, ext)}.${suffix}${ext || '.csv'}`);
}

/**
 * A batch prediction of FILE (any size): upload with a progress bar, the job's progress, then
 * the predictions to --out (or stdout), reasons and invalid rows beside it.
 */
export async function predictCommand(client: YosokuClient, file: string, opts: PredictOptions): Promise<void> {
  if ((opts.model === undefined) === (opts.classifier === undefined)) throw new CliError('predict: give exactly one of --model ID or --classifier ID', 2);
  const classifierId = opts.classifier ?? (await classifierFor(client, positiveInt('--model', opts.model!), opts)).classifier_id;
  const showBars = opts.json !== true;
  const upload = bytesBar('upload', showBars);
  const batchId = await client.startBatch(
    classifierId,
    { path: file },
    {
      reasons: opts.reasons === true,
      ...(opts.sheet === undefined ? {} : { sheet: opts.sheet }),
      onProgress: (p) => upload.update(p.sentBytes, p.totalBytes),
    },
  );
  upload.stop();
  const bar = statusBar('predicting', showBars);
  const done = await client.waitForBatch(classifierId, batchId, {
    intervalMs: 500,
    onPoll: (s) => bar.update((s as { progress?: number }).progress ?? 0, s.status),
  });
  bar.stop();
  if (done.status === 'job_failed') throw new CliError(`prediction failed: ${done.message ?? 'no message'}`);
  const files = await zipEntries(await client.download(done.download_url!));
  const valid = files.get('prediction_valid.csv') ?? Buffer.alloc(0);
  const written: Record<string, string> = {};
  if (opts.out === undefined) {
    if (opts.json !== true) process.stdout.write(valid);
  } else {
    const out = resolve(opts.out);
    await writeFile(out, valid);
    written.predictions = out;
    for (const [name, suffix] of [
      ['prediction_analysis.csv', 'reasons'],
      ['prediction_invalid.csv', 'invalid'],
    ] as const) {
      const content = files.get(name);
      if (content !== undefined) await writeFile((written[suffix] = sibling(out, suffix)), content);
    }
  }
  const rows = done.rows ?? { total: 0, predicted: 0, invalid: 0 };
  if (opts.json === true)
    print(
      opts,
      {
        classifier_id: classifierId,
        batch_prediction_id: batchId,
        rows,
        files: written,
        ...(opts.out === undefined ? { predictions: valid.toString('utf8') } : {}),
      },
      () => '',
    );
  else {
    const where = Object.entries(written).map(([k, v]) => `${k}: ${v}`);
    process.stderr.write(
      `${rows.predicted} of ${rows.total} rows predicted${rows.invalid > 0 ? `, ${rows.invalid} invalid` : ''}${where.length > 0 ? `\n${where.join('\n')}` : ''}\n`,
    );
  }
}

/** `report RESULT.zip`: writes the zip's report.html beside it and prints the path. */
export async function reportCommand(zipPath: string, opts: GlobalOptions & { out?: string }): Promise<void> {
  const files = await zipEntries(await readFile(zipPath)).catch((err: unknown) => {
    throw new CliError(`${zipPath} is not a readable zip: ${(err as Error).message}`);
  });
  const html = files.get('report.html');
  if (html === undefined) throw new CliError(`${zipPath} has no report.html (is it a training result zip?)`);
  const out = resolve(opts.out ?? join(dirname(zipPath), `${basename(zipPath, extname(zipPath))}-report.html`));
  await writeFile(out, html);
  print(opts, { report: out }, () => out);
}
