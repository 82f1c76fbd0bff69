/**
 * Splits a node's slice of the single partition array in place.
 *
 * Before (node = [start, start + count)):     after (nLeft = number of samples going left):
 *
 *   indices: ... | 7 2 9 4 5 1 | ...            indices: ... | 7 9 5 | 2 4 1 | ...
 *                  ^start                                      ^start ^start + nLeft
 *
 * The partition is stable (each side keeps its relative order): a node's rows stay in ascending order,
 * which keeps the histogram kernels' gathers moving forward through memory, and the result depends on
 * nothing but the data. Only row indices move; the histogram kernels read gradients by row index (that
 * made partitions three times cheaper for a few percent more histogram time).
 */

/**
 * @param indices   the partition (IN/OUT); only [start, start + count) changes
 * @param bins      binned column block (IN); the split feature's column starts at colStart
 * @param goesLeft  length ≥ the feature's bin count: 1 if the bin goes left, else 0 (the kernel adds it) (IN)
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
  // Branch-free: every row is written to both sides and only the side it belongs to advances. A split
  // sends rows either way unpredictably, and mispredicted branches made this loop twice as slow. The
  // in-place left write is safe: its slot start + nLeft is never ahead of the row being read.
  let nLeft = 0;
  let nRight = 0;
  const end = start + count;
  for (let j = start; j < end; j++) {
    const i = indices[j]!;
    const left = goesLeft[bins[colStart + i]!]!;
    indices[start + nLeft] = i;
    scratch[nRight] = i;
    nLeft += left;
    nRight += 1 - left;
  }
  indices.set(scratch.subarray(0, nRight), start + nLeft);
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

/** The partition and the scratch a blocked partition writes through; each of length nSamples. */
export interface PartitionBuffers {
  readonly indices: Uint32Array;
  readonly leftScratch: Uint32Array;
  readonly rightScratch: Uint32Array;
}

/** Block b of nBlocks equal blocks of [start, start + count): its first position. */
export function partitionBlockStart(start: number, count: number, nBlocks: number, b: number): number {
  return start + Math.floor((count * b) / nBlocks);
}

/**
 * Phase 1 of a blocked partition, for one block [blockStart, blockEnd) of a node's slice: the block's
 * left rows go to the left scratch and its right rows to the right scratch, both from offset blockStart
 * and in their original order.
 *
 * Blocks write disjoint ranges, so threads may run them in any order. Phase 2 (placePartitionBlock)
 * moves them to their final places once every block's left count is known; the result equals
 * partitionSlice on the whole slice, whatever the number of blocks (a stable partition is unique), so
 * the model does not depend on the thread count.
 *
 * @returns the number of the block's rows that go left
 */
export function partitionBlock(buf: PartitionBuffers, blockStart: number, blockEnd: number, bins: Uint8Array, colStart: number, goesLeft: Uint8Array): number {
  const { indices, leftScratch, rightScratch } = buf;
  // Branch-free, as in partitionSlice: each row is written to both scratches.
  let l = blockStart;
  let r = blockStart;
  for (let j = blockStart; j < blockEnd; j++) {
    const i = indices[j]!;
    const left = goesLeft[bins[colStart + i]!]!;
    leftScratch[l] = i;
    rightScratch[r] = i;
    l += left;
    r += 1 - left;
  }
  return l - blockStart;
}

/**
 * Phase 2 for one block: copies its nLeft left rows to leftDest and its other rows to rightDest (final
 * positions in the partition, from a prefix sum of the blocks' left counts).
 */
export function placePartitionBlock(buf: PartitionBuffers, blockStart: number, blockEnd: number, nLeft: number, leftDest: number, rightDest: number): void {
  const nRight = blockEnd - blockStart - nLeft;
  buf.indices.set(buf.leftScratch.subarray(blockStart, blockStart + nLeft), leftDest);
  buf.indices.set(buf.rightScratch.subarray(blockStart, blockStart + nRight), rightDest);
}

/**
 * Between the phases: from each block's left count, where its left rows and its right rows go (a
 * prefix sum over the blocks in order).
 *
 * @param leftCounts  length ≥ nBlocks: each block's left count (IN)
 * @param leftDest    length ≥ nBlocks: first final position of each block's left rows (OUT)
 * @param rightDest   length ≥ nBlocks: first final position of each block's right rows (OUT)
 * @returns the number of rows that go left
 */
export function partitionBlockDestinations(
  start: number,
  count: number,
  nBlocks: number,
  leftCounts: ArrayLike<number>,
  leftDest: { [b: number]: number },
  rightDest: { [b: number]: number },
): number {
  let nLeft = 0;
  for (let b = 0; b < nBlocks; b++) nLeft += leftCounts[b]!;
  let l = start;
  let r = start + nLeft;
  for (let b = 0; b < nBlocks; b++) {
    leftDest[b] = l;
    rightDest[b] = r;
    const nl = leftCounts[b]!;
    l += nl;
    r += partitionBlockStart(start, count, nBlocks, b + 1) - partitionBlockStart(start, count, nBlocks, b) - nl;
  }
  return nLeft;
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
    leftCounts[b] = partitionBlock(buf, bs, be, bins, colStart, goesLeft);
  }
  const leftDest = new Int32Array(nBlocks);
  const rightDest = new Int32Array(nBlocks);
  const nLeft = partitionBlockDestinations(start, count, nBlocks, leftCounts, leftDest, rightDest);
  for (let b = 0; b < nBlocks; b++) {
    const bs = partitionBlockStart(start, count, nBlocks, b);
    const be = partitionBlockStart(start, count, nBlocks, b + 1);
    placePartitionBlock(buf, bs, be, leftCounts[b]!, leftDest[b]!, rightDest[b]!);
  }
  return nLeft;
}
