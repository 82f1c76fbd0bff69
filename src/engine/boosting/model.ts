/**
 * The trained GBDT model: what training produces and what prediction, TreeSHAP and serialization read.
 *
 * Raw score of output k for a row = initScore[k] + Σ_r leafValue of trees[r * nOutputs + k].
 * - binary:      1 output, probability of the positive class = sigmoid(raw)
 * - multiclass:  nClasses outputs, probabilities = softmax(raw)
 * - regression / huber / l1: 1 output, prediction = raw
 */
import type { FeatureSpec } from '../data/columns.js';
import type { Tree } from '../tree/tree.js';

export type ObjectiveName = 'binary' | 'multiclass' | 'regression' | 'huber' | 'l1';

export const MODEL_FORMAT_VERSION = 1;

/** Learner settings. Every field is resolved (no undefined) in a trained model's `params`. */
export interface GbdtParams {
  objective: ObjectiveName;
  /** multiclass only: number of classes (≥ 3, ≤ 200). */
  nClasses: number;
  nRounds: number;
  learningRate: number;
  /** Leaf-wise growth: maximum number of leaves per tree. */
  maxLeaves: number;
  /** Maximum depth; 0 = unlimited (maxLeaves bounds the tree). */
  maxDepth: number;
  /**
   * Fewest rows a child may get. Split finding checks it on counts estimated from hessian sums (exact
   * for squared error without weights), as LightGBM does: histograms keep no counts.
   */
  minDataInLeaf: number;
  minSumHessian: number;
  lambdaL2: number;
  minGainToSplit: number;
  /** Fraction of features sampled per tree, (0, 1]. */
  featureFraction: number;
  /** Fraction of rows sampled per tree, (0, 1]. */
  baggingFraction: number;
  /** Maximum number of non-missing bins per numeric feature (≤ 255). */
  maxBin: number;
  /** Rows used to fit the bin boundaries (seeded subsample). */
  binSampleSize: number;
  /** Categorical splits: at most this many categories on the smaller side of a split. */
  maxCatThreshold: number;
  /** Categorical splits: smoothing added to the hessian sum when ordering categories. */
  catSmooth: number;
  /** Categorical splits: extra L2 regularisation for categorical splits. */
  catL2: number;
  /** Categorical: categories with fewer samples than this are not split off on their own. */
  minDataPerGroup: number;
  /** Huber objective: the transition point δ (in target units). */
  huberDelta: number;
  /** Stop when the validation metric has not improved for this many rounds; 0 = off. */
  earlyStoppingRounds: number;
  /** Validation metric for early stopping and history; '' = the objective's default. */
  metric: string;
  seed: number;
  /** Threads used to build histograms; the model does not depend on it. */
  nThreads: number;
  /**
   * Training sets of at least this many rows build histograms from quantized gradients
   * (tree/quantize.ts): large nodes' builds take about a third less time, and the levels adapt to the
   * row count (1,023 at 65,536 rows, 67 at 1M). Default 65,536; 0 = always; smaller sets use the float
   * gradients, whose sums are exact to the last bit.
   */
  quantizeMinRows: number;
}

export interface RoundMetric {
  readonly round: number;
  readonly train?: number;
  readonly valid?: number;
}

export interface GbdtModel {
  readonly formatVersion: number;
  readonly objective: ObjectiveName;
  /** 2 for binary, K for multiclass, 0 for regression objectives. */
  readonly nClasses: number;
  /** Trees per boosting round: nClasses for multiclass, else 1. */
  readonly nOutputs: number;
  readonly initScore: Float64Array;
  /** Round-major: trees[round * nOutputs + output]. */
  readonly trees: readonly Tree[];
  readonly features: readonly FeatureSpec[];
  readonly params: Readonly<GbdtParams>;
  /** Number of rounds kept (after early stopping, the best round + 1). */
  readonly nRoundsKept: number;
  /** Name of the metric in `history`. */
  readonly metricName: string;
  readonly history: readonly RoundMetric[];
}
