/**
 * Step 8: retrain a deployed classifier's model on new data and switch it, same URL and key.
 * Retrain key of the model (`credential_type=retrain&model_id=N`) → `GET retrain_jobs/upload_url`
 * → PUT the CSV / TSV / zip → poll `GET retrain_jobs/{id}` → the comparison zip's
 * metrics_comparison.csv → `PUT retrain_jobs/{id}/update_model` → the classifier again, until it is
 * no longer `updating`: its version went up by one, its URL and key are the same.
 */
import { call, clearError, download, sameOrigin, showError, upload } from '../api.js';
import { parseCsv } from '../csv.js';
import { byId, h, shortNumber, show, table } from '../dom.js';
import { hasLabel, label } from '../i18n.js';
import { pollJob } from '../jobs.js';
import { apiKey } from '../session.js';
import type { Classifier, RetrainStatus } from '../types.js';
import { readZip } from '../zip.js';
import { rememberMetrics } from './catalog.js';
import { metricName } from './status.js';

let classifier: Classifier | null = null;
/** The finished retrain job that the switch button applies, and the classifier it was made for. */
let job: { id: string; modelId: number; classifierId: string } | null = null;
let current = 0;
let onSwitched: (c: Classifier) => void = () => undefined;

const status = (s: string) => (hasLabel(`clsStatus.${s}`) ? label(`clsStatus.${s}`) : s);
const jobPath = (id: string) => `v1/external/retrain_jobs/${encodeURIComponent(id)}`;

export function retrainClassifier(c: Classifier): void {
  if (classifier !== null && classifier.classifier_id !== c.classifier_id) {
    job = null; // a finished job is switched on the classifier it was made for
    byId<HTMLButtonElement>('retrain-switch').disabled = true;
  }
  classifier = c;
  const target = byId('retrain-target');
  show(target, label('retrain.using'), ' ', h('code', {}, c.classifier_id), ' · ', label('cls.model'), ` ${c.model_id} · `, label('cls.version'), ` ${c.version}`);
  target.dataset.classifier = c.classifier_id;
}

async function getClassifier(id: string): Promise<Classifier> {
  const res = await call<{ classifier: Classifier }>('GET', `v1/external/classifiers/${encodeURIComponent(id)}`, await apiKey('deploy'));
  return res.classifier;
}

async function showComparison(url: string, modelId: number): Promise<void> {
  const box = byId('retrain-comparison');
  const entries = readZip(await download(url));
  const csv = entries.get('metrics_comparison.csv');
  const own = entries.get('metrics.csv');
  if (own !== undefined) rememberMetrics(modelId, parseCsv(new TextDecoder().decode(await own.read())).slice(1));
  show(box, h('p', { class: 'links' }, h('a', { href: sameOrigin(url), id: 'retrain-zip' }, label('retrain.zip'))));
  if (csv !== undefined) {
    const [head = [], ...rows] = parseCsv(new TextDecoder().decode(await csv.read()));
    // metric, new_model, previous_model, difference: the metric labelled, numbers shortened.
    const cells = rows.filter((r) => r.length > 1).map(([name = '', ...values]) => [h('span', { title: name }, metricName(name)), ...values.map(shortNumber)]);
    const heads = head.map((name) => h('span', { title: name }, hasLabel(`comparison.${name}`) ? label(`comparison.${name}`) : name));
    box.append(table(heads, cells, { id: 'retrain-comparison-table' }));
  }
  box.dataset.state = 'loaded';
}

async function run(file: File, c: Classifier): Promise<void> {
  const my = ++current;
  const key = await apiKey(`retrain.${c.model_id}`);
  const opened = await call<{ retrain_job_id: string; upload_url: string }>('GET', `v1/external/retrain_jobs/upload_url?filename=${encodeURIComponent(file.name)}`, key);
  const bar = byId<HTMLProgressElement>('retrain-upload');
  bar.value = 0;
  await upload(opened.upload_url, file, (f) => (bar.value = f));
  bar.value = 1;
  const s = await pollJob(byId('retrain-status'), () => call<RetrainStatus>('GET', jobPath(opened.retrain_job_id), key), () => my === current);
  if (s === null || s.status !== 'job_finished' || s.model_id === undefined) return;
  byId('retrain-status').append(' · ', label('retrain.newModel'), ' ', h('strong', { id: 'retrain-model' }, String(s.model_id)));
  if (s.download_url !== undefined) await showComparison(s.download_url, s.model_id);
  if (classifier?.classifier_id !== c.classifier_id) return; // another classifier was chosen meanwhile
  job = { id: opened.retrain_job_id, modelId: c.model_id, classifierId: c.classifier_id };
  byId<HTMLButtonElement>('retrain-switch').disabled = false;
}

/** Switches, waits while `updating`, and shows what changed (version) and what did not (URL, key). */
async function switchModel(j: { id: string; modelId: number; classifierId: string }): Promise<void> {
  const id = j.classifierId;
  const before = await getClassifier(id);
  await call('PUT', `${jobPath(j.id)}/update_model`, await apiKey(`retrain.${j.modelId}`));
  let after = await getClassifier(id);
  while (after.status === 'updating') {
    await new Promise((r) => setTimeout(r, 300));
    after = await getClassifier(before.classifier_id);
  }
  const same = (a: unknown, b: unknown) => h('span', { class: a === b ? 'state-finished' : 'state-failed' }, label(a === b ? 'retrain.same' : 'retrain.changed'));
  const box = byId('retrain-switched');
  show(
    box,
    table(
      ['', label('retrain.before'), label('retrain.after'), ''],
      [
        [label('cls.version'), before.version, h('strong', { id: 'switched-version' }, after.version), ''],
        [label('cls.model'), before.model_id, after.model_id, ''],
        [label('cls.url'), h('code', { class: 'wrap' }, before.url ?? ''), h('code', { class: 'wrap', id: 'switched-url' }, after.url ?? ''), same(before.url, after.url)],
        [label('cls.key'), h('code', { class: 'wrap' }, before.api_key), h('code', { class: 'wrap' }, after.api_key), same(before.api_key, after.api_key)],
        [label('cls.status'), status(before.status), status(after.status), ''],
      ],
      { id: 'retrain-switch-table' },
    ),
  );
  box.dataset.state = 'switched';
  job = null;
  retrainClassifier(after);
  onSwitched(after);
}

export function initRetrain(switched: (c: Classifier) => void): void {
  onSwitched = switched;
  const error = byId('retrain-error');
  const submit = byId<HTMLButtonElement>('retrain-submit');
  const switchButton = byId<HTMLButtonElement>('retrain-switch');
  show(byId('retrain-target'), label('retrain.choose'));
  byId<HTMLFormElement>('retrain-form').addEventListener('submit', (e) => {
    e.preventDefault();
    clearError(error);
    const file = byId<HTMLInputElement>('retrain-file').files?.[0];
    const c = classifier;
    if (file === undefined) return;
    if (c === null) return showError(error, new Error(byId('retrain-target').textContent ?? ''));
    submit.disabled = true;
    switchButton.disabled = true;
    job = null;
    for (const id of ['retrain-comparison', 'retrain-switched', 'retrain-status']) {
      byId(id).replaceChildren();
      delete byId(id).dataset.state;
    }
    run(file, c)
      .catch((err: unknown) => showError(error, err))
      .finally(() => (submit.disabled = false));
  });
  switchButton.addEventListener('click', () => {
    const j = job;
    if (j === null) return;
    clearError(error);
    switchButton.disabled = true;
    switchModel(j).catch((err: unknown) => {
      switchButton.disabled = false;
      showError(error, err);
    });
  });
}
