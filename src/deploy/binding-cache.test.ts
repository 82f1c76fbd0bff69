import { describe, expect, it } from 'vitest';
import { BindingCache } from './binding-cache.js';

describe('BindingCache', () => {
  it('serves an entry until its TTL, then reads again', () => {
    let t = 0;
    const cache = new BindingCache<string>({ ttlMs: 1000, now: () => t });
    cache.set('a', 'row1', cache.generation());
    t = 999;
    expect(cache.get('a')).toBe('row1');
    t = 1000;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('does not store a read that an invalidation overtook (a write in between)', () => {
    const cache = new BindingCache<string>({ now: () => 0 });
    const g = cache.generation(); // read starts
    cache.invalidate('a'); // a write to any classifier
    cache.set('a', 'stale', g); // the read finishes with the pre-write row
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', 'fresh', cache.generation());
    expect(cache.get('a')).toBe('fresh');
    cache.invalidate('a');
    expect(cache.get('a')).toBeUndefined();
  });

  it('is bounded (oldest entry first) and can be disabled with ttlMs 0', () => {
    const cache = new BindingCache<number>({ maxEntries: 2, now: () => 0 });
    for (const k of ['a', 'b', 'c']) cache.set(k, 1, cache.generation());
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 1, 1]);
    const off = new BindingCache<number>({ ttlMs: 0, now: () => 0 });
    off.set('a', 1, off.generation());
    expect(off.get('a')).toBeUndefined();
  });
});
