import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { NO_QUANTIZATION } from './quantize.js';
import {
  buildHistogramIndexed,
  buildHistogramIndexedConstHessian,
  buildHistogramNaive,
  buildHistogramRoot,
  buildHistogramRootConstHessian,
  subtractHistograms,
} from './histogram.js';

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
      const hist = new Float64Array(7 * 2 + 4).fill(99);
      buildHistogramRoot(bins, 0, n, g, h, hist, 2, 7);
      const naive = buildHistogramNaive(
        bins,
        0,
        Array.from({ length: n }, (_, i) => i),
        g,
        h,
        7,
      );
      for (let k = 0; k < 14; k++) expect(hist[2 + k]).toBeCloseTo(naive[k]!, 9);
      expect(hist[0]).toBe(99);
      expect(hist[16]).toBe(99);
    }
  });

  it('indexed kernel equals the naive histogram of the subset', () => {
    const n = 257;
    const { rng, bins, g, h } = randomCase(3, n, 13);
    const indices = new Uint32Array(n);
    for (let i = 0; i < n; i++) indices[i] = i;
    rng.shuffle(indices);
    const start = 17;
    const count = 123;
    const hist = new Float64Array(13 * 2);
    buildHistogramIndexed(bins, 0, indices, start, count, g, h, hist, 0, 13);
    const naive = buildHistogramNaive(bins, 0, indices.subarray(start, start + count), g, h, 13);
    for (let k = 0; k < hist.length; k++) expect(hist[k]).toBeCloseTo(naive[k]!, 9);
  });

  it('constant-hessian variants equal the general kernels with unit hessians', () => {
    const n = 99;
    const { bins, g } = randomCase(5, n, 6);
    const ones = new Float32Array(n).fill(1);
    const a = new Float64Array(12);
    const b = new Float64Array(12);
    buildHistogramRoot(bins, 0, n, g, ones, a, 0, 6);
    buildHistogramRootConstHessian(bins, 0, n, g, 1, b, 0, 6);
    expect(Array.from(b)).toEqual(Array.from(a));
    const idx = Uint32Array.from({ length: 50 }, (_, i) => i * 2);
    buildHistogramIndexed(bins, 0, idx, 0, 50, g, ones, a, 0, 6);
    buildHistogramIndexedConstHessian(bins, 0, idx, 0, 50, g, 1, b, 0, 6);
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
    const sibling = new Float64Array(20);
    subtractHistograms(parent, child, sibling, 20);
    const direct = buildHistogramNaive(bins, 0, right, g, h, 10);
    for (let k = 0; k < 20; k++) expect(sibling[k]).toBeCloseTo(direct[k]!, 9);
  });
});

describe('buildHistogramsOfFeatures (cache blocks, four features per pass)', () => {
  it('equals the one-feature kernels exactly, for root and indexed, constant and general hessians', async () => {
    const { buildHistogramsOfFeatures, HISTOGRAM_BLOCK_ROWS } = await import('./histogram.js');
    const rng = new Rng(23);
    // More rows than one cache block, so sums cross block boundaries.
    const n = HISTOGRAM_BLOCK_ROWS + 1_237;
    const nFeatures = 11;
    const nBinsOf = Int32Array.from({ length: nFeatures }, () => 2 + rng.nextInt(40));
    const binOffsets = new Int32Array(nFeatures + 1);
    for (let f = 0; f < nFeatures; f++) binOffsets[f + 1] = binOffsets[f]! + nBinsOf[f]!;
    const bins = new Uint8Array(n * nFeatures);
    for (let f = 0; f < nFeatures; f++) for (let i = 0; i < n; i++) bins[f * n + i] = rng.nextInt(nBinsOf[f]!);
    const data = {
      nSamples: n,
      nFeatures,
      bins,
      nBins: nBinsOf,
      binOffsets,
      totalBins: binOffsets[nFeatures]!,
      isCategorical: new Uint8Array(nFeatures),
      mappers: [],
    };
    const g = Float32Array.from({ length: n }, () => rng.nextFloat() - 0.5);
    const h = Float32Array.from({ length: n }, () => rng.nextFloat());
    const indices = rng.shuffle(Uint32Array.from({ length: n }, (_, i) => i));
    const start = 100;
    const count = n - 300;
    for (const nTaskFeatures of [1, 3, 4, 7, 9]) {
      const features = Int32Array.from(rng.shuffle(Int32Array.from({ length: nFeatures }, (_, f) => f)).subarray(0, nTaskFeatures)).sort();
      for (const root of [true, false]) {
        for (const constant of [true, false]) {
          const hist = new Float64Array(data.totalBins * 2).fill(7);
          buildHistogramsOfFeatures(
            data,
            {
              features,
              nTaskFeatures,
              indices: root ? null : indices,
              start,
              count,
              gradients: g,
              hessians: constant ? null : h,
              constantHessian: 0.5,
              hist,
              histLength: data.totalBins * 2,
              partials: new Float64Array(0),
              packed: null,
              quantization: NO_QUANTIZATION,
              packedSums: new Float64Array(0),
            },
            0,
            nTaskFeatures,
          );
          for (const f of features) {
            const nb = nBinsOf[f]!;
            const one = new Float64Array(nb * 2);
            if (root && constant) buildHistogramRootConstHessian(bins, f * n, n, g, 0.5, one, 0, nb);
            else if (root) buildHistogramRoot(bins, f * n, n, g, h, one, 0, nb);
            else if (constant) buildHistogramIndexedConstHessian(bins, f * n, indices, start, count, g, 0.5, one, 0, nb);
            else buildHistogramIndexed(bins, f * n, indices, start, count, g, h, one, 0, nb);
            expect(Array.from(hist.subarray(binOffsets[f]! * 2, binOffsets[f + 1]! * 2))).toEqual(Array.from(one));
          }
        }
      }
    }
  });
});

