import { describe, expect, it } from 'vitest';
import { fitBinMappers } from '../data/bin-mapper.js';
import { binDataset } from '../data/binned-dataset.js';
import { syntheticProblem } from '../boosting/train-fixtures.js';
import { Rng } from '../rng.js';
import { serialTraining } from './parallelism.js';
import { GrowerWorkspace, binnedLeafOf, growTree } from './grower.js';
import type { GrowerParams } from './grower.js';

const PARAMS: GrowerParams = {
  maxLeaves: 15,
  maxDepth: 0,
  minGainToSplit: 0,
  learningRate: 0.5,
  minDataInLeaf: 5,
  minSumHessian: 1e-3,
  lambdaL2: 1,
  maxCatThreshold: 32,
  catSmooth: 10,
  catL2: 10,
  minDataPerGroup: 100,
};

function setup(nRows: number) {
  const p = syntheticProblem(nRows, 5, 17, 'regression');
  const data = binDataset(p.table, fitBinMappers(p.table, 63, 10_000, new Rng(1)));
  const parallel = serialTraining();
  parallel.attach(data);
  const ws = new GrowerWorkspace(data, parallel);
  const g = Float32Array.from(p.label, (y) => -y);
  return { data, ws, g };
}

describe('growTree', () => {
  it('grows maxLeaves leaves whose slices partition the rows and match a walk on bins', () => {
    const { data, ws, g } = setup(3000);
    for (let i = 0; i < 3000; i++) ws.indices[i] = i;
    const grown = growTree(ws, PARAMS, { gradients: g, hessians: null, constantHessian: 1, nRows: 3000, weights: undefined, quantized: null });
    expect(grown.tree.nLeaves).toBe(15);
    expect(grown.tree.nInternal).toBe(14);
    const seen = new Uint8Array(3000);
    let total = 0;
    for (let l = 0; l < grown.tree.nLeaves; l++) {
      expect(grown.leafCount[l]).toBeGreaterThanOrEqual(PARAMS.minDataInLeaf);
      expect(grown.tree.leafCover[l]).toBe(grown.leafCount[l]);
      for (let j = grown.leafStart[l]!; j < grown.leafStart[l]! + grown.leafCount[l]!; j++) {
        const row = ws.indices[j]!;
        seen[row]!++;
        expect(binnedLeafOf(grown, data, row)).toBe(l);
      }
      total += grown.leafCount[l]!;
    }
    expect(total).toBe(3000);
    expect(seen.every((s) => s === 1)).toBe(true);
    // Leaf-wise with subtraction: at most one buffer per leaf plus the one being built.
    expect(ws.pool.allocated).toBeLessThanOrEqual(PARAMS.maxLeaves + 1);
    // Leaf values are the shrunk Newton steps.
    const l0 = grown.leafStart[0]!;
    let sg = 0;
    for (let j = l0; j < l0 + grown.leafCount[0]!; j++) sg += g[ws.indices[j]!]!;
    expect(grown.tree.leafValue[0]).toBeCloseTo((-sg / (grown.leafCount[0]! + 1)) * 0.5, 5);
  });

  it('gives a stump when no split passes the constraints', () => {
    const { ws, g } = setup(50);
    for (let i = 0; i < 50; i++) ws.indices[i] = i;
    const grown = growTree(
      ws,
      { ...PARAMS, minDataInLeaf: 30 },
      { gradients: g, hessians: null, constantHessian: 1, nRows: 50, weights: undefined, quantized: null },
    );
    expect(grown.tree.nInternal).toBe(0);
    expect(grown.tree.nLeaves).toBe(1);
  });

  it('limits depth', () => {
    const { ws, g } = setup(3000);
    for (let i = 0; i < 3000; i++) ws.indices[i] = i;
    const grown = growTree(
      ws,
      { ...PARAMS, maxDepth: 3 },
      { gradients: g, hessians: null, constantHessian: 1, nRows: 3000, weights: undefined, quantized: null },
    );
    expect(grown.tree.nLeaves).toBeLessThanOrEqual(8);
  });
});
