/**
 * The result files of a time-series training: metrics.csv (the forecast's and seasonal naive's
 * accuracy on the same held-back origins, overall and per step, and the band's coverage),
 * evaluation_raw_data.csv (one row per held-back forecast), analysis_summary.csv (contributions
 * per feature), report.html and model.json.
 */
import { writeCsv } from '../../formats/csv.js';
import type { Accuracy } from '../timeseries/accuracy.js';
import { explainValidation } from '../timeseries/explain.js';
import { timeAt } from '../timeseries/calendar.js';
import type { ForecastTraining } from '../timeseries/train.js';
import { describe } from '../timeseries/train.js';
import type { ResultFile } from '../types.js';
import { AUTOML_VERSION } from './manifest.js';
import { renderSvg } from './report.js';

function sig(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(6))) : '';
}

function iso(t: number): string {
  return new Date(t * 1000).toISOString().replace('T', ' ').replace('.000Z', '');
}

function metricRows(scope: string, model: Accuracy, naive: Accuracy): string[][] {
  return [
    [scope, 'rmse', sig(model.rmse), sig(naive.rmse)],
    [scope, 'mae', sig(model.mae), sig(naive.mae)],
    [scope, 'mase', sig(model.mase), sig(naive.mase)],
    [scope, 'n', String(model.n), String(naive.n)],
  ];
}

export function timeSeriesMetricsCsv(t: ForecastTraining): string {
  const rows = [
    ...metricRows('all', t.accuracy.model, t.accuracy.naive),
    ...t.accuracy.perStep.flatMap((s) => metricRows(`horizon ${s.h}`, s.model, s.naive)),
    ['all', 'coverage', sig(t.coverage), ''],
  ];
  return writeCsv(['scope', 'metric', 'value', 'seasonal_naive'], rows, { bom: true });
}

/** Headline metrics (trainAutoModel's `metrics`). */
export function timeSeriesMetrics(t: ForecastTraining): Record<string, number> {
  const a = t.accuracy;
  return {
    rmse: a.model.rmse,
    mae: a.model.mae,
    mase: a.model.mase,
    coverage: t.coverage,
    seasonal_naive_rmse: a.naive.rmse,
    seasonal_naive_mae: a.naive.mae,
    seasonal_naive_mase: a.naive.mase,
  };
}

