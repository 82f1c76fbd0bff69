/**
 * Splits a node's slice of the single partition array in place.
 *
 * Before (node = [start, start + count)):     after (nLeft = number of samples going left):
 *
 *   indices: ... | 7 2 9 4 5 1 | ...            indices: ... | 7 9 5 | 2 4 1 | ...
 *                  ^start                                      ^start ^start + nLeft
 *
 * The partition is stable (each side keeps its relative order), which keeps the later gathers close to
 * sequential in memory and makes the result independent of anything but the data.
 */

/**
 * @param indices   the partition (IN/OUT); only [start, start + count) changes
 * @param bins      binned column block (IN); the split feature's column starts at colStart
 * @param goesLeft  length ≥ the feature's bin count: 1 if the bin goes left (IN)
 * @param scratch   length ≥ count, holds the right side temporarily
 * @returns the number of samples that went left
 */
export function partitionSlice(
  indices: Uint32Array,
  start: number,
  count: number,
  bins: Uint8Array,
  colStart: number,
  goesLeft: Uint8Array,
  scratch: Uint32Array,
): number {
  let nLeft = 0;
  let nRight = 0;
  const end = start + count;
  for (let j = start; j < end; j++) {
    const i = indices[j]!;
    if (goesLeft[bins[colStart + i]!] === 1) indices[start + nLeft++] = i;
    else scratch[nRight++] = i;
  }
  for (let r = 0; r < nRight; r++) indices[start + nLeft + r] = scratch[r]!;
  return nLeft;
}

/**
 * `partitionSlice` that also moves each sample's gradient and hessian along with its index, so that
 * orderedGrad[j] stays the gradient of indices[j] and a node's gradients are always contiguous (no
 * gather before building its histogram).
 *
 * @param orderedGrad  length ≥ start + count, aligned with indices (IN/OUT)
 * @param orderedHess  same, or null when hessians are constant
 * @param scratchGrad  length ≥ count; scratchHess likewise (unused when orderedHess is null)
 */
export function partitionSliceWithGradients(
  indices: Uint32Array,
  orderedGrad: Float32Array,
  orderedHess: Float32Array | null,
  start: number,
  count: number,
  bins: Uint8Array,
  colStart: number,
  goesLeft: Uint8Array,
  scratch: Uint32Array,
  scratchGrad: Float32Array,
  scratchHess: Float32Array,
): number {
  let nLeft = 0;
  let nRight = 0;
  const end = start + count;
  if (orderedHess === null) {
    for (let j = start; j < end; j++) {
      const i = indices[j]!;
      const g = orderedGrad[j]!;
      if (goesLeft[bins[colStart + i]!] === 1) {
        indices[start + nLeft] = i;
        orderedGrad[start + nLeft] = g;
        nLeft++;
      } else {
        scratch[nRight] = i;
        scratchGrad[nRight] = g;
        nRight++;
      }
    }
  } else {
    for (let j = start; j < end; j++) {
      const i = indices[j]!;
      const g = orderedGrad[j]!;
      const h = orderedHess[j]!;
      if (goesLeft[bins[colStart + i]!] === 1) {
        indices[start + nLeft] = i;
        orderedGrad[start + nLeft] = g;
        orderedHess[start + nLeft] = h;
        nLeft++;
      } else {
        scratch[nRight] = i;
        scratchGrad[nRight] = g;
        scratchHess[nRight] = h;
        nRight++;
      }
    }
    orderedHess.set(scratchHess.subarray(0, nRight), start + nLeft);
  }
  indices.set(scratch.subarray(0, nRight), start + nLeft);
  orderedGrad.set(scratchGrad.subarray(0, nRight), start + nLeft);
  return nLeft;
}

/** Reference: the two sides as fresh arrays. */
export function partitionNaive(
  sampleIndices: readonly number[],
  bins: Uint8Array,
  colStart: number,
  goesLeft: Uint8Array,
): { left: number[]; right: number[] } {
  const left = sampleIndices.filter((i) => goesLeft[bins[colStart + i]!] === 1);
  const right = sampleIndices.filter((i) => goesLeft[bins[colStart + i]!] !== 1);
  return { left, right };
}

/**
 * Gathers gradients (and hessians) of indices[start .. start + count) into node order.
 *
 * @param orderedGrad length ≥ count (OUT)
 */
export function gatherOrdered(
  indices: Uint32Array,
  start: number,
  count: number,
  gradients: Float32Array,
  hessians: Float32Array | null,
  orderedGrad: Float32Array,
  orderedHess: Float32Array,
): void {
  if (hessians === null) {
    for (let j = 0; j < count; j++) orderedGrad[j] = gradients[indices[start + j]!]!;
  } else {
    for (let j = 0; j < count; j++) {
      const i = indices[start + j]!;
      orderedGrad[j] = gradients[i]!;
      orderedHess[j] = hessians[i]!;
    }
  }
}
