/** Trainings in the worker-thread runner use the GBDT trainer's threads and still give the same model. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkerThreadRunner } from '../../src/compute/worker-pool.js';
import type { TrainingRequest } from '../../src/compute/training-runner.js';
import { Rng } from '../../src/engine/index.js';

const dir = mkdtempSync(join(tmpdir(), 'yosoku-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const N_FEATURES = 14;
const FEATURE_NAMES = Array.from({ length: N_FEATURES }, (_, f) => `x${f}`);

/**
 * 3,000 rows × 14 numeric features and a binary target: root histograms (42,000 row × feature cells)
 * are built across threads; the trainings' clock is slowed down so that the wall-clock safety stop
 * (which would make the result depend on timing) never fires, whatever the load.
 */
function writeTrainingFile(): string {
  const rng = new Rng(5);
  const lines = [[...FEATURE_NAMES, 'y'].join(',')];
  for (let i = 0; i < 3_000; i++) {
    const x = Array.from({ length: N_FEATURES }, () => rng.nextFloat() * 4 - 2);
    const score = x[0]! - 0.8 * x[1]! * x[2]! + (x[3]! > 0.5 ? 1 : 0) + (rng.nextFloat() - 0.5);
    lines.push(`${x.map((v) => v.toFixed(4)).join(',')},${score > 0 ? 'yes' : 'no'}`);
  }
  const path = join(dir, 'train.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('WorkerThreadRunner with threads per training', () => {
  it('trains the same model with 1 and 2 threads', { timeout: 1_800_000 }, async () => {
    const trainPath = writeTrainingFile();
    const request: TrainingRequest = {
      trainPath,
      evalPath: null,
      delimiter: ',',
      columnTypes: { ...Object.fromEntries(FEATURE_NAMES.map((name) => [name, 'float' as const])), y: 'string' },
      dateFormats: {},
      settings: { target: 'y', task: 'binary_classification', positiveLabel: 'yes', cv: 1, imbalance: false, timeBudgetSeconds: 60, seed: 7 },
      // The safety stop sits at 60 × 100 real seconds: at any load it is the work budget that ends
      // the search (checked below), so the two models may differ only through the threads.
      clockSlowdown: 100,
    };
    const models: string[] = [];
    for (const threadsPerTraining of [1, 2]) {
      const runner = new WorkerThreadRunner({ threadsPerTraining });
      try {
        const out = await runner.run(request);
        const manifest = JSON.parse(out.resultFiles.find((f) => f.name === 'model.json')!.content as string) as { stoppedByTimeLimit: boolean };
        expect(manifest.stoppedByTimeLimit).toBe(false);
        models.push(out.modelText);
      } finally {
        await runner.close();
      }
    }
    expect(models[1]).toBe(models[0]);
  });

  it('refuses a thread count outside [1, 256]', () => {
    expect(() => new WorkerThreadRunner({ threadsPerTraining: 0 })).toThrow(RangeError);
  });
});
