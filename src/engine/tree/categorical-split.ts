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

/** Scratch shared by calls (one thread per module instance): the bins in play and their sort keys. */
const sortScratch: number[] = [];
let sortKeys = new Float64Array(256);
/** Created once: a comparator closure per call cost more than the split search itself on small nodes. */
const byKeyThenBin = (a: number, b: number): number => sortKeys[a]! - sortKeys[b]! || a - b;

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
  const perHess = countPerHessian(node);
  // Bin b's sums are hist[histStart + b * HIST_STRIDE] (gradient) and the next double (hessian); its
  // count is estimated as round(hessian × perHess).

  if (nCatBins <= MAX_CAT_TO_ONEHOT) {
    const parentGain = leafGain(sumGrad, sumHess, lambdaL2);
    let bestGain = best.gain;
    let bestBin = -1;
    for (let b = 0; b < nCatBins; b++) {
      const lg = hist[histStart + b * HIST_STRIDE]!;
      const lh = hist[histStart + b * HIST_STRIDE + 1]!;
      const lc = Math.round(lh * perHess);
      const rc = count - lc;
      const rh = sumHess - lh;
      if (lc < minDataInLeaf || lh < minSumHessian || rc < minDataInLeaf || rh < minSumHessian) continue;
      const rg = sumGrad - lg;
      const gain = leafGain(lg, lh, lambdaL2) + leafGain(rg, rh, lambdaL2) - parentGain;
      if (gain > bestGain) {
        bestGain = gain;
        bestBin = b;
      }
    }
    if (bestBin >= 0) {
      const lg = hist[histStart + bestBin * HIST_STRIDE]!;
      const lh = hist[histStart + bestBin * HIST_STRIDE + 1]!;
      const lc = Math.round(lh * perHess);
      setBest(best, bestGain, feature, [bestBin], lg, lh, lc, sumGrad - lg, sumHess - lh, count - lc);
    }
    return;
  }

  const { catSmooth, maxCatThreshold, minDataPerGroup } = params;
  const l2 = lambdaL2 + params.catL2;
  const parentGain = leafGain(sumGrad, sumHess, l2);
  const used = sortScratch;
  used.length = 0;
  if (sortKeys.length < nCatBins) sortKeys = new Float64Array(nCatBins);
  for (let b = 0; b < nCatBins; b++) {
    const h = hist[histStart + b * HIST_STRIDE + 1]!;
    if (h > 0 && Math.round(h * perHess) >= catSmooth) {
      used.push(b);
      sortKeys[b] = hist[histStart + b * HIST_STRIDE]! / (h + catSmooth);
    }
  }
  const nUsed = used.length;
  if (nUsed < 2) return;
  used.sort(byKeyThenBin);
  const maxNumCat = Math.min(maxCatThreshold, (nUsed + 1) >> 1);

  let bestGain = -Infinity;
  let bestDir = 0;
  let bestK = 0;
  let bestLg = 0;
  let bestLh = 0;
  let bestLc = 0;
  for (let dir = 0; dir < 2; dir++) {
    let lg = 0;
    let lh = 0;
    let lc = 0;
    let groupCount = 0;
    for (let k = 0; k < nUsed && k < maxNumCat; k++) {
      const b = dir === 0 ? used[k]! : used[nUsed - 1 - k]!;
      const h = hist[histStart + b * HIST_STRIDE + 1]!;
      const c = Math.round(h * perHess);
      lg += hist[histStart + b * HIST_STRIDE]!;
      lh += h;
      lc += c;
      groupCount += c;
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
        bestLg = lg;
        bestLh = lh;
        bestLc = lc;
      }
    }
  }
  if (bestGain > best.gain) {
    const leftBins: number[] = [];
    for (let k = 0; k < bestK; k++) leftBins.push(bestDir === 0 ? used[k]! : used[nUsed - 1 - k]!);
    leftBins.sort((a, b) => a - b);
    setBest(best, bestGain, feature, leftBins, bestLg, bestLh, bestLc, sumGrad - bestLg, sumHess - bestLh, count - bestLc);
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
