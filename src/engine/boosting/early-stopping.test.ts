import { describe, expect, it } from 'vitest';
import { EarlyStopping } from './early-stopping.js';

describe('EarlyStopping', () => {
  it('stops after `patience` rounds without a strict improvement and remembers the best round', () => {
    const es = new EarlyStopping(false, 2);
    expect([0.5, 0.4, 0.4, 0.45].map((v, r) => es.update(r, v))).toEqual([false, false, false, true]);
    expect(es.bestRound).toBe(1);
    expect(es.bestValue).toBe(0.4);
  });

  it('maximises when higher is better, skips NaN, and never stops with patience 0', () => {
    const es = new EarlyStopping(true, 0);
    for (const [r, v] of [0.6, NaN, 0.7, 0.65, 0.6, 0.5].entries()) expect(es.update(r, v)).toBe(false);
    expect(es.bestRound).toBe(2);
  });
});
