/**
 * The engine's public surface: everything outside src/engine imports from here (test/architecture.test.ts
 * keeps it so), never from a module inside. The engine is pure computation: typed arrays in,
 * typed arrays out, a seeded Rng passed in, no I/O and no clock.
 */

// Data: feature tables and binning.
export { toRowMajor } from './data/columns.js';
export type { CategoricalColumn, FeatureColumn, FeatureTable, NumericColumn } from './data/columns.js';
export type { NumericBinMapper } from './data/bin-mapper.js';
export { binNumericColumnOfTask, binNumericColumnsSerial } from './data/binned-dataset.js';
export type { BinnedDataset, NumericBinningTask } from './data/binned-dataset.js';

// Training.
export type { GbdtModel, GbdtParams, ObjectiveName } from './boosting/model.js';
export { binTrainingTable, trainGbdt } from './boosting/train.js';
export type { TrainHooks, TrainingBins } from './boosting/train.js';
export { deserializeModel, serializeModel } from './boosting/serialize.js';
export { createObjective } from './objectives/index.js';
export type { Objective } from './objectives/index.js';
export { Rng } from './rng.js';

// Prediction, explanation and serving.
export { predictRaw } from './predict/index.js';
export { shapValues, shapValuesOfOutput, shapValuesRecursive } from './explain/index.js';
export { compileForServing, servingModelOf } from './serving.js';
export type { ServingModel } from './serving.js';
export { auc, confusionMatrix, evaluateMetric, macroF1, rmse, rocCurve } from './metrics/index.js';

// Kernels of one boosting round, run on other threads by compute/parallel-training*.ts.
export { addValueToRows, gradientTaskBounds, packGradientsSerial, packTaskQuantization, partitionSerial } from './tree/parallelism.js';
export type { GradientTask, LeafValuesTask, ObjectiveSpec, PackTask, PartitionTask, TrainingParallelism } from './tree/parallelism.js';
export { emptySplit } from './tree/split-info.js';
export type { SplitInfo, SplitParams } from './tree/split-info.js';
export {
  SPLIT_MASK_LENGTH,
  SPLIT_RECORD_LENGTH,
  readSplitRecord,
  resetSplit,
  searchFeatures,
  splitSearchSerial,
  subtractFeatures,
  writeSplitRecord,
} from './tree/split-search.js';
export type { SplitSearchTask } from './tree/split-search.js';
export { gradientBounds, packGradients } from './tree/quantize.js';
export type { GradientQuantization } from './tree/quantize.js';
export { buildHistogramPart, buildHistogramsSerial, histogramChunkCount, reduceHistogramChunks } from './tree/histogram.js';
export type { HistogramTask } from './tree/histogram.js';
export { partitionBlock, partitionBlockDestinations, partitionBlockStart, placePartitionBlock } from './tree/partition.js';
export type { PartitionBuffers } from './tree/partition.js';
