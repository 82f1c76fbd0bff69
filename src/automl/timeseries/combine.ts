/** One forecast from the methods' forecasts, by the series' chosen method (and the count clip). */
import type { ForecastMethod } from './forecaster.js';

export interface MethodForecasts {
  readonly naive: number;
  readonly ets: number;
  /** NaN when the series has no GBDT forecast. */
  readonly gbdt: number;
}

export function combine(method: ForecastMethod, f: MethodForecasts, nonNegative: boolean): number {
  let v: number;
  switch (method) {
    case 'seasonal naive':
      v = f.naive;
      break;
    case 'ETS':
      v = f.ets;
      break;
    case 'GBDT':
      v = Number.isNaN(f.gbdt) ? f.ets : f.gbdt;
      break;
    case 'GBDT + ETS':
      v = Number.isNaN(f.gbdt) ? f.ets : (f.gbdt + f.ets) / 2;
      break;
  }
  if (Number.isNaN(v)) v = f.naive;
  return nonNegative ? Math.max(0, v) : v;
}

/** Weight of the GBDT in a method's forecast (scales its contributions into reasons). */
export function gbdtWeight(method: ForecastMethod): number {
  return method === 'GBDT' ? 1 : method === 'GBDT + ETS' ? 0.5 : 0;
}
