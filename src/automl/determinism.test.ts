import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createParallelTraining } from '../compute/parallel-training.js';
import { serializeAutoModel, trainAutoModel } from './pipeline.js';
import { rareClassTable } from './test-fixtures.js';
import type { AutoTrainOutput } from './types.js';

/** A CPU-bound thread beside the trainings (spins until terminated), as another job would be. */
function startBusyThread(): Worker {
  return new Worker('let x = 0; for (;;) { x = (x * 1103515245 + 12345) | 0; }', { eval: true });
}

function manifestOf(out: AutoTrainOutput): Record<string, any> {
  return JSON.parse(out.resultFiles.find((f) => f.name === 'model.json')!.content as string) as Record<string, any>;
}

describe('same file, same seed, same model under a tight budget', () => {
  it('trains a 46k-row, 7-class file twice beside a CPU-bound thread: the work budget ends the search, the bytes are equal', async () => {
    // shuttle-sized: 46,000 rows, 7 classes of which three have a few dozen rows or fewer.
    const train = rareClassTable(46_000, 7);
    // A 9:1 hold-out and a 30 s budget: half the default work, which the work budget cuts (round caps).
    // The clock the trainings read runs SLOWDOWN times slower than the real one, so that the
    // wall-clock safety stop sits at 30 × SLOWDOWN real seconds: no load this test may meet reaches
    // it, and it is the work budget alone (checked below) that ends the search. The busy thread
    // still competes for the cores, so timing-dependent code would still show up as unequal bytes.
    const SLOWDOWN = 100;
    const settings = { target: 'class', task: 'multi_classification' as const, cv: 1, imbalance: false, timeBudgetSeconds: 30, seed: 1 };
    const busy = startBusyThread();
    const parallel = createParallelTraining(2);
    try {
      const runs = [0, 1].map(() => {
        const start = performance.now();
        return trainAutoModel({ train, settings }, { parallel, elapsedSeconds: () => (performance.now() - start) / 1000 / SLOWDOWN });
      });
      const [a, b] = runs.map(manifestOf);
      // The deterministic work budget, not the clock, ended the search, and it did cut a candidate short.
      for (const m of [a!, b!]) {
        expect(m.search.endedBy).toBe('work_budget');
        expect(m.stoppedByTimeLimit).toBe(false);
        expect(m.search.candidates.some((c: { roundCap?: number }) => c.roundCap !== undefined && c.roundCap < 1500)).toBe(true);
      }
      expect(b!.search.candidates).toEqual(a!.search.candidates);
      expect(serializeAutoModel(runs[1]!.model)).toBe(serializeAutoModel(runs[0]!.model));
    } finally {
      await busy.terminate();
      await parallel.close();
    }
  }, 1_800_000);
});
