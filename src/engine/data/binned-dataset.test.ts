import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { fitBinMappers } from './bin-mapper.js';
import { binDataset, binNumericColumnsSerial, binTable } from './binned-dataset.js';
import type { FeatureTable } from './columns.js';

function mixedTable(n: number, rng: Rng): FeatureTable {
  const numeric = Float64Array.from({ length: n }, () => (rng.nextFloat() < 0.1 ? NaN : rng.nextFloat() * 10));
  const few = Int32Array.from({ length: n }, () => (rng.nextFloat() < 0.05 ? -1 : rng.nextInt(6)));
  // More categories than maxBin: binned as ordinal codes.
  const many = Int32Array.from({ length: n }, () => rng.nextInt(40));
  return {
    nRows: n,
    columns: [
      { kind: 'numeric', name: 'x', values: numeric },
      { kind: 'categorical', name: 'few', codes: few, nCategories: 6 },
      { kind: 'categorical', name: 'many', codes: many, nCategories: 40 },
    ],
  };
}

describe('binTable', () => {
  it('gives the mappers and bins of binDataset(fitBinMappers(...)), numeric columns by the given binner', () => {
    const table = mixedTable(3_000, new Rng(4));
    const reference = binDataset(table, fitBinMappers(table, 16, 1_000, new Rng(9)));
    let binnedColumns = 0;
    const data = binTable(
      table,
      16,
      1_000,
      new Rng(9),
      (n) => new Uint8Array(n),
      (task) => {
        binnedColumns = task.values.length;
        return binNumericColumnsSerial(task);
      },
    );
    expect(binnedColumns).toBe(2);
    expect(data.mappers).toEqual(reference.mappers);
    expect(Array.from(data.bins)).toEqual(Array.from(reference.bins));
    expect(Array.from(data.binOffsets)).toEqual(Array.from(reference.binOffsets));
    expect(Array.from(data.isCategorical)).toEqual([0, 1, 0]);
  });
});
