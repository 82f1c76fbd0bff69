/**
 * Time-series benchmark: Yosoku's forecaster through the API's code path (ingest profiles and
 * reads the CSV, trainAutoModel trains, forecastAutoModel forecasts from each rolling origin's
 * history) beside seasonal naive, statsmodels Holt-Winters/ETS and XGBoost on the same lag
 * features (bench/timeseries_anchor.py), on the same grid, train end and origins.
 *
 *   npm run bench:timeseries                      # every case
 *   npm run bench:timeseries -- --only bike_daily  # some cases
 *   npm run bench:timeseries -- --threads 1        # trainer threads (default 2)
 *
 * Cases: bike_sharing_hourly (last 10,000 hourly rows, steps 1–24), metro_traffic (hourly, last
 * 10,000 hours; repeated timestamps — one row per weather condition — are averaged here, as the
 * data checks reject duplicates; its gaps stay gaps), a daily series summed from
 * bike_sharing_hourly (steps 1–7), a multi-series case (bike daily totals + metro daily means, of
 * different lengths) and a synthetic 10,000-row daily series (the training-time target).
 * Metrics are on the held-out tail: 30 daily origins (hourly cases) or 13 weekly origins (daily).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { profileFile, readTypedTable } from '../src/ingest/index.js';
import type { ColumnType, TypedTable } from '../src/table/table.js';
import { forecastAutoModel, trainAutoModel } from '../src/automl/pipeline.js';
import type { TimeSeriesSettings } from '../src/domain/time-series.js';
import { createParallelTraining } from '../src/compute/parallel-training.js';
import { Rng } from '../src/engine/index.js';
import { lagSteps, positionOf, seasonLength, timeAt } from '../src/automl/timeseries/calendar.js';
import { seriesGrids, sourceColumnsOf } from '../src/automl/timeseries/grid.js';

const DATA = '/work/shared/datasets';
const OUT = '.bench-out/timeseries';
mkdirSync(OUT, { recursive: true });

interface Case {
  readonly name: string;
  readonly csv: string;
  readonly target: string;
  readonly ts: TimeSeriesSettings;
  /** Held-out steps at the end of each series and the spacing of the origins in them. */
  readonly tail: number;
  readonly every: number;
}

function lines(path: string): string[][] {
  return readFileSync(path, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
}

const pad = (n: number): string => String(n).padStart(2, '0');
const isoOf = (t: number): string => new Date(t * 1000).toISOString().slice(0, 19).replace('T', ' ');

function bikeHourly(): { header: string; rows: { t: number; line: string }[] } {
  const rows = lines(join(DATA, 'bike_sharing_hourly.csv')).map((r) => {
    const [m, d, y] = r[1]!.split('/').map(Number) as [number, number, number];
    const t = Date.UTC(y, m - 1, d, Number(r[5])) / 1000;
    return { t, line: `${isoOf(t)},${r[9]},${r[10]},${r[12]},${r[13]},${r[14]}` };
  });
  return { header: 'time,weathersit,temp,hum,windspeed,cnt', rows };
}

function metroHourly(): { header: string; rows: { t: number; line: string }[] } {
  const by = new Map<number, number[][]>();
  for (const r of lines(join(DATA, 'metro_traffic.csv'))) {
    const t = Date.parse(`${r[7]!.replace(' ', 'T')}Z`) / 1000;
    const list = by.get(t) ?? [];
    list.push([Number(r[1]), Number(r[2]), Number(r[3]), Number(r[4]), Number(r[8])]);
    by.set(t, list);
  }
  const rows = [...by.entries()].sort((a, b) => a[0] - b[0]).map(([t, list]) => {
    const mean = list[0]!.map((_, k) => list.reduce((s, v) => s + v[k]!, 0) / list.length);
    return { t, line: `${isoOf(t)},${mean.map((v) => Number(v.toFixed(3))).join(',')}` };
  });
  return { header: 'time,temp,rain_1h,snow_1h,clouds_all,traffic_volume', rows };
}

function daily(rows: { t: number; line: string }[], valueAt: number, how: 'sum' | 'mean', key?: string): { t: number; line: string }[] {
  const by = new Map<number, number[]>();
  for (const r of rows) {
    const d = Math.floor(r.t / 86400) * 86400;
    const v = Number(r.line.split(',')[valueAt]);
    const list = by.get(d) ?? [];
    list.push(v);
    by.set(d, list);
  }
  return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([t, v]) => {
    const s = v.reduce((a, b) => a + b, 0);
    const value = how === 'sum' ? s : s / v.length;
    return { t, line: `${isoOf(t).slice(0, 10)},${key !== undefined ? `${key},` : ''}${Number(value.toFixed(3))}` };
  });
}

