/**
 * Reasons and contributions of the held-back forecasts: TreeSHAP (through the engine) of the GBDT
 * part of each forecast, scaled by the GBDT's weight in the series' method. Features keep their
 * names (`cnt (7 days before)`), so the contributions say what drove a forecast.
 */
import { shapValues } from '../../engine/index.js';
import type { ForecastReason } from '../../domain/time-series.js';
import { gbdtWeight } from './combine.js';
import { topReasons } from './forecast.js';
import { predictGbdtSet } from './gbdt.js';
import type { ForecastTraining } from './train.js';

/** Held-back forecasts explained, at most (the latest ones). */
export const MAX_EXPLAINED_FORECASTS = 2000;

export interface FeatureContribution {
  readonly feature: string;
  /** Mean |contribution| over the explained forecasts, in target units. */
  readonly importance: number;
  /** Mean signed contribution. */
  readonly mean: number;
}

export interface ValidationExplanations {
  /** Reasons per validation forecast index (absent = not explained). */
  readonly reasons: ReadonlyMap<number, { readonly up: readonly ForecastReason[]; readonly down: readonly ForecastReason[] }>;
  readonly contributions: readonly FeatureContribution[];
  readonly nExplained: number;
}

export function explainValidation(t: ForecastTraining, topK = 3): ValidationExplanations {
  const reasons = new Map<number, { up: ForecastReason[]; down: ForecastReason[] }>();
  const names = t.ctx.defs.map((d) => d.name);
  const abs = new Float64Array(names.length);
  const signed = new Float64Array(names.length);
  const set = t.foldSet;
  let n = 0;
  if (set !== null) {
    const nF = names.length;
    const start = Math.max(0, t.validation.length - MAX_EXPLAINED_FORECASTS);
    for (let s = 0; s < t.ctx.series.length; s++) {
      const weight = gbdtWeight(t.choices[s]!.method);
      if (weight === 0) continue;
      const idx: number[] = [];
      for (let i = start; i < t.validation.length; i++) if (t.validation[i]!.series === s) idx.push(i);
      if (idx.length === 0) continue;
      const g = predictGbdtSet(
        t.ctx,
        set,
        s,
        idx.map((i) => t.validation[i]!.point),
      );
      idx.forEach((vi, k) => {
        const m = g.modelOf[k]!;
        if (m < 0) return;
        const shap = shapValues(set.models[m]!, g.rows.subarray(k * nF, (k + 1) * nF), 1);
        for (let f = 0; f < nF; f++) {
          abs[f]! += Math.abs(shap[f]! * weight);
          signed[f]! += shap[f]! * weight;
        }
        n++;
        reasons.set(vi, topReasons(names, shap, weight, topK));
      });
    }
  }
  const contributions = names
    .map((feature, f) => ({ feature, importance: n > 0 ? abs[f]! / n : 0, mean: n > 0 ? signed[f]! / n : 0 }))
    .sort((a, b) => b.importance - a.importance || (a.feature < b.feature ? -1 : 1));
  return { reasons, contributions, nExplained: n };
}
