/**
 * Histogram kernels over packed quantized gradients (quantize.ts): a row's Int32 becomes the one double
 * gq · shift + hq, which it adds to one bin per feature. The histogram here has one double per bin (packed sums), at
 * binOffsets[f] + bin; `unpackHistogram` turns it into the usual two-double layout.
 *
 * As in histogram.ts and histogram-four.ts: "root" reads samples in order, "indexed" reads the node's
 * slice of the partition; the four-feature kernels take four column starts (c0..c3) and four histogram
 * starts (h0..h3). The sums are exact integers, so any order of the rows gives the same histogram.
 */

/** One feature, samples from .. to-1 in sample order. */
export function accumulatePackedRoot(bins: Uint8Array, colStart: number, from: number, to: number, packed: Int32Array, shift: number, hist: Float64Array, histStart: number): void {
  for (let i = from; i < to; i++) {
    const v = packed[i]!;
    hist[histStart + bins[colStart + i]!] += (v >> 16) * shift + (v & 0xffff);
  }
}

/** One feature, rows indices[start + j] for j in [from, to). */
export function accumulatePackedIndexed(
  bins: Uint8Array,
  colStart: number,
  indices: Uint32Array,
  start: number,
  from: number,
  to: number,
  packed: Int32Array,
  shift: number,
  hist: Float64Array,
  histStart: number,
): void {
  for (let j = from; j < to; j++) {
    const i = indices[start + j]!;
    const v = packed[i]!;
    hist[histStart + bins[colStart + i]!] += (v >> 16) * shift + (v & 0xffff);
  }
}

/** Four features, samples from .. to-1 in sample order. */
export function accumulatePackedRoot4(
  bins: Uint8Array,
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  from: number,
  to: number,
  packed: Int32Array,
  shift: number,
  hist: Float64Array,
  h0: number,
  h1: number,
  h2: number,
  h3: number,
): void {
  for (let i = from; i < to; i++) {
    const v = packed[i]!;
    const p = (v >> 16) * shift + (v & 0xffff);
    hist[h0 + bins[c0 + i]!] += p;
    hist[h1 + bins[c1 + i]!] += p;
    hist[h2 + bins[c2 + i]!] += p;
    hist[h3 + bins[c3 + i]!] += p;
  }
}

/** Four features, rows indices[start + j] for j in [from, to). */
export function accumulatePackedIndexed4(
  bins: Uint8Array,
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  indices: Uint32Array,
  start: number,
  from: number,
  to: number,
  packed: Int32Array,
  shift: number,
  hist: Float64Array,
  h0: number,
  h1: number,
  h2: number,
  h3: number,
): void {
  for (let j = from; j < to; j++) {
    const i = indices[start + j]!;
    const v = packed[i]!;
    const p = (v >> 16) * shift + (v & 0xffff);
    hist[h0 + bins[c0 + i]!] += p;
    hist[h1 + bins[c1 + i]!] += p;
    hist[h2 + bins[c2 + i]!] += p;
    hist[h3 + bins[c3 + i]!] += p;
  }
}
