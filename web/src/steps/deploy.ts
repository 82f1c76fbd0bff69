/**
 * Step 6: deploy a model as a prediction API (`POST /v1/external/classifiers`, deploy key), list the
 * classifiers, stop / start (`PATCH … {active}`) and delete them.
 */
import { call, clearError, showError } from '../api.js';
import { byId, h, show, table } from '../dom.js';
import { hasLabel, label, t } from '../i18n.js';
import { apiKey } from '../session.js';
import type { Classifier, ClassifierRule } from '../types.js';

const POLL_MS = 500;
/** Statuses that change by themselves (the list is polled while one is shown). */
const MOVING = new Set(['building', 'updating', 'terminating']);

let onUse: (c: Classifier) => void = () => undefined;
let pollTimer: ReturnType<typeof setTimeout> | null = null;

export function setModel(modelId: number): void {
  byId<HTMLInputElement>('deploy-model').value = String(modelId);
  void loadModels().catch(() => undefined);
}

/** The user's trained models (`GET /v1/external/models`) as suggestions for the model id. */
export async function loadModels(): Promise<void> {
  const res = await call<{ models: { model_id: number; name: string | null; target_type: string }[] }>('GET', 'v1/external/models?limit=100', await apiKey('train'));
  byId('models-list').replaceChildren(...res.models.map((m) => h('option', { value: String(m.model_id) }, `${m.model_id}: ${m.name ?? ''} (${m.target_type})`)));
}

/** "10.0.0.0/8, 127.0.0.1/32" → allow rules in that order. */
function rulesOf(text: string): ClassifierRule[] {
  return text
    .split(/[\s,]+/)
    .filter((s) => s !== '')
    .map((source, priority) => ({ source, order: 'allow', priority }));
}

function button(key: string, action: () => Promise<unknown>, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', ...attrs }, label(key));
  b.addEventListener('click', () => {
    const error = byId('deploy-error');
    clearError(error);
    b.disabled = true;
    action()
      .then(() => refresh())
      .catch((err: unknown) => showError(error, err))
      .finally(() => (b.disabled = false));
  });
  return b;
}

async function patch(id: string, body: object): Promise<unknown> {
  return call('PATCH', `v1/external/classifiers/${encodeURIComponent(id)}`, await apiKey('deploy'), body);
}

function actions(c: Classifier): HTMLElement {
  const id = c.classifier_id;
  const cell = h('span', { class: 'links' });
  if (c.status === 'running' && c.url !== null) {
    const use = h('button', { type: 'button', 'data-action': 'use' }, label('cls.use'));
    use.addEventListener('click', () => onUse(c));
    cell.append(use);
  }
  if (c.active) cell.append(button('cls.stop', () => patch(id, { active: false }), { 'data-action': 'stop' }));
  else cell.append(button('cls.start', () => patch(id, { active: true }), { 'data-action': 'start' }));
  cell.append(
    button(
      'cls.delete',
      async () => {
        if (!confirm(t('cls.confirmDelete'))) return;
        await call('DELETE', `v1/external/classifiers/${encodeURIComponent(id)}`, await apiKey('deploy'));
      },
      { 'data-action': 'delete' },
    ),
  );
  return cell;
}

/** Reloads the list; keeps polling while a classifier is building, updating or stopping. */
export async function refresh(): Promise<Classifier[]> {
  if (pollTimer !== null) clearTimeout(pollTimer);
  pollTimer = null;
  const box = byId('classifiers');
  const res = await call<{ classifiers: Classifier[] }>('GET', 'v1/external/classifiers?limit=100', await apiKey('deploy'));
  if (res.classifiers.length === 0) show(box, h('p', {}, label('deploy.none')));
  else {
    const heads = ['cls.id', 'cls.model', 'cls.status', 'cls.url', 'cls.key', 'cls.actions'].map(label);
    const rows = res.classifiers.map((c) => [
      h('code', {}, c.classifier_id),
      c.model_id,
      h('span', { 'data-status': c.status }, hasLabel(`clsStatus.${c.status}`) ? label(`clsStatus.${c.status}`) : c.status),
      c.url === null ? '' : h('code', { class: 'wrap' }, c.url),
      h('code', { class: 'wrap' }, c.api_key),
      actions(c),
    ]);
    show(box, table(heads, rows, { id: 'classifiers-table' }));
    res.classifiers.forEach((c, i) => box.querySelectorAll('tbody tr')[i]?.setAttribute('data-classifier', c.classifier_id));
  }
  if (res.classifiers.some((c) => MOVING.has(c.status))) {
    pollTimer = setTimeout(() => void refresh().catch((err: unknown) => showError(byId('deploy-error'), err)), POLL_MS);
  }
  return res.classifiers;
}

export function initDeploy(use: (c: Classifier) => void): void {
  onUse = use;
  const error = byId('deploy-error');
  byId<HTMLFormElement>('deploy-form').addEventListener('submit', (e) => {
    e.preventDefault();
    clearError(error);
    const modelId = Number(byId<HTMLInputElement>('deploy-model').value);
    const rules = rulesOf(byId<HTMLInputElement>('deploy-rules').value);
    const submit = byId<HTMLButtonElement>('deploy-submit');
    submit.disabled = true;
    (async () => {
      await call('POST', 'v1/external/classifiers', await apiKey('deploy'), { model_id: modelId, ...(rules.length === 0 ? {} : { rules }) });
      await refresh();
    })()
      .catch((err: unknown) => showError(error, err))
      .finally(() => (submit.disabled = false));
  });
  byId('classifiers-refresh').addEventListener('click', () => {
    clearError(error);
    refresh().catch((err: unknown) => showError(error, err));
  });
}
