/**
 * The local models beside the GBDT, fitted per series: seasonal naive and exponential smoothing
 * (Holt-Winters, additive season, damped additive trend). Both read only values at or before the
 * origin. A missing target (gap) leaves the smoothing state to run on its own forecast.
 */

/**
 * Seasonal naive: the value one season (or the fewest whole seasons ≥ h) before the target time;
 * when that cell is missing, the season before it, then the last observed value.
 */
export function seasonalNaive(y: Float64Array, origin: number, h: number, season: number): number {
  const m = Math.max(1, season);
  for (let k = Math.ceil(h / m); k <= Math.ceil(h / m) + 4; k++) {
    const p = origin + h - k * m;
    if (p >= 0 && p <= origin && !Number.isNaN(y[p]!)) return y[p]!;
  }
  for (let p = origin; p >= 0; p--) if (!Number.isNaN(y[p]!)) return y[p]!;
  return NaN;
}

export interface EtsParams {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  readonly phi: number;
  /** Season length in steps (1 = no season). */
  readonly season: number;
}

interface EtsState {
  level: number;
  trend: number;
  readonly seasonal: Float64Array;
}

function nanMean(y: Float64Array, from: number, to: number): number {
  let s = 0;
  let n = 0;
  for (let p = Math.max(0, from); p < Math.min(to, y.length); p++) if (!Number.isNaN(y[p]!)) (s += y[p]!), n++;
  return n > 0 ? s / n : NaN;
}

/** Initial state from the first one or two seasons (the first observed value without a season). */
function initialState(y: Float64Array, m: number): EtsState {
  const seasonal = new Float64Array(m);
  let first = 0;
  while (first < y.length && Number.isNaN(y[first]!)) first++;
  if (m === 1) return { level: first < y.length ? y[first]! : 0, trend: 0, seasonal };
  const level = nanMean(y, 0, m);
  const next = nanMean(y, m, 2 * m);
  const trend = Number.isNaN(next) || Number.isNaN(level) ? 0 : (next - level) / m;
  for (let j = 0; j < m; j++) {
    const v = y[j];
    seasonal[j] = v === undefined || Number.isNaN(v) || Number.isNaN(level) ? 0 : v - level;
  }
  return { level: Number.isNaN(level) ? 0 : level, trend, seasonal };
}

function step(state: EtsState, p: EtsParams, position: number, value: number): void {
  const j = position % p.season;
  const s = state.seasonal[j]!;
  const damped = p.phi * state.trend;
  if (Number.isNaN(value)) {
    state.level += damped;
    state.trend = damped;
    return;
  }
  const level = p.alpha * (value - s) + (1 - p.alpha) * (state.level + damped);
  state.trend = p.beta * (level - state.level) + (1 - p.beta) * damped;
  state.level = level;
  state.seasonal[j] = p.gamma * (value - level) + (1 - p.gamma) * s;
}

function forecastFrom(state: EtsState, p: EtsParams, origin: number, h: number): number {
  let trendSum = 0;
  let phiPower = 1;
  for (let i = 1; i <= h; i++) trendSum += phiPower *= p.phi;
  return state.level + trendSum * state.trend + state.seasonal[(origin + h) % p.season]!;
}

/** Sum of squared one-step errors of the filter over positions [0, end]. */
function oneStepSse(y: Float64Array, p: EtsParams, end: number): number {
  const state = initialState(y, p.season);
  let sse = 0;
  for (let t = 0; t <= end; t++) {
    const v = y[t]!;
    if (t >= p.season && !Number.isNaN(v)) {
      const e = v - forecastFrom(state, p, t - 1, 1);
      sse += e * e;
    }
    step(state, p, t, v);
  }
  return sse;
}

const ALPHAS = [0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.9];
const BETAS = [0, 0.01, 0.05, 0.15];
const GAMMAS = [0, 0.05, 0.1, 0.2, 0.4];
const PHIS = [0.9, 0.98];

/**
 * Smoothing parameters by the least one-step squared error over positions [0, end] (a fixed grid,
 * so the fit is deterministic). A season is used only when two whole seasons are observed.
 */
export function fitEts(y: Float64Array, end: number, season: number): EtsParams {
  const m = season > 1 && end + 1 >= 2 * season ? season : 1;
  let best: EtsParams = { alpha: 0.5, beta: 0, gamma: 0, phi: 0.9, season: m };
  let bestSse = Infinity;
  for (const alpha of ALPHAS)
    for (const beta of BETAS)
      for (const gamma of m > 1 ? GAMMAS : [0])
        for (const phi of PHIS) {
          const p = { alpha, beta, gamma, phi, season: m };
          const sse = oneStepSse(y, p, end);
          if (sse < bestSse) (bestSse = sse), (best = p);
        }
  return best;
}

/**
 * ETS forecasts at each origin (ascending) for steps 1..hMax: row-major origins.length × hMax.
 * The filter runs once through the series; each origin's forecasts read the state after it.
 */
export function etsForecasts(y: Float64Array, p: EtsParams, origins: readonly number[], hMax: number): Float64Array {
  const out = new Float64Array(origins.length * hMax);
  const state = initialState(y, p.season);
  let t = 0;
  origins.forEach((origin, k) => {
    for (; t <= origin; t++) step(state, p, t, y[t]!);
    for (let h = 1; h <= hMax; h++) out[k * hMax + h - 1] = forecastFrom(state, p, origin, h);
  });
  return out;
}
