/**
 * The IP rules editor (`rules: [{source, order, priority}]`, docs/deploy.md §5): one line per rule
 * with its CIDR, allow / deny and priority; a line without a source is no rule. Used when deploying
 * and when editing a prediction API's rules. The server checks every rule; its `INVALID_BODY`
 * detail names the field.
 */
import type { JSX } from 'preact';
import { t } from '../lib/i18n.js';
import type { ClassifierRule } from '../lib/types.js';

export function RulesEditor({
  rules,
  onChange,
  disabled = false,
}: {
  rules: readonly ClassifierRule[];
  onChange: (rules: ClassifierRule[]) => void;
  disabled?: boolean;
}): JSX.Element {
  const patch = (i: number, change: Partial<ClassifierRule>) => onChange(rules.map((r, k) => (k === i ? { ...r, ...change } : r)));
  return (
    <div class="rules-editor">
      <p class="hint">{t('rules.hint')}</p>
      <div class="rule-lines">
        {rules.map((r, i) => (
          <div class="rule" key={i}>
            <input
              class="rule-source"
              type="text"
              value={r.source}
              placeholder="203.0.113.0/24"
              size={20}
              disabled={disabled}
              aria-label={t('rules.source')}
              onInput={(e) => patch(i, { source: e.currentTarget.value })}
            />
            <select
              class="rule-order"
              value={r.order}
              disabled={disabled}
              aria-label={t('rules.order')}
              onChange={(e) => patch(i, { order: e.currentTarget.value === 'deny' ? 'deny' : 'allow' })}
            >
              <option value="allow">{t('rules.allow')}</option>
              <option value="deny">{t('rules.deny')}</option>
            </select>
            <label class="rule-priority-label">
              <span>{t('rules.priority')}</span>{' '}
              <input
                class="rule-priority"
                type="number"
                step="1"
                value={String(r.priority)}
                disabled={disabled}
                onInput={(e) => patch(i, { priority: Number(e.currentTarget.value) })}
              />
            </label>
            <button type="button" class="quiet rule-remove" disabled={disabled} onClick={() => onChange(rules.filter((_, k) => k !== i))}>
              {t('rules.remove')}
            </button>
          </div>
        ))}
      </div>
      <button
        type="button"
        class="quiet rule-add"
        disabled={disabled}
        onClick={() => onChange([...rules, { source: '', order: 'allow', priority: rules.length === 0 ? 0 : Math.max(...rules.map((r) => r.priority)) + 10 }])}
      >
        {t('rules.add')}
      </button>
    </div>
  );
}
