/**
 * A time-series retrain's comparison files (docs/timeseries.md §API): both models forecast the last
 * `tst` periods of every series of the retrain file from the rows before them (the held-back rows
 * keep their known-future values, their target emptied), and are scored on those periods. The new
 * model was trained on them (in-sample), which metrics_comparison.csv says.
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

/** Hold back the last `toStep` observed rows of each series (by time: a file may run descending). */
function holdBack(table: TypedTable, settings: TimeSeriesSettings, target: string): HeldBack {
  const y = table.columns.find((c) => c.name === target);
  const time = table.columns.find((c) => c.name === settings.timeColumn);
  if (y === undefined || (y.type !== 'integer' && y.type !== 'float') || time?.type !== 'date') throw new Error('the comparison file lacks the time or the target');
  const keys = seriesKeys(table, settings);
  const rowsOf = new Map<string | null, number[]>();
  for (let r = 0; r < table.nRows; r++) {
    if (Number.isNaN(y.values[r]!)) continue;
    const k = keys[r]!;
    let rows = rowsOf.get(k);
    if (rows === undefined) rowsOf.set(k, (rows = []));
    rows.push(r);
  }
  const values = Float64Array.from(y.values);
  const actual = new Map<string, number>();
  for (const [k, rows] of rowsOf) {
    rows.sort((p, q) => time.values[p]! - time.values[q]!);
    for (const r of rows.slice(Math.max(1, rows.length - settings.toStep))) {
      actual.set(keyOf(k, time.values[r]!), values[r]!);
      values[r] = NaN;
    }
  }
  const columns: TypedColumn[] = table.columns.map((c) => (c.name === target ? { name: c.name, type: y.type, values } : c));
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
  const source = `last ${settings.toStep} periods of each series of the retrain training file (in-sample for the new model)`;
  const lines: (string | number)[][] = [['metric', 'new_model', 'previous_model', 'difference']];
  lines.push(['model_id', facts.newModelId, facts.previousModelId, '']);
  for (const k of ['mae', 'rmse', 'coverage'] as const) lines.push([k, a[k], b[k], a[k] - b[k]]);
  lines.push(['evaluation_rows', a.n, b.n, '']);
  lines.push(['evaluation_data', source, source, '']);
  const timeColumn = table.columns.find((c) => c.name === settings.timeColumn);
  const format = timeColumn?.type === 'date' ? timeColumn.format : '';
  const results: (string | number)[][] = [[settings.timeColumn, ...(settings.seriesColumn === undefined ? [] : [settings.seriesColumn]), 'actual', 'predicted_new_model', 'predicted_previous_model']];
  for (const [key, value] of actual) {
    const f = a.byKey.get(key);
    const g = b.byKey.get(key);
    const bar = key.lastIndexOf('|');
    const [series, time] = [key.slice(0, bar), key.slice(bar + 1)];
    results.push([formatTime(Number(time), format), ...(settings.seriesColumn === undefined ? [] : [series]), value, f?.prediction ?? '', g?.prediction ?? '']);
  }
  return [
    { name: 'metrics_comparison.csv', content: csv(lines) },
    { name: 'evaluation_results_comparison.csv', content: csv(results) },
  ];
}
