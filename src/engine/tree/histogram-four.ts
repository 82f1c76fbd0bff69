/**
 * Histogram kernels that build four features in one pass over a node's rows.
 *
 * Each row's index, gradient and hessian are loaded once for four features instead of once per feature,
 * which took about a third off the histogram time. Every feature's sums still run over the rows in
 * order, so these kernels give exactly the sums of the one-feature kernels in histogram.ts (tested).
 * Arguments are as there, with four column starts (c0..c3, into the binned column block) and four
 * histogram starts (h0..h3, double indices).
 */

/** Root variant: samples from .. to-1 in sample order. */
export function accumulateRoot4(
  bins: Uint8Array,
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  from: number,
  to: number,
  gradients: Float32Array,
  hessians: Float32Array,
  hist: Float64Array,
  h0: number,
  h1: number,
  h2: number,
  h3: number,
): void {
  for (let i = from; i < to; i++) {
    const g = gradients[i]!;
    const h = hessians[i]!;
    const a = h0 + bins[c0 + i]! * 2;
    const b = h1 + bins[c1 + i]! * 2;
    const c = h2 + bins[c2 + i]! * 2;
    const d = h3 + bins[c3 + i]! * 2;
    hist[a]! += g;
    hist[a + 1]! += h;
    hist[b]! += g;
    hist[b + 1]! += h;
    hist[c]! += g;
    hist[c + 1]! += h;
    hist[d]! += g;
    hist[d + 1]! += h;
  }
}

/** Indexed variant: rows indices[start + j] for j in [from, to), gradients read by row index. */
export function accumulateIndexed4(
  bins: Uint8Array,
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  indices: Uint32Array,
  start: number,
  from: number,
  to: number,
  gradients: Float32Array,
  hessians: Float32Array,
  hist: Float64Array,
  h0: number,
  h1: number,
  h2: number,
  h3: number,
): void {
  for (let j = from; j < to; j++) {
    const i = indices[start + j]!;
    const g = gradients[i]!;
    const h = hessians[i]!;
    const a = h0 + bins[c0 + i]! * 2;
    const b = h1 + bins[c1 + i]! * 2;
    const c = h2 + bins[c2 + i]! * 2;
    const d = h3 + bins[c3 + i]! * 2;
    hist[a]! += g;
    hist[a + 1]! += h;
    hist[b]! += g;
    hist[b + 1]! += h;
    hist[c]! += g;
    hist[c + 1]! += h;
    hist[d]! += g;
    hist[d + 1]! += h;
  }
}

/** Root variant for constant hessians: sums gradients and counts samples in the hessian slot. */
export function accumulateRootConstHessian4(
  bins: Uint8Array,
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  from: number,
  to: number,
  gradients: Float32Array,
  hist: Float64Array,
  h0: number,
  h1: number,
  h2: number,
  h3: number,
): void {
  for (let i = from; i < to; i++) {
    const g = gradients[i]!;
    const a = h0 + bins[c0 + i]! * 2;
    const b = h1 + bins[c1 + i]! * 2;
    const c = h2 + bins[c2 + i]! * 2;
    const d = h3 + bins[c3 + i]! * 2;
    hist[a]! += g;
    hist[a + 1]!++;
    hist[b]! += g;
    hist[b + 1]!++;
    hist[c]! += g;
    hist[c + 1]!++;
    hist[d]! += g;
    hist[d + 1]!++;
  }
}

/** Indexed variant for constant hessians. */
export function accumulateIndexedConstHessian4(
  bins: Uint8Array,
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  indices: Uint32Array,
  start: number,
  from: number,
  to: number,
  gradients: Float32Array,
  hist: Float64Array,
  h0: number,
  h1: number,
  h2: number,
  h3: number,
): void {
  for (let j = from; j < to; j++) {
    const i = indices[start + j]!;
    const g = gradients[i]!;
    const a = h0 + bins[c0 + i]! * 2;
    const b = h1 + bins[c1 + i]! * 2;
    const c = h2 + bins[c2 + i]! * 2;
    const d = h3 + bins[c3 + i]! * 2;
    hist[a]! += g;
    hist[a + 1]!++;
    hist[b]! += g;
    hist[b + 1]!++;
    hist[c]! += g;
    hist[c + 1]!++;
    hist[d]! += g;
    hist[d + 1]!++;
  }
}
