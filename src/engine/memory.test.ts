import { describe, expect, it } from 'vitest';
import { reachableBytes } from './memory.js';

describe('reachableBytes', () => {
  it('counts each typed array buffer once, however many views and paths reach it', () => {
    const shared = new Float64Array(1_000);
    const a = { x: shared.subarray(0, 10), y: shared.subarray(500), z: [shared] };
    const withOneBuffer = reachableBytes([a, a]);
    expect(withOneBuffer).toBeGreaterThanOrEqual(8_000);
    expect(withOneBuffer).toBeLessThan(8_000 + 1_000);
    expect(reachableBytes([a, { other: new Int32Array(250) }])).toBeGreaterThanOrEqual(9_000);
  });

  it('follows maps and nested arrays, counts strings, and survives cycles', () => {
    const node: { next?: unknown; data: Uint8Array; name: string } = { data: new Uint8Array(4_096), name: 'x'.repeat(100) };
    node.next = node;
    const bytes = reachableBytes([new Map([['k', [node, [node]]]])]);
    expect(bytes).toBeGreaterThanOrEqual(4_096 + 200);
    expect(bytes).toBeLessThan(4_096 + 200 + 1_000);
  });
});
