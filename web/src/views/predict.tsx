/**
 * Predictions through the prediction API itself: rows as CSV → `POST <url>` with the API's own key
 * (`pr` base64 CSV, `ar` on for reasons, `nc` off for labelled outputs); each prediction with its
 * probabilities and its top reasons up and down, the rows that could not be read, and warnings.
 * The rows are prefilled with the header and first row of the training data when this tab trained
 * the model (a time-series model: the preview rows with the target, as a history).
 */
import type { ComponentChildren, ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorBox, Table, useAction } from '../components/common.js';
import { call, sameOrigin, UiError } from '../lib/api.js';
import { base64ToUtf8, parseCsv, toCsv, utf8ToBase64 } from '../lib/csv.js';
import { fmtText } from '../lib/format.js';
import { forecastPoints, type ForecastPoint } from '../lib/forecast.js';
import { t } from '../lib/i18n.js';
import { apiKey } from '../lib/session.js';
import type { Classifier, ColumnInfo, InferenceAnswer } from '../lib/types.js';
import { trainingOfModel } from '../lib/work.js';

/** What was typed per prediction API, kept while the user moves between tabs. */
const drafts = new Map<string, string>();

async function sampleRows(modelId: number): Promise<string | null> {
  const training = trainingOfModel(modelId);
  if (training === undefined) return null;
  const info = await call<ColumnInfo>(
    'GET',
    `v1/external/data-sets/column-info?external_process_id=${encodeURIComponent(training.processId)}`,
    await apiKey('train'),
  );
  // A forecaster reads a history: every column, target included, over the preview's rows.
  if (training.type === 'time_series') return toCsv([info.raw_column_names, ...info.raw_training_data.map((r) => parseCsv(r.row_data)[0] ?? [])]);
  const keep = info.raw_column_names.map((n, i) => [n, i] as const).filter(([n]) => n !== training.target);
  const first = parseCsv(info.raw_training_data[0]?.row_data ?? '')[0] ?? [];
  return toCsv([keep.map(([n]) => n), keep.map(([, i]) => first[i] ?? '')]);
}

/** `column:value:contribution` (contribution last; the value may hold colons). */
export function Reason({ text, up }: { text: string; up: boolean }): JSX.Element | null {
  if (text === '') return null;
  const first = text.indexOf(':');
  const last = text.lastIndexOf(':');
  if (first < 0 || last <= first) return <span class={up ? 'reason-up' : 'reason-down'}>{text}</span>;
  const contribution = Number(text.slice(last + 1));
  return (
    <span class={`reason ${up ? 'reason-up' : 'reason-down'}`} data-reason={text}>
      {up ? '▲ ' : '▼ '}
      <strong>{text.slice(0, first)}</strong> = {text.slice(first + 1, last)}{' '}
      <span class="muted">
        ({contribution > 0 ? '+' : ''}
        {fmtText(text.slice(last + 1))})
      </span>
    </span>
  );
}

/** prediction_analysis.csv → a table: row, prediction, probabilities, reasons up, reasons down. */
export function PredictionTable({ csv, id }: { csv: string; id: string }): JSX.Element {
  const [head = [], ...rows] = parseCsv(csv).filter((r) => r.length > 1);
  const ups = head.flatMap((h, i) => (h.startsWith('reason_up') ? [i] : []));
  const downs = head.flatMap((h, i) => (h.startsWith('reason_down') ? [i] : []));
  const plain = head.map((_, i) => i).filter((i) => !ups.includes(i) && !downs.includes(i));
  const hasReasons = ups.length + downs.length > 0;
  const heads: ComponentChildren[] = [
    ...plain.map((i) => (
      <span data-column={head[i]}>{head[i] === 'row_number' ? t('predict.row') : head[i] === 'prediction' ? t('predict.prediction') : head[i]}</span>
    )),
  ];
  if (hasReasons) heads.push(t('predict.reasonsUp'), t('predict.reasonsDown'));
  return (
    <Table
      id={id}
      head={heads}
      rows={rows.map((r) => {
        const cells: JSX.Element[] = plain.map((i) => <span>{head[i] === 'row_number' ? r[i] : fmtText(r[i] ?? '')}</span>);
        if (hasReasons) {
          cells.push(
            <span class="reasons">
              {ups.map((i) => (
                <Reason key={i} text={r[i] ?? ''} up />
              ))}
            </span>,
            <span class="reasons">
              {downs.map((i) => (
                <Reason key={i} text={r[i] ?? ''} up={false} />
              ))}
            </span>,
          );
        }
        return cells;
      })}
    />
  );
}

