/**
 * The IP rules editor (`rules: [{source, order, priority}]`, docs/deploy.md §5): one line per rule
 * with its CIDR, allow / deny and priority. Used when deploying and when editing a classifier's rules.
 * The server checks every rule; its `INVALID_BODY` detail names the field.
 */
import { h } from './dom.js';
import { label } from './i18n.js';
import type { ClassifierRule } from './types.js';

export interface RulesEditor {
  readonly element: HTMLElement;
  read(): ClassifierRule[];
}

function line(rule: ClassifierRule, disabled: boolean): HTMLElement {
  const source = h('input', { type: 'text', class: 'rule-source', value: rule.source, placeholder: '203.0.113.0/24', size: '22', disabled });
  const order = h(
    'select',
    { class: 'rule-order', disabled },
    h('option', { value: 'allow', selected: rule.order === 'allow' }, label('rules.allow')),
    h('option', { value: 'deny', selected: rule.order === 'deny' }, label('rules.deny')),
  );
  const priority = h('input', { type: 'number', class: 'rule-priority', value: String(rule.priority), step: '1', disabled });
  const remove = h('button', { type: 'button', class: 'rule-remove', disabled }, label('rules.remove'));
  const row = h('div', { class: 'rule row' }, source, order, h('span', {}, label('rules.priority')), priority, remove);
  remove.addEventListener('click', () => row.remove());
  return row;
}

/** An editor holding `rules`; `disabled` (a locked classifier) shows them read-only. */
export function rulesEditor(rules: readonly ClassifierRule[], disabled = false): RulesEditor {
  const lines = h('div', { class: 'rule-lines' }, ...rules.map((r) => line(r, disabled)));
  const add = h('button', { type: 'button', class: 'rule-add', disabled }, label('rules.add'));
  add.addEventListener('click', () => {
    const n = lines.querySelectorAll('.rule').length;
    lines.append(line({ source: '', order: 'allow', priority: n }, false));
  });
  const element = h('div', { class: 'rules-editor' }, h('p', { class: 'hint' }, label('rules.hint')), lines, add);
  return {
    element,
    read: () =>
      [...lines.querySelectorAll('.rule')].map((row): ClassifierRule => ({
        source: (row.querySelector('.rule-source') as HTMLInputElement).value.trim(),
        order: (row.querySelector('.rule-order') as HTMLSelectElement).value === 'deny' ? 'deny' : 'allow',
        priority: Number((row.querySelector('.rule-priority') as HTMLInputElement).value),
      }))
        .filter((r) => r.source !== ''), // an empty line is no rule
  };
}
