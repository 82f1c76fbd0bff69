/**
 * The 90% band: weighted split-conformal on rolling-origin residuals, per horizon step. Residuals
 * are divided by the local scale at their origin (the mean absolute seasonal difference of the last
 * 4 seasons), so that one quantile per step serves series of different sizes and a series whose
 * swings grow over time; recent origins weigh more, so the band follows drift in the errors; the
 * band of a forecast is ± quantile × the local scale at its origin.
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
const LOCAL_SEASONS = 4;

/**
 * Mean |seasonal difference| over the last 4 seasons ending at the origin (observed cells only);
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
  /** The residual's series and origin (grid position): its age is counted from its series' latest origin. */
  readonly series: number;
  readonly origin: number;
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

/** Steps with fewer residuals than this borrow their neighbouring steps' residuals. */
const MIN_STEP_RESIDUALS = 20;
/**
 * Half-life of a residual's weight, as a share of its series' span of calibration origins: the
 * oldest origins weigh 1/4 of the newest, so the band leans towards the latest errors while the
 * effective sample stays ≈ 87% of the residuals (a shorter half-life makes the quantile noisy).
 */
export const HALF_LIFE_SHARE = 0.5;

/**
 * Weighted conformal quantile (non-exchangeable split conformal, Barber et al. 2023): the smallest
 * residual r with Σ w(rᵢ ≤ r) ≥ level · (Σ w + 1), the new forecast weighing 1 (the newest
 * origin's weight). Equal weights give the ⌈(n+1)·level⌉-th smallest; ∞ if the level is out of reach
 * (the largest residual is used then, as in conformalQuantile).
 */
export function weightedConformalQuantile(values: readonly number[], weights: readonly number[], level = BAND_LEVEL): number {
  const n = values.length;
  if (n === 0) return Infinity;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
  let total = 1;
  for (const w of weights) total += w;
  const need = level * total;
  let acc = 0;
  for (const i of order) {
    acc += weights[i]!;
    // A relative tolerance keeps equal weights exactly on the ⌈(n+1)·level⌉-th residual.
    if (acc >= need * (1 - 1e-12)) return values[i]!;
  }
  return values[order[n - 1]!]!;
}

/** Recency weight of each residual: halves every HALF_LIFE_SHARE of its series' span of origins. */
export function recencyWeights(residuals: readonly ScaledResidual[]): number[] {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  for (const r of residuals) {
    first.set(r.series, Math.min(first.get(r.series) ?? Infinity, r.origin));
    last.set(r.series, Math.max(last.get(r.series) ?? -Infinity, r.origin));
  }
  return residuals.map((r) => {
    const end = last.get(r.series)!;
    const halfLife = Math.max(1, HALF_LIFE_SHARE * (end - first.get(r.series)! + 1));
    return 0.5 ** ((end - r.origin) / halfLife);
  });
}

function quantilesOf(residuals: readonly ScaledResidual[], fromStep: number, toStep: number): Float64Array {
  const weights = recencyWeights(residuals);
  const out = new Float64Array(toStep - fromStep + 1);
  for (let h = fromStep; h <= toStep; h++) {
    // A step with few residuals pools its nearest steps (then all of them).
    let values: number[] = [];
    let ws: number[] = [];
    for (let d = 0; d <= toStep - fromStep; d++) {
      values = [];
      ws = [];
      residuals.forEach((r, i) => {
        if (Math.abs(r.h - h) <= d) values.push(r.value), ws.push(weights[i]!);
      });
      if (values.length >= MIN_STEP_RESIDUALS) break;
    }
    out[h - fromStep] = weightedConformalQuantile(values, ws);
  }
  return nonDecreasing(out);
}

/**
 * A later step's band is never narrower than an earlier one's (uncertainty grows with the horizon):
 * the closest non-decreasing sequence (pool-adjacent-violators), which averages a noisy dip with its
 * neighbours instead of lifting every later step to the highest earlier one.
 */
export function nonDecreasing(q: Float64Array): Float64Array {
  const means: number[] = [];
  const sizes: number[] = [];
  for (const v of q) {
    means.push(v);
    sizes.push(1);
    while (means.length > 1 && means[means.length - 2]! > means[means.length - 1]!) {
      const m = means.pop()!;
      const k = sizes.pop()!;
      const j = means.length - 1;
      if (!Number.isFinite(m) || !Number.isFinite(means[j]!)) means[j] = Math.max(m, means[j]!);
      else means[j] = (means[j]! * sizes[j]! + m * k) / (sizes[j]! + k);
      sizes[j] = sizes[j]! + k;
    }
  }
  let i = 0;
  means.forEach((m, b) => {
    for (let k = 0; k < sizes[b]!; k++) q[i++] = m;
  });
  return q;
}

/**
 * The band from every residual, and its honest coverage: the same calibration run on the earlier
 * half of each series' held-back origins (weights counted from that half's end), measured on the
 * later half, which it never saw.
 */
export function calibrateBand(residuals: readonly ScaledResidual[], fromStep: number, toStep: number): Band {
  const early = residuals.filter((r) => !r.late);
  const late = residuals.filter((r) => r.late);
  const earlyQ = quantilesOf(early, fromStep, toStep);
  let inside = 0;
  for (const r of late) if (r.value <= earlyQ[r.h - fromStep]!) inside++;
  return { quantiles: quantilesOf(residuals, fromStep, toStep), heldBackCoverage: late.length > 0 ? inside / late.length : NaN, heldBackCount: late.length };
}
