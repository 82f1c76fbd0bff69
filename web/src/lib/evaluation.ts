/**
 * The result zip's files (docs/api.md "The result zip") read into what the evaluation view draws:
 * metrics.csv, evaluation_raw_data.csv (out-of-sample predictions), analysis_summary.csv
 * (importance and per-value contributions), confusion_matrix.csv and model.json.
 * Pure functions over the CSV text, so they are tested in Node (test/web/evaluation.test.ts).
 */
import { parseCsv } from './csv.js';

export interface BinaryRows {
  readonly kind: 'binary';
  readonly classes: readonly [string, string];
  /** The positive class (tv): its probability is what the threshold cuts. */
  readonly positive: string;
  /** Per row: probability of `positive`, and whether the row actually is `positive`. */
  readonly probability: Float64Array;
  readonly isPositive: Uint8Array;
}

export interface MultiRows {
  readonly kind: 'multi';
  readonly classes: readonly string[];
  readonly actual: readonly string[];
  readonly predicted: readonly string[];
}

export interface RegressionRows {
  readonly kind: 'regression';
  readonly actual: Float64Array;
  readonly predicted: Float64Array;
}

/** One forecast row of a time-series model: made at `origin` for `time`, `horizon` steps ahead. */
export interface ForecastPoint {
  readonly series: string;
  readonly origin: string;
  readonly time: string;
  readonly horizon: number;
  readonly actual: number;
  readonly prediction: number;
  readonly lower: number;
  readonly upper: number;
}

export interface ForecastRows {
  readonly kind: 'forecast';
  readonly points: readonly ForecastPoint[];
  readonly horizons: readonly number[];
  readonly series: readonly string[];
}

export type EvaluationRows = BinaryRows | MultiRows | RegressionRows | ForecastRows;

export interface ValueContribution {
  /** The value, range (`32.1_36.6`), level or word. */
  readonly content: string;
  readonly score: number;
  /** Share of evaluation rows with this content. */
  readonly proportion: number;
}

export interface ColumnContribution {
  /** The class for multi-class summaries, '' otherwise. */
  readonly group: string;
  readonly column: string;
  readonly total: number;
  /** Per direction (`increase`/`decrease`, or the binary classes): its top values. */
  readonly directions: readonly { readonly name: string; readonly values: readonly ValueContribution[] }[];
}

export interface Dropped {
  readonly name: string;
  readonly reason: string;
  readonly detail: string;
}

export interface Manifest {
  readonly task: string;
  readonly target: string;
  readonly positive: string | null;
  readonly trainRows: number | null;
  readonly evaluationRows: number | null;
  readonly dropped: readonly Dropped[];
}

function rowsOf(text: string): string[][] {
  return parseCsv(text).filter((r) => r.length > 1 || (r[0] ?? '') !== '');
}

/** metrics.csv → name → value (numbers only). */
export function readMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name = '', value = ''] of rowsOf(text).slice(1)) {
    const v = Number(value);
    if (name !== '' && value.trim() !== '' && Number.isFinite(v)) out.set(name, v);
  }
  return out;
}

/** The metric a list shows for a model: AUC (binary), accuracy (multi-class), R² (regression). */
export function headline(metrics: ReadonlyMap<string, number>): { name: string; value: number } | null {
  for (const name of ['auc', 'accuracy', 'r2', 'median_absolute_error_ratio']) {
    const v = metrics.get(name);
    if (v !== undefined) return { name, value: v };
  }
  return null;
}

export function readManifest(text: string): Manifest {
  const m = JSON.parse(text) as {
    config?: { target?: string; task?: string; positiveLabel?: string | null };
    data?: { trainRows?: number; evaluationRows?: number };
    preprocessing?: { dropped?: { name: string; reason: string; detail?: string }[] };
  };
  return {
    task: m.config?.task ?? '',
    target: m.config?.target ?? '',
    positive: m.config?.positiveLabel ?? null,
    trainRows: m.data?.trainRows ?? null,
    evaluationRows: m.data?.evaluationRows ?? null,
    dropped: (m.preprocessing?.dropped ?? []).map((d) => ({ name: d.name, reason: d.reason, detail: d.detail ?? '' })),
  };
}

function indexOf(head: readonly string[], ...names: string[]): number {
  for (const n of names) {
    const i = head.indexOf(n);
    if (i >= 0) return i;
  }
  return -1;
}

/**
 * evaluation_raw_data.csv → rows for the charts. Classification files have `probability_<class>`
 * columns, time-series files `origin`, `target_time`, `horizon`, `actual`, `prediction`, `lower`,
 * `upper` (and `series` with several series); anything else with numeric `actual` is regression.
 */
