/**
 * The training matrix after binning: one column-major Uint8 block plus per-feature histogram offsets.
 *
 *   bins:        [ feature 0: nSamples bins | feature 1: nSamples bins | ... ]   (column f at f * nSamples)
 *   binOffsets:  feature f's histogram entries are bins binOffsets[f] .. binOffsets[f + 1) of one
 *                histogram buffer; each entry is HIST_STRIDE doubles [sumGradient, sumHessian].
 */
import type { FeatureTable } from './columns.js';
import type { BinMapper, NumericBinMapper } from './bin-mapper.js';
import { binColumn, binNumericValues, binsAsCategories, binningSample, codesAsValues, fitCategoricalBinMapper, fitNumericBinMapper } from './bin-mapper.js';
import type { Rng } from '../rng.js';

export interface BinnedDataset {
  readonly nSamples: number;
  readonly nFeatures: number;
  /** Length nFeatures * nSamples, column-major. */
  readonly bins: Uint8Array;
  /** Length nFeatures: bins per feature including the missing bin. */
  readonly nBins: Int32Array;
  /** Length nFeatures + 1: first histogram bin of each feature; binOffsets[nFeatures] = totalBins. */
  readonly binOffsets: Int32Array;
  readonly totalBins: number;
  /** Length nFeatures: 1 for native categorical features. */
  readonly isCategorical: Uint8Array;
  readonly mappers: readonly BinMapper[];
}

/**
 * Bins every column of the table.
 *
 * @param allocBins allocator for the bin block (parallel training passes one backed by a
 *   SharedArrayBuffer so its workers read the same memory)
 */
export function binDataset(
  table: FeatureTable,
  mappers: readonly BinMapper[],
  allocBins: (length: number) => Uint8Array = (length) => new Uint8Array(length),
): BinnedDataset {
  const nSamples = table.nRows;
  const nFeatures = table.columns.length;
  const bins = allocBins(nFeatures * nSamples);
  const nBins = new Int32Array(nFeatures);
  const binOffsets = new Int32Array(nFeatures + 1);
  const isCategorical = new Uint8Array(nFeatures);
  for (let f = 0; f < nFeatures; f++) {
    const mapper = mappers[f]!;
    binColumn(table.columns[f]!, mapper, bins.subarray(f * nSamples, (f + 1) * nSamples));
    nBins[f] = mapper.nBins;
    binOffsets[f + 1] = binOffsets[f]! + mapper.nBins;
    isCategorical[f] = mapper.kind === 'categorical' ? 1 : 0;
  }
  return { nSamples, nFeatures, bins, nBins, binOffsets, totalBins: binOffsets[nFeatures]!, isCategorical, mappers };
}

/**
 * Fits and bins the numeric columns given to it: `binNumericColumns` of a TrainingParallelism (which may
 * spread the columns over threads; results are the same).
 */
export type NumericColumnBinner = (task: NumericBinningTask) => NumericBinMapper[];

/** Numeric columns to fit bin mappers on (over the sample rows) and to bin into a shared bin block. */
export interface NumericBinningTask {
  /** One array of values per column (NaN = missing). */
  readonly values: readonly Float64Array[];
  /** Where each column's bins start in `bins` (column-major, nSamples each). */
  readonly colStarts: readonly number[];
  readonly sample: Uint32Array;
  readonly maxBin: number;
  readonly bins: Uint8Array;
}

/** Column k of a numeric binning task: fits its mapper and writes its bins. */
export function binNumericColumnOfTask(task: NumericBinningTask, k: number): NumericBinMapper {
  const values = task.values[k]!;
  const mapper = fitNumericBinMapper(values, task.sample, task.maxBin);
  const start = task.colStarts[k]!;
  binNumericValues(values, mapper, task.bins.subarray(start, start + values.length));
  return mapper;
}

/** Every column of the task on the calling thread. */
export function binNumericColumnsSerial(task: NumericBinningTask): NumericBinMapper[] {
  return task.values.map((_, k) => binNumericColumnOfTask(task, k));
}

/**
 * Fits bin mappers on a seeded sample of rows and bins every column: the same mappers and bins as
 * `binDataset(table, fitBinMappers(table, maxBin, binSampleSize, rng))`, with the numeric columns (one
 * sort each, the costly part) done by `binNumeric`.
 */
export function binTable(
  table: FeatureTable,
  maxBin: number,
  binSampleSize: number,
  rng: Rng,
  allocBins: (length: number) => Uint8Array,
  binNumeric: NumericColumnBinner,
): BinnedDataset {
  const nSamples = table.nRows;
  const nFeatures = table.columns.length;
  const sample = binningSample(nSamples, binSampleSize, rng);
  const bins = allocBins(nFeatures * nSamples);
  const mappers: BinMapper[] = new Array<BinMapper>(nFeatures);
  const numericFeatures: number[] = [];
  const numericValues: Float64Array[] = [];
  for (let f = 0; f < nFeatures; f++) {
    const column = table.columns[f]!;
    if (column.kind === 'categorical' && binsAsCategories(column.codes, column.nCategories, maxBin)) {
      const mapper = fitCategoricalBinMapper(column.codes, column.nCategories, maxBin);
      binColumn(column, mapper, bins.subarray(f * nSamples, (f + 1) * nSamples));
      mappers[f] = mapper;
    } else {
      // Many categories of similar frequency are binned as ordinal codes (fitBinMapper does the same).
      numericFeatures.push(f);
      numericValues.push(column.kind === 'numeric' ? column.values : codesAsValues(column.codes));
    }
  }
  const numericMappers = binNumeric({
    values: numericValues,
    colStarts: numericFeatures.map((f) => f * nSamples),
    sample,
    maxBin,
    bins,
  });
  numericFeatures.forEach((f, k) => (mappers[f] = numericMappers[k]!));
  const nBins = new Int32Array(nFeatures);
  const binOffsets = new Int32Array(nFeatures + 1);
  const isCategorical = new Uint8Array(nFeatures);
  for (let f = 0; f < nFeatures; f++) {
    const mapper = mappers[f]!;
    nBins[f] = mapper.nBins;
    binOffsets[f + 1] = binOffsets[f]! + mapper.nBins;
    isCategorical[f] = mapper.kind === 'categorical' ? 1 : 0;
  }
  return { nSamples, nFeatures, bins, nBins, binOffsets, totalBins: binOffsets[nFeatures]!, isCategorical, mappers };
}
