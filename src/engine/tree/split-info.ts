/** The best split found for a leaf: a plain record, one per candidate leaf. */

export interface SplitInfo {
  /** Loss reduction G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ); -Infinity when no valid split exists. */
  gain: number;
  feature: number;
  isCategorical: boolean;
  /** Numeric: non-missing bins ≤ thresholdBin go left. */
  thresholdBin: number;
  missingGoesLeft: boolean;
  /** Categorical: the bins that go left (every other bin, missing included, goes right). */
  leftBins: number[];
  leftGrad: number;
  leftHess: number;
  leftCount: number;
  rightGrad: number;
  rightHess: number;
  rightCount: number;
}

export function emptySplit(): SplitInfo {
  return {
    gain: -Infinity,
    feature: -1,
    isCategorical: false,
    thresholdBin: -1,
    missingGoesLeft: false,
    leftBins: [],
    leftGrad: 0,
    leftHess: 0,
    leftCount: 0,
    rightGrad: 0,
    rightHess: 0,
    rightCount: 0,
  };
}

/** The learner settings the split finders read. */
export interface SplitParams {
  readonly minDataInLeaf: number;
  readonly minSumHessian: number;
  readonly lambdaL2: number;
  readonly maxCatThreshold: number;
  readonly catSmooth: number;
  readonly catL2: number;
  readonly minDataPerGroup: number;
}

/** The node's own totals. */
export interface NodeSums {
  readonly sumGrad: number;
  readonly sumHess: number;
  readonly count: number;
}

/** G²/(H+λ): twice the loss reduction of a Newton step on a leaf (the 1/2 cancels in comparisons). */
/**
 * Histograms hold no sample counts (see histogram.ts), so split finding estimates a side's count from
 * its hessian sum, as LightGBM does: count ≈ round(sideHessian × countPerHessian(node)). The estimate is
 * exact when every sample has the same hessian (squared error without weights); for other objectives
 * `minDataInLeaf` is enforced on the estimate.
 */
export function countPerHessian(node: NodeSums): number {
  return node.sumHess > 0 ? node.count / node.sumHess : 0;
}

export function leafGain(sumGrad: number, sumHess: number, lambdaL2: number): number {
  return (sumGrad * sumGrad) / (sumHess + lambdaL2);
}
