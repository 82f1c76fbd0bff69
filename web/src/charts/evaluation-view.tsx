/**
 * The evaluation in the page, drawn from the result zip's files (lib/evaluation.ts): the metrics;
 * for binary models a threshold slider that recomputes the confusion matrix, precision, recall and
 * F live, the ROC curve and the probability distributions; the confusion matrix of multi-class
 * models; predicted vs actual and the errors for regression; the forecast with its 90% band for
 * time series; the importance of each column with its values' contributions; the columns left out.
 * Loaded as its own chunk (with echarts) when a result is shown.
 */
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { SaveLink, Table } from '../components/common.js';
import { sameOrigin } from '../lib/api.js';
import {
  readConfusion,
  readContributions,
  readManifest,
  readMetrics,
  readRawRows,
  type BinaryRows,
  type ColumnContribution,
  type EvaluationRows,
  type ForecastRows,
  type Manifest,
  type RegressionRows,
} from '../lib/evaluation.js';
import { fmt, fmtText, pct } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import type { ResultZip } from '../lib/results.js';
import { atThreshold, probabilityHistogram, rocCurve, thin } from '../lib/threshold.js';
import { metricLabel } from '../views/labels.js';
import { Chart, type ChartOption } from './chart.js';

const ACCENT = '#3b7dd8';
const OTHER = '#e08a2e';
const GOOD = '#1b7f3b';
const BAD = '#b00020';
/** Points drawn at most in a scatter or ROC chart (a sample keeps the page light). */
const MAX_POINTS = 2000;

interface Loaded {
  readonly metrics: Map<string, number>;
  readonly rows: EvaluationRows | null;
  readonly contributions: ColumnContribution[];
  readonly confusion: { classes: string[]; counts: number[][] } | null;
  readonly manifest: Manifest | null;
  readonly report: Uint8Array | null;
}

async function load(zip: ResultZip): Promise<Loaded> {
  const [metrics, raw, summary, confusion, manifest] = await Promise.all(
    ['metrics.csv', 'evaluation_raw_data.csv', 'analysis_summary.csv', 'confusion_matrix.csv', 'model.json'].map((n) => zip.text(n)),
  );
  const m = manifest == null ? null : readManifest(manifest);
  const report = zip.entries.get('report.html');
  return {
    metrics: metrics == null ? new Map() : readMetrics(metrics),
    rows: raw == null ? null : readRawRows(raw, m?.positive ?? null),
    contributions: summary == null ? [] : readContributions(summary),
    confusion: confusion == null ? null : readConfusion(confusion),
    manifest: m,
    report: report === undefined ? null : await report.read(),
  };
}

const KEY_METRICS = [
  'auc',
  'accuracy',
  'f_score',
  'precision',
  'recall',
  'average_f_score',
  'logloss',
  'r2',
  'rmse',
  'mae',
  'median_absolute_error',
  'median_absolute_error_ratio',
];

function Metrics({ metrics }: { metrics: Map<string, number> }): JSX.Element {
  const level = metrics.get('model_level');
  const shown = KEY_METRICS.filter((k) => metrics.has(k));
  const rest = [...metrics.keys()].filter((k) => !shown.includes(k) && k !== 'model_level');
  return (
    <section class="card" id="metrics">
      <h2>{t('eval.metrics')}</h2>
      {level !== undefined ? (
        <p class="stars" title={`${level}/5`}>
          {t('metric.model_level')}: <span class="star-row">{'★'.repeat(level) + '☆'.repeat(Math.max(0, 5 - level))}</span>
        </p>
      ) : null}
      <div class="metric-cards" id="metrics-cards">
        {shown.map((k) => (
          <div key={k} class="metric-card" data-metric={k}>
            <span class="metric-name">{metricLabel(k)}</span>
            <span class="metric-value">{fmt(metrics.get(k))}</span>
          </div>
        ))}
      </div>
      <details>
        <summary>{t('eval.allMetrics')}</summary>
        <Table
          id="metrics-table"
          head={[t('eval.metric'), '', t('eval.value')]}
          rows={rest.map((k) => [metricLabel(k), <code>{k}</code>, fmt(metrics.get(k))])}
        />
      </details>
    </section>
  );
}

