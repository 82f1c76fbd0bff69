import { describe, expect, it } from 'vitest';
import { estimateModelBytes, ModelBindings, ModelCache, type LoadedModel } from './model-cache.js';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A loader whose loads finish only when the test says so. */
function manualLoader() {
  const pending = new Map<number, Deferred<LoadedModel<string>>[]>();
  const calls: number[] = [];
  return {
    calls,
    load: (id: number) => {
      calls.push(id);
      const d = deferred<LoadedModel<string>>();
      pending.set(id, [...(pending.get(id) ?? []), d]);
      return d.promise;
    },
    finish(id: number, sizeBytes = 10) {
      pending.get(id)!.shift()!.resolve({ model: `model-${id}`, sizeBytes });
    },
    fail(id: number) {
      pending.get(id)!.shift()!.reject(new Error(`cannot load ${id}`));
    },
  };
}

/** A loader that answers at once. */
const sizes: Record<number, number> = { 1: 40, 2: 40, 3: 40, 4: 500 };
const instantCache = (maxBytes: number, calls: number[] = []) =>
  new ModelCache<string, number>({
    maxBytes,
    load: async (id) => {
      calls.push(id);
      return { model: `model-${id}`, sizeBytes: sizes[id]! };
    },
  });

describe('ModelCache', () => {
  it('shares one load between concurrent requests for the same model', async () => {
    const loader = manualLoader();
    const cache = new ModelCache<string, number>({ maxBytes: 100, load: loader.load });
    const a = cache.get(1);
    const b = cache.get(1);
    await Promise.resolve();
    await Promise.resolve();
    expect(loader.calls).toEqual([1]);
    loader.finish(1);
    expect(await a).toBe('model-1');
    expect(await b).toBe('model-1');
    expect(await cache.get(1)).toBe('model-1');
    expect(loader.calls).toEqual([1]);
    expect(cache.stats).toMatchObject({ entries: 1, bytes: 10, hits: 1, misses: 2, loads: 1 });
  });

  it('does not cache a failed load, and the next request retries', async () => {
    const loader = manualLoader();
    const cache = new ModelCache<string, number>({ maxBytes: 100, load: loader.load });
    const a = cache.get(1);
    const b = cache.get(1);
    await Promise.resolve();
    await Promise.resolve();
    loader.fail(1);
    await expect(a).rejects.toThrow('cannot load 1');
    await expect(b).rejects.toThrow('cannot load 1');
    expect(cache.has(1)).toBe(false);
    const c = cache.get(1);
    await Promise.resolve();
    await Promise.resolve();
    loader.finish(1);
    expect(await c).toBe('model-1');
    expect(cache.stats).toMatchObject({ loads: 2, loadFailures: 1, entries: 1 });
  });

  it('evicts the least recently used models to stay within the byte budget', async () => {
    const calls: number[] = [];
    const cache = instantCache(100, calls);
    await cache.get(1);
    await cache.get(2);
    await cache.get(1); // 1 is now more recent than 2
    await cache.get(3); // 120 bytes > 100: evict 2
    expect([cache.has(1), cache.has(2), cache.has(3)]).toEqual([true, false, true]);
    expect(cache.stats).toMatchObject({ bytes: 80, evictions: 1 });
    await cache.get(2);
    expect(calls).toEqual([1, 2, 3, 2]);
  });

  it('keeps a model larger than the budget as the only entry', async () => {
    const cache = instantCache(100);
    await cache.get(1);
    expect(await cache.get(4)).toBe('model-4');
    expect([cache.has(1), cache.has(4)]).toEqual([false, true]);
    expect(cache.stats.bytes).toBe(500);
  });

  it('drops a load that was invalidated while in flight, but still answers its callers', async () => {
    const loader = manualLoader();
    const cache = new ModelCache<string, number>({ maxBytes: 100, load: loader.load });
    const a = cache.get(1);
    await Promise.resolve();
    await Promise.resolve();
    cache.delete(1);
    loader.finish(1);
    expect(await a).toBe('model-1');
    expect(cache.has(1)).toBe(false);
  });

  it('estimates sizes from the serialized length and validates its budget', () => {
    expect(estimateModelBytes('{"trees":[]}')).toBe(24);
    expect(estimateModelBytes(new Uint8Array(10))).toBe(20);
    expect(() => new ModelCache({ maxBytes: 0, load: async () => ({ model: 1, sizeBytes: 1 }) })).toThrow(RangeError);
  });
});

describe('ModelBindings', () => {
  it('lets requests that resolved before a switch finish on the old model', async () => {
    const cache = instantCache(1000);
    const bindings = new ModelBindings<string, string, number>(cache);
    bindings.set('c1', { modelId: 1, version: 1 });
    const before = await bindings.resolve('c1');
    const next = await bindings.switch('c1', 2);
    const after = await bindings.resolve('c1');
    expect(before).toEqual({ modelId: 1, version: 1, model: 'model-1' });
    expect(next).toEqual({ modelId: 2, version: 2 });
    expect(after).toEqual({ modelId: 2, version: 2, model: 'model-2' });
    expect(await bindings.resolve('nope')).toBeUndefined();
  });

  it('pre-loads the new model before committing, and keeps the binding when the load fails', async () => {
    const loader = manualLoader();
    const cache = new ModelCache<string, number>({ maxBytes: 100, load: loader.load });
    const bindings = new ModelBindings<string, string, number>(cache);
    bindings.set('c1', { modelId: 1, version: 3 });
    const order: string[] = [];
    const switching = bindings.switch('c1', 2, async () => {
      order.push(`commit (model 2 cached: ${cache.has(2)})`);
      return 7;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(bindings.binding('c1')).toEqual({ modelId: 1, version: 3 });
    loader.finish(2);
    expect(await switching).toEqual({ modelId: 2, version: 7 });
    expect(order).toEqual(['commit (model 2 cached: true)']);

    const failing = bindings.switch('c1', 3);
    await Promise.resolve();
    await Promise.resolve();
    loader.fail(3);
    await expect(failing).rejects.toThrow('cannot load 3');
    expect(bindings.binding('c1')).toEqual({ modelId: 2, version: 7 });
  });

  it('keeps the binding when the commit fails', async () => {
    const bindings = new ModelBindings<string, string, number>(instantCache(1000));
    bindings.set('c1', { modelId: 1, version: 1 });
    await expect(
      bindings.switch('c1', 2, async () => {
        throw new Error('db down');
      }),
    ).rejects.toThrow('db down');
    expect(bindings.binding('c1')).toEqual({ modelId: 1, version: 1 });
    await expect(bindings.switch('zz', 2)).rejects.toThrow(/not bound/);
  });
});
