import { describe, expect, it } from 'vitest';
import { trainGbdt } from './train.js';

const n = 400;
const x = Float64Array.from({ length: n }, (_, i) => (i * 37) % 101);
const label = Float64Array.from(x, (v) => v * 0.5 + ((v * 13) % 7));
const table = { nRows: n, columns: [{ kind: 'numeric' as const, name: 'x', values: x }] };

describe('trainGbdt shouldStop hook', () => {
  it('ends training after the round where it turns true, with a valid model of the rounds trained', () => {
    let calls = 0;
    const model = trainGbdt({ table, label }, { objective: 'regression', nRounds: 100, seed: 1 }, { hooks: { shouldStop: () => ++calls >= 5 } });
    // Checked before rounds 1, 2, …: true at the fifth check, so rounds 0–4 were trained.
    expect(model.nRoundsKept).toBe(5);
    expect(model.trees.length).toBe(5);
    const full = trainGbdt({ table, label }, { objective: 'regression', nRounds: 5, seed: 1 });
    expect(model.trees).toEqual(full.trees);
  });

  it('never stops before the first round', () => {
    const model = trainGbdt({ table, label }, { objective: 'regression', nRounds: 10, seed: 1 }, { hooks: { shouldStop: () => true } });
    expect(model.nRoundsKept).toBe(1);
  });
});
