import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { partitionNaive, partitionSlice } from './partition.js';

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

describe('partitionSliceWithGradients', () => {
  it('partitions like partitionSlice and keeps each gradient with its row', async () => {
    const { partitionSliceWithGradients } = await import('./partition.js');
    const rng = new Rng(8);
    for (const withHess of [true, false]) {
      const n = 300;
      const bins = Uint8Array.from({ length: n }, () => rng.nextInt(6));
      const goesLeft = Uint8Array.of(1, 0, 0, 1, 1, 0);
      const indices = rng.shuffle(Uint32Array.from({ length: n }, (_, i) => i));
      const g = Float32Array.from({ length: n }, (_, i) => i * 0.5);
      const h = Float32Array.from({ length: n }, (_, i) => i * 0.25);
      const og = Float32Array.from(indices, (i) => g[i]!);
      const oh = Float32Array.from(indices, (i) => h[i]!);
      const expected = indices.slice();
      const nLeftRef = partitionSlice(expected, 20, 250, bins, 0, goesLeft, new Uint32Array(n));
      const nLeft = partitionSliceWithGradients(indices, og, withHess ? oh : null, 20, 250, bins, 0, goesLeft, new Uint32Array(n), new Float32Array(n), new Float32Array(n));
      expect(nLeft).toBe(nLeftRef);
      expect(Array.from(indices)).toEqual(Array.from(expected));
      for (let j = 0; j < n; j++) {
        expect(og[j]).toBe(g[indices[j]!]);
        if (withHess) expect(oh[j]).toBe(h[indices[j]!]);
      }
    }
  });
});

describe('partitionBlocked', () => {
  it('equals partitionSliceWithGradients for any number of blocks', async () => {
    const { partitionBlocked, partitionSliceWithGradients } = await import('./partition.js');
    const rng = new Rng(17);
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + rng.nextInt(400);
      const withHess = trial % 2 === 0;
      const bins = Uint8Array.from({ length: n }, () => rng.nextInt(9));
      const goesLeft = Uint8Array.from({ length: 9 }, () => rng.nextInt(2));
      const indices = rng.shuffle(Uint32Array.from({ length: n }, (_, i) => i));
      const og = Float32Array.from(indices, (i) => i * 0.5);
      const oh = Float32Array.from(indices, (i) => i * 0.25);
      const start = rng.nextInt(n);
      const count = rng.nextInt(n - start + 1);
      const nBlocks = 1 + rng.nextInt(Math.max(1, Math.min(count, 9)));
      const ref = { indices: indices.slice(), og: og.slice(), oh: oh.slice() };
      const nLeftRef = partitionSliceWithGradients(ref.indices, ref.og, withHess ? ref.oh : null, start, count, bins, 0, goesLeft, new Uint32Array(n), new Float32Array(n), new Float32Array(n));
      const buf = {
        indices,
        orderedGrad: og,
        orderedHess: oh,
        leftIdx: new Uint32Array(n),
        leftGrad: new Float32Array(n),
        leftHess: new Float32Array(n),
        rightIdx: new Uint32Array(n),
        rightGrad: new Float32Array(n),
        rightHess: new Float32Array(n),
      };
      const nLeft = partitionBlocked(buf, withHess, start, count, nBlocks, bins, 0, goesLeft, new Int32Array(nBlocks));
      expect(nLeft).toBe(nLeftRef);
      expect(Array.from(indices)).toEqual(Array.from(ref.indices));
      expect(Array.from(og)).toEqual(Array.from(ref.og));
      if (withHess) expect(Array.from(oh)).toEqual(Array.from(ref.oh));
    }
  });
});
