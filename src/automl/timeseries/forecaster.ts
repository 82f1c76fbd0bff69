/**
 * The trained forecaster: feature layout, GBDT set, per-series choice of method with its ETS
 * parameters and scale, the band's quantiles per step. Serialized as versioned JSON whose bytes
 * depend only on the model (GBDTs through the engine's own serializer).
 */
import { deserializeModel, serializeModel } from '../../engine/index.js';
import type { GbdtModel } from '../../engine/index.js';
import type { TimeSeriesSettings } from '../../domain/time-series.js';
import type { AutoModel, AutoModelInfo } from '../types.js';
import type { FeatureLayout } from './features.js';
import type { GbdtConfig } from './gbdt.js';
import type { EtsParams } from './local-models.js';

export const FORECASTER_FORMAT = 'yosoku-forecaster';
export const FORECASTER_VERSION = 1;

export const METHODS = ['seasonal naive', 'ETS', 'GBDT', 'GBDT + ETS'] as const;
export type ForecastMethod = (typeof METHODS)[number];

export function usesGbdt(method: ForecastMethod): boolean {
  return method === 'GBDT' || method === 'GBDT + ETS';
}

export interface SeriesChoice {
  readonly key: string | null;
  readonly method: ForecastMethod;
  readonly ets: EtsParams;
  /** Mean |seasonal difference| in training: the MASE denominator and the band's unit. */
  readonly scale: number;
  /** Why the series does not use the GBDT, when it does not (e.g. too short for the lags). */
  readonly note?: string;
}

export interface ForecasterData extends AutoModel {
  readonly kind: 'forecaster';
  readonly info: AutoModelInfo;
  readonly target: string;
  readonly settings: TimeSeriesSettings;
  readonly layout: FeatureLayout;
  readonly gbdt: { readonly config: GbdtConfig; readonly models: readonly (GbdtModel | null)[] } | null;
  readonly series: readonly SeriesChoice[];
  /** Method of a series the training did not see. */
  readonly unseenMethod: ForecastMethod;
  /** Band quantile per step fromStep..toStep, in units of the series scale. */
  readonly quantiles: readonly number[];
  /** The target was never negative in training: forecasts and bands are clipped at 0. */
  readonly nonNegative: boolean;
  /** Observed steps of history the GBDT's features need per series. */
  readonly minHistory: number;
}

export function isForecaster(model: AutoModel): model is ForecasterData {
  return (model as Partial<ForecasterData>).kind === 'forecaster';
}

/** Same model → same bytes: plain JSON built in a fixed key order. */
export function serializeForecaster(m: ForecasterData): string {
  return JSON.stringify({
    format: FORECASTER_FORMAT,
    version: FORECASTER_VERSION,
    info: m.info,
    target: m.target,
    settings: m.settings,
    layout: m.layout,
    gbdt: m.gbdt === null ? null : { config: m.gbdt.config, models: m.gbdt.models.map((g) => (g === null ? null : serializeModel(g))) },
    series: m.series,
    unseenMethod: m.unseenMethod,
    quantiles: m.quantiles.map((q) => (Number.isFinite(q) ? q : String(q))),
    nonNegative: m.nonNegative,
    minHistory: m.minHistory,
  });
}

export function looksLikeForecaster(text: string): boolean {
  return text.startsWith(`{"format":"${FORECASTER_FORMAT}"`);
}

/** @throws TypeError for another format or version */
export function deserializeForecaster(text: string): ForecasterData {
  const doc = JSON.parse(text) as Record<string, unknown> & Omit<ForecasterData, 'gbdt' | 'quantiles' | 'kind'>;
  if (doc.format !== FORECASTER_FORMAT) throw new TypeError(`not a ${FORECASTER_FORMAT} model`);
  if (doc.version !== FORECASTER_VERSION) throw new TypeError(`unsupported ${FORECASTER_FORMAT} version ${String(doc.version)}`);
  const g = doc.gbdt as { config: GbdtConfig; models: (string | null)[] } | null;
  return {
    kind: 'forecaster',
    info: doc.info,
    target: doc.target,
    settings: doc.settings,
    layout: doc.layout,
    gbdt: g === null ? null : { config: g.config, models: g.models.map((t) => (t === null ? null : deserializeModel(t))) },
    series: doc.series,
    unseenMethod: doc.unseenMethod,
    quantiles: (doc.quantiles as (number | string)[]).map(Number),
    nonNegative: doc.nonNegative,
    minHistory: doc.minHistory,
  };
}

/** Memory of the forecaster's GBDT trees (typed arrays), for model caches. */
export function forecasterResidentBytes(m: ForecasterData): number {
  let bytes = 0;
  for (const g of m.gbdt?.models ?? [])
    if (g !== null) for (const tree of g.trees) for (const v of Object.values(tree)) if (ArrayBuffer.isView(v)) bytes += v.byteLength;
  return bytes;
}
