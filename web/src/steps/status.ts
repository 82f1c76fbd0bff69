/**
 * Step 5: poll `GET /v1/external/models/results` until finished or failed; then fetch the result
 * zip and show its metrics.csv, with links to the zip and to report.html (read in the browser).
 */
import { call, clearError, download, sameOrigin, showError } from '../api.js';
import { parseCsv } from '../csv.js';
import { byId, downloadLink, h, show, table, type Child } from '../dom.js';
import { hasLabel, label } from '../i18n.js';
import { apiKey } from '../session.js';
import type { TrainStatus } from '../types.js';
import { readZip } from '../zip.js';
import { rememberMetrics } from './catalog.js';

const POLL_MS = 1000;

/** A metric's label (`metric.auc`), or its name as written in metrics.csv. */
export function metricName(key: string): Child {
  const base = key.replace(/\[.*$/, '');
  return hasLabel(`metric.${base}`) ? label(`metric.${base}`) : key;
}
let watching = 0;

async function showResults(resultUrl: string, modelId: number): Promise<void> {
  const box = byId('results');
  const zip = await download(resultUrl);
  const entries = readZip(zip);
  const metrics = entries.get('metrics.csv');
  const report = entries.get('report.html');
  const links = h(
    'p',
    { class: 'links' },
    h('a', { href: `ui/report?result=${encodeURIComponent(sameOrigin(resultUrl))}`, target: '_blank', rel: 'noopener', id: 'open-report' }, label('results.openReport')),
    h('a', { href: sameOrigin(resultUrl), id: 'result-zip' }, label('results.zip')),
  );
  if (report !== undefined) links.append(downloadLink(label('results.report'), 'report.html', await report.read(), 'text/html'));
  show(box, links);
  if (metrics !== undefined) {
    const rows = parseCsv(new TextDecoder().decode(await metrics.read())).slice(1).filter((r) => r.length >= 2);
    rememberMetrics(modelId, rows);
    const named = rows.map(([k = '', v = '']) => [metricName(k), h('code', {}, k), v]);
    box.append(h('h3', {}, label('results.metrics')), table([label('results.metric'), '', label('results.value')], named, { id: 'metrics-table' }));
  }
  box.dataset.state = 'loaded';
}

/** Polls the process until it ends; a newer call supersedes an older one. */
export async function watchTraining(processId: string, onFinished: (modelId: number) => void): Promise<void> {
  const my = ++watching;
  const box = byId('train-status');
  const error = byId('results-error');
  clearError(error);
  byId('results').replaceChildren();
  try {
    for (;;) {
      if (my !== watching) return;
      const s = await call<TrainStatus>('GET', `v1/external/models/results?external_process_id=${encodeURIComponent(processId)}`, await apiKey('train'));
      box.dataset.state = s.status;
      const progress = h('progress', { max: '100', value: String(s.progress ?? 0) });
      show(box, h('span', { class: `state-${s.status}` }, label(`status.${s.status}`)), ' ', progress, ` ${s.progress ?? 0}%`);
      if (s.status === 'failed') {
        box.append(h('p', { class: 'error' }, s.message ?? ''));
        return;
      }
      if (s.status === 'finished' && s.model_id !== undefined && s.result_url !== undefined) {
        box.append(' · ', label('status.model'), ' ', h('strong', { id: 'model-id' }, String(s.model_id)));
        try {
          await showResults(s.result_url, s.model_id);
        } finally {
          onFinished(s.model_id); // after the metrics were read, so lists can show them
        }
        return;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } catch (err) {
    showError(error, err);
  }
}
