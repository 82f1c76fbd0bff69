/**
 * Global feature importance from SHAP values: the mean absolute contribution of each feature.
 */

/**
 * Mean |SHAP| per (output, feature), optionally weighted by row.
 *
 * @param shap      nRows × nOutputs × (nFeatures + 1), the layout of `shapValues` (the expected-value
 *                  slot is ignored)
 * @param weights   length nRows, optional
 * @returns nOutputs × nFeatures, row-major: result[k * nFeatures + f]
 *
 * @example
 * const imp = meanAbsShap(shapValues(model, rows, n), n, model.nOutputs, model.features.length);
 */
export function meanAbsShap(shap: Float64Array, nRows: number, nOutputs: number, nFeatures: number, weights?: Float64Array | Float32Array): Float64Array {
  const stride = nFeatures + 1;
  const out = new Float64Array(nOutputs * nFeatures);
  let sumW = 0;
  for (let i = 0; i < nRows; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    sumW += w;
    for (let k = 0; k < nOutputs; k++) {
      const base = (i * nOutputs + k) * stride;
      const outBase = k * nFeatures;
      for (let f = 0; f < nFeatures; f++) out[outBase + f]! += w * Math.abs(shap[base + f]!);
    }
  }
  if (sumW > 0) for (let j = 0; j < out.length; j++) out[j] = out[j]! / sumW;
  return out;
}

/**
 * One importance per feature for multi-output models: Σ_k of the per-output values (= the mean over
 * rows of Σ_k |φ_k,f|, since the mean is linear). Length nFeatures.
 */
export function sumOverOutputs(perOutput: Float64Array, nOutputs: number, nFeatures: number): Float64Array {
  const out = new Float64Array(nFeatures);
  for (let k = 0; k < nOutputs; k++) for (let f = 0; f < nFeatures; f++) out[f]! += perOutput[k * nFeatures + f]!;
  return out;
}
