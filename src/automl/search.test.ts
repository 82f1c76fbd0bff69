import { describe, expect, it } from 'vitest';
import { greedyEnsemble, selectEnsemble } from './ensemble.js';
import { fitPlan } from './plan.js';
import { AutoMlCancelled, MIN_CANDIDATES, refitRounds, refitSelected, runSearch } from './search.js';
import type { SearchInput } from './search.js';
import { readTarget } from './target.js';
import { mixedTable } from './test-fixtures.js';
import { makeValidationPlan } from './validation.js';

function input(rows: number, timeBudgetSeconds = 60): SearchInput {
  const table = mixedTable(rows, 8, 'regression');
  const target = readTarget(table, 'target', 'regression');
  const { train } = fitPlan(table, target, { folds: null, seed: 1 });
  return { features: train, y: target.y, task: 'regression', nClasses: 0, validation: makeValidationPlan(rows, 2, null, 1), seed: 1, timeBudgetSeconds };
}

describe('runSearch', () => {
  const small = input(120, 10);
  const first = runSearch(small);

  it('is deterministic: the same input gives the same candidates, rounds and scores', () => {
    const again = runSearch(small);
    expect(again.candidates.map((c) => [c.candidate, c.bestRounds, c.score])).toEqual(first.candidates.map((c) => [c.candidate, c.bestRounds, c.score]));
    expect(Array.from(again.candidates[0]!.oofRaw)).toEqual(Array.from(first.candidates[0]!.oofRaw));
  });

  it('tries at least MIN_CANDIDATES, the default GBDT first and the linear learner second on small data', () => {
    expect(first.candidates.length).toBeGreaterThanOrEqual(MIN_CANDIDATES);
    expect(first.candidates[0]!.candidate).toMatchObject({ kind: 'gbdt', params: { learningRate: 0.1, maxLeaves: 31 } });
    expect(first.candidates[1]!.candidate.kind).toBe('linear');
    expect(first.validatedRows.length).toBe(120);
    expect(first.stoppedByTime).toBe(false);
  });

  it('stops starting candidates once the wall-clock budget has passed, and says so', () => {
    const late = runSearch(small, { elapsedSeconds: () => 1e9 });
    expect(late.stoppedByTime).toBe(true);
    expect(late.candidates.length).toBe(1);
  });

  it('the clock cuts a running training after its round: a valid candidate, and the result says so', () => {
    let calls = 0;
    const cut = runSearch(small, { elapsedSeconds: () => (++calls > 5 ? 1e9 : 0) });
    expect(cut.stoppedByTime).toBe(true);
    expect(cut.endedBy).toBe('time_limit');
    expect(cut.candidates.length).toBe(1);
    expect(Math.max(...cut.candidates[0]!.bestRounds)).toBeLessThanOrEqual(6);
  });

  it('ends on the work budget, with round caps from the work left', () => {
    expect(first.endedBy).toBe('work_budget');
    expect(first.work.spent).toBeLessThanOrEqual(first.work.budget * 1.01);
    const gbdt = first.candidates.filter((c) => c.candidate.kind === 'gbdt');
    expect(gbdt.every((c) => c.roundCap >= 10 && c.roundCap <= 1500)).toBe(true);
  });

  it('throws AutoMlCancelled when cancelled', () => {
    expect(() => runSearch(small, { isCancelled: () => true })).toThrow(AutoMlCancelled);
  });

  it('refits the ensemble members only, with the validated rounds scaled to all rows', () => {
    const ensemble = selectEnsemble(first.candidates, first.validatedRows, 'regression', 1, small.y);
    const refit = refitSelected(small, first, ensemble);
    expect(refit.models.length).toBe(ensemble.weights.filter((w) => w > 0).length);
    expect(refit.stoppedByTime).toBe(false);
    // Past the time limit, a GBDT member is its candidate's fold models instead of a refit.
    const late = refitSelected(small, first, ensemble, { elapsedSeconds: () => 1e9 });
    expect(late.stoppedByTime).toBe(ensemble.weights.some((w, j) => w > 0 && first.candidates[j]!.candidate.kind === 'gbdt'));
    expect(late.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const c = first.candidates[0]!;
    const mean = c.bestRounds.reduce((a, b) => a + b, 0) / c.bestRounds.length;
    expect(refitRounds(c, 120, small.validation)).toBe(Math.max(1, Math.round(mean * 1.2)));
  });
});

describe('greedyEnsemble', () => {
  const y = Float64Array.of(0, 1, 2, 3);
  const rows = Int32Array.of(0, 1, 2, 3);

  it('starts from the best candidate and averages in one that lowers the loss', () => {
    const high = Float64Array.of(0.5, 1.5, 2.5, 3.5);
    const low = Float64Array.of(-0.5, 0.5, 1.5, 2.5);
    const bad = Float64Array.of(9, 9, 9, 9);
    const w = greedyEnsemble([bad, high, low], 'regression', 1, y, rows);
    expect(w[0]).toBe(0);
    expect(w[1]! + w[2]!).toBeCloseTo(1, 12);
    expect(w[1]).toBeCloseTo(0.5, 12);
  });

  it('keeps a single member when another buys less than the minimum gain', () => {
    const best = Float64Array.of(0, 1, 2, 3.01);
    const near = Float64Array.of(0, 1, 2, 3.02);
    expect(greedyEnsemble([best, near], 'regression', 1, y, rows)).toEqual([1, 0]);
  });
});