export function readRawRows(text: string, positive: string | null): EvaluationRows {
  const [head = [], ...rows] = rowsOf(text);
  const actual = indexOf(head, 'actual');
  const horizon = indexOf(head, 'horizon');
  if (horizon >= 0) return readForecast(head, rows);
  const probs = head.flatMap((h, i) => (h.startsWith('probability_') ? [{ cls: h.slice('probability_'.length), i }] : []));
  if (probs.length === 2) {
    const pos = probs.find((p) => p.cls === positive) ?? probs[1]!;
    const other = probs.find((p) => p !== pos)!;
    const probability = Float64Array.from(rows, (r) => Number(r[pos.i]));
    const isPositive = Uint8Array.from(rows, (r) => (r[actual] === pos.cls ? 1 : 0));
    return { kind: 'binary', classes: [other.cls, pos.cls], positive: pos.cls, probability, isPositive };
  }
  const predicted = indexOf(head, 'predicted', 'prediction');
  if (probs.length > 2) {
    return { kind: 'multi', classes: probs.map((p) => p.cls), actual: rows.map((r) => r[actual] ?? ''), predicted: rows.map((r) => r[predicted] ?? '') };
  }
  const kept = rows.filter((r) => r[actual] !== '' && Number.isFinite(Number(r[actual])) && Number.isFinite(Number(r[predicted])));
  return {
    kind: 'regression',
    actual: Float64Array.from(kept, (r) => Number(r[actual])),
    predicted: Float64Array.from(kept, (r) => Number(r[predicted])),
  };
}

function readForecast(head: readonly string[], rows: readonly string[][]): ForecastRows {
  const col = {
    series: indexOf(head, 'series'),
    origin: indexOf(head, 'origin', 'forecast_origin'),
    time: indexOf(head, 'target_time', 'target time', 'time'),
    horizon: indexOf(head, 'horizon'),
    actual: indexOf(head, 'actual'),
    prediction: indexOf(head, 'prediction', 'predicted'),
    lower: indexOf(head, 'lower'),
    upper: indexOf(head, 'upper'),
  };
  const num = (r: readonly string[], i: number) => (i < 0 || (r[i] ?? '') === '' ? NaN : Number(r[i]));
  const points = rows.map(
    (r): ForecastPoint => ({
      series: col.series < 0 ? '' : (r[col.series] ?? ''),
      origin: r[col.origin] ?? '',
      time: r[col.time] ?? '',
      horizon: num(r, col.horizon),
      actual: num(r, col.actual),
      prediction: num(r, col.prediction),
      lower: num(r, col.lower),
      upper: num(r, col.upper),
    }),
  );
  const horizons = [...new Set(points.map((p) => p.horizon).filter(Number.isFinite))].sort((a, b) => a - b);
  const series = [...new Set(points.map((p) => p.series))].sort();
  return { kind: 'forecast', points, horizons, series };
}

/**
 * analysis_summary.csv (spec §7.2) → per column its total contribution and, per direction, the top
 * values with their scores. Multi-class files have a leading `Classification` column.
 */
export function readContributions(text: string): ColumnContribution[] {
  const [head = [], ...rows] = rowsOf(text);
  const group = head.indexOf('Classification');
  const item = head.indexOf('Item');
  const total = head.indexOf('Total value of contribution');
  const blocks: { name: string; content: number; score: number; proportion: number }[] = [];
  head.forEach((h, i) => {
    const m = /^(.*)_#(\d+)_item_content$/.exec(h);
    if (m === null) return;
    const prefix = `${m[1]}_#${m[2]}_`;
    blocks.push({ name: m[1]!, content: i, score: head.indexOf(`${prefix}contribution_score`), proportion: head.indexOf(`${prefix}item_proportion`) });
  });
  const directionNames = [...new Set(blocks.map((b) => b.name))];
  return rows.map((r) => ({
    group: group < 0 ? '' : (r[group] ?? ''),
    column: r[item] ?? '',
    total: Number(r[total]),
    directions: directionNames.map((name) => ({
      name,
      values: blocks
        .filter((b) => b.name === name && (r[b.content] ?? '') !== '')
        .map((b) => ({ content: r[b.content]!, score: Number(r[b.score]), proportion: Number(r[b.proportion]) })),
    })),
  }));
}

/** confusion_matrix.csv → class names and counts (rows actual, columns predicted). */
export function readConfusion(text: string): { classes: string[]; counts: number[][] } {
  const [head = [], ...rows] = rowsOf(text);
  return { classes: head.slice(1), counts: rows.map((r) => r.slice(1).map(Number)) };
}