function syntheticDaily(n: number): { t: number; line: string }[] {
  const rng = new Rng(42);
  const start = Date.UTC(1995, 0, 1) / 1000;
  return Array.from({ length: n }, (_, i) => {
    const t = start + i * 86400;
    const d = new Date(t * 1000);
    const doy = (t - Date.UTC(d.getUTCFullYear(), 0, 1) / 1000) / 86400;
    const u = Math.max(1e-12, rng.nextFloat());
    const noise = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat());
    const y = 200 + 25 * Math.sin((2 * Math.PI * d.getUTCDay()) / 7) + 40 * Math.sin((2 * Math.PI * doy) / 365.25) + 0.004 * i + 10 * noise;
    return { t, line: `${isoOf(t).slice(0, 10)},${y.toFixed(2)}` };
  });
}

function write(name: string, header: string, rows: readonly { line: string }[]): string {
  const path = join(OUT, `${name}.csv`);
  writeFileSync(path, `${header}\n${rows.map((r) => r.line).join('\n')}\n`);
  return path;
}

function ts(over: Partial<TimeSeriesSettings> & Pick<TimeSeriesSettings, 'unit' | 'toStep'>): TimeSeriesSettings {
  return { timeColumn: 'time', interval: 1, fromStep: 1, knownFuture: [], holidays: 'US', ...over };
}

function buildCases(): Case[] {
  const bike = bikeHourly();
  const metro = metroHourly();
  const bikeDaily = daily(bike.rows, 5, 'sum');
  const metroDaily = daily(metro.rows, 5, 'mean');
  return [
    { name: 'bike_hourly', csv: write('bike_hourly', bike.header, bike.rows.slice(-10_000)), target: 'cnt', ts: ts({ unit: 'hour', toStep: 24 }), tail: 720, every: 24 },
    { name: 'metro_hourly', csv: write('metro_hourly', metro.header, metro.rows.slice(-10_000)), target: 'traffic_volume', ts: ts({ unit: 'hour', toStep: 24 }), tail: 720, every: 24 },
    { name: 'bike_daily', csv: write('bike_daily', 'time,cnt', bikeDaily), target: 'cnt', ts: ts({ unit: 'day', toStep: 7 }), tail: 91, every: 7 },
    {
      name: 'multi_daily',
      csv: write('multi_daily', 'time,source,value', [...daily(bike.rows, 5, 'sum', 'bike'), ...daily(metro.rows, 5, 'mean', 'metro')]),
      target: 'value',
      ts: ts({ unit: 'day', toStep: 7, seriesColumn: 'source' }),
      tail: 91,
      every: 7,
    },
    { name: 'synthetic_daily_10k', csv: write('synthetic_daily_10k', 'time,y', syntheticDaily(10_000)), target: 'y', ts: ts({ unit: 'day', toStep: 7 }), tail: 91, every: 7 },
  ];
}

async function readTable(path: string, target: string): Promise<TypedTable> {
  const profile = await profileFile(path, { delimiter: ',', encoding: 'utf-8', target });
  const types: Record<string, ColumnType> = Object.fromEntries(profile.columns.map((c) => [c.name, c.detectedType]));
  return readTypedTable(path, { delimiter: ',', types });
}

