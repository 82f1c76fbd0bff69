/** A time-series answer (prediction_valid.csv with horizon, lower, upper; docs/timeseries.md §API) as points. Pure. */

export interface ForecastPoint {
  readonly time: string;
  readonly series: string;
  readonly prediction: number;
  readonly lower: number;
  readonly upper: number;
}

/** prediction_valid.csv's rows (header first) → points; null when it is not a forecast. */
export function forecastPoints(rows: readonly (readonly string[])[]): ForecastPoint[] | null {
  const [head = [], ...body] = rows;
  const at = (name: string) => head.indexOf(name);
  const [h, p, lo, up] = [at('horizon'), at('prediction'), at('lower'), at('upper')];
  if (h !== 1 || p < 0 || lo < 0 || up < 0) return null;
  const series = p === 3 ? 2 : -1; // tsc, horizon, [tss], prediction, lower, upper
  return body.map((r) => ({
    time: r[0] ?? '',
    series: series < 0 ? '' : (r[series] ?? ''),
    prediction: Number(r[p]),
    lower: Number(r[lo]),
    upper: Number(r[up]),
  }));
}
