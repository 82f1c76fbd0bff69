/**
 * report.html: one self-contained page (no scripts or styles from the network, charts as inline
 * SVG rendered by echarts on the server) in Japanese and English with a language switch, written
 * for a reader who is not a data scientist.
 */
import { createRequire } from 'node:module';
import type { DroppedColumn } from '../plan.js';
import type { Evaluation } from '../evaluate.js';
import type { Importance } from '../summary.js';
import { roundSig } from '../explain.js';
import type { TaskType } from '../types.js';
import { both, dropReasonLabel, metricLabel } from './catalogue.js';
import type { Bilingual } from './catalogue.js';

const WIDTH = 560;
const HEIGHT = 360;

export interface ReportInput {
  readonly task: TaskType;
  readonly target: string;
  readonly classes: readonly string[];
  readonly evaluation: Evaluation;
  readonly importance: readonly Importance[];
  readonly dropped: readonly DroppedColumn[];
  readonly warnings: readonly Bilingual[];
  readonly evaluationSource: Bilingual;
  readonly nTrainRows: number;
  readonly classCounts: readonly number[];
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function t(b: Bilingual): string {
  return `<span class="ja">${esc(b.ja)}</span><span class="en">${esc(b.en)}</span>`;
}

type ECharts = typeof import('echarts');
let echartsLib: ECharts | undefined;

/**
 * echarts, loaded on first use (synchronously, so trainAutoModel stays sync) from its single-file
 * build. Importing the package's ES modules costs 3–7 s (hundreds of files, each through the
 * loader), and was paid by every process that merely imported automl (prediction workers
 * included); the one-file bundle loads in ≈ 0.3 s and renders byte-identical SVG.
 */
function echarts(): ECharts {
  echartsLib ??= createRequire(import.meta.url)('echarts/dist/echarts.min.js') as ECharts;
  return echartsLib;
}

/** Renders one echarts option to an SVG string (animation off: the SVG is a still image). */
export function renderSvg(option: Record<string, unknown>, width = WIDTH, height = HEIGHT): string {
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: 'sans-serif' }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

function chartBlock(title: Bilingual, note: Bilingual | null, svg: string, id: string): string {
  return `<section class="chart" id="${id}"><h3>${t(title)}</h3>${note ? `<p class="note">${t(note)}</p>` : ''}${svg}</section>`;
}

function importanceChart(importance: readonly Importance[]): string {
  const top = importance.slice(0, 15).reverse();
  return renderSvg(
    {
      grid: { left: 160, right: 30, top: 20, bottom: 30 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: top.map((i) => i.column) },
      series: [{ type: 'bar', data: top.map((i) => Number(roundSig(i.value))), itemStyle: { color: '#3b7dd8' } }],
    },
    WIDTH,
    Math.max(200, 40 + top.length * 22),
  );
}

function confusionChart(classes: readonly string[], cm: number[][]): string {
  const data: [number, number, number][] = [];
  let max = 1;
  cm.forEach((row, a) =>
    row.forEach((v, p) => {
      data.push([p, classes.length - 1 - a, v]);
      max = Math.max(max, v);
    }),
  );
  const size = Math.min(720, Math.max(320, 60 * classes.length + 140));
  return renderSvg(
    {
      grid: { left: 110, right: 30, top: 20, bottom: 70 },
      xAxis: { type: 'category', data: classes.slice(), name: 'predicted', nameLocation: 'middle', nameGap: 30 },
      yAxis: { type: 'category', data: classes.slice().reverse(), name: 'actual', nameLocation: 'middle', nameGap: 80 },
      visualMap: { min: 0, max, show: false, inRange: { color: ['#f4f8fd', '#1f5fbf'] } },
      series: [{ type: 'heatmap', data, label: { show: classes.length <= 12 } }],
    },
    size,
    size,
  );
}

function chartsFor(input: ReportInput): string[] {
  const ev = input.evaluation;
  const blocks: string[] = [];
  if (ev.confusion !== null) {
    blocks.push(
      chartBlock(
        both((c) => c.chart.confusion.title),
        both((c) => c.chart.confusion.note),
        confusionChart(input.classes, ev.confusion),
        'chart-confusion',
      ),
    );
  }
  if (ev.binary !== null) {
    const b = ev.binary;
    const roc = b.roc.fpr.map((x, i) => [x, b.roc.tpr[i]!]);
    blocks.push(
      chartBlock(
        both((c) => c.chart.roc.title),
        both((c) => c.chart.roc.note),
        renderSvg({
          xAxis: { type: 'value', min: 0, max: 1, name: 'FPR' },
          yAxis: { type: 'value', min: 0, max: 1, name: 'TPR' },
          series: [
            { type: 'line', showSymbol: false, data: roc },
            {
              type: 'line',
              showSymbol: false,
              lineStyle: { type: 'dashed', color: '#999' },
              data: [
                [0, 0],
                [1, 1],
              ],
            },
          ],
        }),
        'chart-roc',
      ),
    );
    const bins = Array.from({ length: 10 }, (_, k) => `${k * 10}-${k * 10 + 10}%`);
    blocks.push(
      chartBlock(
        both((c) => c.chart.distribution.title),
        both((c) => c.chart.distribution.note(input.classes[1]!)),
        renderSvg({
          legend: { data: input.classes.slice(), top: 0 },
          xAxis: { type: 'category', data: bins },
          yAxis: { type: 'value' },
          series: [0, 1].map((k) => ({ type: 'bar', name: input.classes[k], data: b.distribution[k] })),
        }),
        'chart-distribution',
      ),
    );
    blocks.push(
      chartBlock(
        both((c) => c.chart.calibration.title),
        both((c) => c.chart.calibration.note),
        renderSvg({
          xAxis: { type: 'category', data: bins },
          yAxis: { type: 'value', min: 0, max: 1 },
          series: [{ type: 'bar', data: b.calibration.map((c) => Number(c.positiveRate.toFixed(4))) }],
        }),
        'chart-calibration',
      ),
    );
    blocks.push(
      chartBlock(
        both((c) => c.chart.topN.title),
        both((c) => c.chart.topN.note),
        renderSvg({
          xAxis: { type: 'category', data: b.topN.map((x) => `${x.percent}%`) },
          yAxis: { type: 'value', min: 0, max: 1 },
          series: [{ type: 'line', data: b.topN.map((x) => Number(x.hitRate.toFixed(4))) }],
        }),
        'chart-topn',
      ),
    );
  }
  if (ev.perClass !== null && input.task === 'multi_classification') {
    blocks.push(
      chartBlock(
        both((c) => c.chart.perClass.title),
        null,
        renderSvg({
          xAxis: { type: 'category', data: input.classes.slice() },
          yAxis: { type: 'value', min: 0, max: 1 },
          series: [{ type: 'bar', data: ev.perClass.map((c) => Number(c.fScore.toFixed(4))) }],
        }),
        'chart-per-class',
      ),
    );
  }
  if (ev.regression !== null) {
    const r = ev.regression;
    let lo = Infinity;
    let hi = -Infinity;
    for (const [a, p] of r.scatter) {
      lo = Math.min(lo, a, p);
      hi = Math.max(hi, a, p);
    }
    blocks.push(
      chartBlock(
        both((c) => c.chart.scatter.title),
        both((c) => c.chart.scatter.note),
        renderSvg({
          xAxis: { type: 'value', name: 'actual', scale: true },
          yAxis: { type: 'value', name: 'predicted', scale: true },
          series: [
            { type: 'scatter', symbolSize: 4, data: r.scatter.map(([a, p]) => [Number(roundSig(a, 6)), Number(roundSig(p, 6))]) },
            {
              type: 'line',
              showSymbol: false,
              lineStyle: { type: 'dashed', color: '#999' },
              data: Number.isFinite(lo)
                ? [
                    [lo, lo],
                    [hi, hi],
                  ]
                : [],
            },
          ],
        }),
        'chart-scatter',
      ),
    );
    blocks.push(
      chartBlock(
        both((c) => c.chart.errors.title),
        both((c) => c.chart.errors.note),
        renderSvg({
          xAxis: { type: 'category', data: r.errorCounts.map((_, b) => roundSig((r.errorEdges[b]! + r.errorEdges[b + 1]!) / 2, 3)) },
          yAxis: { type: 'value' },
          series: [{ type: 'bar', data: r.errorCounts }],
        }),
        'chart-errors',
      ),
    );
  }
  blocks.push(
    chartBlock(
      both((c) => c.chart.importance.title),
      both((c) => c.chart.importance.note),
      importanceChart(input.importance),
      'chart-importance',
    ),
  );
  return blocks;
}

/** The whole report page. */
export function renderReport(input: ReportInput): string {
  const ev = input.evaluation;
  const stars = '★'.repeat(ev.stars) + '☆'.repeat(5 - ev.stars);
  const metricRows = Object.entries(ev.metrics)
    .map(([k, v]) => `<tr><th>${t(metricLabel(k))}</th><td class="metric" data-metric="${esc(k)}">${esc(roundSig(v))}</td></tr>`)
    .join('');
  const warnings =
    input.warnings.length === 0
      ? ''
      : `<section class="warnings"><h2>${t(both((c) => c.report.warnings))}</h2><ul>${input.warnings.map((w) => `<li>${t(w)}</li>`).join('')}</ul></section>`;
  const dropped =
    input.dropped.length === 0
      ? `<p>${t(both((c) => c.report.noColumnLeftOut))}</p>`
      : `<table><tr><th>${t(both((c) => c.report.column))}</th><th>${t(both((c) => c.report.reason))}</th></tr>${input.dropped.map((d) => `<tr><td>${esc(d.name)}</td><td>${t(dropReasonLabel(d.reason))}<br><small>${esc(d.detail)}</small></td></tr>`).join('')}</table>`;
  const charts = chartsFor(input).join('\n');
  return `<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Yosoku model report — ${esc(input.target)}</title>
<style>
body{font-family:system-ui,"Hiragino Sans","Yu Gothic","Noto Sans JP",sans-serif;margin:24px auto;max-width:1000px;color:#222;padding:0 16px}
body.en .ja,body.ja .en{display:none}
h1{font-size:1.5em}h2{border-bottom:2px solid #3b7dd8;padding-bottom:4px;margin-top:32px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ccc;padding:4px 10px;text-align:left}
td.metric{text-align:right;font-variant-numeric:tabular-nums}
.stars{color:#e6a700;font-size:1.6em}.note{color:#555;font-size:.9em}
.warnings{background:#fff6e0;border:1px solid #e6a700;padding:8px 16px;margin-top:16px}
.charts{display:flex;flex-wrap:wrap;gap:16px}.chart{flex:1 1 460px}
button.lang{float:right}
</style>
</head>
<body class="ja">
<button class="lang" type="button" onclick="document.body.className=document.body.className==='ja'?'en':'ja'">日本語 / English</button>
<h1>${t(both((c) => c.report.title))}: ${esc(input.target)}</h1>
<p>${t(both((c) => c.task[input.task]))} · ${t(both((c) => c.report.trainingRows(input.nTrainRows)))} · ${t(input.evaluationSource)} (${t(both((c) => c.report.rows(ev.nRows)))})</p>
<p>${t(both((c) => c.report.modelLevel))}: <span class="stars" title="${ev.stars}/5">${stars}</span></p>
${warnings}
<h2>${t(both((c) => c.report.metrics))}</h2>
<table>${metricRows}</table>
<h2>${t(both((c) => c.report.charts))}</h2>
<div class="charts">
${charts}
</div>
<h2>${t(both((c) => c.report.columnsLeftOut))}</h2>
${dropped}
<p class="note">${t(both((c) => c.report.footer))}</p>
</body>
</html>
`;
}
