/**
 * Editing a deployed classifier's IP rules and lock (`PATCH /v1/external/classifiers/{id}` with
 * `rules` or `is_editable`). A locked classifier's rules are shown read-only; unlocking is one PATCH.
 */
import { call, clearError, showError } from '../api.js';
import { byId, h, show } from '../dom.js';
import { label } from '../i18n.js';
import { rulesEditor } from '../rules.js';
import { apiKey } from '../session.js';
import type { Classifier } from '../types.js';

async function patch(id: string, body: object): Promise<Classifier> {
  const res = await call<{ classifier: Classifier }>('PATCH', `v1/external/classifiers/${encodeURIComponent(id)}`, await apiKey('deploy'), body);
  return res.classifier;
}

/** Shows the editor of `c` under the list; `changed` reloads the list after a PATCH. */
export function editRules(c: Classifier, changed: () => void): void {
  const panel = byId('rules-panel');
  const error = byId('rules-error');
  clearError(error);
  const locked = !c.is_editable;
  const editor = rulesEditor(c.rules, locked);
  const save = h('button', { type: 'button', id: 'rules-save', disabled: locked }, label('rules.save'));
  const lock = h('button', { type: 'button', id: 'rules-lock' }, label(locked ? 'rules.unlock' : 'rules.lock'));
  const run = (b: HTMLButtonElement, body: () => object) => {
    b.addEventListener('click', () => {
      clearError(error);
      b.disabled = true;
      patch(c.classifier_id, body())
        .then((next) => {
          editRules(next, changed);
          changed();
        })
        .catch((err: unknown) => {
          b.disabled = false;
          showError(error, err);
        });
    });
  };
  run(save, () => ({ rules: editor.read() }));
  run(lock, () => ({ is_editable: locked }));
  show(
    panel,
    h('h3', {}, label('rules.title'), ' ', h('code', {}, c.classifier_id)),
    locked ? h('p', { class: 'tag warn' }, label('rules.lockedHint')) : null,
    editor.element,
    h('p', { class: 'links' }, save, lock),
  );
  panel.dataset.classifier = c.classifier_id;
  panel.dataset.state = locked ? 'locked' : 'editable';
}
