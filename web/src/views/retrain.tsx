/**
 * Retrain a prediction API's model on new data and switch it, same URL and key. The model's retrain
 * key (`credential_type=retrain&model_id=N`) → `GET retrain_jobs/upload_url` → PUT the CSV / TSV /
 * zip (`train_src/` + `eval_src/`) → poll `GET retrain_jobs/{id}` → the comparison zip's
 * metrics_comparison.csv → `PUT retrain_jobs/{id}/update_model` → the classifier again until it is
 * no longer `updating`: its version went up by one, its URL and key are the same.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ErrorBox, Progress, sleep, Table, useAction } from '../components/common.js';
import { call, download, sameOrigin, UiError, upload } from '../lib/api.js';
import { parseCsv } from '../lib/csv.js';
import { headline, readMetrics } from '../lib/evaluation.js';
import { fmtText } from '../lib/format.js';
import { hasText, t } from '../lib/i18n.js';
import { getClassifier } from '../lib/classifiers.js';
import { apiKey } from '../lib/session.js';
import type { Classifier, RetrainStatus } from '../lib/types.js';
import { rememberModelHeadline } from '../lib/work.js';
import { readZip } from '../lib/zip.js';
import { metricLabel } from './labels.js';
import { JobLine, pollJob, type JobView } from './jobs.js';

const jobPath = (id: string) => `v1/external/retrain_jobs/${encodeURIComponent(id)}`;

interface Finished {
  readonly jobId: string;
  readonly modelId: number;
  readonly newModelId: number;
  readonly zipUrl: string | null;
  readonly comparison: string[][];
}

async function comparisonOf(url: string, newModelId: number): Promise<string[][]> {
  const entries = readZip(await download(url));
  const decode = async (name: string) => {
    const e = entries.get(name);
    return e === undefined ? null : new TextDecoder().decode(await e.read());
  };
  const own = await decode('metrics.csv');
  const h = own === null ? null : headline(readMetrics(own));
  if (h !== null) rememberModelHeadline(newModelId, h);
  const csv = await decode('metrics_comparison.csv');
  return csv === null ? [] : parseCsv(csv).filter((r) => r.length > 1);
}

function Comparison({ rows, zipUrl }: { rows: string[][]; zipUrl: string | null }): JSX.Element {
  const [head = [], ...body] = rows;
  return (
    <div id="retrain-comparison" data-state="loaded">
      {zipUrl !== null ? (
        <p class="links">
          <a id="retrain-zip" href={sameOrigin(zipUrl)}>
            {t('retrain.zip')}
          </a>
        </p>
      ) : null}
      <Table
        id="retrain-comparison-table"
        head={head.map((name) => <span title={name}>{hasText(`comparison.${name}`) ? t(`comparison.${name}`) : name}</span>)}
        rows={body.map(([name = '', ...values]) => [<span title={name}>{metricLabel(name)}</span>, ...values.map(fmtText)])}
      />
    </div>
  );
}

function Switched({ before, after }: { before: Classifier; after: Classifier }): JSX.Element {
  const same = (a: unknown, b: unknown) => <span class={a === b ? 'state-finished' : 'state-failed'}>{t(a === b ? 'retrain.same' : 'retrain.changed')}</span>;
  return (
    <div id="retrain-switched" data-state="switched">
      <Table
        id="retrain-switch-table"
        head={['', t('retrain.before'), t('retrain.after'), '']}
        rows={[
          [t('api.version'), before.version, <strong id="switched-version">{after.version}</strong>, ''],
          [t('api.model'), before.model_id, after.model_id, ''],
          [
            t('api.url'),
            <code class="wrap">{before.url ?? ''}</code>,
            <code class="wrap" id="switched-url">
              {after.url ?? ''}
            </code>,
            same(before.url, after.url),
          ],
          [t('api.key'), <code class="wrap">{before.api_key}</code>, <code class="wrap">{after.api_key}</code>, same(before.api_key, after.api_key)],
          [t('api.status'), t(`clsStatus.${before.status}`), t(`clsStatus.${after.status}`), ''],
        ]}
      />
    </div>
  );
}

export function RetrainTab({ c, onSwitched }: { c: Classifier; onSwitched: (c: Classifier) => void }): JSX.Element {
  const [file, setFile] = useState<File | undefined>();
  const [fraction, setFraction] = useState(0);
  const [job, setJob] = useState<JobView | null>(null);
  const [finished, setFinished] = useState<Finished | null>(null);
  const [switched, setSwitched] = useState<{ before: Classifier; after: Classifier } | null>(null);
  const start = useAction();
  const change = useAction();

  const run = () =>
    start.run(async () => {
      if (file === undefined) throw new UiError('upload.needFile');
      setFinished(null);
      setSwitched(null);
      setJob(null);
      const modelId = c.model_id;
      const key = await apiKey(`retrain.${modelId}`);
      const opened = await call<{ retrain_job_id: string; upload_url: string }>(
        'GET',
        `v1/external/retrain_jobs/upload_url?filename=${encodeURIComponent(file.name)}`,
        key,
      );
      await upload(opened.upload_url, file, setFraction);
      const s = await pollJob(() => call<RetrainStatus>('GET', jobPath(opened.retrain_job_id), key), setJob);
      if (s.status !== 'job_finished' || s.model_id === undefined) return;
      const comparison = s.download_url === undefined ? [] : await comparisonOf(s.download_url, s.model_id);
      setFinished({ jobId: opened.retrain_job_id, modelId, newModelId: s.model_id, zipUrl: s.download_url ?? null, comparison });
    });

  const switchModel = (f: Finished) =>
    change.run(async () => {
      const before = await getClassifier(c.classifier_id);
      await call('PUT', `${jobPath(f.jobId)}/update_model`, await apiKey(`retrain.${f.modelId}`));
      let after = await getClassifier(c.classifier_id);
      while (after.status === 'updating') {
        await sleep(300);
        after = await getClassifier(c.classifier_id);
      }
      setSwitched({ before, after });
      onSwitched(after);
    });

  return (
    <section class="card" id="step-retrain">
      <h2>{t('retrain.title')}</h2>
      <p class="hint">{t('retrain.hint')}</p>
      <form
        id="retrain-form"
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          run();
        }}
      >
        <label>
          <span>{t('retrain.file')}</span>{' '}
          <input
            id="retrain-file"
            type="file"
            accept=".csv,.tsv,.zip,text/csv,application/zip"
            required
            onChange={(e) => setFile(e.currentTarget.files?.[0])}
          />
        </label>
        <button id="retrain-submit" type="submit" class="primary" disabled={start.busy}>
          {t('retrain.submit')}
        </button>
        <Progress value={fraction} />
      </form>
      <JobLine id="retrain-status" job={job}>
        {finished !== null ? (
          <>
            {' · '}
            {t('retrain.newModel')} <strong id="retrain-model">{finished.newModelId}</strong>
          </>
        ) : null}
      </JobLine>
      {finished !== null ? (
        <>
          <Comparison rows={finished.comparison} zipUrl={finished.zipUrl} />
          <div class="actions" hidden={switched !== null}>
            <button
              id="retrain-switch"
              type="button"
              class="primary"
              disabled={change.busy || c.model_id !== finished.modelId}
              onClick={() => switchModel(finished)}
            >
              {t('retrain.switch')}
            </button>
          </div>
        </>
      ) : null}
      {switched !== null ? <Switched before={switched.before} after={switched.after} /> : null}
      <ErrorBox id="retrain-error" error={start.error ?? change.error} />
    </section>
  );
}
