/**
 * `yosoku retrain MODEL FILE [--switch]`: retrains a model on a new file with its stored config,
 * writes the comparison zip and prints new against previous metrics; `--switch` then moves the
 * classifier that serves the model to the new one (same URL and key, version + 1).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { YosokuClient } from '../client/index.js';
import { CliError, print, table, type GlobalOptions } from './context.js';
import { bytesBar, statusBar } from './progress.js';
import { zipEntries } from './zip-entries.js';

export interface RetrainOptions extends GlobalOptions {
  readonly switch?: boolean;
  readonly sheet?: string;
  readonly out?: string;
}

/** `metric,new_model,previous_model,difference` rows (BOM and header dropped). */
function comparisonRows(csv: string): string[][] {
  return csv
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(','));
}

const SWITCH_POLL_MS = 200;

/** The classifier once it is no longer `updating` (its switch finished, or was not its). */
async function waitUntilSettled(client: YosokuClient, classifierId: string) {
  for (;;) {
    const c = await client.classifier(classifierId);
    if (c.status !== 'updating') return c;
    await new Promise((r) => setTimeout(r, SWITCH_POLL_MS));
  }
}

export async function retrainCommand(client: YosokuClient, model: string, file: string, opts: RetrainOptions): Promise<void> {
  const modelId = Number(model);
  if (!Number.isSafeInteger(modelId) || modelId < 1) throw new CliError(`model id: got ${JSON.stringify(model)}; allowed: a positive integer`);
  const showBars = opts.json !== true;
  const upload = bytesBar('upload', showBars);
  const jobId = await client.retrain(
    modelId,
    { path: file },
    { ...(opts.sheet === undefined ? {} : { sheet: opts.sheet }), onProgress: (p) => upload.update(p.sentBytes, p.totalBytes) },
  );
  upload.stop();
  const bar = statusBar('retraining', showBars);
  const done = await client.waitForRetrain(modelId, jobId, { onPoll: (s) => bar.update(s.status === 'job_finished' ? 100 : 0, s.status) });
  bar.stop();
  if (done.status === 'job_failed') throw new CliError(`retrain failed: ${done.message ?? 'no message'} (retrain_job_id ${jobId})`);

  const outDir = resolve(opts.out ?? '.');
  await mkdir(outDir, { recursive: true });
  const zipPath = join(outDir, `retrain-${done.model_id}.zip`);
  const zip = await client.download(done.download_url!);
  await writeFile(zipPath, zip);
  const rows = comparisonRows((await zipEntries(zip)).get('metrics_comparison.csv')?.toString('utf8') ?? '');

  let classifier: { classifier_id: string; version: string } | undefined;
  if (opts.switch === true) {
    // The switch moves a classifier of the old model; it is `updating` until the new model is loaded.
    const before = (await client.classifiers({ limit: 1000 })).classifiers.filter((x) => x.model_id === modelId).map((x) => x.classifier_id);
    await client.switchModel(modelId, jobId);
    for (const id of before) {
      const c = await waitUntilSettled(client, id);
      if (c.model_id === done.model_id) classifier = { classifier_id: c.classifier_id, version: c.version };
    }
  }
  print(
    opts,
    {
      retrain_job_id: jobId,
      previous_model_id: modelId,
      model_id: done.model_id,
      comparison_zip: zipPath,
      comparison: rows.map(([metric, now, before, diff]) => ({ metric, new_model: now, previous_model: before, difference: diff })),
      ...(classifier === undefined ? {} : { switched: classifier }),
    },
    () =>
      [
        `model ${done.model_id} retrained from model ${modelId}; comparison: ${zipPath}`,
        table(['metric', 'new', 'previous', 'difference'], rows.slice(0, 12)),
        ...(opts.switch === true
          ? [
              classifier === undefined
                ? 'switched (no classifier served the model)'
                : `classifier ${classifier.classifier_id} now serves model ${done.model_id} (version ${classifier.version})`,
            ]
          : []),
      ].join('\n'),
  );
}
