/**
 * Step 6: deploy a model as a prediction API (`POST /v1/external/classifiers`, deploy key, with IP
 * rules), list the classifiers, stop / start (`PATCH … {active}`), edit rules and the lock
 * (rules-edit.ts) and delete them. While a classifier is locked (`is_editable: false`) the UI offers
 * no stop, delete or rule change: the API refuses them (docs/deploy.md §6).
 */
import { call, clearError, showError } from '../api.js';
import { byId, h, show, table } from '../dom.js';
import { hasLabel, label, t } from '../i18n.js';
import { apiKey } from '../session.js';
import { rulesEditor, type RulesEditor } from '../rules.js';
import type { Classifier } from '../types.js';
import { editRules } from './rules-edit.js';

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

function button(key: string, action: () => Promise<unknown>, attrs: Record<string, string | boolean> = {}): HTMLButtonElement {
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
  const locked = !c.is_editable;
  if (c.active) cell.append(button('cls.stop', () => patch(id, { active: false }), { 'data-action': 'stop', disabled: locked }));
  else cell.append(button('cls.start', () => patch(id, { active: true }), { 'data-action': 'start' }));
  const rules = h('button', { type: 'button', 'data-action': 'rules' }, label('cls.rules'));
  rules.addEventListener('click', () => editRules(c, () => void refresh().catch((err: unknown) => showError(byId('deploy-error'), err))));
  cell.append(rules);
  cell.append(
    button(
      'cls.delete',
      async () => {
        if (!confirm(t('cls.confirmDelete'))) return;
        await call('DELETE', `v1/external/classifiers/${encodeURIComponent(id)}`, await apiKey('deploy'));
      },
      { 'data-action': 'delete', disabled: locked },
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
    const heads = ['cls.id', 'cls.model', 'cls.status', 'cls.version', 'cls.lock', 'cls.rulesHead', 'cls.url', 'cls.key', 'cls.actions'].map(label);
    const rows = res.classifiers.map((c) => [
      h('code', {}, c.classifier_id),
      c.model_id,
      h('span', { 'data-status': c.status }, hasLabel(`clsStatus.${c.status}`) ? label(`clsStatus.${c.status}`) : c.status),
      h('span', { 'data-version': c.version }, c.version),
      c.is_editable ? label('cls.unlocked') : h('span', { class: 'tag warn', 'data-locked': 'true' }, label('cls.locked')),
      h('span', { class: 'pre' }, c.rules.map((r) => `${r.priority} ${r.order} ${r.source}`).join('\n')),
      c.url === null ? '' : h('code', { class: 'wrap' }, c.url),
      h('code', { class: 'wrap' }, c.api_key),
      actions(c),
    ]);
    show(box, table(heads, rows, { id: 'classifiers-table' }));
    res.classifiers.forEach((c, i) => box.querySelectorAll('tbody tr')[i]?.setAttribute('data-classifier', c.classifier_id));
  }
  const panel = byId('rules-panel'); // the rules of a classifier that is gone are closed
  if (panel.dataset.classifier !== undefined && !res.classifiers.some((c) => c.classifier_id === panel.dataset.classifier)) {
    panel.replaceChildren();
    delete panel.dataset.classifier;
    delete panel.dataset.state;
  }
  if (res.classifiers.some((c) => MOVING.has(c.status))) {
    pollTimer = setTimeout(() => void refresh().catch((err: unknown) => showError(byId('deploy-error'), err)), POLL_MS);
  }
  return res.classifiers;
}

let newRules: RulesEditor | null = null;

export function initDeploy(use: (c: Classifier) => void): void {
  onUse = use;
  const error = byId('deploy-error');
  newRules = rulesEditor([]);
  byId('deploy-rules').replaceChildren(newRules.element);
  byId<HTMLFormElement>('deploy-form').addEventListener('submit', (e) => {
    e.preventDefault();
    clearError(error);
    const modelId = Number(byId<HTMLInputElement>('deploy-model').value);
    const rules = newRules?.read() ?? [];
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
