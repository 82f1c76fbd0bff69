/**
 * One prediction API (a classifier): its status, version, URL and key; stop / start / delete
 * (`PATCH {active}`, `DELETE`); and its tabs: predictions, IP rules and lock, retrain and switch,
 * batch predictions. The classifier is polled while it is building, updating or stopping.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorBox, State, Tabs, useAction, useLoad } from '../components/common.js';
import { RulesEditor } from '../components/rules-editor.js';
import { call } from '../lib/api.js';
import { getClassifier, patchClassifier } from '../lib/classifiers.js';
import { t } from '../lib/i18n.js';
import { go, href } from '../lib/route.js';
import { apiKey } from '../lib/session.js';
import type { Classifier, ClassifierRule } from '../lib/types.js';
import { BatchTab } from './batch.js';
import { PredictTab } from './predict.js';
import { RetrainTab } from './retrain.js';

/** Statuses that change by themselves. */
const MOVING = new Set(['building', 'updating', 'terminating']);
const POLL_MS = 400;

function RulesTab({ c, onChange }: { c: Classifier; onChange: (c: Classifier) => void }): JSX.Element {
  const [rules, setRules] = useState<ClassifierRule[]>([...c.rules]);
  const action = useAction();
  const locked = !c.is_editable;
  useEffect(() => setRules([...c.rules]), [c.rules]);
  return (
    <section class="card" id="rules-panel" data-state={locked ? 'locked' : 'editable'}>
      <h2>{t('rules.title')}</h2>
      {locked ? <p class="tag warn">{t('rules.lockedHint')}</p> : <p class="hint">{t('rules.lockHint')}</p>}
      <RulesEditor rules={rules} onChange={setRules} disabled={locked} />
      <div class="actions">
        <button
          id="rules-save"
          type="button"
          class="primary"
          disabled={locked || action.busy}
          onClick={() => action.run(async () => onChange(await patchClassifier(c.classifier_id, { rules: rules.filter((r) => r.source.trim() !== '') })))}
        >
          {t('rules.save')}
        </button>
        <button
          id="rules-lock"
          type="button"
          disabled={action.busy}
          onClick={() => action.run(async () => onChange(await patchClassifier(c.classifier_id, { is_editable: locked })))}
        >
          {t(locked ? 'rules.unlock' : 'rules.lock')}
        </button>
      </div>
      <ErrorBox id="rules-error" error={action.error} />
    </section>
  );
}

function Header({ c, onChange, onDeleted }: { c: Classifier; onChange: (c: Classifier) => void; onDeleted: () => void }): JSX.Element {
  const action = useAction();
  const locked = !c.is_editable;
  return (
    <section class="card" id="api-summary" data-status={c.status} data-version={c.version} data-locked={String(locked)}>
      <dl class="facts">
        <dt>{t('api.status')}</dt>
        <dd>
          <State state={c.status}>{t(`clsStatus.${c.status}`)}</State>
          {locked ? <span class="tag warn">{t('api.locked')}</span> : null}
        </dd>
        <dt>{t('api.model')}</dt>
        <dd>
          <a id="api-model" href={href({ view: 'model', modelId: c.model_id, tab: '' })}>
            #{c.model_id}
          </a>
        </dd>
        <dt>{t('api.version')}</dt>
        <dd id="api-version">{c.version}</dd>
        <dt>{t('api.url')}</dt>
        <dd>
          <code class="wrap" id="api-url">
            {c.url ?? '—'}
          </code>
        </dd>
        <dt>{t('api.key')}</dt>
        <dd>
          <code class="wrap" id="api-key">
            {c.api_key}
          </code>
        </dd>
        <dt>{t('api.rules')}</dt>
        <dd id="api-rules" class="pre">
          {c.rules.length === 0 ? t('rules.none') : c.rules.map((r) => `${r.priority} ${r.order} ${r.source}`).join('\n')}
        </dd>
      </dl>
      <div class="actions">
        {c.active ? (
          <button
            type="button"
            data-action="stop"
            disabled={locked || action.busy}
            onClick={() => action.run(async () => onChange(await patchClassifier(c.classifier_id, { active: false })))}
          >
            {t('api.stop')}
          </button>
        ) : (
          <button
            type="button"
            data-action="start"
            disabled={action.busy}
            onClick={() => action.run(async () => onChange(await patchClassifier(c.classifier_id, { active: true })))}
          >
            {t('api.start')}
          </button>
        )}
        <button
          type="button"
          class="danger"
          data-action="delete"
          disabled={locked || action.busy}
          onClick={() => {
            if (!confirm(t('confirm.deleteApi'))) return;
            action.run(async () => {
              await call('DELETE', `v1/external/classifiers/${encodeURIComponent(c.classifier_id)}`, await apiKey('deploy'));
              onDeleted();
            });
          }}
        >
          {t('action.delete')}
        </button>
      </div>
      <ErrorBox id="api-error" error={action.error} />
    </section>
  );
}

export function ApiView({ classifierId, tab }: { classifierId: string; tab: string }): JSX.Element {
  const loaded = useLoad(() => getClassifier(classifierId), [classifierId]);
  const [c, setC] = useState<Classifier | null>(null);
  useEffect(() => {
    if (loaded.data !== null) setC(loaded.data);
  }, [loaded.data]);
  // While the status moves by itself, read it again.
  useEffect(() => {
    if (c === null || !MOVING.has(c.status)) return;
    const timer = setTimeout(() => getClassifier(classifierId).then(setC, () => undefined), POLL_MS);
    return () => clearTimeout(timer);
  }, [c, classifierId]);
  const current = ['rules', 'retrain', 'batch'].includes(tab) ? tab : 'predict';
  return (
    <div id="api-view" data-classifier={classifierId}>
      <div class="page-head">
        <h1>
          {t('api.title')} <code>{classifierId}</code>
        </h1>
        <a href="#/" class="button quiet">
          {t('action.home')}
        </a>
      </div>
      <ErrorBox id="api-load-error" error={loaded.error} />
      {c === null ? null : (
        <>
          <Header c={c} onChange={setC} onDeleted={() => go({ view: 'home' })} />
          <Tabs
            tabs={[
              { id: 'predict', label: t('api.tabPredict') },
              { id: 'rules', label: t('api.tabRules') },
              { id: 'retrain', label: t('api.tabRetrain') },
              { id: 'batch', label: t('api.tabBatch') },
            ]}
            current={current}
            onChange={(id) => go({ view: 'api', classifierId, tab: id === 'predict' ? '' : id })}
          />
          {current === 'predict' ? <PredictTab c={c} /> : null}
          {current === 'rules' ? <RulesTab c={c} onChange={setC} /> : null}
          {current === 'retrain' ? <RetrainTab c={c} onSwitched={setC} /> : null}
          {current === 'batch' ? <BatchTab c={c} /> : null}
        </>
      )}
    </div>
  );
}
