/**
 * The GBDT's features for one (series, origin, horizon step): target lags before the target time,
 * rolling means/spreads/trends over windows ending at the origin, the seasonal mean, calendar parts
 * and holiday marks of the target time, the source columns (lags only, plus the target-time value
 * of the known-future ones), the horizon and the series.
 *
 * No target value and no lag-only column value after the origin reaches a feature: a lag l of a
 * target h steps ahead reads position origin + h − l only when l ≥ h (else it is missing), and
 * every window ends at the origin. Features are named by what they are, e.g. `cnt (7 days before)`.
 */
import type { TimeUnit } from '../../domain/time-series.js';
import { spanName, timeAt } from './calendar.js';
import type { SeriesGrid, SourceColumn } from './grid.js';
import { dayNumberOf } from './holidays.js';
import type { HolidayCalendar, HolidayMarks } from './holidays.js';

export interface FeatureLayout {
  readonly target: string;
  readonly unit: TimeUnit;
  readonly interval: number;
  readonly season: number;
  /** Target lags in steps before the target time. */
  readonly lags: readonly number[];
  /** Rolling windows in steps, ending at the origin. */
  readonly windows: readonly number[];
  /** Seasons averaged by the seasonal-mean feature (0 = none). */
  readonly seasonalMeanSeasons: number;
  readonly columns: readonly SourceColumn[];
  /** Whether the holiday marks are features (day, hour and minute units). */
  readonly holidayMarks: boolean;
  /** Number of series codes of the `series` feature; 0 = no series feature. */
  readonly nSeries: number;
}

export interface FeatureDef {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical';
  readonly nCategories?: number;
}

type CalendarPart = 'minute' | 'hour' | 'dayOfWeek' | 'dayOfMonth' | 'month' | 'dayOfYear';

const CALENDAR_PARTS: Record<TimeUnit, readonly CalendarPart[]> = {
  minute: ['minute', 'hour', 'dayOfWeek'],
  hour: ['hour', 'dayOfWeek', 'dayOfMonth', 'month', 'dayOfYear'],
  day: ['dayOfWeek', 'dayOfMonth', 'month', 'dayOfYear'],
  month: ['month'],
  eom: ['month'],
  year: [],
};

const CALENDAR_NAMES: Record<CalendarPart, string> = {
  minute: 'minute of the hour',
  hour: 'hour of the day',
  dayOfWeek: 'day of the week',
  dayOfMonth: 'day of the month',
  month: 'month',
  dayOfYear: 'day of the year',
};

const SAME_POINT: Record<TimeUnit, string> = { minute: 'minute', hour: 'hour', day: 'weekday', month: 'month', eom: 'month end', year: 'year' };

const HOLIDAY_NAMES = ['holiday', 'day before a holiday', 'day after a holiday', 'between holidays', 'days off in a row'] as const;

/** The features of a layout, in column order. */
export function featureDefs(l: FeatureLayout): FeatureDef[] {
  const t = l.target;
  const span = (steps: number): string => spanName(l.unit, l.interval, steps);
  const defs: FeatureDef[] = [{ name: `${t} (last observed)`, kind: 'numeric' }];
  for (const lag of l.lags) defs.push({ name: `${t} (${span(lag)} before)`, kind: 'numeric' });
  for (const w of l.windows) {
    defs.push({ name: `${t} (mean of the last ${span(w)})`, kind: 'numeric' });
    defs.push({ name: `${t} (spread of the last ${span(w)})`, kind: 'numeric' });
    defs.push({ name: `${t} (trend of the last ${span(w)})`, kind: 'numeric' });
  }
  if (l.seasonalMeanSeasons > 0)
    defs.push({ name: `${t} (mean of the same ${SAME_POINT[l.unit]} in the last ${l.seasonalMeanSeasons} seasons)`, kind: 'numeric' });
  for (const part of CALENDAR_PARTS[l.unit]) defs.push({ name: CALENDAR_NAMES[part], kind: 'numeric' });
  if (l.holidayMarks) for (const name of HOLIDAY_NAMES) defs.push({ name, kind: 'numeric' });
  for (const c of l.columns) {
    const kind = c.kind;
    const nCategories = c.levels?.length ?? 0;
    const def = (name: string): FeatureDef => (kind === 'categorical' ? { name, kind, nCategories: Math.max(1, nCategories) } : { name, kind });
    if (c.knownFuture) defs.push(def(`${c.name} (at the forecast time)`));
    defs.push(def(`${c.name} (at the origin)`));
    if (l.season > 1) defs.push(def(`${c.name} (${span(l.season)} before the origin)`));
  }
  defs.push({ name: 'horizon (steps ahead)', kind: 'numeric' });
  if (l.nSeries > 0) defs.push({ name: 'series', kind: 'categorical', nCategories: l.nSeries });
  return defs;
}

/**
 * How many steps of observed history before and at the origin the features read: the longest
 * lag reaching back from the first step, the longest window, the seasonal mean.
 */
export function featureReach(l: FeatureLayout, fromStep: number): number {
  const lag = Math.max(0, ...l.lags.map((x) => x - fromStep));
  const win = Math.max(0, ...l.windows.map((w) => w - 1));
  const seasonal = l.seasonalMeanSeasons * l.season;
  return Math.max(lag, win, seasonal, l.season > 1 ? l.season : 0) + 1;
}

/** Prefix sums of one series (observed cells only), for O(1) window statistics. */
export interface SeriesPrefix {
  readonly n: Float64Array;
  readonly sy: Float64Array;
  readonly syy: Float64Array;
  readonly sp: Float64Array;
  readonly spp: Float64Array;
  readonly spy: Float64Array;
}

