/**
 * The training settings as the API's `config` (spec §5, docs/api.md §4): what the form sends.
 * Pure, so the keys are tested in Node (test/web/guess.test.ts).
 */
import type { TaskType } from './guess.js';

export const TIME_UNITS = ['', 'year', 'month', 'day', 'hour', 'minute', 'eom'] as const;

export interface TimeSeries {
  readonly enabled: boolean;
  readonly time: string;
  readonly from: string;
  readonly to: string;
  readonly series: string;
  readonly knownFuture: boolean;
  readonly exceptions: readonly string[];
  readonly unit: string;
  readonly interval: string;
  /** `holidays` (ours): an ISO 3166-1 alpha-2 code or `none`; '' = the server's default (JP). */
  readonly holidays: string;
}

export const NO_TS: TimeSeries = {
  enabled: false,
  time: '',
  from: '1',
  to: '1',
  series: '',
  knownFuture: false,
  exceptions: [],
  unit: '',
  interval: '',
  holidays: '',
};

/** The config object of the form's state; time-series keys only when forecasting (then no `cv`). */
export function configOf(s: {
  target: string;
  type: TaskType;
  positive: string;
  cv: string;
  imbalance: boolean;
  budget: string;
  ts: TimeSeries;
}): Record<string, string | number | boolean | string[]> {
  const config: Record<string, string | number | boolean | string[]> = { tc: s.target, tt: s.type };
  if (s.type === 'binary_classification') config.tv = s.positive;
  if (s.type !== 'regression') config.im = s.imbalance;
  if (s.ts.enabled && s.type === 'regression') {
    config.tsm = true;
    config.tsc = s.ts.time;
    config.tsf = Number(s.ts.from);
    config.tst = Number(s.ts.to);
    if (s.ts.series !== '') config.tss = s.ts.series;
    config.tsin = s.ts.knownFuture;
    if (s.ts.exceptions.length > 0) config.tsine = [...s.ts.exceptions];
    if (s.ts.unit !== '') config.tsu = s.ts.unit;
    if (s.ts.interval.trim() !== '') config.tsi = Number(s.ts.interval);
    if (s.ts.holidays.trim() !== '') config.holidays = s.ts.holidays.trim();
  } else {
    config.cv = Number(s.cv);
  }
  if (s.budget.trim() !== '') config.time_budget = Number(s.budget);
  return config;
}
