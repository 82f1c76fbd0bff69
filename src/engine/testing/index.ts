/** Test helpers for the engine: hand-made and seeded random trees, models and feature rows. */
export { buildTree, treeDepth, type LeafSpec, type SplitSpec, type TreeSpec } from './tree-builder.js';
export {
  gridValue,
  mixedFeatures,
  randomModel,
  randomRows,
  randomTree,
  testParams,
  type RandomModelOptions,
  type RandomTreeOptions,
} from './random-trees.js';
