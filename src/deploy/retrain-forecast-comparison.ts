/**
 * A time-series retrain's comparison files (docs/timeseries.md §API). What it measures: each series
 * of the retrain file is cut at an origin `tst` observed steps before its end; both models forecast
 * steps tsf..tst from that origin using only the history up to it (the held-back rows keep the time,
 * the series and the known-future values; their target and every lag-only column are emptied, so no
 * value after the origin reaches either model), and are scored on those periods. Both models see
 * the same inputs, but the new model was trained on the held-back rows (in-sample for it), and the
 * previous model too when its training file held them; metrics_comparison.csv says so.
 */
import { forecastAutoModel } from '../automl/pipeline.js';
import type { AutoModel, ResultFile } from '../automl/types.js';
import type { ForecastRow, TimeSeriesSettings } from '../domain/time-series.js';
import { toCsvLine } from '../formats/csv.js';
import type { TypedColumn, TypedTable } from '../table/table.js';
import { formatTime } from './time-format.js';

export interface ForecastComparisonFacts {
  readonly target: string;
  readonly newModelId: number;
  readonly previousModelId: number;
}

interface HeldBack {
  /** The table with the held-back rows' target emptied. */
  readonly history: TypedTable;
  /** `series|time` → actual. */
  readonly actual: ReadonlyMap<string, number>;
}

const keyOf = (series: string | null, time: number): string => `${series ?? ''}|${time}`;

function seriesKeys(table: TypedTable, settings: TimeSeriesSettings): (string | null)[] {
  const col = settings.seriesColumn === undefined ? undefined : table.columns.find((c) => c.name === settings.seriesColumn);
  return Array.from({ length: table.nRows }, (_v, r) => {
    if (col === undefined) return null;
    if (col.type === 'string') return col.codes[r]! < 0 ? '' : col.levels[col.codes[r]!]!;
    if (col.type === 'integer' || col.type === 'float') return String(col.values[r]);
    return col.type === 'text' ? col.values[r]! : null;
  });
}

/** A copy of `c` with the cells of `rows` emptied. */
function emptied(c: TypedColumn, rows: readonly number[]): TypedColumn {
  switch (c.type) {
    case 'integer':
    case 'float': {
      const values = Float64Array.from(c.values);
      for (const r of rows) values[r] = NaN;
      return { ...c, values };
    }
    case 'string': {
      const codes = Int32Array.from(c.codes);
      for (const r of rows) codes[r] = -1;
      return { ...c, codes };
    }
    case 'text': {
      const values = [...c.values];
      for (const r of rows) values[r] = '';
      return { ...c, values };
    }
    default:
      return c;
  }
}

/**
 * Hold back the last `toStep` observed rows of each series (by time: a file may run descending):
 * their target and lag-only columns are emptied, so the history ends at the origin.
 */
function holdBack(table: TypedTable, settings: TimeSeriesSettings, target: string): HeldBack {
  const y = table.columns.find((c) => c.name === target);
  const time = table.columns.find((c) => c.name === settings.timeColumn);
  if (y === undefined || (y.type !== 'integer' && y.type !== 'float') || time?.type !== 'date')
    throw new Error('the comparison file lacks the time or the target');
  const keys = seriesKeys(table, settings);
  const rowsOf = new Map<string | null, number[]>();
  for (let r = 0; r < table.nRows; r++) {
    if (Number.isNaN(y.values[r]!)) continue;
    const k = keys[r]!;
    let rows = rowsOf.get(k);
    if (rows === undefined) rowsOf.set(k, (rows = []));
    rows.push(r);
  }
  const actual = new Map<string, number>();
  const held: number[] = [];
  for (const [k, rows] of rowsOf) {
    rows.sort((p, q) => time.values[p]! - time.values[q]!);
    for (const r of rows.slice(Math.max(1, rows.length - settings.toStep))) {
      actual.set(keyOf(k, time.values[r]!), y.values[r]!);
      held.push(r);
    }
  }
  // Every row after a series' origin is held back: gap rows (target empty) later than it too.
  const originOf = new Map<string | null, number>();
  for (const [k, rows] of rowsOf) originOf.set(k, time.values[rows[Math.max(0, rows.length - settings.toStep - 1)]!]!);
  for (let r = 0; r < table.nRows; r++) {
    const origin = originOf.get(keys[r]!);
    if (origin !== undefined && Number.isNaN(y.values[r]!) && time.values[r]! > origin) held.push(r);
  }
  const keep = new Set([settings.timeColumn, ...(settings.seriesColumn === undefined ? [] : [settings.seriesColumn]), ...settings.knownFuture]);
  const columns: TypedColumn[] = table.columns.map((c) => (keep.has(c.name) ? c : emptied(c, held)));
  return { history: { nRows: table.nRows, columns }, actual };
}

