import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { binningSample, binsAsCategories, fitBinMapper, fitCategoricalBinMapper, fitNumericBinMapper, findUpperBounds, numericBin } from './bin-mapper.js';

describe('numeric bin mapper', () => {
  it('gives every distinct value its own bin when there are few, with midpoint bounds', () => {
    const values = Float64Array.of(3, 1, 2, 2, NaN, 1);
    const m = fitNumericBinMapper(values, binningSample(values.length, 100, new Rng(1)), 255);
    expect(Array.from(m.upperBounds)).toEqual([1.5, 2.5, Infinity]);
    expect(m.nBins).toBe(4);
    expect(m.missingBin).toBe(3);
    expect([1, 2, 3, NaN, 1.5, 1.6, -5, 99].map((v) => numericBin(m, v))).toEqual([0, 1, 2, 3, 0, 1, 0, 2]);
  });

  it('caps the number of bins at maxBin with roughly equal counts', () => {
    const n = 10_000;
    const sorted = Float64Array.from({ length: n }, (_, i) => i);
    const ub = findUpperBounds(sorted, 16);
    expect(ub.length).toBeLessThanOrEqual(16);
    expect(ub.length).toBeGreaterThanOrEqual(15);
    const counts = new Array(ub.length).fill(0);
    const m = { kind: 'numeric' as const, nBins: ub.length + 1, missingBin: ub.length, upperBounds: ub };
    for (let i = 0; i < n; i++) counts[numericBin(m, i)]++;
    for (const c of counts) expect(Math.abs(c - n / 16)).toBeLessThan(n / 16);
  });

  it('gives a heavy value a bin of its own', () => {
    const values: number[] = [];
    for (let i = 0; i < 1000; i++) values.push(i);
    for (let i = 0; i < 3000; i++) values.push(500.5);
    const sorted = Float64Array.from(values).sort();
    const ub = findUpperBounds(sorted, 8);
    const m = { kind: 'numeric' as const, nBins: ub.length + 1, missingBin: ub.length, upperBounds: ub };
    const heavy = numericBin(m, 500.5);
    expect(numericBin(m, 500)).not.toBe(heavy);
    expect(numericBin(m, 501)).not.toBe(heavy);
  });

  it('samples deterministically and without replacement', () => {
    const a = binningSample(1000, 100, new Rng(7));
    const b = binningSample(1000, 100, new Rng(7));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(new Set(a).size).toBe(100);
    for (let i = 1; i < a.length; i++) expect(a[i]!).toBeGreaterThan(a[i - 1]!);
  });
});

describe('categorical bin mapper', () => {
  it('orders categories by frequency and sends rare/unseen/missing to the last bin', () => {
    const codes = Int32Array.of(2, 2, 2, 0, 0, 1, -1, 3);
    const m = fitCategoricalBinMapper(codes, 5, 3);
    expect(Array.from(m.binToCode)).toEqual([2, 0, 1]);
    expect(m.missingBin).toBe(3);
    expect(Array.from(m.codeToBin)).toEqual([1, 2, 0, 3, 3]);
  });
});

describe('categorical columns with more categories than maxBin', () => {
  it('bin as categories when the kept ones hold half the rows, else as ordinal codes', () => {
    // 40 categories, maxBin 8: category 0 in half the rows and 8 kept hold ≥ 50 %; uniform ones do not.
    const skewed = Int32Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? 0 : 1 + (i % 39)));
    const uniform = Int32Array.from({ length: 400 }, (_, i) => i % 40);
    expect(binsAsCategories(skewed, 40, 8)).toBe(true);
    expect(binsAsCategories(uniform, 40, 8)).toBe(false);
    expect(binsAsCategories(uniform, 40, 40)).toBe(true);
    // Exactly half: 8 of 16 equally frequent categories.
    expect(
      binsAsCategories(
        Int32Array.from({ length: 160 }, (_, i) => i % 16),
        16,
        8,
      ),
    ).toBe(true);
    // Missing codes (-1) count for neither side.
    expect(
      binsAsCategories(
        Int32Array.from({ length: 400 }, (_, i) => (i % 4 === 0 ? -1 : i % 40)),
        40,
        8,
      ),
    ).toBe(false);
    const sample = Uint32Array.from({ length: 400 }, (_, i) => i);
    expect(fitBinMapper({ kind: 'categorical', name: 'c', codes: skewed, nCategories: 40 }, sample, 8).kind).toBe('categorical');
    expect(fitBinMapper({ kind: 'categorical', name: 'c', codes: uniform, nCategories: 40 }, sample, 8).kind).toBe('numeric');
  });
});

describe('binNumericValues', () => {
  it('equals numericBin on random values, bounds, NaN and infinities', async () => {
    const { binNumericValues } = await import('./bin-mapper.js');
    const rng = new Rng(3);
    for (const nBounds of [1, 2, 7, 128, 255]) {
      const sorted = Float64Array.from({ length: 5000 }, () => Math.round(rng.nextFloat() * 1000) / 10).sort();
      const ub = findUpperBounds(sorted, nBounds);
      const m = { kind: 'numeric' as const, nBins: ub.length + 1, missingBin: ub.length, upperBounds: ub };
      const values = Float64Array.from({ length: 3000 }, (_, i) => (i % 50 === 0 ? NaN : i % 7 === 0 ? ub[i % ub.length]! : rng.nextFloat() * 120 - 10));
      values[1] = Infinity;
      values[2] = -Infinity;
      const out = new Uint8Array(values.length);
      binNumericValues(values, m, out);
      for (let i = 0; i < values.length; i++) expect(out[i], `value ${values[i]}`).toBe(numericBin(m, values[i]!));
    }
  });
});
