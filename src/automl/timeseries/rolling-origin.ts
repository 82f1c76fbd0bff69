/**
 * Rolling-origin validation over the end of each series, never random: the last origins of a
 * series are held back; models are fitted on targets at or before the first held-back origin and
 * forecast from every held-back origin (each forecast reads only values up to its own origin).
 */
import type { SeriesGrid } from './grid.js';
import type { ForecastPoint } from './features.js';

/** At most this many held-back origins per series (the evaluation stays cheap on long series). */
export const MAX_VALIDATION_ORIGINS = 720;
/** Share of a series held back for validation. */
const VALIDATION_SHARE = 0.2;

export interface SeriesSplit {
  /** Models for validation see targets at positions ≤ cut. */
  readonly cut: number;
  /** Held-back (origin, step) pairs with an observed target, ascending by origin then step. */
  readonly points: readonly ForecastPoint[];
}

/** The held-back origins of one series: the last max(toStep, 20%) observed steps, capped. */
export function seriesSplit(s: SeriesGrid, fromStep: number, toStep: number): SeriesSplit {
  const n = s.lastObserved + 1;
  const held = Math.min(MAX_VALIDATION_ORIGINS, Math.max(toStep, Math.floor(VALIDATION_SHARE * n)), Math.max(0, n - toStep - 1));
  const cut = n - 1 - held;
  const points: ForecastPoint[] = [];
  if (held <= 0 || cut < 1) return { cut: s.lastObserved, points };
  for (let o = cut; o <= s.lastObserved - fromStep; o++) {
    if (Number.isNaN(s.y[o]!)) continue;
    for (let h = fromStep; h <= toStep && o + h <= s.lastObserved; h++) if (!Number.isNaN(s.y[o + h]!)) points.push({ origin: o, h });
  }
  return { cut, points };
}

/**
 * Training pairs of one series: every observed origin from `firstOrigin` whose target at step h
 * is observed and lies at or before `limit`.
 */
export function trainingPoints(s: SeriesGrid, fromStep: number, toStep: number, firstOrigin: number, limit: number): ForecastPoint[] {
  const points: ForecastPoint[] = [];
  for (let o = Math.max(0, firstOrigin); o < limit; o++) {
    if (Number.isNaN(s.y[o]!)) continue;
    for (let h = fromStep; h <= toStep && o + h <= limit; h++) if (!Number.isNaN(s.y[o + h]!)) points.push({ origin: o, h });
  }
  return points;
}
