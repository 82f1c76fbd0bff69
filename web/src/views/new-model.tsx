/**
 * A new model: upload the training file (and optionally an evaluation file and column_info.csv),
 * read the column analysis, choose the target and the settings, start training.
 * `GET …/data-sets/upload-url`, `PUT` each file, `GET …/data-sets/column-info` (with `target` once
 * one is chosen), `POST /v1/external/models` (train-form.tsx).
 */
import type { JSX, TargetedEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorBox, Progress, useAction } from '../components/common.js';
import { call, spreadsheetKind, UiError, upload } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { apiKey } from '../lib/session.js';
import type { ColumnInfo, UploadUrls } from '../lib/types.js';
import { trainingOf } from '../lib/work.js';
import { ColumnsTable, SampleRows } from './columns.js';
import { TrainForm } from './train-form.js';

/** The upload being prepared in this tab (a reload comes back to its analysis). */
const UPLOAD = 'yosoku.upload';

interface Uploaded {
  readonly processId: string;
  readonly fileName: string;
  readonly hasEval: boolean;
}

function savedUpload(): Uploaded | null {
  const raw = sessionStorage.getItem(UPLOAD);
  if (raw === null) return null;
  const u = JSON.parse(raw) as Uploaded;
  return trainingOf(u.processId) === undefined ? u : null; // already trained: start afresh
}

interface FileState {
  readonly name: string;
  readonly fraction: number;
  readonly state: 'uploading' | 'done' | 'failed';
}

async function columnInfo(processId: string, target: string): Promise<ColumnInfo> {
  const q = `external_process_id=${encodeURIComponent(processId)}${target === '' ? '' : `&target=${encodeURIComponent(target)}`}`;
  return call<ColumnInfo>('GET', `v1/external/data-sets/column-info?${q}`, await apiKey('train'));
}

function UploadForm({ onUploaded }: { onUploaded: (u: Uploaded) => void }): JSX.Element {
  const [files, setFiles] = useState<{ learn?: File; eval?: File; columnInfo?: File }>({});
  const [progress, setProgress] = useState<FileState[]>([]);
  const [state, setState] = useState<'idle' | 'uploading' | 'done' | 'failed'>('idle');
  const action = useAction();
  const pick = (key: 'learn' | 'eval' | 'columnInfo') => (e: TargetedEvent<HTMLInputElement>) => setFiles({ ...files, [key]: e.currentTarget.files?.[0] });

  const submit = () =>
    action.run(async () => {
      const learn = files.learn;
      if (learn === undefined) throw new UiError('upload.needFile');
      // The process's files are all read one way: CSV / TSV, or Excel workbooks (extension=xlsx).
      const kindOf = async (f: File): Promise<'csv' | 'tsv' | 'xlsx'> => {
        const kind = await spreadsheetKind(f);
        if (kind === 'xls') throw new UiError('upload.xls', { name: f.name });
        if (kind === 'xlsx' || f.name.toLowerCase().endsWith('.xlsx')) return 'xlsx';
        return f.name.toLowerCase().endsWith('.tsv') ? 'tsv' : 'csv';
      };
      const extension = await kindOf(learn);
      if (files.eval !== undefined && ((await kindOf(files.eval)) === 'xlsx') !== (extension === 'xlsx')) {
        throw new UiError('upload.evalKind', { learn: learn.name, eval: files.eval.name });
      }
      setState('uploading');
      try {
        const urls = await call<UploadUrls>('GET', `v1/external/data-sets/upload-url?extension=${extension}`, await apiKey('train'));
        const plan: [File | undefined, string][] = [
          [learn, urls.learn_data_set_upload_url],
          [files.eval, urls.eval_data_set_upload_url],
          [files.columnInfo, urls.column_info_upload_url],
        ];
        const list: FileState[] = [];
        for (const [file, url] of plan) {
          if (file === undefined) continue;
          const k = list.length;
          list.push({ name: file.name, fraction: 0, state: 'uploading' });
          setProgress([...list]);
          try {
            await upload(
              url,
              file,
              (f) => {
                list[k] = { ...list[k]!, fraction: f };
                setProgress([...list]);
              },
              file.name,
            );
            list[k] = { ...list[k]!, fraction: 1, state: 'done' };
          } catch (err) {
            list[k] = { ...list[k]!, state: 'failed' };
            throw err;
          } finally {
            setProgress([...list]);
          }
        }
        setState('done');
        onUploaded({ processId: urls.external_process_id, fileName: learn.name, hasEval: files.eval !== undefined });
      } catch (err) {
        setState('failed');
        throw err;
      }
    });

  return (
    <section class="card" id="step-upload">
      <h2>
        <span class="num">1</span> {t('upload.title')}
      </h2>
      <form
        id="upload-form"
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label>
          <span>{t('upload.learn')}</span>
          <input
            id="file-learn"
            type="file"
            accept=".csv,.tsv,.xlsx,text/csv,text/tab-separated-values,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            required
            onChange={pick('learn')}
          />
        </label>
        <details>
          <summary>{t('upload.more')}</summary>
          <label>
            <span>{t('upload.eval')}</span>
            <input id="file-eval" type="file" accept=".csv,.tsv,.xlsx,text/csv" onChange={pick('eval')} />
          </label>
          <label>
            <span>{t('upload.columnInfo')}</span>
            <input id="file-column-info" type="file" accept=".csv" onChange={pick('columnInfo')} />
          </label>
        </details>
        <div class="actions">
          <button id="upload-submit" type="submit" class="primary" disabled={action.busy}>
            {t('upload.submit')}
          </button>
        </div>
      </form>
      <div id="upload-progress" data-state={state}>
        {progress.map((p) => (
          <div key={p.name} class="progress-line">
            <span class="file-name">{p.name}</span> <Progress value={p.fraction} />{' '}
            {p.state === 'uploading' ? `${Math.round(p.fraction * 100)}%` : t(`upload.${p.state}`)}
          </div>
        ))}
      </div>
      <ErrorBox id="upload-error" error={action.error} />
    </section>
  );
}

