/**
 * Step 9: batch prediction (ours, docs/api.md §18) with the deploy key: `POST …/batch-predictions`
 * → PUT the CSV to its upload URL → poll the job → the result zip; its prediction CSVs are offered
 * as files and the first rows of the predictions are shown.
 */
import { call, clearError, download, sameOrigin, showError, upload } from '../api.js';
import { parseCsv } from '../csv.js';
import { byId, downloadLink, h, show, table } from '../dom.js';
import { label } from '../i18n.js';
import { pollJob } from '../jobs.js';
import { apiKey } from '../session.js';
import type { BatchStatus, Classifier } from '../types.js';
import { readZip } from '../zip.js';

const PREVIEW_ROWS = 10;
let classifier: Classifier | null = null;
let current = 0;

export function batchClassifier(c: Classifier): void {
  classifier = c;
  const target = byId('batch-target');
  show(target, label('predict.using'), ' ', h('code', {}, c.classifier_id), ` (${c.model_id})`);
  target.dataset.classifier = c.classifier_id;
}

async function showResult(s: BatchStatus): Promise<void> {
  const box = byId('batch-result');
  if (s.rows !== undefined) {
    const r = s.rows;
    box.append(h('p', { id: 'batch-rows' }, label('batch.total'), ` ${r.total} · `, label('batch.predicted'), ` ${r.predicted} · `, label('batch.invalid'), ` ${r.invalid}`));
  }
  if (s.download_url === undefined) return;
  const entries = readZip(await download(s.download_url));
  const links = h('p', { class: 'links' }, h('a', { href: sameOrigin(s.download_url), id: 'batch-zip' }, label('batch.zip')));
  for (const name of ['prediction_valid.csv', 'prediction_analysis.csv', 'prediction_invalid.csv']) {
    const entry = entries.get(name);
    if (entry !== undefined) links.append(downloadLink(name, name, await entry.read(), 'text/csv'));
  }
  box.append(links);
  const main = entries.get('prediction_analysis.csv') ?? entries.get('prediction_valid.csv');
  if (main !== undefined) {
    const [head = [], ...rows] = parseCsv(new TextDecoder().decode(await main.read()));
    box.append(h('h3', {}, label('batch.preview')), table(head, rows.filter((r) => r.length > 1).slice(0, PREVIEW_ROWS), { id: 'batch-table' }));
  }
  box.dataset.state = 'loaded';
}

async function run(file: File, c: Classifier): Promise<void> {
  const my = ++current;
  const key = await apiKey('deploy');
  const base = `v1/external/classifiers/${encodeURIComponent(c.classifier_id)}/batch-predictions`;
  const opened = await call<{ batch_prediction_id: string; upload_url: string }>('POST', base, key, { filename: file.name, ar: true });
  const bar = byId<HTMLProgressElement>('batch-upload');
  bar.value = 0;
  await upload(opened.upload_url, file, (f) => (bar.value = f));
  bar.value = 1;
  const get = () => call<BatchStatus>('GET', `${base}/${encodeURIComponent(opened.batch_prediction_id)}`, key);
  const s = await pollJob(byId('batch-status'), get, () => my === current);
  if (s !== null && s.status === 'job_finished') await showResult(s);
}

export function initBatch(): void {
  const error = byId('batch-error');
  const submit = byId<HTMLButtonElement>('batch-submit');
  show(byId('batch-target'), label('predict.choose'));
  byId<HTMLFormElement>('batch-form').addEventListener('submit', (e) => {
    e.preventDefault();
    clearError(error);
    const file = byId<HTMLInputElement>('batch-file').files?.[0];
    const c = classifier;
    if (file === undefined) return;
    if (c === null) return showError(error, new Error(byId('batch-target').textContent ?? ''));
    submit.disabled = true;
    for (const id of ['batch-result', 'batch-status']) {
      byId(id).replaceChildren();
      delete byId(id).dataset.state;
    }
    run(file, c)
      .catch((err: unknown) => showError(error, err))
      .finally(() => (submit.disabled = false));
  });
}
