/**
 * One model: its evaluation (the result zip, drawn by charts/evaluation-view.tsx, loaded on demand)
 * and its deployment as prediction APIs (`POST /v1/external/classifiers` with IP rules; the APIs
 * that serve it). The evaluation is found through the model's `external_process_id` (its training
 * or retrain process), whose status gives a fresh result_url.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ErrorBox, State, Table, Tabs, useAction, useLoad } from '../components/common.js';
import { RulesEditor } from '../components/rules-editor.js';
import { call } from '../lib/api.js';
import { shortDate } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { resultZip, trainingStatus } from '../lib/results.js';
import { go, href } from '../lib/route.js';
import { apiKey } from '../lib/session.js';
import type { Classifier, ClassifierRule, ModelItem } from '../lib/types.js';
import { trainingOfModel } from '../lib/work.js';
import { modelTaskLabel } from './labels.js';
import { Evaluation } from './lazy-evaluation.js';

async function loadModel(modelId: number): Promise<{ model: ModelItem | null; classifiers: Classifier[] }> {
  const [train, deploy] = [await apiKey('train'), await apiKey('deploy')];
  const [m, c] = await Promise.all([
    call<{ models: ModelItem[] }>('GET', 'v1/external/models?limit=100', train),
    call<{ classifiers: Classifier[] }>('GET', 'v1/external/classifiers?limit=100', deploy),
  ]);
  return { model: m.models.find((x) => x.model_id === modelId) ?? null, classifiers: c.classifiers.filter((x) => x.model_id === modelId) };
}

function ModelEvaluation({ modelId, model }: { modelId: number; model: ModelItem | null }): JSX.Element {
  // The model list names the training process (any model, also retrained ones); a model listed
  // before the list said so is found through the trainings this tab started.
  const processId = model?.external_process_id ?? trainingOfModel(modelId)?.processId;
  const result = useLoad(async () => {
    if (processId === undefined) return null;
    const s = await trainingStatus(processId);
    return s.result_url === undefined ? null : resultZip(s.result_url);
  }, [processId]);
  if (processId === undefined) {
    return (
      <p class="hint" id="no-evaluation">
        {t('model.noEvaluation')} <a href={href({ view: 'result' })}>{t('resultFile.title')}</a>
      </p>
    );
  }
  return (
    <>
      <ErrorBox id="results-error" error={result.error} />
      <Evaluation zip={result.data} modelId={modelId} />
    </>
  );
}

function Deploy({ modelId, classifiers, onDeployed }: { modelId: number; classifiers: readonly Classifier[]; onDeployed: () => void }): JSX.Element {
  const [rules, setRules] = useState<ClassifierRule[]>([]);
  const action = useAction();
  return (
    <section class="card" id="step-deploy">
      <h2>{t('deploy.title')}</h2>
      <p class="hint">{t('deploy.hint')}</p>
      <form
        id="deploy-form"
        onSubmit={(e) => {
          e.preventDefault();
          action.run(async () => {
            const kept = rules.filter((r) => r.source.trim() !== '');
            const res = await call<{ classifier_id: string }>('POST', 'v1/external/classifiers', await apiKey('deploy'), {
              model_id: modelId,
              ...(kept.length === 0 ? {} : { rules: kept }),
            });
            onDeployed();
            go({ view: 'api', classifierId: res.classifier_id, tab: '' });
          });
        }}
      >
        <div id="deploy-rules">
          <RulesEditor rules={rules} onChange={setRules} />
        </div>
        <div class="actions">
          <button id="deploy-submit" type="submit" class="primary" disabled={action.busy}>
            {t('deploy.submit')}
          </button>
        </div>
      </form>
      <ErrorBox id="deploy-error" error={action.error} />
      <h3>{t('deploy.existing')}</h3>
      {classifiers.length === 0 ? (
        <p class="empty">{t('model.notDeployed')}</p>
      ) : (
        <Table
          id="model-apis"
          head={[t('api.id'), t('api.status'), t('api.version')]}
          rows={classifiers.map((c) => [
            <a href={href({ view: 'api', classifierId: c.classifier_id, tab: '' })}>
              <code>{c.classifier_id}</code>
            </a>,
            <State state={c.status}>{t(`clsStatus.${c.status}`)}</State>,
            c.version,
          ])}
        />
      )}
    </section>
  );
}

export function ModelView({ modelId, tab }: { modelId: number; tab: string }): JSX.Element {
  const loaded = useLoad(() => loadModel(modelId), [modelId]);
  const model = loaded.data?.model ?? null;
  const current = tab === 'deploy' ? 'deploy' : 'evaluation';
  const served = loaded.data?.classifiers ?? [];
  return (
    <div id="model-view" data-model={modelId}>
      <div class="page-head">
        <h1>
          {model?.name ?? `#${modelId}`} <span class="muted">#{modelId}</span>
        </h1>
        <a href="#/" class="button quiet">
          {t('action.home')}
        </a>
      </div>
      {model !== null ? (
        <p class="status" id="model-summary">
          <span id="model-id" hidden>
            {modelId}
          </span>
          {t('model.target')}: <strong>{String(model.config['tc'] ?? '')}</strong> · {modelTaskLabel(model)} · {t('model.created')}{' '}
          {shortDate(model.created_date)}
          {served.length > 0 ? (
            <>
              {' · '}
              {served.map((c) => (
                <a key={c.classifier_id} class={`chip chip-${c.status}`} href={href({ view: 'api', classifierId: c.classifier_id, tab: '' })}>
                  {t(`clsStatus.${c.status}`)} <code>{c.classifier_id.slice(0, 6)}</code>
                </a>
              ))}
            </>
          ) : null}
        </p>
      ) : null}
      <ErrorBox id="model-error" error={loaded.error} />
      {loaded.data !== null && model === null ? <p class="error">{t('model.gone')}</p> : null}
      <Tabs
        tabs={[
          { id: 'evaluation', label: t('model.tabEvaluation') },
          { id: 'deploy', label: t('model.tabDeploy') },
        ]}
        current={current}
        onChange={(id) => go({ view: 'model', modelId, tab: id === 'evaluation' ? '' : id })}
      />
      {current === 'evaluation' ? (
        <ModelEvaluation modelId={modelId} model={model} />
      ) : (
        <Deploy modelId={modelId} classifiers={served} onDeployed={loaded.reload} />
      )}
    </div>
  );
}
