/**
 * Binary evaluation at a chosen threshold, computed in the page from the out-of-sample
 * probabilities (evaluation_raw_data.csv): a row is predicted positive when its probability of the
 * positive class is ≥ the threshold, as the server's predictions are (src/automl).
 */

export interface Confusion {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
}

export interface ThresholdMetrics extends Confusion {
  readonly threshold: number;
  readonly accuracy: number;
  /** NaN when nothing is predicted positive. */
  readonly precision: number;
  readonly recall: number;
  readonly fScore: number;
}

export function atThreshold(probability: ArrayLike<number>, isPositive: ArrayLike<number>, threshold: number): ThresholdMetrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < probability.length; i++) {
    const predicted = probability[i]! >= threshold;
    if (isPositive[i] === 1) predicted ? tp++ : fn++;
    else predicted ? fp++ : tn++;
  }
  const n = tp + fp + fn + tn;
  const precision = tp + fp === 0 ? NaN : tp / (tp + fp);
  const recall = tp + fn === 0 ? NaN : tp / (tp + fn);
  const fScore = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  return { threshold, tp, fp, fn, tn, accuracy: n === 0 ? NaN : (tp + tn) / n, precision, recall, fScore };
}

/** ROC points (FPR, TPR) from (0,0) to (1,1), one per distinct probability; and the AUC. */
export function rocCurve(probability: ArrayLike<number>, isPositive: ArrayLike<number>): { points: [number, number][]; auc: number } {
  const order = Array.from({ length: probability.length }, (_, i) => i).sort((a, b) => probability[b]! - probability[a]!);
  let pos = 0;
  for (let i = 0; i < isPositive.length; i++) pos += isPositive[i] === 1 ? 1 : 0;
  const neg = probability.length - pos;
  const points: [number, number][] = [[0, 0]];
  let tp = 0;
  let fp = 0;
  let auc = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (isPositive[i] === 1) tp++;
    else fp++;
    const next = order[k + 1];
    if (next !== undefined && probability[next] === probability[i]) continue; // ties move together
    const x = neg === 0 ? 0 : fp / neg;
    const y = pos === 0 ? 0 : tp / pos;
    const [px, py] = points[points.length - 1]!;
    auc += ((x - px) * (y + py)) / 2;
    points.push([x, y]);
  }
  return { points, auc };
}

/** Rows per probability bin (`bins` equal bins over [0, 1]), separately for actual positives and negatives. */
export function probabilityHistogram(probability: ArrayLike<number>, isPositive: ArrayLike<number>, bins = 20): { positive: number[]; negative: number[] } {
  const positive = new Array<number>(bins).fill(0);
  const negative = new Array<number>(bins).fill(0);
  for (let i = 0; i < probability.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(probability[i]! * bins)));
    (isPositive[i] === 1 ? positive : negative)[b]!++;
  }
  return { positive, negative };
}

/** A thinned copy of an ROC curve for drawing (at most `max` points, ends kept). */
export function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return points.slice();
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, k) => points[Math.round(k * step)]!);
}
