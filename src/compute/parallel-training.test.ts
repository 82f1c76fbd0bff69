import { afterAll, describe, expect, it } from 'vitest';
import { binTrainingTable, trainGbdt, type FeatureTable } from '../engine/index.js';
// A test fixture, not part of the engine's surface.
import { syntheticProblem } from '../engine/boosting/train-fixtures.js';
import { createParallelTraining } from './parallel-training.js';
import { CTRL, fillFeatureGroups } from './parallel-training-protocol.js';
import type { ParallelTraining } from './parallel-training.js';

const opened: ParallelTraining[] = [];
afterAll(async () => {
  await Promise.all(opened.map((p) => p.close()));
});

function withCategorical(table: FeatureTable): FeatureTable {
  const n = table.nRows;
  const codes = new Int32Array(n);
  const x = table.columns[0]!;
  for (let i = 0; i < n; i++) {
    const v = x.kind === 'numeric' ? x.values[i]! : 0;
    codes[i] = Number.isNaN(v) ? -1 : Math.min(11, Math.max(0, Math.floor((v + 1.5) * 4)));
  }
  return { nRows: n, columns: [...table.columns, { kind: 'categorical', name: 'cat', codes, nCategories: 12 }] };
}

describe('parallel training', () => {
  it.each([
    ['float', 65_536],
    ['quantized', 0],
  ])('trains the identical model for 1, 2 and 3 threads (%s gradients)', { timeout: 60_000 }, (_, quantizeMinRows) => {
    const p = syntheticProblem(30_000, 7, 21, 'binary');
    const train = { table: withCategorical(p.table), label: p.label };
    const params = { objective: 'binary' as const, nRounds: 8, featureFraction: 0.8, baggingFraction: 0.8, seed: 3, quantizeMinRows };
    const serial = trainGbdt(train, params);
    // Small blocks make nodes of ≥ 2,000 rows partition, and gradients and scores update, across threads too.
    for (const nThreads of [2, 3]) {
      const parallel = createParallelTraining(nThreads, {
        partitionBlockRows: 1_000,
        gradientBlockRows: 4_000,
        scoreUpdateRangeRows: 2_000,
        splitSearchMinBins: 1,
      });
      opened.push(parallel);
      const model = trainGbdt(train, params, { parallel });
      expect(model.trees.length).toBe(serial.trees.length);
      for (let t = 0; t < serial.trees.length; t++) expect(model.trees[t]).toEqual(serial.trees[t]);
      // The same builder can train again (buffers of the first run were released).
      const again = trainGbdt(train, { ...params, nRounds: 2 }, { parallel });
      expect(again.trees[0]).toEqual(serial.trees[0]);
    }
  });

  it('trains identical multiclass and regression models on 2 threads', { timeout: 60_000 }, () => {
    const parallel = createParallelTraining(2, { partitionBlockRows: 500, gradientBlockRows: 3_000, scoreUpdateRangeRows: 1_500, splitSearchMinBins: 1 });
    opened.push(parallel);
    for (const [task, quantizeMinRows] of [
      ['multiclass', 65_536],
      ['regression', 65_536],
      ['multiclass', 0],
      ['regression', 0],
    ] as const) {
      const p = syntheticProblem(20_000, 6, 5, task);
      const params = { objective: task, nRounds: 4, quantizeMinRows };
      const a = trainGbdt(p, params);
      const b = trainGbdt(p, params, { parallel });
      for (let t = 0; t < a.trees.length; t++) expect(b.trees[t]).toEqual(a.trees[t]);
      // Sample weights travel to the threads that compute gradients.
      const weight = Float64Array.from(p.label, (_, i) => 0.5 + (i % 3));
      const aw = trainGbdt({ ...p, weight }, params);
      const bw = trainGbdt({ ...p, weight }, params, { parallel });
      expect(bw.trees).toEqual(aw.trees);
    }
  });

  it('trains the identical model on 2 threads from quantized gradients in large chunked nodes', { timeout: 60_000 }, () => {
    // Over 2 × 65,536 rows: the root and the first nodes are built in row chunks.
    const p = syntheticProblem(140_000, 4, 9, 'binary');
    const params = { objective: 'binary' as const, nRounds: 2, maxLeaves: 8 };
    const a = trainGbdt(p, params);
    const parallel = createParallelTraining(2);
    opened.push(parallel);
    const b = trainGbdt(p, params, { parallel });
    expect(b.params.quantizeMinRows).toBeLessThanOrEqual(140_000);
    expect(b.trees).toEqual(a.trees);
  });

  it('trains the identical model from a binned table shared by several trainings on 2 threads', { timeout: 60_000 }, () => {
    const p = syntheticProblem(3000, 5, 11, 'binary');
    const parallel = createParallelTraining(2);
    opened.push(parallel);
    const binned = binTrainingTable(p.table, { seed: 4 }, parallel);
    for (const maxLeaves of [7, 15]) {
      const params = { objective: 'binary' as const, nRounds: 5, maxLeaves, seed: 4 };
      expect(trainGbdt(p, params, { parallel, binned }).trees).toEqual(trainGbdt(p, params).trees);
    }
  });

  it('rejects arrays it did not allocate', () => {
    const parallel = createParallelTraining(2);
    opened.push(parallel);
    expect(() => parallel.attach({ bins: new Uint8Array(4) } as never)).toThrow(/not allocated/);
  });
});

describe('fillFeatureGroups', () => {
  const groups = (nFeatures: number, nChunks: number, nThreads: number): number[] => {
    const out = new Int32Array(nFeatures + 1);
    return Array.from(out.subarray(0, fillFeatureGroups(nFeatures, nChunks, nThreads, out) + 1));
  };

  it('cuts features into fours, halving the last groups until the items divide evenly among the threads', () => {
    expect(groups(20, 1, 2)).toEqual([0, 4, 8, 12, 16, 18, 20]);
    expect(groups(20, 1, 3)).toEqual([0, 4, 8, 12, 16, 18, 20]);
    expect(groups(14, 1, 2)).toEqual([0, 4, 8, 12, 14]);
    expect(groups(3, 1, 2)).toEqual([0, 1, 3]);
    expect(groups(1, 1, 2)).toEqual([0, 1]);
    // Three chunks of five groups: 15 items are enough to share without halving.
    expect(groups(20, 3, 2)).toEqual([0, 4, 8, 12, 16, 20]);
  });

  it('leaves builds of many chunks whole: one group of every feature', () => {
    expect(groups(20, 16, 2)).toEqual([0, 20]);
    expect(groups(7, 8, 2)).toEqual([0, 7]);
  });
});

describe('control block layout', () => {
  it('follows every array id slot by its byte offset slot (setArray relies on it)', () => {
    const slots = CTRL as Record<string, number>;
    const ids = Object.keys(slots).filter((k) => k.endsWith('_ID'));
    expect(ids.length).toBeGreaterThan(10);
    for (const id of ids) expect(slots[id.replace(/_ID$/, '_OFFSET')], id).toBe(slots[id]! + 1);
  });
});
