/**
 * report.html: one self-contained page (no scripts or styles from the network, charts as inline
 * SVG rendered by echarts on the server) in Japanese and English with a language switch, written
 * for a reader who is not a data scientist.
 */
import { createRequire } from 'node:module';
import type { DroppedColumn } from './plan.js';
import type { Evaluation } from './evaluate.js';
import type { Importance } from './summary.js';
import { roundSig } from './explain.js';
import type { TaskType } from './types.js';

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

export interface Bilingual {
  readonly ja: string;
  readonly en: string;
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

const METRIC_NAMES: Record<string, Bilingual> = {
  accuracy: { ja: '正解率', en: 'Accuracy' },
  precision: { ja: '適合率', en: 'Precision' },
  recall: { ja: '再現率', en: 'Recall' },
  f_score: { ja: 'F値', en: 'F-score' },
  auc: { ja: 'AUC', en: 'AUC' },
  logloss: { ja: '対数損失', en: 'Log loss' },
  threshold: { ja: '判定しきい値', en: 'Decision threshold' },
  average_precision: { ja: '平均適合率', en: 'Average precision' },
  average_recall: { ja: '平均再現率', en: 'Average recall' },
  average_f_score: { ja: '平均F値', en: 'Average F-score' },
  mae: { ja: '平均絶対誤差', en: 'Mean absolute error' },
  median_absolute_error: { ja: '絶対誤差の中央値', en: 'Median absolute error' },
  median_absolute_error_ratio: { ja: '絶対誤差率の中央値', en: 'Median absolute error ratio' },
  rmse: { ja: '二乗平均平方根誤差 (RMSE)', en: 'Root mean squared error (RMSE)' },
  r2: { ja: '決定係数 (R²)', en: 'Coefficient of determination (R²)' },
};

export function metricLabel(name: string): Bilingual {
  return METRIC_NAMES[name] ?? { ja: name, en: name };
}

const DROP_REASONS: Record<string, Bilingual> = {
  ignored: { ja: '「使用しない」に設定', en: 'set to ignore' },
  constant: { ja: 'すべての行で同じ値', en: 'the same value in every row' },
  all_missing: { ja: 'すべて欠損', en: 'every value is missing' },
  id_like: { ja: 'ID のような列（行ごとに異なる値）', en: 'ID-like (a different value in every row)' },
  target_leak: { ja: '予測対象の答えを含んでいる疑い（リーク）', en: 'suspected target leak (it contains the answer)' },
  no_words: { ja: '2行以上に現れる単語がない', en: 'no word occurs in two or more rows' },
};

export function dropReasonLabel(reason: string): Bilingual {
  return DROP_REASONS[reason] ?? { ja: reason, en: reason };
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
  cm.forEach((row, a) => row.forEach((v, p) => {
    data.push([p, classes.length - 1 - a, v]);
    max = Math.max(max, v);
  }));
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
    blocks.push(chartBlock({ ja: '混同行列', en: 'Confusion matrix' }, { ja: '行が実際のクラス、列が予測したクラスです。対角線上が正解です。', en: 'Rows are the actual classes, columns the predicted ones; the diagonal is correct.' }, confusionChart(input.classes, ev.confusion), 'chart-confusion'));
  }
  if (ev.binary !== null) {
    const b = ev.binary;
    const roc = b.roc.fpr.map((x, i) => [x, b.roc.tpr[i]!]);
    blocks.push(chartBlock({ ja: 'ROC曲線', en: 'ROC curve' }, { ja: '左上に近いほど良いモデルです。曲線の下の面積が AUC です。', en: 'The closer to the top-left corner, the better; the area under the curve is the AUC.' }, renderSvg({
      xAxis: { type: 'value', min: 0, max: 1, name: 'FPR' },
      yAxis: { type: 'value', min: 0, max: 1, name: 'TPR' },
      series: [{ type: 'line', showSymbol: false, data: roc }, { type: 'line', showSymbol: false, lineStyle: { type: 'dashed', color: '#999' }, data: [[0, 0], [1, 1]] }],
    }), 'chart-roc'));
    const bins = Array.from({ length: 10 }, (_, k) => `${k * 10}-${k * 10 + 10}%`);
    blocks.push(chartBlock({ ja: '予測確率の分布（クラス別）', en: 'Predicted probability by actual class' }, { ja: `「${input.classes[1]}」である確率ごとの行数です。`, en: `Rows by predicted probability of "${input.classes[1]}".` }, renderSvg({
      legend: { data: input.classes.slice(), top: 0 },
      xAxis: { type: 'category', data: bins },
      yAxis: { type: 'value' },
      series: [0, 1].map((k) => ({ type: 'bar', name: input.classes[k], data: b.distribution[k] })),
    }), 'chart-distribution'));
    blocks.push(chartBlock({ ja: '確率帯ごとの実際の割合', en: 'Actual share per probability band' }, { ja: '予測確率 10% ごとに、実際に陽性だった割合です。対角線に近いほど確率が信頼できます。', en: 'For each 10% probability band, the share that was actually positive; near the diagonal means trustworthy probabilities.' }, renderSvg({
      xAxis: { type: 'category', data: bins },
      yAxis: { type: 'value', min: 0, max: 1 },
      series: [{ type: 'bar', data: b.calibration.map((c) => Number(c.positiveRate.toFixed(4))) }],
    }), 'chart-calibration'));
    blocks.push(chartBlock({ ja: '上位N%の的中率', en: 'Hit rate among the top N%' }, { ja: '確率の高い順に上位 N% を選んだときに、実際に陽性だった割合です。', en: 'Share of actual positives among the N% of rows with the highest probability.' }, renderSvg({
      xAxis: { type: 'category', data: b.topN.map((x) => `${x.percent}%`) },
      yAxis: { type: 'value', min: 0, max: 1 },
      series: [{ type: 'line', data: b.topN.map((x) => Number(x.hitRate.toFixed(4))) }],
    }), 'chart-topn'));
  }
  if (ev.perClass !== null && input.task === 'multi_classification') {
    blocks.push(chartBlock({ ja: 'クラスごとのF値', en: 'F-score per class' }, null, renderSvg({
      xAxis: { type: 'category', data: input.classes.slice() },
      yAxis: { type: 'value', min: 0, max: 1 },
      series: [{ type: 'bar', data: ev.perClass.map((c) => Number(c.fScore.toFixed(4))) }],
    }), 'chart-per-class'));
  }
  if (ev.regression !== null) {
    const r = ev.regression;
    let lo = Infinity;
    let hi = -Infinity;
    for (const [a, p] of r.scatter) {
      lo = Math.min(lo, a, p);
      hi = Math.max(hi, a, p);
    }
    blocks.push(chartBlock({ ja: '予測値と実測値', en: 'Predicted vs actual' }, { ja: '点が対角線に近いほど正確です。', en: 'The closer the points are to the diagonal, the more accurate.' }, renderSvg({
      xAxis: { type: 'value', name: 'actual', scale: true },
      yAxis: { type: 'value', name: 'predicted', scale: true },
      series: [
        { type: 'scatter', symbolSize: 4, data: r.scatter.map(([a, p]) => [Number(roundSig(a, 6)), Number(roundSig(p, 6))]) },
        { type: 'line', showSymbol: false, lineStyle: { type: 'dashed', color: '#999' }, data: Number.isFinite(lo) ? [[lo, lo], [hi, hi]] : [] },
      ],
    }), 'chart-scatter'));
    blocks.push(chartBlock({ ja: '誤差の分布', en: 'Error histogram' }, { ja: '予測値 − 実測値 の分布です。0 の周りに集まるほど良いモデルです。', en: 'Distribution of predicted − actual; the tighter around 0, the better.' }, renderSvg({
      xAxis: { type: 'category', data: r.errorCounts.map((_, b) => roundSig((r.errorEdges[b]! + r.errorEdges[b + 1]!) / 2, 3)) },
      yAxis: { type: 'value' },
      series: [{ type: 'bar', data: r.errorCounts }],
    }), 'chart-errors'));
  }
  blocks.push(chartBlock({ ja: '項目ごとの寄与度（重要度）', en: 'Contribution (importance) per column' }, { ja: '予測にどれだけ影響したかの平均です。', en: 'Average size of each column\'s effect on the prediction.' }, importanceChart(input.importance), 'chart-importance'));
  return blocks;
}

