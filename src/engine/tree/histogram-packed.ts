/**
 * Histogram kernels over packed quantized gradients (quantize.ts): a row's Int32 becomes the one double
 * gq · shift + hq, which it adds to one bin per feature. The histogram here has one double per bin (packed sums), at
 * binOffsets[f] + bin; `unpackHistogram` turns it into the usual two-double layout.
 *
 * As in histogram.ts and histogram-four.ts: "root" reads samples in order, "indexed" reads the node's
 * slice of the partition; the four-feature kernels take four column starts (c0..c3) and four histogram
 * starts (h0..h3), the eight-feature ones arrays of eight. The sums are exact integers, so any order of the rows gives the same histogram.
 */

/** One feature, samples from .. to-1 in sample order. */
export function accumulatePackedRoot(
  bins: Uint8Array,
  colStart: number,
  from: number,
  to: number,
  packed: Int32Array,
  shift: number,
  hist: Float64Array,
  histStart: number,
): void {
  for (let i = from; i < to; i++) {
    const v = packed[i]!;
    hist[histStart + bins[colStart + i]!]! += (v >> 16) * shift + (v & 0xffff);
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
    hist[histStart + bins[colStart + i]!]! += (v >> 16) * shift + (v & 0xffff);
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
    hist[h0 + bins[c0 + i]!]! += p;
    hist[h1 + bins[c1 + i]!]! += p;
    hist[h2 + bins[c2 + i]!]! += p;
    hist[h3 + bins[c3 + i]!]! += p;
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
    hist[h0 + bins[c0 + i]!]! += p;
    hist[h1 + bins[c1 + i]!]! += p;
    hist[h2 + bins[c2 + i]!]! += p;
    hist[h3 + bins[c3 + i]!]! += p;
  }
}

/**
 * Eight features, samples from .. to-1 in sample order; c and h hold the eight column starts and
 * histogram starts. A row's packed value is decoded once for eight updates (about 12 % faster than
 * two four-feature passes over dense rows).
 */
export function accumulatePackedRoot8(
  bins: Uint8Array,
  c: Int32Array,
  from: number,
  to: number,
  packed: Int32Array,
  shift: number,
  hist: Float64Array,
  h: Int32Array,
): void {
  const c0 = c[0]!,
    c1 = c[1]!,
    c2 = c[2]!,
    c3 = c[3]!,
    c4 = c[4]!,
    c5 = c[5]!,
    c6 = c[6]!,
    c7 = c[7]!;
  const h0 = h[0]!,
    h1 = h[1]!,
    h2 = h[2]!,
    h3 = h[3]!,
    h4 = h[4]!,
    h5 = h[5]!,
    h6 = h[6]!,
    h7 = h[7]!;
  for (let i = from; i < to; i++) {
    const v = packed[i]!;
    const p = (v >> 16) * shift + (v & 0xffff);
    hist[h0 + bins[c0 + i]!]! += p;
    hist[h1 + bins[c1 + i]!]! += p;
    hist[h2 + bins[c2 + i]!]! += p;
    hist[h3 + bins[c3 + i]!]! += p;
    hist[h4 + bins[c4 + i]!]! += p;
    hist[h5 + bins[c5 + i]!]! += p;
    hist[h6 + bins[c6 + i]!]! += p;
    hist[h7 + bins[c7 + i]!]! += p;
  }
}

/** Eight features, rows indices[start + j] for j in [from, to). */
export function accumulatePackedIndexed8(
  bins: Uint8Array,
  c: Int32Array,
  indices: Uint32Array,
  start: number,
  from: number,
  to: number,
  packed: Int32Array,
  shift: number,
  hist: Float64Array,
  h: Int32Array,
): void {
  const c0 = c[0]!,
    c1 = c[1]!,
    c2 = c[2]!,
    c3 = c[3]!,
    c4 = c[4]!,
    c5 = c[5]!,
    c6 = c[6]!,
    c7 = c[7]!;
  const h0 = h[0]!,
    h1 = h[1]!,
    h2 = h[2]!,
    h3 = h[3]!,
    h4 = h[4]!,
    h5 = h[5]!,
    h6 = h[6]!,
    h7 = h[7]!;
  for (let j = from; j < to; j++) {
    const i = indices[start + j]!;
    const v = packed[i]!;
    const p = (v >> 16) * shift + (v & 0xffff);
    hist[h0 + bins[c0 + i]!]! += p;
    hist[h1 + bins[c1 + i]!]! += p;
    hist[h2 + bins[c2 + i]!]! += p;
    hist[h3 + bins[c3 + i]!]! += p;
    hist[h4 + bins[c4 + i]!]! += p;
    hist[h5 + bins[c5 + i]!]! += p;
    hist[h6 + bins[c6 + i]!]! += p;
    hist[h7 + bins[c7 + i]!]! += p;
  }
}
