/**
 * The home: the user's work at a glance. Trainings this tab started (with progress), the models
 * (type, target, headline metric, whether a prediction API serves them), the prediction APIs and
 * the data sets; each opens its own view. `GET /v1/external/models`, `…/classifiers`, `…/data-sets`.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorBox, State, Table, useAction, useLoad } from '../components/common.js';
import { call, sameOrigin } from '../lib/api.js';
import { bytes, fmt, shortDate } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { rememberHeadline, trainingStatus } from '../lib/results.js';
import { href } from '../lib/route.js';
import { apiKey } from '../lib/session.js';
import type { Classifier, DataSetItem, ModelItem, TrainStatus } from '../lib/types.js';
import { headlineOf, trainings, type Training } from '../lib/work.js';
import { modelTaskLabel, taskLabel } from './labels.js';

interface Catalog {
  readonly models: readonly ModelItem[];
  readonly classifiers: readonly Classifier[];
  readonly dataSets: readonly DataSetItem[];
}

async function loadCatalog(): Promise<Catalog> {
  const [train, deploy] = [await apiKey('train'), await apiKey('deploy')];
  const [m, c, d] = await Promise.all([
    call<{ models: ModelItem[] }>('GET', 'v1/external/models?limit=100', train),
    call<{ classifiers: Classifier[] }>('GET', 'v1/external/classifiers?limit=100', deploy),
    call<{ data_sets: DataSetItem[] }>('GET', 'v1/external/data-sets?limit=100', train),
  ]);
  return { models: m.models, classifiers: c.classifiers, dataSets: d.data_sets };
}

const POLL_MS = 1500;

/** The tab's trainings that have no model yet (waiting, running or failed), polled while any is running. */
function useTrainings(onFinished: () => void): { list: Training[]; status: Map<string, TrainStatus> } {
  const [status, setStatus] = useState(new Map<string, TrainStatus>());
  const list = trainings().filter((x) => x.modelId === undefined);
  const pending = list
    .filter((x) => x.failed !== true)
    .map((x) => x.processId)
    .join(',');
  useEffect(() => {
    if (pending === '') return;
    let stop = false;
    const poll = async () => {
      const next = new Map<string, TrainStatus>();
      let finished = false;
      for (const pid of pending.split(',')) {
        const s = await trainingStatus(pid).catch(() => null);
        if (s === null) continue;
        next.set(pid, s);
        if (s.status === 'finished') {
          finished = true;
          await rememberHeadline(pid, s).catch(() => undefined);
        }
      }
      if (stop) return;
      setStatus(next);
      if (finished) onFinished();
      else setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stop = true;
    };
  }, [pending, onFinished]);
  return { list, status };
}

function DeleteButton({
  path,
  confirmKey,
  onDeleted,
  setError,
}: {
  path: string;
  confirmKey: string;
  onDeleted: () => void;
  setError: (e: unknown) => void;
}): JSX.Element {
  const action = useAction();
  useEffect(() => setError(action.error), [action.error, setError]);
  return (
    <button
      type="button"
      class="quiet danger"
      data-action="delete"
      disabled={action.busy}
      onClick={() => {
        if (!confirm(t(confirmKey))) return;
        action.run(async () => {
          await call('DELETE', path, await apiKey('train'));
          onDeleted();
        });
      }}
    >
      {t('action.delete')}
    </button>
  );
}

