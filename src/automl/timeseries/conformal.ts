/**
 * The 90% band: split-conformal on rolling-origin residuals, per horizon step. Residuals are
 * divided by the local scale at their origin (the mean absolute seasonal difference of the last
 * few seasons), so that one quantile per step serves series of different sizes and a series whose
 * swings grow over time; the band of a forecast is ± quantile × the local scale at its origin.
 */

export const BAND_LEVEL = 0.9;

/** The conformal quantile of |residuals|: the ⌈(n+1)·level⌉-th smallest (∞ when n is too small). */
export function conformalQuantile(absResiduals: readonly number[], level = BAND_LEVEL): number {
  const n = absResiduals.length;
  if (n === 0) return Infinity;
  const k = Math.ceil((n + 1) * level);
  if (k > n) return Math.max(...absResiduals);
  return Float64Array.from(absResiduals).sort()[k - 1]!;
}

/** Mean absolute seasonal difference of the observed targets at positions ≤ end (1 when flat). */
export function seriesScale(y: Float64Array, end: number, season: number): number {
  const m = Math.max(1, season);
  let sum = 0;
  let n = 0;
  for (let p = m; p <= Math.min(end, y.length - 1); p++) {
    const a = y[p]!;
    const b = y[p - m]!;
    if (!Number.isNaN(a) && !Number.isNaN(b)) (sum += Math.abs(a - b)), n++;
  }
  const scale = n > 0 ? sum / n : 0;
  return scale > 0 ? scale : 1;
}

/** Seasons (or steps, without a season: 4× as many) the local scale looks back over. */
const LOCAL_SEASONS = 8;

/**
 * Mean |seasonal difference| over the last few seasons ending at the origin (observed cells only);
 * the whole series' scale up to the origin when the window holds fewer than 8 differences.
 */
export function localScale(y: Float64Array, origin: number, season: number): number {
  const m = Math.max(1, season);
  const width = m > 1 ? LOCAL_SEASONS * m : 4 * LOCAL_SEASONS;
  let sum = 0;
  let n = 0;
  for (let p = Math.max(m, origin - width + 1); p <= Math.min(origin, y.length - 1); p++) {
    const a = y[p]!;
    const b = y[p - m]!;
    if (!Number.isNaN(a) && !Number.isNaN(b)) (sum += Math.abs(a - b)), n++;
  }
  if (n < 8 || sum === 0) return seriesScale(y, origin, season);
  return sum / n;
}

export interface ScaledResidual {
  readonly h: number;
  /** |actual − forecast| / local scale at the origin. */
  readonly value: number;
  /** Whether the residual's origin is in the later half of its series' held-back origins. */
  readonly late: boolean;
}

export interface Band {
  /** Quantile per step fromStep..toStep (scaled units), from every residual. */
  readonly quantiles: Float64Array;
  /** Share of the later held-back origins' actuals inside a band calibrated on the earlier ones. */
  readonly heldBackCoverage: number;
  readonly heldBackCount: number;
}

/** Steps with fewer residuals than this borrow the pooled quantile of every step. */
const MIN_STEP_RESIDUALS = 20;

function quantilesOf(residuals: readonly ScaledResidual[], fromStep: number, toStep: number): Float64Array {
  const all = residuals.map((r) => r.value);
  const pooled = conformalQuantile(all);
  const out = new Float64Array(toStep - fromStep + 1);
  for (let h = fromStep; h <= toStep; h++) {
    const of = residuals.filter((r) => r.h === h).map((r) => r.value);
    out[h - fromStep] = of.length >= MIN_STEP_RESIDUALS ? conformalQuantile(of) : pooled;
  }
  // A later step's band is never narrower than an earlier one's: uncertainty grows with the horizon.
  for (let i = 1; i < out.length; i++) out[i] = Math.max(out[i]!, out[i - 1]!);
  return out;
}

export function calibrateBand(residuals: readonly ScaledResidual[], fromStep: number, toStep: number): Band {
  const early = residuals.filter((r) => !r.late);
  const late = residuals.filter((r) => r.late);
  const earlyQ = quantilesOf(early, fromStep, toStep);
  let inside = 0;
  for (const r of late) if (r.value <= earlyQ[r.h - fromStep]!) inside++;
  return { quantiles: quantilesOf(residuals, fromStep, toStep), heldBackCoverage: late.length > 0 ? inside / late.length : NaN, heldBackCount: late.length };
}
