/**
 * A training in progress: `GET /v1/external/models/results` every second until it is finished (then
 * the model's view opens) or failed (the server's reason is shown).
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorBox, Progress, sleep, State } from '../components/common.js';
import { t } from '../lib/i18n.js';
import { rememberHeadline, trainingStatus } from '../lib/results.js';
import { go } from '../lib/route.js';
import type { TrainStatus } from '../lib/types.js';
import { trainingOf, updateTraining } from '../lib/work.js';
import { taskLabel } from './labels.js';

const POLL_MS = 1000;

export function TrainingView({ processId }: { processId: string }): JSX.Element {
  const [status, setStatus] = useState<TrainStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  const known = trainingOf(processId);

  useEffect(() => {
    let stop = false;
    (async () => {
      for (;;) {
        const s = await trainingStatus(processId);
        if (stop) return;
        setStatus(s);
        if (s.status === 'failed') {
          updateTraining(processId, { failed: true });
          return;
        }
        if (s.status === 'finished' && s.model_id !== undefined) {
          updateTraining(processId, { modelId: s.model_id });
          await rememberHeadline(processId, s).catch(() => undefined);
          if (!stop) go({ view: 'model', modelId: s.model_id, tab: '' });
          return;
        }
        await sleep(POLL_MS);
      }
    })().catch((err: unknown) => !stop && setError(err));
    return () => {
      stop = true;
    };
  }, [processId]);

  const state = status?.status ?? 'waiting';
  return (
    <div id="training-view">
      <div class="page-head">
        <h1>{known?.name ?? t('training.title')}</h1>
        <a href="#/" class="button quiet">
          {t('action.home')}
        </a>
      </div>
      <section class="card">
        {known !== undefined ? (
          <p class="status">
            {t('model.target')}: <strong>{known.target}</strong> · {taskLabel(known.type)}
          </p>
        ) : null}
        <div id="train-status" data-state={state}>
          <State state={state}>{t(`status.${state}`)}</State> <Progress value={status?.progress ?? 0} max={100} /> {status?.progress ?? 0}%
        </div>
        {state === 'running' || state === 'waiting' ? <p class="hint">{t('training.hint')}</p> : null}
        {status?.status === 'failed' ? (
          <div class="error" role="alert" id="train-failed">
            <p class="error-text">{t('training.failed')}</p>
            {status.message !== undefined ? (
              <p class="error-server">
                <span class="server-label">{t('error.server')}</span> {status.message}
              </p>
            ) : null}
          </div>
        ) : null}
        <ErrorBox id="results-error" error={error} />
      </section>
    </div>
  );
}