export function NewModel(): JSX.Element {
  const [uploaded, setUploaded] = useState<Uploaded | null>(savedUpload);
  const [target, setTarget] = useState('');
  const [info, setInfo] = useState<ColumnInfo | null>(null);
  /** The target `info` was read with (its relevance scores are for that column). */
  const [infoTarget, setInfoTarget] = useState('');
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (uploaded === null) return;
    let current = true;
    setError(null);
    columnInfo(uploaded.processId, target).then(
      (ci) => {
        if (!current) return;
        setInfo(ci);
        setInfoTarget(target);
      },
      (err: unknown) => current && setError(err),
    );
    return () => {
      current = false;
    };
  }, [uploaded, target]);

  return (
    <div id="new-model">
      <div class="page-head">
        <h1>{t('new.title')}</h1>
        <a href="#/" class="button quiet">
          {t('action.back')}
        </a>
      </div>
      {uploaded === null ? (
        <UploadForm
          onUploaded={(u) => {
            sessionStorage.setItem(UPLOAD, JSON.stringify(u));
            setInfo(null);
            setTarget('');
            setUploaded(u);
          }}
        />
      ) : (
        <section class="card" id="step-uploaded">
          <p>
            {t('upload.uploaded')} <strong id="uploaded-name">{uploaded.fileName}</strong>{' '}
            <button
              type="button"
              class="quiet"
              id="upload-another"
              onClick={() => {
                sessionStorage.removeItem(UPLOAD);
                setUploaded(null);
                setInfo(null);
              }}
            >
              {t('upload.another')}
            </button>
          </p>
        </section>
      )}
      <ErrorBox id="columns-error" error={error} />
      {uploaded !== null && info !== null ? (
        <>
          <section class="card" id="step-train">
            <h2>
              <span class="num">2</span> {t('train.title')}
            </h2>
            <p class="status" id="columns-summary">
              {t('columns.summary', { rows: info.trainingdata_row_count, columns: info.raw_column_names.length })}
            </p>
            <TrainForm processId={uploaded.processId} info={info} target={target} onTarget={setTarget} hasEvalFile={uploaded.hasEval} />
          </section>
          <section class="card" id="step-columns">
            <h2>{t('columns.title')}</h2>
            <ColumnsTable info={info} target={infoTarget} />
            <h3>{t('columns.sample')}</h3>
            <SampleRows info={info} />
          </section>
        </>
      ) : null}
    </div>
  );
}
