/**
 * Learner parameters: LightGBM-like defaults and validation at the engine's boundary.
 *
 * `resolveParams` is the only place that checks parameter values; the kernels trust what they get.
 */
import type { GbdtParams, ObjectiveName } from './model.js';
import { MAX_BINS } from '../dtypes.js';
import { getMetric } from '../metrics/index.js';

export const OBJECTIVE_NAMES: readonly ObjectiveName[] = ['binary', 'multiclass', 'regression', 'huber', 'l1'];

/** Defaults chosen to match LightGBM's where the concept is the same. */
export const DEFAULT_PARAMS: Readonly<Omit<GbdtParams, 'objective'>> = Object.freeze({
  nClasses: 0,
  nRounds: 100,
  learningRate: 0.1,
  maxLeaves: 31,
  maxDepth: 0,
  minDataInLeaf: 20,
  minSumHessian: 1e-3,
  lambdaL2: 0,
  minGainToSplit: 0,
  featureFraction: 1,
  baggingFraction: 1,
  maxBin: 255,
  binSampleSize: 200_000,
  maxCatThreshold: 32,
  catSmooth: 10,
  catL2: 10,
  minDataPerGroup: 100,
  huberDelta: 1,
  earlyStoppingRounds: 0,
  metric: '',
  seed: 0,
  nThreads: 1,
  quantizeMinRows: 65_536,
});

type Check = (v: number) => boolean;
const isInt =
  (lo: number, hi = Number.MAX_SAFE_INTEGER): Check =>
  (v) =>
    Number.isInteger(v) && v >= lo && v <= hi;
const isNum =
  (lo: number, hi = Infinity, loOpen = false): Check =>
  (v) =>
    Number.isFinite(v) && (loOpen ? v > lo : v >= lo) && v <= hi;

const NUMERIC_RULES: Record<Exclude<keyof GbdtParams, 'objective' | 'metric'>, [Check, string]> = {
  nClasses: [isInt(0, 200), 'an integer in [0, 200] (≥ 3 for multiclass)'],
  nRounds: [isInt(1, 1_000_000), 'an integer ≥ 1'],
  learningRate: [isNum(0, 1, true), 'a number in (0, 1]'],
  maxLeaves: [isInt(2, 131_072), 'an integer in [2, 131072]'],
  maxDepth: [isInt(0, 64), 'an integer in [0, 64] (0 = unlimited)'],
  minDataInLeaf: [isInt(1), 'an integer ≥ 1'],
  minSumHessian: [isNum(0), 'a finite number ≥ 0'],
  lambdaL2: [isNum(0), 'a finite number ≥ 0'],
  minGainToSplit: [isNum(0), 'a finite number ≥ 0'],
  featureFraction: [isNum(0, 1, true), 'a number in (0, 1]'],
  baggingFraction: [isNum(0, 1, true), 'a number in (0, 1]'],
  maxBin: [isInt(2, MAX_BINS), `an integer in [2, ${MAX_BINS}]`],
  binSampleSize: [isInt(1), 'an integer ≥ 1'],
  maxCatThreshold: [isInt(1), 'an integer ≥ 1'],
  catSmooth: [isNum(0), 'a finite number ≥ 0'],
  catL2: [isNum(0), 'a finite number ≥ 0'],
  minDataPerGroup: [isInt(1), 'an integer ≥ 1'],
  huberDelta: [isNum(0, Infinity, true), 'a finite number > 0'],
  earlyStoppingRounds: [isInt(0), 'an integer ≥ 0 (0 = off)'],
  seed: [isInt(-2_147_483_648, 4_294_967_295), 'a 32-bit integer'],
  nThreads: [isInt(1, 256), 'an integer in [1, 256]'],
  quantizeMinRows: [isInt(0), 'an integer ≥ 0 (0 = always quantize gradients)'],
};

/**
 * Fills every unset parameter with its default and validates each value.
 *
 * @throws RangeError naming the parameter and the value received.
 * @example
 *   resolveParams({ objective: 'binary', maxLeaves: 63 }).learningRate // 0.1
 */
export function resolveParams(partial: Partial<GbdtParams> & { objective: ObjectiveName }): GbdtParams {
  if (!OBJECTIVE_NAMES.includes(partial.objective)) {
    throw new RangeError(`objective must be one of ${OBJECTIVE_NAMES.join(', ')}, got ${String(partial.objective)}`);
  }
  const out: GbdtParams = { objective: partial.objective, ...DEFAULT_PARAMS };
  for (const key of Object.keys(partial) as (keyof GbdtParams)[]) {
    const value = partial[key];
    if (value === undefined) continue;
    if (key === 'objective') continue;
    if (key === 'metric') {
      if (typeof value !== 'string') throw new RangeError(`metric must be a string, got ${String(value)}`);
      out.metric = value;
      continue;
    }
    const rule = NUMERIC_RULES[key];
    if (rule === undefined) throw new RangeError(`unknown parameter ${String(key)}`);
    if (typeof value !== 'number' || !rule[0](value)) {
      throw new RangeError(`${key} must be ${rule[1]}, got ${String(value)}`);
    }
    (out as unknown as Record<string, number>)[key] = value;
  }
  if (out.objective === 'multiclass') {
    if (out.nClasses < 3) throw new RangeError(`nClasses must be in [3, 200] for multiclass, got ${out.nClasses}`);
  } else if (out.objective === 'binary') {
    out.nClasses = 2;
  } else {
    out.nClasses = 0;
  }
  // Throws a RangeError naming the metric when it is unknown or does not suit the objective.
  getMetric(out.metric, out.objective);
  return out;
}