export function writeTimeSeriesResultFiles(t: ForecastTraining, timings: Readonly<Record<string, number>>): ResultFile[] {
  const ex = explainValidation(t);
  const series = t.ctx.series;
  const q = t.band.quantiles;
  const half = (i: number): number => q[t.validation[i]!.point.h - t.settings.fromStep]! * t.bandScale[i]!;
  const hasSeries = t.settings.seriesColumn !== undefined;
  const raw = writeCsv(
    [...(hasSeries ? [t.settings.seriesColumn!] : []), 'origin', t.settings.timeColumn, 'horizon', 'actual', 'prediction', 'lower', 'upper', 'method', 'reasons_up', 'reasons_down'],
    t.validation.map((v, i) => {
      const s = series[v.series]!;
      const r = ex.reasons.get(i);
      const fmt = (list: readonly { feature: string; contribution: number }[] | undefined): string => (list ?? []).map((x) => `${x.feature} (${sig(x.contribution)})`).join('; ');
      const lower = t.nonNegative ? Math.max(0, v.prediction - half(i)) : v.prediction - half(i);
      return [
        ...(hasSeries ? [s.key ?? ''] : []),
        iso(timeAt(s.grid, v.point.origin)),
        iso(timeAt(s.grid, v.point.origin + v.point.h)),
        String(v.point.h),
        sig(v.actual),
        sig(v.prediction),
        sig(lower),
        sig(v.prediction + half(i)),
        t.choices[v.series]!.method,
        fmt(r?.up),
        fmt(r?.down),
      ];
    }),
    { bom: true },
  );
  const summary = writeCsv(
    ['feature', 'importance', 'mean_contribution'],
    ex.contributions.filter((c) => c.importance > 0).map((c) => [c.feature, sig(c.importance), sig(c.mean)]),
    { bom: true },
  );
  const manifest = {
    automl_version: AUTOML_VERSION,
    mode: 'time-series',
    settings: t.settings,
    feature_count: t.ctx.defs.length,
    min_history: t.minHistory,
    candidates: t.candidates.map((c) => ({ gbdt: describe(c.config), validation_rmse: Number(sig(c.rmse)), rounds: c.rounds })),
    chosen: t.foldSet === null ? null : describe(t.foldSet.config),
    series: t.choices.map((c) => ({ series: c.key, method: c.method, ...(c.note !== undefined ? { note: c.note } : {}) })),
    band_quantiles: Array.from(q, (v) => Number(sig(v))),
    held_back_coverage: Number(sig(t.coverage)),
    stopped_by_time: t.stoppedByTime,
    notes: t.notes,
    timings,
  };
  return [
    { name: 'metrics.csv', content: timeSeriesMetricsCsv(t) },
    { name: 'analysis_summary.csv', content: summary },
    { name: 'evaluation_raw_data.csv', content: raw },
    { name: 'report.html', content: timeSeriesReport(t, ex.contributions, half) },
    { name: 'model.json', content: JSON.stringify(manifest, null, 2) + '\n' },
  ];
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function timeSeriesReport(t: ForecastTraining, contributions: readonly { feature: string; importance: number }[], half: (i: number) => number): string {
  const a = t.accuracy;
  const beats = a.model.rmse < a.naive.rmse && a.model.mase < a.naive.mase;
  const warning = beats
    ? ''
    : `<section class="warnings"><h2>Warning / 注意</h2><p>The forecast does not beat seasonal naive on the held-back origins (RMSE ${sig(a.model.rmse)} vs ${sig(a.naive.rmse)}). 予測は季節ナイーブ予測より良くありません。</p></section>`;
  // Actual vs forecast at the first step, for the first series, with the band.
  const first = t.settings.fromStep;
  const shown = t.validation.map((v, i) => ({ v, i })).filter(({ v }) => v.series === 0 && v.point.h === first).slice(-500);
  const s0 = t.ctx.series[0]!;
  const times = shown.map(({ v }) => iso(timeAt(s0.grid, v.point.origin + v.point.h)));
  const line = renderSvg(
    {
      tooltip: {},
      legend: { data: ['actual', 'forecast', 'band'] },
      xAxis: { type: 'category', data: times },
      yAxis: { type: 'value', scale: true },
      series: [
        { name: 'band', type: 'line', data: shown.map(({ v, i }) => v.prediction - half(i)), lineStyle: { opacity: 0 }, stack: 'band', symbol: 'none' },
        { name: 'band', type: 'line', data: shown.map(({ i }) => 2 * half(i)), lineStyle: { opacity: 0 }, areaStyle: { color: '#c6dbef' }, stack: 'band', symbol: 'none' },
        { name: 'actual', type: 'line', data: shown.map(({ v }) => v.actual), symbol: 'none', color: '#222' },
        { name: 'forecast', type: 'line', data: shown.map(({ v }) => v.prediction), symbol: 'none', color: '#d62728' },
      ],
    },
    760,
    360,
  );
  const steps = a.perStep.filter((s) => s.model.n > 0);
  const bars = renderSvg({
    legend: { data: ['forecast', 'seasonal naive'] },
    xAxis: { type: 'category', data: steps.map((s) => String(s.h)), name: 'horizon' },
    yAxis: { type: 'value', name: 'RMSE' },
    series: [
      { name: 'forecast', type: 'bar', data: steps.map((s) => s.model.rmse) },
      { name: 'seasonal naive', type: 'bar', data: steps.map((s) => s.naive.rmse) },
    ],
  });
  const top = contributions.filter((c) => c.importance > 0).slice(0, 15).reverse();
  const contrib = renderSvg({
    grid: { left: 260 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: top.map((c) => c.feature) },
    series: [{ type: 'bar', data: top.map((c) => c.importance) }],
  });
  const metric = (name: string, m: number, n: number): string => `<tr><th>${name}</th><td class="metric" data-metric="${esc(name.toLowerCase())}">${sig(m)}</td><td>${sig(n)}</td></tr>`;
  return `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>Yosoku forecast report</title>
<style>body{font-family:sans-serif;max-width:900px;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}.warnings{background:#fff3cd;padding:8px}</style></head><body>
<h1>Forecast of ${esc(t.target)} / ${esc(t.target)} の予測</h1>
${warning}
<h2>Accuracy on held-back origins / 検証期間の精度</h2>
<table><tr><th></th><th>forecast</th><th>seasonal naive</th></tr>${metric('RMSE', a.model.rmse, a.naive.rmse)}${metric('MAE', a.model.mae, a.naive.mae)}${metric('MASE', a.model.mase, a.naive.mase)}
<tr><th>90% band coverage / 90%区間の被覆率</th><td class="metric" data-metric="coverage">${sig(t.coverage)}</td><td></td></tr></table>
<h2>Actual vs forecast (step ${first}) / 実績と予測</h2>${line}
<h2>Error by horizon step / 予測ステップ別の誤差</h2>${bars}
<h2>Contributions / 寄与度</h2>${contrib}
<h2>Methods / 手法</h2><ul>${t.choices.map((c) => `<li>${esc(c.key ?? t.target)}: ${esc(c.method)}${c.note !== undefined ? ` (${esc(c.note)})` : ''}</li>`).join('')}</ul>
${t.notes.length > 0 ? `<h2>Notes</h2><ul>${t.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}