export function Home(): JSX.Element {
  const catalog = useLoad(loadCatalog, []);
  const [error, setError] = useState<unknown>(null);
  const data = catalog.data;
  const running = useTrainings(catalog.reload);
  const servedBy = (id: number) => data?.classifiers.filter((c) => c.model_id === id) ?? [];

  return (
    <div id="home" data-state={data === null ? 'loading' : 'loaded'} data-models={data?.models.length} data-datasets={data?.dataSets.length}>
      <div class="page-head">
        <h1>{t('home.title')}</h1>
        <a class="button primary" id="new-model" href={href({ view: 'new' })}>
          {t('home.newModel')}
        </a>
        <a class="button quiet" id="open-result" href={href({ view: 'result' })}>
          {t('resultFile.title')}
        </a>
        <button type="button" class="quiet" id="home-refresh" onClick={catalog.reload}>
          {t('action.refresh')}
        </button>
      </div>
      <ErrorBox id="home-error" error={catalog.error ?? error} />

      {running.list.length > 0 ? (
        <section class="card" id="home-trainings">
          <h2>{t('home.trainings')}</h2>
          <Table
            id="trainings-table"
            stack
            head={[t('model.name'), t('model.target'), t('model.type'), t('model.status'), t('model.started')]}
            rows={running.list.map((x) => {
              const s = running.status.get(x.processId);
              const state = x.failed === true ? 'failed' : (s?.status ?? 'waiting');
              return [
                <a href={href({ view: 'training', processId: x.processId })}>{x.name}</a>,
                x.target,
                taskLabel(x.type),
                <State state={state}>
                  {t(`status.${state}`)}
                  {state === 'running' && s?.progress !== undefined ? ` ${s.progress}%` : ''}
                </State>,
                shortDate(x.startedAt),
              ];
            })}
          />
        </section>
      ) : null}

      <section class="card" id="home-models">
        <h2>{t('home.models')}</h2>
        {data === null ? (
          <p class="hint">{t('home.loading')}</p>
        ) : data.models.length === 0 ? (
          <p class="empty">{t('home.noModels')}</p>
        ) : (
          <Table
            id="models-table"
            stack
            head={[t('model.name'), t('model.target'), t('model.type'), t('model.headline'), t('model.deployed'), t('model.created'), '']}
            rowAttrs={(i) => ({ 'data-model': String(data.models[i]!.model_id) })}
            rows={data.models.map((m) => {
              const h = headlineOf(m.model_id, m.metrics);
              const served = servedBy(m.model_id);
              return [
                <a href={href({ view: 'model', modelId: m.model_id, tab: '' })} data-open-model={m.model_id}>
                  {m.name ?? `#${m.model_id}`} <span class="muted">#{m.model_id}</span>
                </a>,
                String(m.config['tc'] ?? ''),
                modelTaskLabel(m),
                h === undefined ? (
                  <span class="muted" title={t('home.metricUnknown')}>
                    —
                  </span>
                ) : (
                  <span data-headline={h.name}>{`${t(`metric.${h.name}`)} ${fmt(h.value)}`}</span>
                ),
                served.length === 0 ? (
                  <span class="muted">{t('model.notDeployed')}</span>
                ) : (
                  <span data-serving="true">
                    {served.map((c) => (
                      <a key={c.classifier_id} class={`chip chip-${c.status}`} href={href({ view: 'api', classifierId: c.classifier_id, tab: '' })}>
                        {t(`clsStatus.${c.status}`)} <code>{c.classifier_id.slice(0, 6)}</code>
                      </a>
                    ))}
                  </span>
                ),
                shortDate(m.created_date),
                <DeleteButton path={`v1/external/models/${m.model_id}`} confirmKey="confirm.deleteModel" onDeleted={catalog.reload} setError={setError} />,
              ];
            })}
          />
        )}
      </section>

      <section class="card" id="home-apis">
        <h2>{t('home.apis')}</h2>
        {data === null ? null : data.classifiers.length === 0 ? (
          <p class="empty">{t('home.noApis')}</p>
        ) : (
          <Table
            id="apis-table"
            stack
            head={[t('api.id'), t('api.model'), t('api.status'), t('api.version'), t('api.lock'), t('api.rules')]}
            rowAttrs={(i) => ({ 'data-classifier': data.classifiers[i]!.classifier_id })}
            rows={data.classifiers.map((c) => [
              <a href={href({ view: 'api', classifierId: c.classifier_id, tab: '' })}>
                <code>{c.classifier_id}</code>
              </a>,
              <a href={href({ view: 'model', modelId: c.model_id, tab: '' })}>#{c.model_id}</a>,
              <State state={c.status}>{t(`clsStatus.${c.status}`)}</State>,
              c.version,
              c.is_editable ? t('api.unlocked') : <span class="tag warn">{t('api.locked')}</span>,
              c.rules.length === 0 ? t('rules.none') : t('rules.count', { n: c.rules.length }),
            ])}
          />
        )}
      </section>

      <section class="card" id="home-datasets">
        <h2>{t('home.dataSets')}</h2>
        {data === null ? null : data.dataSets.length === 0 ? (
          <p class="empty">{t('home.noDataSets')}</p>
        ) : (
          <Table
            id="datasets-table"
            stack
            head={[t('data.name'), t('data.columns'), t('data.rows'), t('data.size'), t('model.created'), '']}
            rowAttrs={(i) => ({ 'data-dataset': String(data.dataSets[i]!.data_set_id) })}
            rows={data.dataSets.map((d) => [
              <a href={sameOrigin(d.download_url)} download={d.name ?? `data-set-${d.data_set_id}.${d.extension}`}>
                {d.name ?? `#${d.data_set_id}`}
              </a>,
              d.column_count,
              d.data_count,
              bytes(d.data_size),
              shortDate(d.created_date),
              <DeleteButton
                path={`v1/external/data-sets/${encodeURIComponent(String(d.data_set_id))}`}
                confirmKey="confirm.deleteDataSet"
                onDeleted={catalog.reload}
                setError={setError}
              />,
            ])}
          />
        )}
      </section>
    </div>
  );
}