const TASK_NAMES: Record<TaskType, Bilingual> = {
  binary_classification: { ja: '二値分類', en: 'Binary classification' },
  multi_classification: { ja: '多値分類', en: 'Multi-class classification' },
  regression: { ja: '数値予測（回帰）', en: 'Regression' },
};

/** The whole report page. */
export function renderReport(input: ReportInput): string {
  const ev = input.evaluation;
  const stars = '★'.repeat(ev.stars) + '☆'.repeat(5 - ev.stars);
  const metricRows = Object.entries(ev.metrics)
    .map(([k, v]) => `<tr><th>${t(metricLabel(k))}</th><td class="metric" data-metric="${esc(k)}">${esc(roundSig(v))}</td></tr>`)
    .join('');
  const warnings = input.warnings.length === 0 ? '' : `<section class="warnings"><h2>${t({ ja: '注意', en: 'Warnings' })}</h2><ul>${input.warnings.map((w) => `<li>${t(w)}</li>`).join('')}</ul></section>`;
  const dropped = input.dropped.length === 0
    ? `<p>${t({ ja: '除外した列はありません。', en: 'No column was left out.' })}</p>`
    : `<table><tr><th>${t({ ja: '列', en: 'Column' })}</th><th>${t({ ja: '理由', en: 'Reason' })}</th></tr>${input.dropped.map((d) => `<tr><td>${esc(d.name)}</td><td>${t(DROP_REASONS[d.reason] ?? { ja: d.reason, en: d.reason })}<br><small>${esc(d.detail)}</small></td></tr>`).join('')}</table>`;
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
<h1>${t({ ja: 'モデル評価レポート', en: 'Model evaluation report' })}: ${esc(input.target)}</h1>
<p>${t(TASK_NAMES[input.task])} · ${t({ ja: `学習データ ${input.nTrainRows} 行`, en: `${input.nTrainRows} training rows` })} · ${t(input.evaluationSource)} (${t({ ja: `${ev.nRows} 行`, en: `${ev.nRows} rows` })})</p>
<p>${t({ ja: 'モデルの精度レベル', en: 'Model level' })}: <span class="stars" title="${ev.stars}/5">${stars}</span></p>
${warnings}
<h2>${t({ ja: '評価指標', en: 'Metrics' })}</h2>
<table>${metricRows}</table>
<h2>${t({ ja: 'グラフ', en: 'Charts' })}</h2>
<div class="charts">
${charts}
</div>
<h2>${t({ ja: '使わなかった列', en: 'Columns left out' })}</h2>
${dropped}
<p class="note">${t({ ja: '評価は学習に使っていないデータでの結果です。寄与度は予測を各項目に分けた値（二値分類は確率の変化、回帰は予測値の変化）です。', en: 'Metrics are measured on rows the model did not learn from. Contributions split each prediction among the columns (change in probability for classification, in the predicted value for regression).' })}</p>
</body>
</html>
`;
}