function subset(table: TypedTable, keep: (i: number) => boolean): TypedTable {
  const rows: number[] = [];
  for (let i = 0; i < table.nRows; i++) if (keep(i)) rows.push(i);
  return {
    nRows: rows.length,
    columns: table.columns.map((c) => {
      if (c.type === 'integer' || c.type === 'float' || c.type === 'date') return { ...c, values: Float64Array.from(rows, (i) => c.values[i]!) };
      if (c.type === 'string') return { ...c, codes: Int32Array.from(rows, (i) => c.codes[i]!) };
      if (c.type === 'text') return { ...c, values: rows.map((i) => c.values[i]!) };
      return c;
    }),
  };
}

interface Scored {
  mae: number;
  rmse: number;
  mase: number;
}

function score(actual: number[], pred: number[], scale: number[]): Scored {
  let ae = 0;
  let se = 0;
  let sc = 0;
  actual.forEach((a, i) => {
    const e = a - pred[i]!;
    ae += Math.abs(e);
    se += e * e;
    sc += Math.abs(e) / scale[i]!;
  });
  const n = actual.length;
  return { mae: ae / n, rmse: Math.sqrt(se / n), mase: sc / n };
}

const args = process.argv.slice(2);
const only = args.includes('--only') ? new Set(args[args.indexOf('--only') + 1]!.split(',')) : null;
const nThreads = args.includes('--threads') ? Number(args[args.indexOf('--threads') + 1]) : 2;
const parallel = nThreads > 1 ? createParallelTraining(nThreads) : null;
const cases = buildCases().filter((c) => only === null || only.has(c.name));
console.log(`# time-series bench ${new Date().toISOString()} load ${loadavg().map((v) => v.toFixed(1)).join(' ')} threads ${nThreads}`);

const anchorCases: unknown[] = [];
const ours: { name: string; actual: number[]; pred: number[]; lower: number[]; upper: number[]; scale: number[]; keys: string[]; seconds: number; chosen: string }[] = [];
for (const c of cases) {
  const table = await readTable(c.csv, c.target);
  const timeCol = table.columns.find((col) => col.name === 'time')!;
  if (timeCol.type !== 'date') throw new Error(`${c.name}: time is not a date column`);
  const grids = seriesGrids(table, c.target, c.ts, sourceColumnsOf(table, c.target, c.ts));
  const season = seasonLength(c.ts.unit, c.ts.interval);
  const H = c.ts.toStep;
  const plan = grids.map((g) => {
    const trainEnd = g.lastObserved - c.tail;
    const origins: number[] = [];
    for (let o = trainEnd; o + H <= g.lastObserved; o += c.every) origins.push(o);
    return { g, trainEnd, origins, endTime: timeAt(g.grid, trainEnd) };
  });
  const keyCol = c.ts.seriesColumn;
  const keyOf = (i: number): string | null => {
    if (keyCol === undefined) return null;
    const col = table.columns.find((x) => x.name === keyCol)!;
    return col.type === 'string' ? col.levels[col.codes[i]!]! : null;
  };
  const endOf = new Map(plan.map((p) => [p.g.key, p.endTime]));
  const train = subset(table, (i) => timeCol.values[i]! <= endOf.get(keyOf(i))!);
  const t0 = performance.now();
  const out = trainAutoModel(
    { train, settings: { target: c.target, task: 'regression', cv: 0, imbalance: false, timeBudgetSeconds: 600, seed: 1, timeSeries: c.ts } },
    { elapsedSeconds: () => (performance.now() - t0) / 1000, ...(parallel !== null ? { parallel } : {}) },
  );
  const seconds = (performance.now() - t0) / 1000;
  const manifest = JSON.parse(String(out.resultFiles.find((f) => f.name === 'model.json')!.content)) as { chosen: string | null; series: { method: string }[] };
  const r = { name: c.name, actual: [] as number[], pred: [] as number[], lower: [] as number[], upper: [] as number[], scale: [] as number[], keys: [] as string[], seconds, chosen: `${manifest.chosen ?? 'no GBDT'}; ${manifest.series.map((s) => s.method).join(', ')}` };
  for (const p of plan) {
    // MASE scale: in-sample seasonal-naive MAE of the training part.
    let sum = 0;
    let n = 0;
    for (let i = season; i <= p.trainEnd; i++) if (!Number.isNaN(p.g.y[i]!) && !Number.isNaN(p.g.y[i - season]!)) (sum += Math.abs(p.g.y[i]! - p.g.y[i - season]!)), n++;
    const scale = sum / n;
    for (const o of p.origins) {
      const cutTime = timeAt(p.g.grid, o);
      const history = subset(table, (i) => keyOf(i) === p.g.key && timeCol.values[i]! <= cutTime);
      const rows = forecastAutoModel(out.model, history, { reasons: false });
      for (const row of rows) {
        const pos = positionOf(p.g.grid, row.time).position;
        const actual = p.g.y[pos]!;
        if (Number.isNaN(actual)) continue;
        r.actual.push(actual);
        r.pred.push(row.prediction);
        r.lower.push(row.lower);
        r.upper.push(row.upper);
        r.scale.push(scale);
        r.keys.push(`${p.g.key}|${o}|${row.horizon}`);
      }
    }
  }
  ours.push(r);
  anchorCases.push({
    name: c.name,
    unit: c.ts.unit,
    season,
    fromStep: 1,
    toStep: H,
    lags: lagSteps(c.ts.unit, c.ts.interval),
    series: plan.map((p) => ({
      key: String(p.g.key),
      y: Array.from(p.g.y, (v) => (Number.isNaN(v) ? null : v)),
      times: Array.from({ length: p.g.length }, (_, k) => timeAt(p.g.grid, k)),
      trainEnd: p.trainEnd,
      origins: p.origins,
    })),
  });
  console.log(`trained ${c.name}: ${train.nRows} rows in ${seconds.toFixed(1)} s (${r.chosen})`);
}
await parallel?.close();