export function seriesPrefix(y: Float64Array): SeriesPrefix {
  const len = y.length + 1;
  const out = {
    n: new Float64Array(len),
    sy: new Float64Array(len),
    syy: new Float64Array(len),
    sp: new Float64Array(len),
    spp: new Float64Array(len),
    spy: new Float64Array(len),
  };
  for (let p = 0; p < y.length; p++) {
    const v = y[p]!;
    const ok = !Number.isNaN(v);
    // Positions are taken relative to the start so the sums stay small.
    out.n[p + 1] = out.n[p]! + (ok ? 1 : 0);
    out.sy[p + 1] = out.sy[p]! + (ok ? v : 0);
    out.syy[p + 1] = out.syy[p]! + (ok ? v * v : 0);
    out.sp[p + 1] = out.sp[p]! + (ok ? p : 0);
    out.spp[p + 1] = out.spp[p]! + (ok ? p * p : 0);
    out.spy[p + 1] = out.spy[p]! + (ok ? p * v : 0);
  }
  return out;
}

/** Calendar parts and holiday marks of target times, cached per time. */
export class CalendarCache {
  readonly #parts = new Map<number, Float64Array>();
  constructor(
    private readonly layout: FeatureLayout,
    private readonly holidays: HolidayCalendar,
  ) {}

  of(t: number): Float64Array {
    let v = this.#parts.get(t);
    if (v !== undefined) return v;
    const d = new Date(t * 1000);
    const parts = CALENDAR_PARTS[this.layout.unit];
    const values: number[] = parts.map((part) => {
      switch (part) {
        case 'minute':
          return d.getUTCMinutes();
        case 'hour':
          return d.getUTCHours();
        case 'dayOfWeek':
          return d.getUTCDay();
        case 'dayOfMonth':
          return d.getUTCDate();
        case 'month':
          return d.getUTCMonth() + 1;
        case 'dayOfYear':
          return Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1;
      }
    });
    if (this.layout.holidayMarks) {
      const m: HolidayMarks = this.holidays.marks(dayNumberOf(t));
      values.push(m.holiday, m.dayBeforeHoliday, m.dayAfterHoliday, m.betweenHolidays, m.daysOffInARow);
    }
    v = Float64Array.from(values);
    this.#parts.set(t, v);
    return v;
  }
}

/** One (origin, horizon) of a series to build features for. */
export interface ForecastPoint {
  readonly origin: number;
  readonly h: number;
}

/**
 * Writes the features of `points` of one series into `out` (row-major, featureDefs(layout).length
 * per row, from row `rowOffset`). `seriesCode` is the series feature's code (NaN = unknown).
 */
export function writeFeatures(
  l: FeatureLayout,
  s: SeriesGrid,
  prefix: SeriesPrefix,
  calendar: CalendarCache,
  seriesCode: number,
  points: readonly ForecastPoint[],
  out: Float64Array,
  rowOffset: number,
): void {
  const nF = featureDefs(l).length;
  const y = s.y;
  const m = l.season;
  const at = (arr: Float64Array, p: number): number => (p >= 0 && p < arr.length ? arr[p]! : NaN);
  for (let r = 0; r < points.length; r++) {
    const { origin, h } = points[r]!;
    let k = (rowOffset + r) * nF;
    out[k++] = lastObserved(y, origin);
    for (const lag of l.lags) out[k++] = lag >= h ? at(y, origin + h - lag) : NaN;
    for (const w of l.windows) {
      const a = Math.max(0, origin - w + 1);
      const b = origin + 1;
      const n = prefix.n[b]! - prefix.n[a]!;
      const sy = prefix.sy[b]! - prefix.sy[a]!;
      const mean = n > 0 ? sy / n : NaN;
      const variance = n > 1 ? Math.max(0, (prefix.syy[b]! - prefix.syy[a]! - n * mean * mean) / (n - 1)) : NaN;
      const sp = prefix.sp[b]! - prefix.sp[a]!;
      const denom = n * (prefix.spp[b]! - prefix.spp[a]!) - sp * sp;
      out[k++] = mean;
      out[k++] = Math.sqrt(variance);
      out[k++] = n > 2 && denom > 0 ? (n * (prefix.spy[b]! - prefix.spy[a]!) - sp * sy) / denom : NaN;
    }
    if (l.seasonalMeanSeasons > 0) {
      let sum = 0;
      let cnt = 0;
      const k0 = Math.ceil(h / m);
      for (let j = k0; j < k0 + l.seasonalMeanSeasons; j++) {
        const v = at(y, origin + h - j * m);
        if (!Number.isNaN(v)) (sum += v), cnt++;
      }
      out[k++] = cnt > 0 ? sum / cnt : NaN;
    }
    const parts = calendar.of(timeAt(s.grid, origin + h));
    for (let j = 0; j < parts.length; j++) out[k++] = parts[j]!;
    for (let c = 0; c < l.columns.length; c++) {
      const x = s.x[c]!;
      if (l.columns[c]!.knownFuture) out[k++] = at(x, origin + h);
      out[k++] = at(x, origin);
      if (m > 1) out[k++] = at(x, origin - m);
    }
    out[k++] = h;
    if (l.nSeries > 0) out[k++] = seriesCode;
  }
}

function lastObserved(y: Float64Array, origin: number): number {
  for (let p = Math.min(origin, y.length - 1); p >= 0; p--) if (!Number.isNaN(y[p]!)) return y[p]!;
  return NaN;
}