function ConfusionTable({ classes, counts, id }: { classes: readonly string[]; counts: readonly (readonly number[])[]; id: string }): JSX.Element {
  const max = Math.max(1, ...counts.flat());
  return (
    <div class="scroll">
      <table class="confusion" id={id}>
        <thead>
          <tr>
            <th class="corner">{t('eval.actualPredicted')}</th>
            {classes.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {counts.map((row, a) => (
            <tr key={a}>
              <th>{classes[a]}</th>
              {row.map((v, p) => (
                <td key={p} class={`num-cell heat${Math.min(5, Math.ceil((v / max) * 5))}${a === p ? ' diagonal' : ''}`}>
                  {v}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function BinaryPanel({ rows, threshold }: { rows: BinaryRows; threshold: number }): JSX.Element {
  const [cut, setCut] = useState(threshold);
  const m = atThreshold(rows.probability, rows.isPositive, cut);
  const roc = useMemo(() => rocCurve(rows.probability, rows.isPositive), [rows]);
  const hist = useMemo(() => probabilityHistogram(rows.probability, rows.isPositive), [rows]);
  const [neg, pos] = rows.classes;
  const fpr = m.fp + m.tn === 0 ? 0 : m.fp / (m.fp + m.tn);
  const tpr = m.tp + m.fn === 0 ? 0 : m.tp / (m.tp + m.fn);
  const rocOption: ChartOption = {
    grid: { left: 48, right: 16, top: 16, bottom: 40 },
    xAxis: { type: 'value', min: 0, max: 1, name: t('eval.fpr'), nameLocation: 'middle', nameGap: 24 },
    yAxis: { type: 'value', min: 0, max: 1, name: t('eval.tpr'), nameLocation: 'middle', nameGap: 32 },
    tooltip: { trigger: 'item' },
    series: [
      {
        type: 'line',
        showSymbol: false,
        data: thin(roc.points, MAX_POINTS),
        lineStyle: { color: ACCENT, width: 2 },
        areaStyle: { color: 'rgba(59,125,216,0.08)' },
      },
      {
        type: 'line',
        showSymbol: false,
        data: [
          [0, 0],
          [1, 1],
        ],
        lineStyle: { type: 'dashed', color: '#999' },
        silent: true,
      },
      { type: 'scatter', data: [[fpr, tpr]], symbolSize: 12, itemStyle: { color: BAD }, name: t('eval.threshold') },
    ],
  };
  const bins = hist.positive.map((_, b) => `${b * 5}%`);
  const histOption: ChartOption = {
    grid: { left: 48, right: 16, top: 36, bottom: 40 },
    legend: { data: [pos, neg], top: 0 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: bins, name: t('eval.probabilityOf', { value: pos }), nameLocation: 'middle', nameGap: 26 },
    yAxis: { type: 'value', name: t('eval.rows') },
    series: [
      {
        type: 'bar',
        name: pos,
        data: hist.positive,
        itemStyle: { color: ACCENT },
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: BAD, width: 2 },
          label: { formatter: fmt(cut) },
          data: [{ xAxis: Math.min(hist.positive.length - 1, Math.floor(cut * hist.positive.length)) }],
        },
      },
      { type: 'bar', name: neg, data: hist.negative, itemStyle: { color: OTHER } },
    ],
  };
  return (
    <section class="card" id="binary-panel">
      <h2>{t('eval.threshold')}</h2>
      <p class="hint">{t('eval.thresholdHint', { value: pos })}</p>
      <div class="threshold-row">
        <input
          id="threshold"
          type="range"
          min="0"
          max="1"
          step="0.01"
          value={cut}
          aria-label={t('eval.threshold')}
          onInput={(e) => setCut(Number(e.currentTarget.value))}
        />
        <output id="threshold-value" for="threshold">
          {cut.toFixed(2)}
        </output>
        <button type="button" class="quiet" id="threshold-reset" disabled={cut === threshold} onClick={() => setCut(threshold)}>
          {t('eval.thresholdReset', { value: fmt(threshold) })}
        </button>
      </div>
      <div class="two">
        <div>
          <ConfusionTable
            id="threshold-confusion"
            classes={[neg, pos]}
            counts={[
              [m.tn, m.fp],
              [m.fn, m.tp],
            ]}
          />
        </div>
        <div class="metric-cards" id="threshold-metrics" data-threshold={cut.toFixed(2)}>
          {(
            [
              ['precision', m.precision],
              ['recall', m.recall],
              ['f_score', m.fScore],
              ['accuracy', m.accuracy],
            ] as const
          ).map(([k, v]) => (
            <div key={k} class="metric-card" data-metric={k}>
              <span class="metric-name">{metricLabel(k)}</span>
              <span class="metric-value">{fmt(v)}</span>
            </div>
          ))}
        </div>
      </div>
      <p class="hint" id="threshold-explain">
        {t('eval.thresholdExplain', { predicted: m.tp + m.fp, rows: rows.probability.length, value: pos, found: m.tp, total: m.tp + m.fn })}
      </p>
      <div class="two">
        <div>
          <h3>{t('eval.roc')}</h3>
          <p class="hint">{t('eval.rocHint', { auc: fmt(roc.auc) })}</p>
          <Chart id="chart-roc" option={rocOption} height={300} />
        </div>
        <div>
          <h3>{t('eval.distribution')}</h3>
          <p class="hint">{t('eval.distributionHint', { value: pos })}</p>
          <Chart id="chart-distribution" option={histOption} height={300} />
        </div>
      </div>
    </section>
  );
}

function RegressionPanel({ rows }: { rows: RegressionRows }): JSX.Element {
  const n = rows.actual.length;
  const step = Math.max(1, Math.ceil(n / MAX_POINTS));
  const points: [number, number][] = [];
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, rows.actual[i]!, rows.predicted[i]!);
    hi = Math.max(hi, rows.actual[i]!, rows.predicted[i]!);
    if (i % step === 0) points.push([rows.actual[i]!, rows.predicted[i]!]);
  }
  const errors = Array.from(rows.actual, (a, i) => rows.predicted[i]! - a);
  const emin = Math.min(...errors);
  const emax = Math.max(...errors);
  const nb = 20;
  const width = (emax - emin) / nb || 1;
  const counts = new Array<number>(nb).fill(0);
  for (const e of errors) counts[Math.min(nb - 1, Math.floor((e - emin) / width))]!++;
  const scatter: ChartOption = {
    grid: { left: 64, right: 16, top: 16, bottom: 44 },
    xAxis: { type: 'value', name: t('eval.actual'), nameLocation: 'middle', nameGap: 26, scale: true },
    yAxis: { type: 'value', name: t('eval.predicted'), nameLocation: 'middle', nameGap: 48, scale: true },
    series: [
      { type: 'scatter', symbolSize: 4, data: points, itemStyle: { color: ACCENT, opacity: 0.6 } },
      {
        type: 'line',
        showSymbol: false,
        data: Number.isFinite(lo)
          ? [
              [lo, lo],
              [hi, hi],
            ]
          : [],
        lineStyle: { type: 'dashed', color: '#999' },
        silent: true,
      },
    ],
  };
  const hist: ChartOption = {
    grid: { left: 56, right: 16, top: 16, bottom: 44 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: counts.map((_, b) => fmt(emin + (b + 0.5) * width)), name: t('eval.error'), nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', name: t('eval.rows') },
    series: [{ type: 'bar', data: counts, itemStyle: { color: ACCENT } }],
  };
  return (
    <section class="card" id="regression-panel">
      <div class="two">
        <div>
          <h3>{t('eval.scatter')}</h3>
          <p class="hint">{t('eval.scatterHint')}</p>
          <Chart id="chart-scatter" option={scatter} height={320} />
        </div>
        <div>
          <h3>{t('eval.errors')}</h3>
          <p class="hint">{t('eval.errorsHint')}</p>
          <Chart id="chart-errors" option={hist} height={320} />
        </div>
      </div>
    </section>
  );
}

function ForecastPanel({ rows }: { rows: ForecastRows }): JSX.Element {
  const [horizon, setHorizon] = useState(rows.horizons[0] ?? 1);
  const [series, setSeries] = useState(rows.series[0] ?? '');
  const points = rows.points.filter((p) => p.horizon === horizon && p.series === series).sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  const times = points.map((p) => p.time);
  const hasBand = points.some((p) => Number.isFinite(p.lower) && Number.isFinite(p.upper));
  const inBand = points.filter((p) => p.actual >= p.lower && p.actual <= p.upper).length;
  const option: ChartOption = {
    grid: { left: 64, right: 16, top: 36, bottom: 56 },
    legend: { data: [t('eval.actual'), t('eval.predicted'), t('eval.band')], top: 0 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: times, boundaryGap: false },
    yAxis: { type: 'value', scale: true },
    series: [
      // The band as a stacked pair: an invisible base at `lower`, then `upper − lower` filled.
      ...(hasBand
        ? [
            { type: 'line', name: 'lower', data: points.map((p) => p.lower), stack: 'band', lineStyle: { opacity: 0 }, showSymbol: false, silent: true },
            {
              type: 'line',
              name: t('eval.band'),
              data: points.map((p) => p.upper - p.lower),
              stack: 'band',
              lineStyle: { opacity: 0 },
              areaStyle: { color: 'rgba(59,125,216,0.18)' },
              itemStyle: { color: 'rgba(59,125,216,0.45)' },
              showSymbol: false,
              silent: true,
            },
          ]
        : []),
      {
        type: 'line',
        name: t('eval.actual'),
        data: points.map((p) => p.actual),
        showSymbol: false,
        lineStyle: { color: '#333', width: 1.5 },
        itemStyle: { color: '#333' },
      },
      {
        type: 'line',
        name: t('eval.predicted'),
        data: points.map((p) => p.prediction),
        showSymbol: false,
        lineStyle: { color: ACCENT, width: 2 },
        itemStyle: { color: ACCENT },
      },
    ],
  };
  return (
    <section class="card" id="forecast-panel">
      <h2>{t('eval.forecast')}</h2>
      <div class="row">
        <label>
          <span>{t('eval.horizon')}</span>{' '}
          <select id="forecast-horizon" value={String(horizon)} onChange={(e) => setHorizon(Number(e.currentTarget.value))}>
            {rows.horizons.map((h) => (
              <option key={h} value={String(h)}>
                {t('eval.stepsAhead', { n: h })}
              </option>
            ))}
          </select>
        </label>
        {rows.series.length > 1 ? (
          <label>
            <span>{t('ts.series')}</span>{' '}
            <select id="forecast-series" value={series} onChange={(e) => setSeries(e.currentTarget.value)}>
              {rows.series.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      <p class="hint" id="forecast-coverage">
        {hasBand ? t('eval.coverage', { share: pct(points.length === 0 ? NaN : inBand / points.length), n: points.length }) : t('eval.noBand')}
      </p>
      <Chart id="chart-forecast" option={option} height={340} />
    </section>
  );
}

function MultiPanel({ confusion, metrics }: { confusion: { classes: string[]; counts: number[][] }; metrics: Map<string, number> }): JSX.Element {
  const option: ChartOption = {
    grid: { left: 48, right: 16, top: 16, bottom: 56 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: confusion.classes, axisLabel: { interval: 0, rotate: confusion.classes.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', min: 0, max: 1 },
    series: [{ type: 'bar', data: confusion.classes.map((c) => Number(fmt(metrics.get(`f_score[${c}]`) ?? NaN)) || 0), itemStyle: { color: ACCENT } }],
  };
  return (
    <section class="card" id="multi-panel">
      <div class="two">
        <div>
          <h3>{t('eval.confusion')}</h3>
          <p class="hint">{t('eval.confusionHint')}</p>
          <ConfusionTable id="confusion-table" classes={confusion.classes} counts={confusion.counts} />
        </div>
        <div>
          <h3>{t('eval.perClass')}</h3>
          <Chart id="chart-per-class" option={option} height={280} />
        </div>
      </div>
    </section>
  );
}

/** A numeric range as analysis_summary.csv writes it (`32.1_36.6`) → `32.1 – 36.6`; other values as they are. */
function contentLabel(content: string): string {
  return content.replace(/^(-?[\d.]+(?:e[-+]?\d+)?)_(-?[\d.]+(?:e[-+]?\d+)?)$/i, (_, a: string, b: string) => `${fmtText(a)} – ${fmtText(b)}`);
}

/** Importance bars; choosing a column shows which of its values push the prediction up or down. */
function ImportancePanel({ contributions, task }: { contributions: ColumnContribution[]; task: string }): JSX.Element | null {
  const groups = [...new Set(contributions.map((c) => c.group))];
  const [group, setGroup] = useState(groups[0] ?? '');
  const list = contributions.filter((c) => c.group === group).sort((a, b) => b.total - a.total);
  const [column, setColumn] = useState(list[0]?.column ?? '');
  useEffect(() => setColumn(list[0]?.column ?? ''), [group]);
  if (list.length === 0) return null;
  const top = list.slice(0, 15);
  const maxTotal = Math.max(...top.map((c) => c.total), 0) || 1;
  const chosen = list.find((c) => c.column === column) ?? list[0]!;
  const values = chosen.directions.flatMap((d, k) => d.values.map((v) => ({ ...v, label: contentLabel(v.content), direction: d.name, up: k === 0 })));
  const unit = task === 'regression' ? t('eval.unitValue') : t('eval.unitProbability');
  const option: ChartOption = {
    grid: { left: 140, right: 48, top: 8, bottom: 28 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', inverse: true, data: values.map((v) => v.label), axisLabel: { width: 128, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        data: values.map((v) => ({ value: Number(fmt(v.score).replace(/,/g, '')), itemStyle: { color: v.score >= 0 ? GOOD : BAD } })),
        label: { show: true, position: 'right', formatter: (p: { value: number }) => fmt(p.value) },
      },
    ],
  };
  return (
    <section class="card" id="importance">
      <h2>{t('eval.importance')}</h2>
      <p class="hint">{t('eval.importanceHint', { unit })}</p>
      {groups.length > 1 ? (
        <label>
          <span>{t('eval.forClass')}</span>{' '}
          <select id="importance-class" value={group} onChange={(e) => setGroup(e.currentTarget.value)}>
            {groups.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <div class="two">
        <ol class="importance-bars" id="importance-bars">
          {top.map((c) => (
            <li key={c.column}>
              <button
                type="button"
                class={c.column === chosen.column ? 'imp current' : 'imp'}
                data-column={c.column}
                aria-pressed={c.column === chosen.column}
                onClick={() => setColumn(c.column)}
              >
                <span class="imp-name">{c.column}</span>
                <span class="bar">
                  <span class="fill" style={{ width: `${(c.total / maxTotal) * 100}%` }} />
                </span>
                <span class="imp-value">{fmt(c.total)}</span>
              </button>
            </li>
          ))}
        </ol>
        <div id="contributions" data-column={chosen.column}>
          <h3>{t('eval.valuesOf', { column: chosen.column })}</h3>
          <p class="hint">
            {chosen.directions.map((d, k) => (
              <span key={d.name} class={k === 0 ? 'reason-up' : 'reason-down'}>
                {k === 0 ? '▲ ' : '▼ '}
                {task === 'binary_classification' ? t('eval.towards', { value: d.name }) : t(`eval.dir.${d.name}`)}{' '}
              </span>
            ))}
          </p>
          <Chart id="chart-contributions" option={option} height={Math.max(120, 28 * values.length + 40)} />
          <Table
            id="contributions-table"
            head={[t('eval.value'), t('eval.direction'), t('eval.contribution'), t('eval.share')]}
            rows={values.map((v) => [v.label, v.direction, fmt(v.score), pct(v.proportion)])}
          />
        </div>
      </div>
    </section>
  );
}

/** `modelId` null: a zip opened from disk (no signed URL, so no report link: the report is saved instead). */
export function EvaluationView({ zip, modelId }: { zip: ResultZip; modelId: number | null }): JSX.Element {
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    load(zip).then(setData, setError);
  }, [zip]);
  if (error !== null) return <p class="error">{String(error)}</p>;
  if (data === null) return <p class="hint">{t('home.loading')}</p>;
  const rows = data.rows;
  const task = data.manifest?.task ?? '';
  return (
    <div id="results" data-state="loaded" data-task={rows?.kind ?? ''}>
      <p class="links">
        {zip.url !== null ? (
          <a href={`ui/report?result=${encodeURIComponent(sameOrigin(zip.url))}`} target="_blank" rel="noopener" id="open-report">
            {t('eval.openReport')}
          </a>
        ) : null}
        {data.report !== null ? (
          <SaveLink bytes={data.report} name={modelId === null ? 'report.html' : `report-model-${modelId}.html`} type="text/html" id="save-report">
            {t('eval.saveReport')}
          </SaveLink>
        ) : null}
        {zip.url !== null ? (
          <a href={sameOrigin(zip.url)} id="result-zip" download={`result-model-${modelId}.zip`}>
            {t('eval.zip')}
          </a>
        ) : null}
      </p>
      {data.manifest !== null ? (
        <p class="status" id="evaluated-on">
          {t('eval.rowsSummary', { train: fmt(data.manifest.trainRows), evaluated: fmt(data.manifest.evaluationRows) })}
        </p>
      ) : null}
      <Metrics metrics={data.metrics} />
      {rows?.kind === 'binary' ? <BinaryPanel rows={rows} threshold={data.metrics.get('threshold') ?? 0.5} /> : null}
      {rows?.kind === 'multi' && data.confusion !== null ? <MultiPanel confusion={data.confusion} metrics={data.metrics} /> : null}
      {rows?.kind === 'regression' ? <RegressionPanel rows={rows} /> : null}
      {rows?.kind === 'forecast' ? <ForecastPanel rows={rows} /> : null}
      <ImportancePanel contributions={data.contributions} task={task} />
      <section class="card" id="dropped">
        <h2>{t('eval.dropped')}</h2>
        {data.manifest === null || data.manifest.dropped.length === 0 ? (
          <p>{t('eval.noneDropped')}</p>
        ) : (
          <ul>
            {data.manifest.dropped.map((d) => (
              <li key={d.name} data-reason={d.reason}>
                <strong>{d.name}</strong>: {t(`drop.${d.reason}`)} <span class="muted small">{d.detail}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

export default EvaluationView;