type ForecastChartComponent = ComponentType<{ points: readonly ForecastPoint[] }>;
let forecastModule: Promise<ForecastChartComponent> | null = null;

/** The forecast chart (echarts) of a time-series answer, fetched the first time one is shown. */
function Forecast({ points }: { points: readonly ForecastPoint[] }): JSX.Element {
  const [view, setView] = useState<ForecastChartComponent | null>(null);
  useEffect(() => {
    forecastModule ??= import('../charts/forecast-chart.js').then((m) => m.ForecastChart);
    forecastModule.then((c) => setView(() => c));
  }, []);
  const View = view;
  return View !== null ? <View points={points} /> : <p class="hint">{t('home.loading')}</p>;
}

function Answer({ answer }: { answer: InferenceAnswer }): JSX.Element {
  const file = (name: string) => answer.outputs.find((o) => o.name === name);
  const main = file('prediction_analysis.csv') ?? file('prediction_valid.csv');
  const invalid = file('prediction_invalid.csv');
  const valid = file('prediction_valid.csv');
  const points = valid === undefined ? null : forecastPoints(parseCsv(base64ToUtf8(valid.data)).filter((r) => r.length > 1));
  return (
    <div id="predictions" data-state="predicted">
      {points !== null && points.length > 0 ? <Forecast points={points} /> : null}
      {main !== undefined ? <PredictionTable id="predictions-table" csv={base64ToUtf8(main.data)} /> : null}
      {invalid !== undefined ? (
        <>
          <h3>{t('predict.invalid')}</h3>
          {(() => {
            const [head = [], ...rows] = parseCsv(base64ToUtf8(invalid.data)).filter((r) => r.length > 1);
            const names: Record<string, string> = { row_number: t('predict.row'), reason: t('predict.reason') };
            return <Table id="invalid-table" head={head.map((h) => names[h] ?? h)} rows={rows} />;
          })()}
        </>
      ) : null}
      {answer.warnings !== undefined && answer.warnings.length > 0 ? (
        <>
          <h3>{t('predict.warnings')}</h3>
          <ul id="predict-warnings">
            {answer.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

export function PredictTab({ c }: { c: Classifier }): JSX.Element {
  const [csv, setCsv] = useState(drafts.get(c.classifier_id) ?? '');
  const [answer, setAnswer] = useState<InferenceAnswer | null>(null);
  const action = useAction();
  useEffect(() => {
    if (drafts.has(c.classifier_id)) return;
    sampleRows(c.model_id).then(
      (text) => {
        if (text === null || drafts.has(c.classifier_id)) return;
        drafts.set(c.classifier_id, text);
        setCsv(text);
      },
      () => undefined, // only a convenience: the field also takes any rows
    );
  }, [c.classifier_id, c.model_id]);
  const edit = (text: string) => {
    drafts.set(c.classifier_id, text);
    setCsv(text);
  };
  return (
    <section class="card" id="step-predict">
      <h2>{t('predict.title')}</h2>
      <form
        id="predict-form"
        onSubmit={(e) => {
          e.preventDefault();
          action.run(async () => {
            if (c.url === null) throw new UiError('predict.notRunning');
            const body = {
              inputs: [
                { name: 'pr', type: 'csv', data: utf8ToBase64(csv) },
                { name: 'ar', type: 'boolean', data: true },
                { name: 'nc', type: 'boolean', data: false },
              ],
            };
            setAnswer(null);
            setAnswer(await call<InferenceAnswer>('POST', sameOrigin(c.url), c.api_key, body));
          });
        }}
      >
        <label for="predict-csv">{t('predict.csv')}</label>
        <textarea
          id="predict-csv"
          data-filled={csv === '' ? 'false' : 'true'}
          rows={5}
          spellcheck={false}
          value={csv}
          placeholder={t('predict.placeholder')}
          onInput={(e) => edit(e.currentTarget.value)}
        />
        <div class="actions">
          <button id="predict-submit" type="submit" class="primary" disabled={action.busy}>
            {t('predict.submit')}
          </button>
        </div>
      </form>
      <ErrorBox id="predict-error" error={action.error} />
      {answer !== null ? <Answer answer={answer} /> : null}
    </section>
  );
}
