/**
 * Step 7: send rows to a classifier's inference URL (its own `api_key`, `ar` on) and show each
 * prediction with its top reasons (`prediction_analysis.csv`), plus rows it could not read.
 */
import { call, clearError, sameOrigin, showError } from '../api.js';
import { base64ToUtf8, parseCsv, toCsv, utf8ToBase64 } from '../csv.js';
import { byId, h, show, table, type Child } from '../dom.js';
import { label } from '../i18n.js';
import type { Classifier, ColumnInfo, InferenceAnswer } from '../types.js';

let classifier: Classifier | null = null;

/** Prefills the textarea with the header and the first sample row, without the target column. */
export function prefill(info: ColumnInfo, target: string): void {
  const area = byId<HTMLTextAreaElement>('predict-csv');
  const keep = info.raw_column_names.map((n, i) => [n, i] as const).filter(([n]) => n !== target);
  const first = parseCsv(info.raw_training_data[0]?.row_data ?? '')[0] ?? [];
  area.value = toCsv([keep.map(([n]) => n), keep.map(([, i]) => first[i] ?? '')]);
}

export function useClassifier(c: Classifier): void {
  classifier = c;
  show(byId('predict-target'), label('predict.using'), ' ', h('code', {}, c.classifier_id), ` (model ${c.model_id})`);
  byId('predict-target').dataset.classifier = c.classifier_id;
  byId('step-predict').scrollIntoView({ block: 'start' });
}

/** `column:value:contribution` → a cell coloured by direction. */
function reasonCell(v: string, up: boolean): Child {
  return v === '' ? '' : h('span', { class: up ? 'reason-up' : 'reason-down' }, v);
}

function render(answer: InferenceAnswer): void {
  const box = byId('predictions');
  box.replaceChildren();
  const file = (name: string) => answer.outputs.find((o) => o.name === name);
  const main = file('prediction_analysis.csv') ?? file('prediction_valid.csv');
  if (main !== undefined) {
    const [head = [], ...rows] = parseCsv(base64ToUtf8(main.data));
    const styled = rows.map((r) => r.map((v, i): Child => (head[i]?.startsWith('reason_up') ? reasonCell(v, true) : head[i]?.startsWith('reason_down') ? reasonCell(v, false) : v)));
    box.append(table(head, styled, { id: 'predictions-table' }));
  }
  const invalid = file('prediction_invalid.csv');
  if (invalid !== undefined) {
    const [head = [], ...rows] = parseCsv(base64ToUtf8(invalid.data));
    box.append(h('h3', {}, label('predict.invalid')), table(head, rows, { id: 'invalid-table' }));
  }
  if (answer.warnings !== undefined && answer.warnings.length > 0) {
    box.append(h('h3', {}, label('predict.warnings')), h('ul', {}, ...answer.warnings.map((w) => h('li', {}, w))));
  }
  box.dataset.state = 'predicted';
}

export function initPredict(): void {
  const error = byId('predict-error');
  show(byId('predict-target'), label('predict.choose'));
  byId<HTMLFormElement>('predict-form').addEventListener('submit', (e) => {
    e.preventDefault();
    clearError(error);
    const c = classifier;
    if (c === null || c.url === null) return showError(error, new Error(byId('predict-target').textContent ?? ''));
    const csv = byId<HTMLTextAreaElement>('predict-csv').value;
    const submit = byId<HTMLButtonElement>('predict-submit');
    submit.disabled = true;
    const body = {
      inputs: [
        { name: 'pr', type: 'csv', data: utf8ToBase64(csv) },
        { name: 'ar', type: 'boolean', data: true },
        { name: 'nc', type: 'boolean', data: false },
      ],
    };
    call<InferenceAnswer>('POST', sameOrigin(c.url), c.api_key, body)
      .then(render)
      .catch((err: unknown) => showError(error, err))
      .finally(() => (submit.disabled = false));
  });
}
