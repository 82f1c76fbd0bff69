import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { partitionBlocked, partitionNaive, partitionSlice } from './partition.js';

describe('partitionSlice', () => {
  it('matches the naive filter on random data and leaves the rest of the array alone', () => {
    const rng = new Rng(42);
    for (let trial = 0; trial < 20; trial++) {
      const n = 1 + rng.nextInt(200);
      const nBins = 2 + rng.nextInt(20);
      const bins = new Uint8Array(n);
      for (let i = 0; i < n; i++) bins[i] = rng.nextInt(nBins);
      const goesLeft = new Uint8Array(nBins);
      for (let b = 0; b < nBins; b++) goesLeft[b] = rng.nextInt(2);
      const indices = rng.shuffle(Uint32Array.from({ length: n }, (_, i) => i));
      const start = rng.nextInt(n);
      const count = rng.nextInt(n - start + 1);
      const before = Array.from(indices);
      const slice = before.slice(start, start + count);
      const { left, right } = partitionNaive(slice, bins, 0, goesLeft);
      const nLeft = partitionSlice(indices, start, count, bins, 0, goesLeft, new Uint32Array(n));
      expect(nLeft).toBe(left.length);
      expect(Array.from(indices.subarray(start, start + count))).toEqual([...left, ...right]);
      expect(Array.from(indices.subarray(0, start))).toEqual(before.slice(0, start));
      expect(Array.from(indices.subarray(start + count))).toEqual(before.slice(start + count));
    }
  });
});

describe('partitionBlocked', () => {
  it('equals partitionSlice for any number of blocks', () => {
    const rng = new Rng(17);
    for (let trial = 0; trial < 40; trial++) {
      const n = 1 + rng.nextInt(400);
      const bins = Uint8Array.from({ length: n }, () => rng.nextInt(9));
      const goesLeft = Uint8Array.from({ length: 9 }, () => rng.nextInt(2));
      const indices = rng.shuffle(Uint32Array.from({ length: n }, (_, i) => i));
      const start = rng.nextInt(n);
      const count = rng.nextInt(n - start + 1);
      const nBlocks = 1 + rng.nextInt(Math.max(1, Math.min(count, 9)));
      const expected = indices.slice();
      const nLeftRef = partitionSlice(expected, start, count, bins, 0, goesLeft, new Uint32Array(n));
      const buf = { indices, leftScratch: new Uint32Array(n), rightScratch: new Uint32Array(n) };
      const nLeft = partitionBlocked(buf, start, count, nBlocks, bins, 0, goesLeft, new Int32Array(nBlocks));
      expect(nLeft).toBe(nLeftRef);
      expect(Array.from(indices)).toEqual(Array.from(expected));
    }
  });
});
