/**
 * Naive twin of predict.ts: one row, one tree at a time through a per-node decision function.
 * Slow and obviously correct; tests check the fast kernels against it.
 */
import type { GbdtModel } from '../boosting/model.js';
import type { Tree } from '../tree/tree.js';
import { goesLeft } from './decision.js';

/** Leaf index reached by the row at `rows[rowOffset ..]`, using `goesLeft`. */
export function leafIndexNaive(tree: Tree, rows: Float64Array, rowOffset: number): number {
  if (tree.nInternal === 0) return 0;
  let node = 0;
  while (node >= 0) {
    const v = rows[rowOffset + tree.splitFeature[node]!]!;
    node = goesLeft(tree, node, v) ? tree.leftChild[node]! : tree.rightChild[node]!;
  }
  return ~node;
}

/** Raw margins, nRows × nOutputs row-major, computed row by row. */
export function predictRawNaive(model: GbdtModel, rows: Float64Array, nRows: number, nRounds?: number): Float64Array {
  const nOutputs = model.nOutputs;
  const nFeatures = model.features.length;
  const rounds = nRounds ?? model.nRoundsKept;
  const out = new Float64Array(nRows * nOutputs);
  for (let i = 0; i < nRows; i++) {
    for (let k = 0; k < nOutputs; k++) {
      let sum = model.initScore[k]!;
      for (let r = 0; r < rounds; r++) {
        const tree = model.trees[r * nOutputs + k]!;
        sum += tree.leafValue[leafIndexNaive(tree, rows, i * nFeatures)]!;
      }
      out[i * nOutputs + k] = sum;
    }
  }
  return out;
}
