/**
 * Categorical splits in the LightGBM manner.
 *
 * With few categories (≤ MAX_CAT_TO_ONEHOT) each category is tried alone against the rest. Otherwise the
 * categories with at least catSmooth samples are sorted by sumGrad / (sumHess + catSmooth), and prefixes
 * of that order are scanned from both ends (at most maxCatThreshold categories on the left), with catL2
 * added to the L2 penalty and cuts only after every minDataPerGroup samples. The feature's last bin
 * (missing, rare and unseen categories) always goes right.
 */
import { HIST_STRIDE } from '../dtypes.js';
import { countPerHessian, leafGain, type NodeSums, type SplitInfo, type SplitParams } from './split-info.js';

export const MAX_CAT_TO_ONEHOT = 4;


let sortScratch: number[] = [];

export function findBestCategoricalSplit(
  hist: Float64Array,
  histStart: number,
  nBins: number,
  feature: number,
  node: NodeSums,
  params: SplitParams,
  best: SplitInfo,
): void {
  const nCatBins = nBins - 1;
  const { sumGrad, sumHess, count } = node;
  const { minDataInLeaf, minSumHessian, lambdaL2 } = params;
  const G = (b: number): number => hist[histStart + b * HIST_STRIDE]!;
  const H = (b: number): number => hist[histStart + b * HIST_STRIDE + 1]!;
  const perHess = countPerHessian(node);
  const C = (b: number): number => Math.round(H(b) * perHess);

  if (nCatBins <= MAX_CAT_TO_ONEHOT) {
    const parentGain = leafGain(sumGrad, sumHess, lambdaL2);
    for (let b = 0; b < nCatBins; b++) {
      const lg = G(b);
      const lh = H(b);
      const lc = C(b);
      const rc = count - lc;
      const rh = sumHess - lh;
      if (lc < minDataInLeaf || lh < minSumHessian || rc < minDataInLeaf || rh < minSumHessian) continue;
      const rg = sumGrad - lg;
      const gain = leafGain(lg, lh, lambdaL2) + leafGain(rg, rh, lambdaL2) - parentGain;
      if (gain > best.gain) setBest(best, gain, feature, [b], lg, lh, lc, rg, rh, rc);
    }
    return;
  }

  const { catSmooth, maxCatThreshold, minDataPerGroup } = params;
  const l2 = lambdaL2 + params.catL2;
  const parentGain = leafGain(sumGrad, sumHess, l2);
  const used = sortScratch;
  used.length = 0;
  for (let b = 0; b < nCatBins; b++) {
    const c = C(b);
    if (H(b) > 0 && c >= catSmooth) used.push(b);
  }
  const nUsed = used.length;
  if (nUsed < 2) return;
  const score = (b: number): number => G(b) / (H(b) + catSmooth);
  used.sort((a, b) => score(a) - score(b) || a - b);
  const maxNumCat = Math.min(maxCatThreshold, (nUsed + 1) >> 1);

  let bestGain = -Infinity;
  let bestDir = 0;
  let bestK = 0;
  let bl = [0, 0, 0];
  for (let dir = 0; dir < 2; dir++) {
    let lg = 0;
    let lh = 0;
    let lc = 0;
    let groupCount = 0;
    for (let k = 0; k < nUsed && k < maxNumCat; k++) {
      const b = dir === 0 ? used[k]! : used[nUsed - 1 - k]!;
      lg += G(b);
      lh += H(b);
      lc += C(b);
      groupCount += C(b);
      if (lc < minDataInLeaf || lh < minSumHessian) continue;
      const rc = count - lc;
      const rh = sumHess - lh;
      if (rc < minDataInLeaf || rc < minDataPerGroup || rh < minSumHessian) break;
      if (groupCount < minDataPerGroup) continue;
      groupCount = 0;
      const gain = leafGain(lg, lh, l2) + leafGain(sumGrad - lg, rh, l2) - parentGain;
      if (gain > bestGain) {
        bestGain = gain;
        bestDir = dir;
        bestK = k + 1;
        bl = [lg, lh, lc];
      }
    }
  }
  if (bestGain > best.gain) {
    const leftBins: number[] = [];
    for (let k = 0; k < bestK; k++) leftBins.push(bestDir === 0 ? used[k]! : used[nUsed - 1 - k]!);
    leftBins.sort((a, b) => a - b);
    const [lg, lh, lc] = bl as [number, number, number];
    setBest(best, bestGain, feature, leftBins, lg, lh, lc, sumGrad - lg, sumHess - lh, count - lc);
  }
}

function setBest(
  best: SplitInfo,
  gain: number,
  feature: number,
  leftBins: number[],
  lg: number,
  lh: number,
  lc: number,
  rg: number,
  rh: number,
  rc: number,
): void {
  best.gain = gain;
  best.feature = feature;
  best.isCategorical = true;
  best.thresholdBin = -1;
  best.missingGoesLeft = false;
  best.leftBins = leftBins;
  best.leftGrad = lg;
  best.leftHess = lh;
  best.leftCount = lc;
  best.rightGrad = rg;
  best.rightHess = rh;
  best.rightCount = rc;
}
