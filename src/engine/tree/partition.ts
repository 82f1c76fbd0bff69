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
 * @param goesLeft  length ≥ the feature's bin count: 1 if the bin goes left, else 0 (the kernels add it) (IN)
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
  // Branch-free: every row is written to both sides and only the side it belongs to advances. A split
  // sends rows either way unpredictably, and mispredicted branches made this loop twice as slow. The
  // in-place left write is safe: its slot start + nLeft is never ahead of the row being read.
  let nLeft = 0;
  let nRight = 0;
  const end = start + count;
  if (orderedHess === null) {
    for (let j = start; j < end; j++) {
      const i = indices[j]!;
      const g = orderedGrad[j]!;
      const left = goesLeft[bins[colStart + i]!]!;
      const d = start + nLeft;
      indices[d] = i;
      orderedGrad[d] = g;
      scratch[nRight] = i;
      scratchGrad[nRight] = g;
      nLeft += left;
      nRight += 1 - left;
    }
  } else {
    for (let j = start; j < end; j++) {
      const i = indices[j]!;
      const g = orderedGrad[j]!;
      const h = orderedHess[j]!;
      const left = goesLeft[bins[colStart + i]!]!;
      const d = start + nLeft;
      indices[d] = i;
      orderedGrad[d] = g;
      orderedHess[d] = h;
      scratch[nRight] = i;
      scratchGrad[nRight] = g;
      scratchHess[nRight] = h;
      nLeft += left;
      nRight += 1 - left;
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

/**
 * The partition's arrays and the scratch a blocked partition writes through. All have length nSamples.
 * `orderedHess` and the two hessian scratches are unused when hessians are constant.
 */
export interface PartitionBuffers {
  readonly indices: Uint32Array;
  readonly orderedGrad: Float32Array;
  readonly orderedHess: Float32Array;
  readonly leftIdx: Uint32Array;
  readonly leftGrad: Float32Array;
  readonly leftHess: Float32Array;
  readonly rightIdx: Uint32Array;
  readonly rightGrad: Float32Array;
  readonly rightHess: Float32Array;
}

/** Block b of nBlocks equal blocks of [start, start + count): its first position and its length. */
export function partitionBlockStart(start: number, count: number, nBlocks: number, b: number): number {
  return start + Math.floor((count * b) / nBlocks);
}

/**
 * Phase 1 of a blocked partition, for one block [blockStart, blockEnd) of a node's slice: the block's
 * left rows (with their gradients) go to the left scratch and its right rows to the right scratch, both
 * from offset blockStart and in their original order.
 *
 * Blocks write disjoint ranges, so threads may run them in any order. Phase 2 (placePartitionBlock)
 * moves them to their final places once every block's left count is known; the result equals
 * partitionSliceWithGradients on the whole slice, whatever the number of blocks (a stable partition is
 * unique), so the model does not depend on the thread count.
 *
 * @returns the number of the block's rows that go left
 */
export function partitionBlock(
  buf: PartitionBuffers,
  withHessians: boolean,
  blockStart: number,
  blockEnd: number,
  bins: Uint8Array,
  colStart: number,
  goesLeft: Uint8Array,
): number {
  const { indices, orderedGrad, orderedHess, leftIdx, leftGrad, leftHess, rightIdx, rightGrad, rightHess } = buf;
  // Branch-free, as in partitionSliceWithGradients: each row is written to both scratches.
  let l = blockStart;
  let r = blockStart;
  if (withHessians) {
    for (let j = blockStart; j < blockEnd; j++) {
      const i = indices[j]!;
      const g = orderedGrad[j]!;
      const h = orderedHess[j]!;
      const left = goesLeft[bins[colStart + i]!]!;
      leftIdx[l] = i;
      leftGrad[l] = g;
      leftHess[l] = h;
      rightIdx[r] = i;
      rightGrad[r] = g;
      rightHess[r] = h;
      l += left;
      r += 1 - left;
    }
  } else {
    for (let j = blockStart; j < blockEnd; j++) {
      const i = indices[j]!;
      const g = orderedGrad[j]!;
      const left = goesLeft[bins[colStart + i]!]!;
      leftIdx[l] = i;
      leftGrad[l] = g;
      rightIdx[r] = i;
      rightGrad[r] = g;
      l += left;
      r += 1 - left;
    }
  }
  return l - blockStart;
}

/**
 * Phase 2 for one block: copies its nLeft left rows to leftDest and its other rows to rightDest (final
 * positions in the partition arrays, from a prefix sum of the blocks' left counts).
 */
export function placePartitionBlock(
  buf: PartitionBuffers,
  withHessians: boolean,
  blockStart: number,
  blockEnd: number,
  nLeft: number,
  leftDest: number,
  rightDest: number,
): void {
  const nRight = blockEnd - blockStart - nLeft;
  buf.indices.set(buf.leftIdx.subarray(blockStart, blockStart + nLeft), leftDest);
  buf.orderedGrad.set(buf.leftGrad.subarray(blockStart, blockStart + nLeft), leftDest);
  buf.indices.set(buf.rightIdx.subarray(blockStart, blockStart + nRight), rightDest);
  buf.orderedGrad.set(buf.rightGrad.subarray(blockStart, blockStart + nRight), rightDest);
  if (withHessians) {
    buf.orderedHess.set(buf.leftHess.subarray(blockStart, blockStart + nLeft), leftDest);
    buf.orderedHess.set(buf.rightHess.subarray(blockStart, blockStart + nRight), rightDest);
  }
}

/**
 * The blocked partition run on one thread: phase 1 for every block, a prefix sum, phase 2 for every
 * block. Threaded implementations run the same two phases with the blocks spread over threads.
 *
 * @param leftCounts length ≥ nBlocks: each block's left count (OUT)
 * @returns the number of rows that went left
 */
export function partitionBlocked(
  buf: PartitionBuffers,
  withHessians: boolean,
  start: number,
  count: number,
  nBlocks: number,
  bins: Uint8Array,
  colStart: number,
  goesLeft: Uint8Array,
  leftCounts: Int32Array,
): number {
  for (let b = 0; b < nBlocks; b++) {
    const bs = partitionBlockStart(start, count, nBlocks, b);
    const be = partitionBlockStart(start, count, nBlocks, b + 1);
    leftCounts[b] = partitionBlock(buf, withHessians, bs, be, bins, colStart, goesLeft);
  }
  let nLeft = 0;
  for (let b = 0; b < nBlocks; b++) nLeft += leftCounts[b]!;
  let leftDest = start;
  let rightDest = start + nLeft;
  for (let b = 0; b < nBlocks; b++) {
    const bs = partitionBlockStart(start, count, nBlocks, b);
    const be = partitionBlockStart(start, count, nBlocks, b + 1);
    const nl = leftCounts[b]!;
    placePartitionBlock(buf, withHessians, bs, be, nl, leftDest, rightDest);
    leftDest += nl;
    rightDest += be - bs - nl;
  }
  return nLeft;
}
