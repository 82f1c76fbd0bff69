/**
 * The training matrix after binning: one column-major Uint8 block plus per-feature histogram offsets.
 *
 *   bins:        [ feature 0: nSamples bins | feature 1: nSamples bins | ... ]   (column f at f * nSamples)
 *   binOffsets:  feature f's histogram entries are bins binOffsets[f] .. binOffsets[f + 1) of one
 *                histogram buffer; each entry is HIST_STRIDE doubles [sumGradient, sumHessian].
 */
import type { FeatureTable } from './columns.js';
import type { BinMapper } from './bin-mapper.js';
import { binColumn } from './bin-mapper.js';

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
