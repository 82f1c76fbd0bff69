/** Multi-class softmax cross-entropy with one output (tree) per class; labels are 0..K-1. */
import type { Objective } from './objective.js';
import { fastExp } from './fast-exp.js';

const PRIOR_EPS = 1e-15;
const MIN_HESSIAN = 1e-16;

export function multiclassObjective(nClasses: number): Objective {
  const k = nClasses;
  // LightGBM's scaling of the diagonal hessian: K/(K-1) p(1-p) makes one Newton step exact for K = 2.
  const hessFactor = k / (k - 1);
  let prob = new Float64Array(k);
  return {
    name: 'multiclass',
    nOutputs: k,
    hessiansAreConstant: false,
    checkLabels(labels) {
      for (let i = 0; i < labels.length; i++) {
        const y = labels[i]!;
        if (!Number.isInteger(y) || y < 0 || y >= k) {
          throw new RangeError(`multiclass labels must be integers in [0, ${k - 1}], got ${y} at row ${i}`);
        }
      }
    },
    initScore(labels, weights) {
      const counts = new Float64Array(k);
      let total = 0;
      for (let i = 0; i < labels.length; i++) {
        const w = weights === undefined ? 1 : weights[i]!;
        counts[labels[i]!]! += w;
        total += w;
      }
      const out = new Float64Array(k);
      for (let c = 0; c < k; c++) out[c] = Math.log(Math.max(PRIOR_EPS, total > 0 ? counts[c]! / total : 1 / k));
      return out;
    },
    gradients(raw, labels, weights, gradOut, hessOut, from, to) {
      const n = labels.length;
      if (prob.length !== k) prob = new Float64Array(k);
      for (let i = from; i < to; i++) {
        let max = -Infinity;
        for (let c = 0; c < k; c++) {
          const v = raw[c * n + i]!;
          if (v > max) max = v;
        }
        let sum = 0;
        for (let c = 0; c < k; c++) {
          const e = fastExp(raw[c * n + i]! - max);
          prob[c] = e;
          sum += e;
        }
        const inv = 1 / sum;
        const y = labels[i]!;
        const w = weights === undefined ? 1 : weights[i]!;
        for (let c = 0; c < k; c++) {
          const p = prob[c]! * inv;
          gradOut[c * n + i] = (c === y ? p - 1 : p) * w;
          hessOut[c * n + i] = Math.max(hessFactor * p * (1 - p), MIN_HESSIAN) * w;
        }
      }
    },
  };
}
