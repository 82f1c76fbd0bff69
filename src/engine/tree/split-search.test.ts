import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { HIST_STRIDE } from '../dtypes.js';
import { emptySplit } from './split-info.js';
import type { SplitParams } from './split-info.js';
import {
  SPLIT_MASK_LENGTH,
  SPLIT_RECORD_LENGTH,
  readSplitRecord,
  resetSplit,
  searchFeatures,
  splitSearchSerial,
  subtractFeatures,
  writeSplitRecord,
} from './split-search.js';
import type { SplitSearchTask } from './split-search.js';

const PARAMS: SplitParams = { minDataInLeaf: 3, minSumHessian: 0.01, lambdaL2: 1, maxCatThreshold: 8, catSmooth: 2, catL2: 1, minDataPerGroup: 2 };

/** A dataset shape with numeric and categorical features and random parent / child histograms. */
function fixture(seed: number) {
  const rng = new Rng(seed);
  const nFeatures = 9;
  const nBins = Int32Array.from({ length: nFeatures }, (_, f) => (f % 3 === 2 ? 3 + rng.nextInt(20) : 5 + rng.nextInt(250)));
  const binOffsets = new Int32Array(nFeatures + 1);
  for (let f = 0; f < nFeatures; f++) binOffsets[f + 1] = binOffsets[f]! + nBins[f]!;
  const totalBins = binOffsets[nFeatures]!;
  const isCategorical = Uint8Array.from({ length: nFeatures }, (_, f) => (f % 3 === 2 ? 1 : 0));
  const data = { nSamples: 0, nFeatures, bins: new Uint8Array(0), nBins, binOffsets, totalBins, isCategorical, mappers: [] };
  const small = new Float64Array(totalBins * HIST_STRIDE);
  const parent = new Float64Array(totalBins * HIST_STRIDE);
  for (let b = 0; b < totalBins; b++) {
    const h = rng.nextFloat() < 0.2 ? 0 : rng.nextFloat() * 3;
    small[b * 2] = h === 0 ? 0 : (rng.nextFloat() - 0.5) * h;
    small[b * 2 + 1] = h;
    const h2 = h + rng.nextFloat() * 3;
    parent[b * 2] = small[b * 2]! + (rng.nextFloat() - 0.5) * 2;
    parent[b * 2 + 1] = h2;
  }
  const sumsOf = (hist: Float64Array) => {
    let g = 0;
    let h = 0;
    for (let b = 0; b < nBins[0]!; b++) {
      g += hist[b * 2]!;
      h += hist[b * 2 + 1]!;
    }
    return { sumGrad: g, sumHess: h, count: Math.round(h * 4) };
  };
  const features = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  return { data, small, parent, sumsOf, features };
}

describe('split search by feature groups (twin: the serial search)', () => {
  it('gives the serial result exactly for any grouping, with the subtraction done group by group', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { data, small, parent, sumsOf, features } = fixture(seed);
      const larger = parent.slice();
      for (let k = 0; k < larger.length; k++) larger[k] = larger[k]! - small[k]!;
      const expectedOut = [emptySplit(), emptySplit()];
      const serialParent = parent.slice();
      const serialTask: SplitSearchTask = {
        features,
        nTaskFeatures: 9,
        subtract: { parent: serialParent, small },
        nodes: [
          { hist: small, sums: sumsOf(small) },
          { hist: serialParent, sums: sumsOf(larger) },
        ],
        params: PARAMS,
        out: expectedOut,
      };
      splitSearchSerial(data, serialTask);
      expect(Array.from(serialParent)).toEqual(Array.from(larger));
      expect(expectedOut[0]!.gain).toBeGreaterThan(0);

      for (const cuts of [
        [0, 9],
        [0, 4, 8, 9],
        [0, 1, 2, 3, 5, 7, 9],
        [0, 2, 4, 6, 8, 9],
      ]) {
        const groupedParent = parent.slice();
        const task: SplitSearchTask = {
          ...serialTask,
          subtract: { parent: groupedParent, small },
          nodes: [serialTask.nodes[0]!, { hist: groupedParent, sums: sumsOf(larger) }],
        };
        const nGroups = cuts.length - 1;
        const records = new Float64Array(nGroups * 2 * SPLIT_RECORD_LENGTH);
        const masks = new Uint8Array(nGroups * 2 * SPLIT_MASK_LENGTH);
        // Groups in reverse order: as threads may run them.
        for (let g = nGroups - 1; g >= 0; g--) {
          subtractFeatures(data, task, cuts[g]!, cuts[g + 1]!);
          for (let k = 0; k < 2; k++) {
            const s = emptySplit();
            searchFeatures(data, task.nodes[k]!, features, cuts[g]!, cuts[g + 1]!, PARAMS, s);
            writeSplitRecord(s, records, (2 * g + k) * SPLIT_RECORD_LENGTH, masks, (2 * g + k) * SPLIT_MASK_LENGTH);
          }
        }
        expect(Array.from(groupedParent)).toEqual(Array.from(larger));
        for (let k = 0; k < 2; k++) {
          const best = emptySplit();
          resetSplit(best);
          for (let g = 0; g < nGroups; g++) {
            const at = (2 * g + k) * SPLIT_RECORD_LENGTH;
            if (records[at]! > best.gain) readSplitRecord(records, at, masks, (2 * g + k) * SPLIT_MASK_LENGTH, best);
          }
          const want = expectedOut[k]!;
          expect({ ...best, leftBins: [...best.leftBins].sort((a, b) => a - b) }).toEqual({ ...want, leftBins: [...want.leftBins].sort((a, b) => a - b) });
        }
      }
    }
  });

  it('round-trips a categorical split record, left bins included', () => {
    const s = emptySplit();
    Object.assign(s, {
      gain: 3.5,
      feature: 7,
      isCategorical: true,
      leftBins: [9, 2, 40],
      leftGrad: -1,
      leftHess: 2,
      leftCount: 8,
      rightGrad: 1,
      rightHess: 3,
      rightCount: 12,
    });
    const records = new Float64Array(SPLIT_RECORD_LENGTH);
    const masks = new Uint8Array(SPLIT_MASK_LENGTH).fill(1);
    writeSplitRecord(s, records, 0, masks, 0);
    const back = emptySplit();
    readSplitRecord(records, 0, masks, 0, back);
    expect(back).toEqual({ ...s, leftBins: [2, 9, 40] });
  });
});