describe('chunked builds of large nodes', () => {
  it('equal per-chunk sums added in chunk order, whichever order the chunks are built in', async () => {
    const { buildHistogramChunk, buildHistogramsSerial, histogramChunkCount, reduceHistogramChunks, HISTOGRAM_CHUNK_ROWS, accumulateRoot, accumulateIndexed } =
      await import('./histogram.js');
    const rng = new Rng(31);
    const n = 2 * HISTOGRAM_CHUNK_ROWS + 5_003;
    const nFeatures = 6;
    const nb = 17;
    const binOffsets = Int32Array.from({ length: nFeatures + 1 }, (_, f) => f * nb);
    const bins = Uint8Array.from({ length: n * nFeatures }, () => rng.nextInt(nb));
    const data = {
      nSamples: n,
      nFeatures,
      bins,
      nBins: new Int32Array(nFeatures).fill(nb),
      binOffsets,
      totalBins: nFeatures * nb,
      isCategorical: new Uint8Array(nFeatures),
      mappers: [],
    };
    const g = Float32Array.from({ length: n }, () => rng.nextFloat() - 0.5);
    const h = Float32Array.from({ length: n }, () => rng.nextFloat());
    const indices = rng.shuffle(Uint32Array.from({ length: n }, (_, i) => i));
    const features = Int32Array.of(0, 1, 2, 3, 4, 5);
    const histLength = data.totalBins * 2;
    for (const root of [true, false]) {
      const start = root ? 0 : 7;
      const count = root ? n : n - 20;
      const nChunks = histogramChunkCount(count);
      expect(nChunks).toBe(3);
      // Reference: each chunk's sums by the one-feature kernel, then added in chunk order.
      const expected = new Float64Array(histLength);
      for (let c = 0; c < nChunks; c++) {
        const part = new Float64Array(histLength);
        const from = c * HISTOGRAM_CHUNK_ROWS;
        const to = Math.min(count, from + HISTOGRAM_CHUNK_ROWS);
        for (let f = 0; f < nFeatures; f++) {
          if (root) accumulateRoot(bins, f * n, from, to, g, h, part, f * nb * 2);
          else accumulateIndexed(bins, f * n, indices, start, from, to, g, h, part, f * nb * 2);
        }
        for (let k = 0; k < histLength; k++) expected[k] = c === 0 ? part[k]! : expected[k]! + part[k]!;
      }
      const task = (hist: Float64Array) => ({
        features,
        nTaskFeatures: nFeatures,
        indices: root ? null : indices,
        start,
        count,
        gradients: g,
        hessians: h,
        constantHessian: 1,
        hist,
        histLength,
        partials: new Float64Array((nChunks - 1) * histLength).fill(3),
        packed: null,
        quantization: NO_QUANTIZATION,
        packedSums: new Float64Array(0),
      });
      const serial = new Float64Array(histLength).fill(9);
      buildHistogramsSerial(data, task(serial));
      expect(Array.from(serial)).toEqual(Array.from(expected));
      const reversed = task(new Float64Array(histLength).fill(9));
      for (let c = nChunks - 1; c >= 0; c--) buildHistogramChunk(data, reversed, c);
      reduceHistogramChunks(data, reversed, 0, 3);
      reduceHistogramChunks(data, reversed, 3, nFeatures);
      expect(Array.from(reversed.hist)).toEqual(Array.from(expected));
    }
  });
});

