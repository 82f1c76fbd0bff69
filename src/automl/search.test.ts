import { describe, expect, it } from 'vitest';
import { serializeModel } from '../engine/index.js';
import { blendLoss, calibrationTemperature, greedyEnsemble, selectEnsemble } from './ensemble.js';
import { fitPlan } from './plan.js';
import { AutoMlCancelled, MIN_CANDIDATES, REFIT_SEEDS, refitCopies, refitRounds, refitSelected, runSearch } from './search.js';
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
  const wideInput = input(120, 30);
  const wide = runSearch(wideInput);

  it('is deterministic: the same input gives the same candidates, rounds and scores', () => {
    const again = runSearch(small);
    expect(again.candidates.map((c) => [c.candidate, c.bestRounds, c.score])).toEqual(first.candidates.map((c) => [c.candidate, c.bestRounds, c.score]));
    expect(Array.from(again.candidates[0]!.oofRaw)).toEqual(Array.from(first.candidates[0]!.oofRaw));
  });

  it('tries at least MIN_CANDIDATES: the default GBDT, the linear learner on small data, the deep GBDT, a neighbour of the best, and the forest', () => {
    expect(wide.candidates.length).toBeGreaterThanOrEqual(5);
    expect(wide.candidates.map((c) => c.candidate.kind)).toContain('forest');
    expect(wide.candidates.map((c) => c.candidate.kind).slice(0, 4)).toEqual(['gbdt', 'linear', 'gbdt', 'gbdt']);
    expect(wide.candidates[0]!.candidate).toMatchObject({ kind: 'gbdt', params: { learningRate: 0.1, maxLeaves: 31 } });
    expect(wide.candidates[2]!.candidate).toMatchObject({ kind: 'gbdt', params: { maxLeaves: 127 } });
    // The neighbour moves one or two parameters of the best GBDT so far one grid step.
    const best = [wide.candidates[0]!, wide.candidates[2]!].sort((a, b) => a.score - b.score)[0]!;
    const moved = Object.entries((wide.candidates[3]!.candidate as { params: Record<string, number> }).params).filter(
      ([k, v]) => (best.candidate as { params: Record<string, number> }).params[k] !== v,
    );
    expect(moved.length).toBeGreaterThanOrEqual(1);
    expect(moved.length).toBeLessThanOrEqual(2);
    expect(first.candidates.length).toBeGreaterThanOrEqual(MIN_CANDIDATES);
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

  it('ends on the work budget or a flat validation curve, with round caps from the work left', () => {
    expect(['work_budget', 'flat', 'all_candidates']).toContain(first.endedBy);
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
    const selected = first.candidates.filter((_, j) => ensemble.weights[j]! > 0);
    expect(refit.models.length).toBe(selected.reduce((sum, c) => sum + refitCopies(c.candidate), 0));
    expect(refit.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(
      ensemble.weights.reduce((a, b) => a + b, 0),
      12,
    );
    expect(refit.stoppedByTime).toBe(false);
    // Past the time limit, a GBDT member is its candidate's fold models instead of a refit.
    const late = refitSelected(small, first, ensemble, { elapsedSeconds: () => 1e9 });
    expect(late.stoppedByTime).toBe(ensemble.weights.some((w, j) => w > 0 && first.candidates[j]!.candidate.kind === 'gbdt'));
    expect(late.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(
      ensemble.weights.reduce((a, b) => a + b, 0),
      12,
    );
    // A selected setting that samples: REFIT_SEEDS different fits sharing its weight.
    const deep = wide.candidates.findIndex((c) => refitCopies(c.candidate) > 1);
    expect(deep).toBeGreaterThanOrEqual(0);
    const only = { ...ensemble, weights: wide.candidates.map((_, j) => (j === deep ? 1 : 0)) };
    const bagged = refitSelected(wideInput, wide, only);
    expect(bagged.weights).toEqual(new Array(REFIT_SEEDS).fill(1 / REFIT_SEEDS));
    const fits = bagged.models.map((m) => (m.kind === 'gbdt' ? serializeModel(m.gbdt) : ''));
    expect(new Set(fits).size).toBe(REFIT_SEEDS);
    const c = first.candidates[0]!;
    const mean = c.bestRounds.reduce((a, b) => a + b, 0) / c.bestRounds.length;
    expect(refitRounds(c, 120, small.validation)).toBe(Math.max(1, Math.round(mean * 1.2)));
  }, 600_000);
});

describe('refitCopies', () => {
  const params = { learningRate: 0.1, maxLeaves: 31, minDataInLeaf: 20, featureFraction: 1, lambdaL2: 0, baggingFraction: 1 };
  it('fits a setting that samples rows or features with several seeds, any other setting once', () => {
    expect(refitCopies({ kind: 'gbdt', params })).toBe(1);
    expect(refitCopies({ kind: 'gbdt', params: { ...params, baggingFraction: 0.8 } })).toBe(REFIT_SEEDS);
    expect(refitCopies({ kind: 'gbdt', params: { ...params, featureFraction: 0.7 } })).toBe(REFIT_SEEDS);
    expect(refitCopies({ kind: 'linear', lambda: 1e-3 })).toBe(1);
    expect(REFIT_SEEDS).toBeGreaterThan(1);
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

describe('calibrationTemperature', () => {
  const n = 2000;
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  // Log-odds z with P(y = 1) = sigmoid(z): calibrated scores; tripled: over-confident ones.
  const z = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 250 - 2);
  const y = Float64Array.from(z, (v, i) => (((i * 104729) % 1000) / 1000 < 1 / (1 + Math.exp(-v)) ? 1 : 0));

  it('finds the temperature of over-confident scores and lowers their log loss', () => {
    const tripled = Float64Array.from(z, (v) => 3 * v);
    const t = calibrationTemperature('binary_classification', 1, tripled, y, rows);
    expect(t).toBeGreaterThan(2.2);
    expect(t).toBeLessThan(3.8);
    expect(
      blendLoss(
        'binary_classification',
        1,
        Float64Array.from(tripled, (v) => v / t),
        y,
        rows,
      ),
    ).toBeLessThan(blendLoss('binary_classification', 1, tripled, y, rows));
  });

  it('leaves calibrated scores (nearly) and regression alone', () => {
    expect(Math.abs(Math.log(calibrationTemperature('binary_classification', 1, z, y, rows)))).toBeLessThan(0.2);
    expect(calibrationTemperature('regression', 1, z, y, rows)).toBe(1);
  });
});
