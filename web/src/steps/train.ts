/**
 * Step 4: the training form → `POST /v1/external/models`. The server validates every key; its
 * documented errors (code and message) are shown as they come.
 */
import { call, clearError, showError } from '../api.js';
import { byId, h } from '../dom.js';
import { apiKey } from '../session.js';
import type { ColumnInfo, ColumnInfoColumn } from '../types.js';

let info: ColumnInfo | null = null;
let processId: string | null = null;

/** A first guess of the prediction type from the target column's profile. */
function guessType(c: ColumnInfoColumn): string {
  if (c.unique_count === 2) return 'binary_classification';
  const numeric = c.initial_data_type === 1 || c.initial_data_type === 2;
  return numeric && c.unique_count > 20 ? 'regression' : 'multi_classification';
}

function column(name: string): ColumnInfoColumn | undefined {
  return info?.training_data_columns.find((c) => c.name === name);
}

function syncTargetValues(): void {
  const type = byId<HTMLSelectElement>('train-type').value;
  const tv = byId<HTMLSelectElement>('train-tv');
  const c = column(byId<HTMLSelectElement>('train-target').value);
  tv.replaceChildren(...(c?.classify_value ?? []).map((v) => h('option', { value: v.name }, v.name)));
  byId('train-tv-label').hidden = type !== 'binary_classification';
  byId<HTMLInputElement>('train-im').disabled = type === 'regression';
}

/** Fills the form from a column analysis (target = the last column, as a first guess). */
export function setColumns(pid: string, ci: ColumnInfo): void {
  info = ci;
  processId = pid;
  const target = byId<HTMLSelectElement>('train-target');
  const previous = target.value;
  target.replaceChildren(...ci.raw_column_names.map((n) => h('option', { value: n }, n)));
  target.value = ci.raw_column_names.includes(previous) ? previous : (ci.raw_column_names.at(-1) ?? '');
  const c = column(target.value);
  if (c !== undefined) byId<HTMLSelectElement>('train-type').value = guessType(c);
  syncTargetValues();
}

export function initTrain(onTargetChange: (target: string) => void, onStarted: (processId: string) => void): void {
  const target = byId<HTMLSelectElement>('train-target');
  target.addEventListener('change', () => {
    const c = column(target.value);
    if (c !== undefined) byId<HTMLSelectElement>('train-type').value = guessType(c);
    syncTargetValues();
    onTargetChange(target.value);
  });
  byId('train-type').addEventListener('change', syncTargetValues);

  const error = byId('train-error');
  byId<HTMLFormElement>('train-form').addEventListener('submit', (e) => {
    e.preventDefault();
    clearError(error);
    if (processId === null) return showError(error, new Error('Upload a training file first (step 2). / 先に学習データをアップロードしてください（手順 2）。'));
    const type = byId<HTMLSelectElement>('train-type').value;
    const config: Record<string, string | number | boolean> = {
      tc: target.value,
      tt: type,
      cv: Number(byId<HTMLSelectElement>('train-cv').value),
    };
    if (type === 'binary_classification') config.tv = byId<HTMLSelectElement>('train-tv').value;
    if (type !== 'regression') config.im = byId<HTMLInputElement>('train-im').checked;
    const budget = byId<HTMLInputElement>('train-budget').value.trim();
    if (budget !== '') config.time_budget = Number(budget);
    const name = byId<HTMLInputElement>('train-name').value.trim();
    const pid = processId;
    const button = byId<HTMLButtonElement>('train-submit');
    button.disabled = true;
    (async () => {
      await call('POST', 'v1/external/models', await apiKey('train'), { external_process_id: pid, name: name || target.value, config });
      onStarted(pid);
    })()
      .catch((err: unknown) => showError(error, err))
      .finally(() => (button.disabled = false));
  });
}
