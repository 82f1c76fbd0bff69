/** Prediction: raw margins, probabilities, link functions and the per-node decision rule. */
export { predictRaw, predictProba } from './predict.js';
export { predictRowRaw, ROW_PREDICT_MAX_ROWS } from './row-predict.js';
export type { RowForest } from './row-predict.js';
export { predictRawNaive, leafIndexNaive } from './predict-naive.js';
export { goesLeft } from './decision.js';
export { sigmoid, sigmoidArray, softmaxInPlace, softmaxRows } from './transform.js';
