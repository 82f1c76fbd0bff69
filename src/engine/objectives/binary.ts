/** Binary log-loss on a single logit output; labels are 0/1. */
import type { Objective } from './objective.js';

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
      for (let i = from; i < to; i++) {
        const r = raw[i]!;
        // exp of a non-positive number only: no overflow for large |r|.
        const e = Math.exp(-Math.abs(r));
        const p = r >= 0 ? 1 / (1 + e) : e / (1 + e);
        const h = Math.max(p * (1 - p), MIN_HESSIAN);
        if (weights === undefined) {
          gradOut[i] = p - labels[i]!;
          hessOut[i] = h;
        } else {
          const w = weights[i]!;
          gradOut[i] = (p - labels[i]!) * w;
          hessOut[i] = h * w;
        }
      }
    },
  };
}
