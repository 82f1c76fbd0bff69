/**
 * The targets supervised encoders learn from: 0/1 (binary), one-hot (multi-class; with more than
 * MAX_ENCODED_CLASSES classes, one-vs-rest for the most frequent ones), standardised value
 * (regression).
 */
import type { TargetInfo } from '../target.js';
import type { TaskType } from '../types.js';
import type { EncoderTargets } from './encoder.js';

/** Target statistics and text models give one score per class for at most this many (most frequent) classes. */
export const MAX_ENCODED_CLASSES = 10;

export function nEncodedOutputs(task: TaskType, nClasses: number): number {
  return task === 'multi_classification' ? Math.min(nClasses, MAX_ENCODED_CLASSES) : 1;
}

export function encoderTargets(target: TargetInfo): EncoderTargets {
  const nOut = nEncodedOutputs(target.task, target.classes.length);
  const n = target.y.length;
  const t = new Float64Array(n * nOut);
  if (target.task === 'regression') {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += target.y[i]!;
    mean /= Math.max(1, n);
    let v = 0;
    for (let i = 0; i < n; i++) v += (target.y[i]! - mean) ** 2;
    const sd = Math.sqrt(v / Math.max(1, n)) || 1;
    for (let i = 0; i < n; i++) t[i] = (target.y[i]! - mean) / sd;
  } else if (target.task === 'binary_classification') {
    t.set(target.y);
  } else {
    const counts = new Float64Array(target.classes.length);
    for (let i = 0; i < n; i++) counts[target.y[i]!]!++;
    // Up to nOut classes: slot = class index; more: the nOut most frequent classes.
    const byFrequency = Array.from(counts.keys());
    if (target.classes.length > nOut) byFrequency.sort((a, b) => counts[b]! - counts[a]! || a - b);
    const slot = new Int32Array(target.classes.length).fill(-1);
    for (let k = 0; k < nOut; k++) slot[byFrequency[k]!] = k;
    for (let i = 0; i < n; i++) {
      const k = slot[target.y[i]!]!;
      if (k >= 0) t[i * nOut + k] = 1;
    }
  }
  return { t, nOut };
}
