import { describe, expect, it } from 'vitest';
import { dateTokens, encodeTokenRows, predictivePower } from './predictive-power.js';

/** A deterministic stream in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

function score(tokens: string[][], y: number[], nClasses = 2): number {
  return predictivePower(encodeTokenRows(tokens, Int32Array.from(y), nClasses));
}

describe('predictivePower', () => {
  const rand = lcg(11);
  const n = 2000;
  const y = Array.from({ length: n }, () => (rand() < 0.3 ? 1 : 0));

  it('is near 1 for a value that decides the class, near 0 for noise', () => {
    expect(
      score(
        y.map((c) => [`v:${c === 1 ? 'a' : 'b'}`]),
        y,
      ),
    ).toBeGreaterThan(0.95);
    const noise = lcg(5);
    expect(
      score(
        y.map(() => [`v:${Math.floor(noise() * 5)}`]),
        y,
      ),
    ).toBeLessThan(0.01);
  });

  it('gives an ID (every value once) nothing, where in-sample information would be total', () => {
    expect(
      score(
        y.map((_, i) => [`v:${i}`]),
        y,
      ),
    ).toBe(0);
  });

  it('finds the one telling token among many common ones (a given name among surnames and characters)', () => {
    const r = lcg(3);
    const tokens = y.map((c, i) => [
      `v:name${i}`,
      `w:surname${Math.floor(r() * 50)}`,
      `c:${Math.floor(r() * 30)}`,
      `c:${Math.floor(r() * 30)}`,
      `e:${c === 1 ? '郎' : '子'}`,
    ]);
    expect(score(tokens, y)).toBeGreaterThan(0.8);
  });

  it('is a partial score for a partial signal, and the same on every run', () => {
    const r = lcg(9);
    const tokens = y.map((c) => [`v:${r() < 0.7 ? c : 1 - c}`]);
    const s = score(tokens, y);
    expect(s).toBeGreaterThan(0.05);
    expect(s).toBeLessThan(0.5);
    expect(score(tokens, y)).toBe(s);
  });

  it('is 0 with one class or too few rows', () => {
    expect(
      score(
        y.map(() => ['v:a']),
        y.map(() => 0),
        1,
      ),
    ).toBe(0);
    expect(score([['a'], ['b']], [0, 1])).toBe(0);
  });

  it('reads dates as year, month, weekday and day (and hour when times occur)', () => {
    const t = Date.UTC(2024, 1, 29, 13) / 1000; // a Thursday
    expect(dateTokens(t, false)).toEqual(['y:2024', 'm:2', 'w:4', 'd:29']);
    expect(dateTokens(t, true)).toEqual(['y:2024', 'm:2', 'w:4', 'd:29', 'h:13']);
  });
});
