import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { fastExp } from './fast-exp.js';

describe('fastExp (naive twin: Math.exp)', () => {
  it('is within 1e-13 relative of Math.exp over the whole range of normal results', () => {
    const rng = new Rng(3);
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const x = (rng.nextFloat() - 0.5) * 1400;
      const e = Math.exp(x);
      if (e < 1e-300 || e > 1e300) continue;
      worst = Math.max(worst, Math.abs(fastExp(x) - e) / e);
    }
    for (let i = 0; i < 100_000; i++) {
      const x = (rng.nextFloat() - 0.5) * 40;
      worst = Math.max(worst, Math.abs(fastExp(x) - Math.exp(x)) / Math.exp(x));
    }
    expect(worst).toBeLessThan(1e-13);
  });

  it('gets the special values right', () => {
    expect(fastExp(0)).toBe(1);
    expect(fastExp(-Infinity)).toBe(0);
    expect(fastExp(-800)).toBe(0);
    expect(fastExp(Infinity)).toBe(Infinity);
    expect(fastExp(710)).toBe(Infinity);
    expect(fastExp(NaN)).toBeNaN();
    expect(fastExp(709) / Math.exp(709)).toBeCloseTo(1, 12);
    expect(fastExp(709.5)).toBe(Math.exp(709.5));
    expect(fastExp(-708) / Math.exp(-708)).toBeCloseTo(1, 12);
    expect(fastExp(-740)).toBe(Math.exp(-740));
  });

  it('gives the same float32 sigmoid as Math.exp on typical logits', () => {
    const rng = new Rng(4);
    let differ = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = (rng.nextFloat() - 0.5) * 40;
      if (Math.fround(1 / (1 + fastExp(-x))) !== Math.fround(1 / (1 + Math.exp(-x)))) differ++;
    }
    expect(differ).toBe(0);
  });
});
