/**
 * A random forest grown by the GBDT engine, for the ensemble's diversity: every round grows one
 * tree per output on a row subsample (bagging) and a feature subsample, fitted to the gradients at
 * the initial score — with a learning rate so small that the scores do not move, every round sees
 * the same targets, so the rounds are independent randomised trees, as in a random forest. The
 * leaf values are then rescaled so that the model's raw score is the initial score plus the *mean*
 * of the trees' (unshrunk) leaf values: for squared error a leaf value is the mean residual of its
 * rows, so a regression model is exactly a random forest of mean-valued trees; for log loss it is
 * each tree's Newton step from the prior, averaged.
 *
 * The result is an ordinary GbdtModel (trees), so prediction, serialization and exact TreeSHAP are
 * the engine's own, and it is served by the same inference path as every other member.
 */
import { trainGbdt } from '../engine/index.js';
import type { FeatureTable, GbdtModel, GbdtParams, ObjectiveName, TrainHooks, TrainingParallelism } from '../engine/index.js';

/** Small enough that scores stay at the initial score for any number of trees used here. */
const FOREST_LEARNING_RATE = 1e-7;

export interface ForestParams {
  readonly trees: number;
  readonly maxLeaves: number;
  readonly minDataInLeaf: number;
  readonly featureFraction: number;
  readonly baggingFraction: number;
}

export function trainForest(
  train: { table: FeatureTable; label: Float64Array; weight?: Float64Array },
  objective: { objective: ObjectiveName; nClasses?: number },
  p: ForestParams,
  seed: number,
  options: { hooks?: TrainHooks; parallel?: TrainingParallelism } = {},
): GbdtModel {
  const params: Partial<GbdtParams> & { objective: ObjectiveName } = {
    ...objective,
    nRounds: p.trees,
    learningRate: FOREST_LEARNING_RATE,
    maxLeaves: p.maxLeaves,
    minDataInLeaf: p.minDataInLeaf,
    featureFraction: p.featureFraction,
    baggingFraction: p.baggingFraction,
    lambdaL2: objective.objective === 'regression' ? 0 : 1,
    seed,
  };
  const model = trainGbdt(train, params, { ...(options.hooks ? { hooks: options.hooks } : {}), ...(options.parallel ? { parallel: options.parallel } : {}) });
  return averagedTrees(model);
}

/** The model with each leaf value v·lr turned into v / rounds: initial score + mean tree output. */
function averagedTrees(model: GbdtModel): GbdtModel {
  const rounds = Math.max(1, model.nRoundsKept);
  const factor = 1 / (FOREST_LEARNING_RATE * rounds);
  const trees = model.trees.map((t) => ({ ...t, leafValue: Float64Array.from(t.leafValue, (v) => v * factor) }));
  return { ...model, trees, history: [] };
}
