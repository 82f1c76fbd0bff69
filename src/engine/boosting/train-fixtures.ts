/** Synthetic tables for the trainer's tests and benchmarks (seeded, no I/O). */
import type { FeatureColumn, FeatureTable } from '../data/columns.js';
import { Rng } from '../rng.js';

export function numericTable(columns: Float64Array[]): FeatureTable {
  return {
    nRows: columns[0]!.length,
    columns: columns.map((values, f): FeatureColumn => ({ kind: 'numeric', name: `x${f}`, values })),
  };
}

/**
 * nRows × nFeatures standard-normal-ish features; binary label from a noisy nonlinear score, or a
 * regression target from the same score. ~5% of feature 0 is missing.
 */
export function syntheticProblem(
  nRows: number,
  nFeatures: number,
  seed: number,
  task: 'binary' | 'regression' | 'multiclass',
): { table: FeatureTable; label: Float64Array } {
  const rng = new Rng(seed);
  const cols: Float64Array[] = [];
  for (let f = 0; f < nFeatures; f++) {
    const c = new Float64Array(nRows);
    for (let i = 0; i < nRows; i++) c[i] = rng.nextFloat() + rng.nextFloat() + rng.nextFloat() - 1.5;
    cols.push(c);
  }
  const label = new Float64Array(nRows);
  for (let i = 0; i < nRows; i++) {
    const x0 = cols[0]![i]!;
    const x1 = cols[1 % nFeatures]![i]!;
    const x2 = cols[2 % nFeatures]![i]!;
    const x3 = cols[3 % nFeatures]![i]!;
    const score = 2 * x0 - 1.5 * x1 * x2 + (x3 > 0.2 ? 1 : -0.5) + Math.sin(3 * x2);
    const noise = (rng.nextFloat() - 0.5) * 1.5;
    if (task === 'binary') label[i] = score + noise > 0 ? 1 : 0;
    else if (task === 'regression') label[i] = score + noise;
    else label[i] = score + noise < -0.7 ? 0 : score + noise < 0.7 ? 1 : 2;
  }
  for (let i = 0; i < nRows; i++) if (rng.nextFloat() < 0.05) cols[0]![i] = NaN;
  return { table: numericTable(cols), label };
}
