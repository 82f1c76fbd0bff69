/**
 * What every training phase shares: the settings read once, the caller's hooks (progress, clock,
 * cancellation, threads) and the per-phase timings for model.json.
 */
import type { TrainingParallelism } from '../../engine/index.js';
import { AutoMlCancelled } from '../search.js';
import type { AutoTrainHooks, AutoTrainInput, TaskType } from '../types.js';

/** Default search budget when the settings give none (seconds; a safety stop, see search.ts). */
export const DEFAULT_TIME_BUDGET_SECONDS = 60;

export interface TrainingRun {
  readonly input: AutoTrainInput;
  readonly task: TaskType;
  readonly seed: number;
  /** The wall-clock safety stop in seconds. */
  readonly budgetSeconds: number;
  readonly parallel: { readonly parallel?: TrainingParallelism };
  readonly timings: Record<string, number>;
  progress(fraction: number, phase: string): void;
  elapsed(): number;
  cancelled(): boolean;
  /** Throws AutoMlCancelled when the caller cancelled. */
  checkCancelled(): void;
  /** Runs one named phase: progress at its start, its time in `timings`. */
  phase<T>(name: string, startFraction: number, body: () => T): T;
}

export function startRun(input: AutoTrainInput, hooks: AutoTrainHooks): TrainingRun {
  const { settings } = input;
  const timings: Record<string, number> = {};
  const elapsed = (): number => hooks.elapsedSeconds?.() ?? 0;
  const cancelled = (): boolean => hooks.isCancelled?.() === true;
  const progress = (f: number, phase: string): void => hooks.onProgress?.(Math.min(1, Math.max(0, f)), phase);
  return {
    input,
    task: settings.task,
    seed: Math.trunc(settings.seed) | 0,
    budgetSeconds: settings.timeBudgetSeconds > 0 ? settings.timeBudgetSeconds : DEFAULT_TIME_BUDGET_SECONDS,
    parallel: hooks.parallel !== undefined ? { parallel: hooks.parallel } : {},
    timings,
    progress,
    elapsed,
    cancelled,
    checkCancelled() {
      if (cancelled()) throw new AutoMlCancelled();
    },
    phase(name, startFraction, body) {
      progress(startFraction, name);
      const t0 = elapsed();
      const out = body();
      timings[name] = Number((elapsed() - t0).toFixed(3));
      return out;
    },
  };
}