interface Scored {
  readonly mae: number;
  readonly rmse: number;
  readonly coverage: number;
  readonly n: number;
  readonly byKey: ReadonlyMap<string, ForecastRow>;
}

function score(rows: readonly ForecastRow[], actual: ReadonlyMap<string, number>): Scored {
  let abs = 0;
  let sq = 0;
  let inside = 0;
  let n = 0;
  const byKey = new Map<string, ForecastRow>();
  for (const f of rows) {
    const key = keyOf(f.series, f.time);
    byKey.set(key, f);
    const a = actual.get(key);
    if (a === undefined) continue;
    n++;
    abs += Math.abs(a - f.prediction);
    sq += (a - f.prediction) ** 2;
    if (a >= f.lower && a <= f.upper) inside++;
  }
  return { mae: n === 0 ? NaN : abs / n, rmse: n === 0 ? NaN : Math.sqrt(sq / n), coverage: n === 0 ? NaN : inside / n, n, byKey };
}

function csv(lines: (string | number)[][]): string {
  return '\uFEFF' + lines.map((l) => toCsvLine(l)).join('\n') + '\n';
}

/** The comparison zip's CSVs for two forecasters on `table` (the retrain training file, read). */
export function compareRetrainedForecasters(next: AutoModel, previous: AutoModel, table: TypedTable, facts: ForecastComparisonFacts): ResultFile[] {
  const settings = next.info.timeSeries!.settings;
  const { history, actual } = holdBack(table, settings, facts.target);
  const a = score(forecastAutoModel(next, history, { reasons: false }), actual);
  const b = score(forecastAutoModel(previous, history, { reasons: false }), actual);
  const source = `steps ${settings.fromStep}..${settings.toStep} after an origin ${settings.toStep} steps before the end of each series of the retrain training file, forecast from the history up to the origin (in-sample for the new model, which was trained on these rows)`;
  const lines: (string | number)[][] = [['metric', 'new_model', 'previous_model', 'difference']];
  lines.push(['model_id', facts.newModelId, facts.previousModelId, '']);
  for (const k of ['mae', 'rmse', 'coverage'] as const) lines.push([k, a[k], b[k], a[k] - b[k]]);
  lines.push(['evaluation_rows', a.n, b.n, '']);
  lines.push(['evaluation_data', source, source, '']);
  const timeColumn = table.columns.find((c) => c.name === settings.timeColumn);
  const format = timeColumn?.type === 'date' ? timeColumn.format : '';
  const results: (string | number)[][] = [
    [settings.timeColumn, ...(settings.seriesColumn === undefined ? [] : [settings.seriesColumn]), 'actual', 'predicted_new_model', 'predicted_previous_model'],
  ];
  for (const [key, value] of actual) {
    const f = a.byKey.get(key);
    const g = b.byKey.get(key);
    if (f === undefined && g === undefined) continue; // steps before tsf: not forecast
    const bar = key.lastIndexOf('|');
    const [series, time] = [key.slice(0, bar), key.slice(bar + 1)];
    results.push([formatTime(Number(time), format), ...(settings.seriesColumn === undefined ? [] : [series]), value, f?.prediction ?? '', g?.prediction ?? '']);
  }
  return [
    { name: 'metrics_comparison.csv', content: csv(lines) },
    { name: 'evaluation_results_comparison.csv', content: csv(results) },
  ];
}
