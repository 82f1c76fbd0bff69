/** The `train` task of a compute thread: one AutoML training (train-task.ts). */
import type { TrainingOutput, TrainingRequest } from './training-runner.js';

export interface TrainTask {
  readonly kind: 'train';
  readonly request: TrainingRequest;
}

export type TrainTaskResult = TrainingOutput;
