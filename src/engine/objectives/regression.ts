/** Regression objectives on one output: squared error, Huber and L1 (absolute error). */
import type { Objective } from './objective.js';
import { weightedQuantile } from './objective.js';

function checkFinite(labels: Float64Array): void {
  for (let i = 0; i < labels.length; i++) {
    if (!Number.isFinite(labels[i]!)) throw new RangeError(`regression labels must be finite, got ${labels[i]} at row ${i}`);
  }
}

function weightedMean(labels: Float64Array, weights: Float64Array | undefined): number {
  let sw = 0;
  let swy = 0;
  for (let i = 0; i < labels.length; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    sw += w;
    swy += w * labels[i]!;
  }
  return sw > 0 ? swy / sw : 0;
}

export function squaredErrorObjective(hasWeights: boolean): Objective {
  return {
    name: 'regression',
    nOutputs: 1,
    hessiansAreConstant: !hasWeights,
    checkLabels: checkFinite,
    initScore: (labels, weights) => Float64Array.of(weightedMean(labels, weights)),
    gradients(raw, labels, weights, gradOut, hessOut, from, to) {
      if (weights === undefined) {
        for (let i = from; i < to; i++) {
          gradOut[i] = raw[i]! - labels[i]!;
          hessOut[i] = 1;
        }
      } else {
        for (let i = from; i < to; i++) {
          const w = weights[i]!;
          gradOut[i] = (raw[i]! - labels[i]!) * w;
          hessOut[i] = w;
        }
      }
    },
  };
}

/** Huber loss: squared within ±delta of the target, linear beyond (gradient clipped to ±delta). */
export function huberObjective(delta: number): Objective {
  return {
    name: 'huber',
    nOutputs: 1,
    hessiansAreConstant: false,
    checkLabels: checkFinite,
    initScore: (labels, weights) => Float64Array.of(weightedQuantile(labels, weights, 0.5)),
    gradients(raw, labels, weights, gradOut, hessOut, from, to) {
      for (let i = from; i < to; i++) {
        const r = raw[i]! - labels[i]!;
        const g = r > delta ? delta : r < -delta ? -delta : r;
        const w = weights === undefined ? 1 : weights[i]!;
        gradOut[i] = g * w;
        hessOut[i] = w;
      }
    },
  };
}

/**
 * L1 (absolute error): gradient is the residual's sign, and each leaf's output is then replaced by the
 * weighted median residual of its rows (a Newton step is meaningless for |r|).
 */
export function l1Objective(): Objective {
  let scratchValues = new Float64Array(0);
  let scratchWeights = new Float64Array(0);
  return {
    name: 'l1',
    nOutputs: 1,
    hessiansAreConstant: false,
    checkLabels: checkFinite,
    initScore: (labels, weights) => Float64Array.of(weightedQuantile(labels, weights, 0.5)),
    gradients(raw, labels, weights, gradOut, hessOut, from, to) {
      for (let i = from; i < to; i++) {
        const r = raw[i]! - labels[i]!;
        const w = weights === undefined ? 1 : weights[i]!;
        gradOut[i] = (r > 0 ? 1 : r < 0 ? -1 : 0) * w;
        hessOut[i] = w;
      }
    },
    renewLeafOutput(indices, start, count, labels, raw, weights) {
      if (scratchValues.length < count) {
        scratchValues = new Float64Array(count);
        scratchWeights = new Float64Array(count);
      }
      const values = scratchValues.subarray(0, count);
      for (let j = 0; j < count; j++) {
        const i = indices[start + j]!;
        values[j] = labels[i]! - raw[i]!;
      }
      if (weights === undefined) return weightedQuantile(values, undefined, 0.5);
      const w = scratchWeights.subarray(0, count);
      for (let j = 0; j < count; j++) w[j] = weights[indices[start + j]!]!;
      return weightedQuantile(values, w, 0.5);
    },
  };
}