describe('packed (quantized) builds', () => {
  it('equal the naive integer sums, for root and indexed rows, any feature count, one chunk or several', async () => {
    const { buildHistogramsSerial, buildHistogramPart, histogramChunkCount, reduceHistogramChunks, HISTOGRAM_CHUNK_ROWS } = await import('./histogram.js');
    const { gradientQuantization } = await import('./quantize.js');
    const rng = new Rng(41);
    const n = 2 * HISTOGRAM_CHUNK_ROWS + 3_001;
    const nFeatures = 13;
    const nBinsOf = Int32Array.from({ length: nFeatures }, () => 2 + rng.nextInt(60));
    const binOffsets = new Int32Array(nFeatures + 1);
    for (let f = 0; f < nFeatures; f++) binOffsets[f + 1] = binOffsets[f]! + nBinsOf[f]!;
    const bins = new Uint8Array(n * nFeatures);
    for (let f = 0; f < nFeatures; f++) for (let i = 0; i < n; i++) bins[f * n + i] = rng.nextInt(nBinsOf[f]!);
    const totalBins = binOffsets[nFeatures]!;
    const data = { nSamples: n, nFeatures, bins, nBins: nBinsOf, binOffsets, totalBins, isCategorical: new Uint8Array(nFeatures), mappers: [] };
    const levels = 60;
    const q = gradientQuantization(levels, n, 1.5, 0.25, NaN);
    const packed = Int32Array.from({ length: n }, () => ((rng.nextInt(2 * levels + 1) - levels) << 16) | rng.nextInt(levels + 1));
    const indices = rng.shuffle(Uint32Array.from({ length: n }, (_, i) => i));
    const histLength = totalBins * 2;
    for (const [root, start, count] of [
      [true, 0, n],
      [false, 11, n - 50],
      [false, 5, 20_000],
    ] as const) {
      const nChunks = histogramChunkCount(count);
      for (const nTaskFeatures of [1, 4, 5, 7, 8, 13]) {
        const features = Int32Array.from({ length: nTaskFeatures }, (_, j) => nFeatures - nTaskFeatures + j);
        // Naive: integer sums per bin over the node's rows, decoded once.
        const gq = new Float64Array(totalBins);
        const hq = new Float64Array(totalBins);
        for (let j = 0; j < count; j++) {
          const i = root ? j : indices[start + j]!;
          for (const f of features) {
            const b = binOffsets[f]! + bins[f * n + i]!;
            gq[b]! += packed[i]! >> 16;
            hq[b]! += packed[i]! & 0xffff;
          }
        }
        const task = (hist: Float64Array) => ({
          features,
          nTaskFeatures,
          indices: root ? null : indices,
          start,
          count,
          gradients: new Float32Array(0),
          hessians: null,
          constantHessian: 1,
          hist,
          histLength,
          partials: new Float64Array(Math.max(0, nChunks - 1) * totalBins).fill(3),
          packed,
          quantization: q,
          packedSums: new Float64Array(totalBins).fill(2),
        });
        const serial = task(new Float64Array(histLength).fill(9));
        buildHistogramsSerial(data, serial);
        // Parts in reverse order, features split in two groups: the same sums.
        const parts = task(new Float64Array(histLength).fill(9));
        const mid = nTaskFeatures >> 1;
        for (let c = nChunks - 1; c >= 0; c--) {
          buildHistogramPart(data, parts, c, mid, nTaskFeatures);
          buildHistogramPart(data, parts, c, 0, mid);
        }
        if (nChunks > 1) reduceHistogramChunks(data, parts, 0, nTaskFeatures);
        for (const f of features) {
          for (let b = binOffsets[f]!; b < binOffsets[f + 1]!; b++) {
            expect(serial.hist[2 * b]).toBe(gq[b]! * q.gradientScale);
            expect(serial.hist[2 * b + 1]).toBe(hq[b]! * q.hessianScale);
          }
        }
        expect(Array.from(parts.hist)).toEqual(Array.from(serial.hist));
      }
    }
  });
});
