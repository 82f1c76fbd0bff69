import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { MAX_QUANTIZATION_LEVELS, gradientBounds, gradientQuantization, packGradients, packedValue, quantizationLevels, unpackHistogram } from './quantize.js';

/** The integer gradient and hessian of a packed row. */
function ints(v: number): [number, number] {
  return [v >> 16, v & 0xffff];
}

describe('quantizationLevels', () => {
  it('keeps levels × rows below 2^26, caps at 16 bits and gives up below 4 levels', () => {
    expect(quantizationLevels(1_000_000)).toBe(67);
    expect(quantizationLevels(65_536)).toBe(1023);
    expect(quantizationLevels(100)).toBe(MAX_QUANTIZATION_LEVELS);
    expect(quantizationLevels(16_000_000)).toBe(4);
    expect(quantizationLevels(20_000_000)).toBe(0);
    for (const n of [1, 1000, 123_457, 3_000_000, 16_777_215]) expect(quantizationLevels(n) * n).toBeLessThan(2 ** 26);
  });
});

describe('packGradients', () => {
  const rng = new Rng(5);
  const n = 20_000;
  const g = Float32Array.from({ length: n }, () => (rng.nextFloat() - 0.5) * 3);
  const h = Float32Array.from({ length: n }, () => rng.nextFloat() * 0.25);
  const bounds = new Float64Array(2);
  gradientBounds(g, h, 0, n, bounds);
  const levels = 16;
  const q = gradientQuantization(levels, n, bounds[0]!, bounds[1]!, NaN);

  it('keeps every row within [-levels, levels] × [0, levels] and its rounding within one step', () => {
    const packed = new Int32Array(n);
    packGradients(g, h, q, 77, 0, n, packed);
    const bad: number[] = [];
    for (let i = 0; i < n; i++) {
      const [gq, hq] = ints(packed[i]!);
      const ok =
        Math.abs(gq) <= levels &&
        hq >= 0 &&
        hq <= levels &&
        Math.abs(gq * q.gradientScale - g[i]!) < q.gradientScale &&
        Math.abs(hq * q.hessianScale - h[i]!) < q.hessianScale;
      if (!ok) bad.push(i);
    }
    expect(bad).toEqual([]);
  });

  it('rounds without bias: the quantized sums stay near the float sums', () => {
    const packed = new Int32Array(n);
    packGradients(g, h, q, 78, 0, n, packed);
    let gs = 0;
    let hs = 0;
    let gTrue = 0;
    let hTrue = 0;
    for (let i = 0; i < n; i++) {
      const [gq, hq] = ints(packed[i]!);
      gs += gq * q.gradientScale;
      hs += hq * q.hessianScale;
      gTrue += g[i]!;
      hTrue += h[i]!;
    }
    // Each row's error is at most one step with mean 0: the sum's error is about step × √n / 2.
    expect(Math.abs(gs - gTrue)).toBeLessThan(4 * q.gradientScale * Math.sqrt(n));
    expect(Math.abs(hs - hTrue)).toBeLessThan(4 * q.hessianScale * Math.sqrt(n));
  });

  it('packs the same values whatever ranges the rows are packed in, and differently per key', () => {
    const whole = new Int32Array(n);
    packGradients(g, h, q, 9, 0, n, whole);
    const pieces = new Int32Array(n);
    for (const [from, to] of [
      [12_000, n],
      [0, 5],
      [5, 12_000],
    ] as const)
      packGradients(g, h, q, 9, from, to, pieces);
    expect(pieces).toEqual(whole);
    const other = new Int32Array(n);
    packGradients(g, h, q, 10, 0, n, other);
    expect(other).not.toEqual(whole);
  });

  it('counts rows in the hessian for constant hessians, scaled by the constant', () => {
    const qc = gradientQuantization(levels, n, bounds[0]!, 0, 0.5);
    expect(qc.hessianScale).toBe(0.5);
    const packed = new Int32Array(n);
    packGradients(g, null, qc, 1, 0, n, packed);
    for (let i = 0; i < n; i += 97) expect(ints(packed[i]!)[1]).toBe(1);
  });

  it('handles all-zero gradients', () => {
    const zeros = new Float32Array(10);
    const qz = gradientQuantization(levels, 10, 0, 0, NaN);
    const packed = new Int32Array(10);
    packGradients(zeros, zeros, qz, 1, 0, 10, packed);
    expect(Array.from(packed)).toEqual(new Array(10).fill(0));
  });
});

describe('packed sums', () => {
  it('stay exact and decode at the largest levels × rows the packing allows', () => {
    const n = 1 << 20;
    const levels = quantizationLevels(n);
    for (const sign of [1, -1]) {
      const q = gradientQuantization(levels, n, 1, 1, NaN);
      // Every row at the extremes: gq = ±levels, hq = levels.
      const v = ((sign * levels) << 16) | levels;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += packedValue(v, q.shift);
      expect(Math.abs(sum)).toBeLessThan(2 ** 53);
      const hist = new Float64Array(2);
      unpackHistogram(Float64Array.of(sum), 0, 1, q, hist);
      expect(hist[0]).toBe(sign * levels * n * q.gradientScale);
      expect(hist[1]).toBe(levels * n * q.hessianScale);
    }
  });

  it('decode like the naive sums of the integer parts (unpackHistogram twin)', () => {
    const rng = new Rng(8);
    const n = 5000;
    const levels = 200;
    const q = gradientQuantization(levels, n, 2, 0.3, NaN);
    const nBins = 13;
    const sums = new Float64Array(nBins);
    const gSum = new Float64Array(nBins);
    const hSum = new Float64Array(nBins);
    for (let i = 0; i < n; i++) {
      const gq = rng.nextInt(2 * levels + 1) - levels;
      const hq = rng.nextInt(levels + 1);
      const b = rng.nextInt(nBins);
      sums[b]! += packedValue((gq << 16) | hq, q.shift);
      gSum[b]! += gq;
      hSum[b]! += hq;
    }
    const hist = new Float64Array(2 * nBins).fill(5);
    unpackHistogram(sums, 2, nBins, q, hist);
    expect(hist[0]).toBe(5);
    expect(hist[3]).toBe(5);
    for (let b = 2; b < nBins; b++) {
      expect(hist[2 * b]).toBe(gSum[b]! * q.gradientScale);
      expect(hist[2 * b + 1]).toBe(hSum[b]! * q.hessianScale);
    }
  });
});
