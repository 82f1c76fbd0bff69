/** Explanations: exact TreeSHAP contributions, expected values and SHAP-based global importance. */
export {
  shapValues,
  treeExpectedValue,
  expectedValues,
  createShapScratch,
  modelMaxDepth,
  maxLeafDepth,
  TreeShapScratch,
} from './tree-shap.js';
export { shapValuesBruteForce, pathDependentValue } from './tree-shap-naive.js';
export { meanAbsShap, sumOverOutputs } from './importance.js';
