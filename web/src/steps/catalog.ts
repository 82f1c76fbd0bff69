/**
 * Step 10: the user's models (`GET /v1/external/models`) and data sets (`GET /v1/external/data-sets`),
 * each deletable after a confirmation (`DELETE …/models/{id}`, `DELETE …/data-sets/{id}`). A model
 * that a classifier serves is marked so; deleting it anyway shows the API's refusal (409
 * `MODEL_IN_USE`) as it comes. Metrics are shown for the models whose results this tab has read
 * (the API's model list has none): `rememberMetrics` is called by the status and retrain steps.
 */
import { call, clearError, sameOrigin, showError } from '../api.js';
import { byId, h, shortDate, shortNumber, show, table } from '../dom.js';
import { hasLabel, label, t } from '../i18n.js';
import { apiKey } from '../session.js';
import type { Classifier, DataSetItem, ModelItem } from '../types.js';

const metrics = new Map<number, string>();
const TYPES: Record<string, string> = { binary_classification: 'binary', multi_classification: 'multi', regression: 'regression' };

/** `auc 0.91, accuracy 0.85`: the few metrics worth a glance, from metrics.csv rows. */
export function rememberMetrics(modelId: number, rows: readonly (readonly string[])[]): void {
  const keep = new Set(['auc', 'accuracy', 'average_f_score', 'r2', 'rmse']);
  const text = rows.filter(([k]) => keep.has(k ?? '')).map(([k, v = '']) => `${k} ${shortNumber(v)}`).join(', ');
  if (text !== '') metrics.set(modelId, text);
}

function deleteButton(kind: 'model' | 'dataset', path: string): HTMLButtonElement {
  const b = h('button', { type: 'button', 'data-action': 'delete' }, label('cls.delete'));
  b.addEventListener('click', () => {
    const error = byId('catalog-error');
    clearError(error);
    if (!confirm(t(kind === 'model' ? 'catalog.confirmModel' : 'catalog.confirmDataSet'))) return;
    b.disabled = true;
    (async () => call('DELETE', path, await apiKey('train')))()
      .then(() => loadCatalog())
      .catch((err: unknown) => {
        b.disabled = false;
        showError(error, err);
      });
  });
  return b;
}

function modelsTable(models: readonly ModelItem[], classifiers: readonly Classifier[]): HTMLElement {
  const rows = models.map((m) => {
    const serving = classifiers.filter((c) => c.model_id === m.model_id).map((c) => c.classifier_id);
    return [
      m.model_id,
      m.name ?? '',
      hasLabel(`type.${TYPES[m.target_type] ?? ''}`) ? label(`type.${TYPES[m.target_type]}`) : m.target_type,
      serving.length > 0 ? h('span', { class: 'tag warn', 'data-serving': 'true' }, label('catalog.serving'), ` ${serving.join(', ')}`) : label('status.finished'),
      metrics.get(m.model_id) ?? '—',
      shortDate(m.created_date),
      deleteButton('model', `v1/external/models/${m.model_id}`),
    ];
  });
  const heads = ['cls.model', 'train.name', 'train.type', 'cls.status', 'results.metrics', 'catalog.created', 'cls.actions'].map(label);
  const el = table(heads, rows, { id: 'models-table' });
  models.forEach((m, i) => el.querySelectorAll('tbody tr')[i]?.setAttribute('data-model', String(m.model_id)));
  return el;
}

function dataSetsTable(sets: readonly DataSetItem[]): HTMLElement {
  const rows = sets.map((d) => [
    h('code', {}, String(d.data_set_id)),
    d.name,
    d.column_count,
    d.data_count,
    d.data_size,
    shortDate(d.created_date),
    h('span', { class: 'links' }, h('a', { href: sameOrigin(d.download_url), download: d.name }, label('catalog.download')), deleteButton('dataset', `v1/external/data-sets/${encodeURIComponent(String(d.data_set_id))}`)),
  ]);
  const heads = ['cls.id', 'catalog.name', 'catalog.columns', 'catalog.rows', 'catalog.size', 'catalog.created', 'cls.actions'].map(label);
  const el = table(heads, rows, { id: 'datasets-table' });
  sets.forEach((d, i) => el.querySelectorAll('tbody tr')[i]?.setAttribute('data-dataset', String(d.data_set_id)));
  return el;
}

/** Reloads both lists (and the classifiers, to mark the models being served). */
let loads = 0;

export async function loadCatalog(): Promise<void> {
  const my = ++loads;
  const [train, deploy] = [await apiKey('train'), await apiKey('deploy')];
  const [models, sets, classifiers] = await Promise.all([
    call<{ models: ModelItem[] }>('GET', 'v1/external/models?limit=100', train),
    call<{ data_sets: DataSetItem[] }>('GET', 'v1/external/data-sets?limit=100', train),
    call<{ classifiers: Classifier[] }>('GET', 'v1/external/classifiers?limit=100', deploy),
  ]);
  if (my !== loads) return; // a newer load renders instead
  const box = byId('catalog');
  show(
    box,
    h('h3', {}, label('catalog.models')),
    models.models.length === 0 ? h('p', {}, label('catalog.none')) : modelsTable(models.models, classifiers.classifiers),
    h('h3', {}, label('catalog.dataSets')),
    sets.data_sets.length === 0 ? h('p', {}, label('catalog.none')) : dataSetsTable(sets.data_sets),
  );
  box.dataset.state = 'loaded';
  box.dataset.models = String(models.models.length);
  box.dataset.datasets = String(sets.data_sets.length);
}

export function initCatalog(): void {
  byId('catalog-refresh').addEventListener('click', () => {
    const error = byId('catalog-error');
    clearError(error);
    loadCatalog().catch((err: unknown) => showError(error, err));
  });
}
