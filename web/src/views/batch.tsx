/**
 * Batch prediction (ours, docs/api.md §18) with the deploy key: `POST …/batch-predictions` → PUT the
 * CSV to its upload URL → poll the job → the result zip; its CSVs are offered as files and the
 * first predictions are shown with their reasons.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ErrorBox, Progress, SaveLink, useAction } from '../components/common.js';
import { call, download, sameOrigin, UiError, upload } from '../lib/api.js';
import { parseCsv, toCsv } from '../lib/csv.js';
import { t } from '../lib/i18n.js';
import { apiKey } from '../lib/session.js';
import type { BatchStatus, Classifier } from '../lib/types.js';
import { readZip } from '../lib/zip.js';
import { JobLine, pollJob, type JobView } from './jobs.js';
import { PredictionTable } from './predict.js';

const PREVIEW_ROWS = 10;
const FILES = ['prediction_valid.csv', 'prediction_analysis.csv', 'prediction_invalid.csv'];

interface Result {
  readonly status: BatchStatus;
  readonly files: readonly { name: string; bytes: Uint8Array }[];
  readonly preview: string | null;
}

export function BatchTab({ c }: { c: Classifier }): JSX.Element {
  const [file, setFile] = useState<File | undefined>();
  const [fraction, setFraction] = useState(0);
  const [job, setJob] = useState<JobView | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const action = useAction();

  const run = () =>
    action.run(async () => {
      if (file === undefined) throw new UiError('upload.needFile');
      setJob(null);
      setResult(null);
      const key = await apiKey('deploy');
      const base = `v1/external/classifiers/${encodeURIComponent(c.classifier_id)}/batch-predictions`;
      const opened = await call<{ batch_prediction_id: string; upload_url: string }>('POST', base, key, { filename: file.name, ar: true });
      await upload(opened.upload_url, file, setFraction);
      const s = await pollJob(() => call<BatchStatus>('GET', `${base}/${encodeURIComponent(opened.batch_prediction_id)}`, key), setJob);
      if (s.status !== 'job_finished' || s.download_url === undefined) return setResult({ status: s, files: [], preview: null });
      const entries = readZip(await download(s.download_url));
      const files: { name: string; bytes: Uint8Array }[] = [];
      for (const name of FILES) {
        const e = entries.get(name);
        if (e !== undefined) files.push({ name, bytes: await e.read() });
      }
      const main = files.find((f) => f.name === 'prediction_analysis.csv') ?? files.find((f) => f.name === 'prediction_valid.csv');
      const preview =
        main === undefined
          ? null
          : toCsv(
              parseCsv(new TextDecoder().decode(main.bytes))
                .filter((r) => r.length > 1)
                .slice(0, PREVIEW_ROWS + 1),
            );
      setResult({ status: s, files, preview });
    });

  const rows = result?.status.rows;
  return (
    <section class="card" id="step-batch">
      <h2>{t('batch.title')}</h2>
      <p class="hint">{t('batch.hint')}</p>
      <form
        id="batch-form"
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          run();
        }}
      >
        <label>
          <span>{t('batch.file')}</span>{' '}
          <input id="batch-file" type="file" accept=".csv,text/csv" required onChange={(e) => setFile(e.currentTarget.files?.[0])} />
        </label>
        <button id="batch-submit" type="submit" class="primary" disabled={action.busy}>
          {t('batch.submit')}
        </button>
        <Progress value={fraction} />
      </form>
      <JobLine id="batch-status" job={job} />
      {result !== null ? (
        <div id="batch-result" data-state="loaded">
          {rows !== undefined ? (
            <p id="batch-rows" data-total={rows.total} data-predicted={rows.predicted} data-invalid={rows.invalid}>
              {t('batch.rows', { total: rows.total, predicted: rows.predicted, invalid: rows.invalid })}
            </p>
          ) : null}
          <p class="links">
            {result.status.download_url !== undefined ? (
              <a id="batch-zip" href={sameOrigin(result.status.download_url)}>
                {t('batch.zip')}
              </a>
            ) : null}
            {result.files.map((f) => (
              <SaveLink key={f.name} bytes={f.bytes} name={f.name} type="text/csv">
                {f.name}
              </SaveLink>
            ))}
          </p>
          {result.preview !== null ? (
            <>
              <h3>{t('batch.preview')}</h3>
              <PredictionTable id="batch-table" csv={result.preview} />
            </>
          ) : null}
        </div>
      ) : null}
      <ErrorBox id="batch-error" error={action.error} />
    </section>
  );
}
