/**
 * Test helpers: seeded random Trees, GbdtModels and feature rows that exercise every branch of the
 * decision rule (ties with thresholds, NaN, categorical sets, codes never seen in training).
 *
 * Numeric values and thresholds are drawn from the same half-integer grid, so `value === threshold`
 * happens often and the `<=` boundary is tested for real. Features are few, so the same feature
 * repeats along paths (which TreeSHAP must handle).
 */
import { DEFAULT_PARAMS } from '../boosting/params.js';
import type { FeatureSpec } from '../data/columns.js';
import type { GbdtModel, GbdtParams, ObjectiveName } from '../boosting/model.js';
import { MODEL_FORMAT_VERSION } from '../boosting/model.js';
import type { Rng } from '../rng.js';
import type { Tree } from '../tree/tree.js';
import { buildTree, type TreeSpec } from './tree-builder.js';

export interface RandomTreeOptions {
  /** Which features exist and which are categorical (with how many codes). */
  readonly features: readonly FeatureSpec[];
  /** Number of leaves; ≥ 1. */
  readonly nLeaves: number;
  /** Put a few ±Infinity / NaN thresholds in numeric nodes (serialization tests). Default false. */
  readonly exoticThresholds?: boolean;
}

/** A numeric value on the grid {-5, -4.5, ..., 4.5}. */
export function gridValue(rng: Rng): number {
  return rng.nextInt(20) / 2 - 5;
}

function randomSpec(rng: Rng, options: RandomTreeOptions, nLeaves: number): TreeSpec {
  if (nLeaves === 1) return { leaf: Math.round((rng.nextFloat() - 0.5) * 2000) / 1000, cover: 1 + rng.nextInt(50) };
  const nLeft = 1 + rng.nextInt(nLeaves - 1);
  const feature = rng.nextInt(options.features.length);
  const spec = options.features[feature]!;
  const missingGoesLeft = rng.nextFloat() < 0.5;
  const left = randomSpec(rng, options, nLeft);
  const right = randomSpec(rng, options, nLeaves - nLeft);
  if (spec.kind === 'categorical') {
    const nCategories = spec.nCategories ?? 4;
    const categories: number[] = [];
    for (let c = 0; c < nCategories; c++) if (rng.nextFloat() < 0.4) categories.push(c);
    if (categories.length === 0) categories.push(rng.nextInt(nCategories));
    return { feature, categories, missingGoesLeft, gain: rng.nextFloat(), left, right };
  }
  let threshold = gridValue(rng);
  if (options.exoticThresholds === true && rng.nextFloat() < 0.2) {
    threshold = [Infinity, -Infinity, NaN][rng.nextInt(3)]!;
  }
  return { feature, threshold, missingGoesLeft, gain: rng.nextFloat(), left, right };
}

/** A random tree with `options.nLeaves` leaves and consistent covers. */
export function randomTree(rng: Rng, options: RandomTreeOptions): Tree {
  return buildTree(randomSpec(rng, options, options.nLeaves));
}

/** Feature specs: the features listed as categorical get `nCategories` codes, the rest are numeric. */
export function mixedFeatures(nFeatures: number, categoricalIdx: readonly number[] = [], nCategories = 6): FeatureSpec[] {
  const specs: FeatureSpec[] = [];
  for (let f = 0; f < nFeatures; f++) {
    specs.push(categoricalIdx.includes(f) ? { name: `c${f}`, kind: 'categorical', nCategories } : { name: `x${f}`, kind: 'numeric' });
  }
  return specs;
}

/**
 * Row-major nRows × features.length rows. Numeric values come from the threshold grid; categorical
 * codes include codes never seen in training (≥ nCategories, some beyond the bitset's 32-bit words).
 * Each value is missing (NaN) with probability `missingRate`.
 */
export function randomRows(rng: Rng, features: readonly FeatureSpec[], nRows: number, missingRate = 0.1): Float64Array {
  const nFeatures = features.length;
  const rows = new Float64Array(nRows * nFeatures);
  for (let i = 0; i < nRows; i++) {
    for (let f = 0; f < nFeatures; f++) {
      let v: number;
      const spec = features[f]!;
      if (rng.nextFloat() < missingRate) v = NaN;
      else if (spec.kind === 'categorical') {
        const nCategories = spec.nCategories ?? 4;
        const u = rng.nextFloat();
        v = u < 0.85 ? rng.nextInt(nCategories) : u < 0.95 ? nCategories + rng.nextInt(3) : 64 + rng.nextInt(1000);
      } else v = gridValue(rng);
      rows[i * nFeatures + f] = v;
    }
  }
  return rows;
}

/** Fully resolved parameters for hand-made models; `overrides` replace individual fields. */
export function testParams(overrides: Partial<GbdtParams> = {}): GbdtParams {
  return { ...DEFAULT_PARAMS, objective: 'regression', nRounds: 10, ...overrides };
}

export interface RandomModelOptions {
  readonly objective: ObjectiveName;
  /** multiclass only: number of classes (= outputs). */
  readonly nClasses?: number;
  readonly nRounds: number;
  readonly features: readonly FeatureSpec[];
  /** Leaves per tree are drawn from [1, maxLeaves]; 1-leaf trees happen on purpose. */
  readonly maxLeaves: number;
  readonly exoticThresholds?: boolean;
}

/** A random model with round-major trees and a random initScore per output. */
export function randomModel(rng: Rng, options: RandomModelOptions): GbdtModel {
  const { objective } = options;
  const nOutputs = objective === 'multiclass' ? (options.nClasses ?? 3) : 1;
  const nClasses = objective === 'multiclass' ? nOutputs : objective === 'binary' ? 2 : 0;
  const trees: Tree[] = [];
  for (let r = 0; r < options.nRounds; r++) {
    for (let k = 0; k < nOutputs; k++) {
      trees.push(
        randomTree(rng, {
          features: options.features,
          nLeaves: 1 + rng.nextInt(options.maxLeaves),
          exoticThresholds: options.exoticThresholds ?? false,
        }),
      );
    }
  }
  const initScore = new Float64Array(nOutputs);
  for (let k = 0; k < nOutputs; k++) initScore[k] = rng.nextFloat() - 0.5;
  return {
    formatVersion: MODEL_FORMAT_VERSION,
    objective,
    nClasses,
    nOutputs,
    initScore,
    trees,
    features: options.features,
    params: testParams({ objective, nClasses: objective === 'multiclass' ? nClasses : 0, nRounds: options.nRounds }),
    nRoundsKept: options.nRounds,
    metricName: '',
    history: [],
  };
}
