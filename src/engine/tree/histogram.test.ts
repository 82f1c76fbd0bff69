import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import {
  buildHistogramIndexed,
  buildHistogramIndexedConstHessian,
  buildHistogramNaive,
  buildHistogramRoot,
  buildHistogramRootConstHessian,
  subtractHistograms,
} from './histogram.js';
import { gatherOrdered } from './partition.js';

function randomCase(seed: number, n: number, nBins: number) {
  const rng = new Rng(seed);
  const bins = new Uint8Array(n);
  const g = new Float32Array(n);
  const h = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    bins[i] = rng.nextInt(nBins);
    g[i] = rng.nextFloat() * 2 - 1;
    h[i] = rng.nextFloat();
  }
  return { rng, bins, g, h };
}

describe('histogram kernels', () => {
  it('root kernel equals the naive histogram', () => {
    for (const n of [0, 1, 5, 103]) {
      const { bins, g, h } = randomCase(n + 1, n, 7);
      const hist = new Float64Array(7 * 3 + 6).fill(99);
      buildHistogramRoot(bins, 0, n, g, h, hist, 3, 7);
      const naive = buildHistogramNaive(bins, 0, Array.from({ length: n }, (_, i) => i), g, h, 7);
      for (let k = 0; k < 21; k++) expect(hist[3 + k]).toBeCloseTo(naive[k]!, 9);
      expect(hist[0]).toBe(99);
      expect(hist[24]).toBe(99);
    }
  });

  it('indexed kernel on ordered gradients equals the naive histogram of the subset', () => {
    const n = 257;
    const { rng, bins, g, h } = randomCase(3, n, 13);
    const indices = new Uint32Array(n);
    for (let i = 0; i < n; i++) indices[i] = i;
    rng.shuffle(indices);
    const start = 17;
    const count = 123;
    const og = new Float32Array(n);
    const oh = new Float32Array(n);
    gatherOrdered(indices, start, count, g, h, og, oh);
    const hist = new Float64Array(13 * 3);
    buildHistogramIndexed(bins, 0, indices, start, count, og, oh, hist, 0, 13);
    const naive = buildHistogramNaive(bins, 0, indices.subarray(start, start + count), g, h, 13);
    for (let k = 0; k < hist.length; k++) expect(hist[k]).toBeCloseTo(naive[k]!, 9);
  });

  it('constant-hessian variants equal the general kernels with unit hessians', () => {
    const n = 99;
    const { bins, g } = randomCase(5, n, 6);
    const ones = new Float32Array(n).fill(1);
    const a = new Float64Array(18);
    const b = new Float64Array(18);
    buildHistogramRoot(bins, 0, n, g, ones, a, 0, 6);
    buildHistogramRootConstHessian(bins, 0, n, g, 1, b, 0, 6);
    expect(Array.from(b)).toEqual(Array.from(a));
    const idx = Uint32Array.from({ length: 50 }, (_, i) => i * 2);
    const og = new Float32Array(50);
    gatherOrdered(idx, 0, 50, g, null, og, og);
    buildHistogramIndexed(bins, 0, idx, 0, 50, og, ones, a, 0, 6);
    buildHistogramIndexedConstHessian(bins, 0, idx, 0, 50, og, 1, b, 0, 6);
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('sample order does not change the histogram beyond rounding', () => {
    const n = 500;
    const { rng, bins, g, h } = randomCase(8, n, 9);
    const idx = Uint32Array.from({ length: n }, (_, i) => i);
    const shuffled = rng.shuffle(idx.slice());
    const a = buildHistogramNaive(bins, 0, idx, g, h, 9);
    const b = buildHistogramNaive(bins, 0, shuffled, g, h, 9);
    for (let k = 0; k < a.length; k++) expect(b[k]).toBeCloseTo(a[k]!, 9);
  });

  it('subtraction equals building the sibling from scratch', () => {
    const n = 300;
    const { bins, g, h } = randomCase(11, n, 10);
    const all = Array.from({ length: n }, (_, i) => i);
    const left = all.filter((i) => i % 3 === 0);
    const right = all.filter((i) => i % 3 !== 0);
    const parent = buildHistogramNaive(bins, 0, all, g, h, 10);
    const child = buildHistogramNaive(bins, 0, left, g, h, 10);
    const sibling = new Float64Array(30);
    subtractHistograms(parent, child, sibling, 30);
    const direct = buildHistogramNaive(bins, 0, right, g, h, 10);
    for (let k = 0; k < 30; k++) expect(sibling[k]).toBeCloseTo(direct[k]!, 9);
  });
});
