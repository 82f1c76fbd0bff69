/** Explanations: exact TreeSHAP contributions, expected values and SHAP-based global importance. */
export {
  shapValues,
  shapValuesOfOutput,
  shapValuesRecursive,
  treeExpectedValue,
  expectedValues,
  createShapScratch,
  modelMaxDepth,
  maxLeafDepth,
  TreeShapScratch,
  ROW_LAYOUT_MAX_ROWS,
} from './tree-shap.js';
export { DEFAULT_MAX_TABLE_BYTES, MAX_TABLE_FEATURES } from './shap-plan.js';
export type { ModelShapPlan } from './shap-plan.js';
export { shapValuesBruteForce, pathDependentValue } from './tree-shap-naive.js';
export { meanAbsShap, sumOverOutputs } from './importance.js';
