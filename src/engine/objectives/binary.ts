/** Binary log-loss on a single logit output; labels are 0/1. */
import type { Objective } from './objective.js';
import { fastExp } from './fast-exp.js';

/** Probabilities are clamped away from 0 and 1 so the initial log-odds stay finite. */
const PRIOR_EPS = 1e-15;
/** Hessians are floored so that pure leaves do not divide by ~0. */
const MIN_HESSIAN = 1e-16;

export function binaryObjective(): Objective {
  return {
    name: 'binary',
    nOutputs: 1,
    hessiansAreConstant: false,
    checkLabels(labels) {
      for (let i = 0; i < labels.length; i++) {
        const y = labels[i]!;
        if (y !== 0 && y !== 1) throw new RangeError(`binary labels must be 0 or 1, got ${y} at row ${i}`);
      }
    },
    initScore(labels, weights) {
      let sw = 0;
      let swy = 0;
      for (let i = 0; i < labels.length; i++) {
        const w = weights === undefined ? 1 : weights[i]!;
        sw += w;
        swy += w * labels[i]!;
      }
      const p = Math.min(1 - PRIOR_EPS, Math.max(PRIOR_EPS, sw > 0 ? swy / sw : 0.5));
      return Float64Array.of(Math.log(p / (1 - p)));
    },
    gradients(raw, labels, weights, gradOut, hessOut, from, to) {
      // p = 1 / (1 + e^-r) without a branch on the sign of r (unpredictable per row): e^-r overflows to
      // Infinity below r ≈ -709, which gives p = 0 exactly, as the two-branch form did. p may differ
      // from that form's in the last bit of the double; rounded to float32 the gradients and hessians
      // were identical on 1M random rows. 30 % faster. fastExp instead of Math.exp: 10 → 4 ns a row.
      if (weights === undefined) {
        for (let i = from; i < to; i++) {
          const p = 1 / (1 + fastExp(-raw[i]!));
          gradOut[i] = p - labels[i]!;
          hessOut[i] = Math.max(p * (1 - p), MIN_HESSIAN);
        }
      } else {
        for (let i = from; i < to; i++) {
          const p = 1 / (1 + fastExp(-raw[i]!));
          const w = weights[i]!;
          gradOut[i] = (p - labels[i]!) * w;
          hessOut[i] = Math.max(p * (1 - p), MIN_HESSIAN) * w;
        }
      }
    },
  };
}