writeFileSync(join(OUT, 'cases.json'), JSON.stringify(anchorCases));
execFileSync('/usr/bin/python3', ['bench/timeseries_anchor.py', join(OUT, 'cases.json'), join(OUT, 'answers.json')], { stdio: ['ignore', 'inherit', 'inherit'] });
const answers = JSON.parse(readFileSync(join(OUT, 'answers.json'), 'utf8')) as Record<string, Record<string, Record<string, number[][]>>>;

console.log('\n| case | method | MAE | RMSE | MASE | 90% coverage | train s |');
console.log('|---|---|---|---|---|---|---|');
const f = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));
for (const r of ours) {
  const ourScore = score(r.actual, r.pred, r.scale);
  const coverage = r.actual.filter((a, i) => a >= r.lower[i]! && a <= r.upper[i]!).length / r.actual.length;
  console.log(`| ${r.name} | **Yosoku** | ${f(ourScore.mae)} | ${f(ourScore.rmse)} | ${f(ourScore.mase)} | ${(100 * coverage).toFixed(1)}% | ${r.seconds.toFixed(1)} |`);
  const c = anchorCases.find((x) => (x as { name: string }).name === r.name) as { series: { key: string; origins: number[] }[] };
  for (const [method, bySeries] of Object.entries(answers[r.name]!)) {
    const pred = r.keys.map((k) => {
      const [key, o, h] = k.split('|') as [string, string, string];
      const s = c.series.find((x) => x.key === key)!;
      return bySeries[key]![s.origins.indexOf(Number(o))]![Number(h) - 1]!;
    });
    const sc = score(r.actual, pred, r.scale);
    const mark = ourScore.rmse < sc.rmse && ourScore.mase < sc.mase ? '' : ' ⚠';
    console.log(`| ${r.name} | ${method}${mark} | ${f(sc.mae)} | ${f(sc.rmse)} | ${f(sc.mase)} | | |`);
  }
}
