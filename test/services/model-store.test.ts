/** The cache of loaded models (services/model-store.ts over lru-cache): loads, sizes, eviction. */
import { describe, expect, it } from 'vitest';
import type { AutoModel } from '../../src/automl/types.js';
import type { ServiceDeps } from '../../src/services/deps.js';
import type { LoadedModel } from '../../src/deploy/index.js';
import { ModelStore } from '../../src/services/model-store.js';

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

const loaded = (key: string, sizeBytes: number): LoadedModel => ({
  model: `model-${key}` as unknown as AutoModel,
  inference: {} as LoadedModel['inference'],
  sizeBytes,
});

/** A store over fake deps: model id n has blob key `kn`; `load` decides what a load does. */
function store(maxBytes: number, load: (key: string) => Promise<LoadedModel>): ModelStore {
  const deps = { config: { modelCacheBytes: maxBytes }, models: { get: async (_user: string, id: number) => ({ blobKey: `k${id}` }) } };
  return new ModelStore(deps as unknown as ServiceDeps, load);
}

/** Loads that finish only when the test says so. */
function manualLoader() {
  const pending = new Map<string, Deferred<LoadedModel>[]>();
  const calls: string[] = [];
  return {
    calls,
    load: (key: string) => {
      calls.push(key);
      const d = deferred<LoadedModel>();
      pending.set(key, [...(pending.get(key) ?? []), d]);
      return d.promise;
    },
    finish: (key: string, sizeBytes = 10) => pending.get(key)!.shift()!.resolve(loaded(key, sizeBytes)),
    fail: (key: string) =>
      pending
        .get(key)!
        .shift()!
        .reject(new Error(`cannot load ${key}`)),
  };
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('ModelStore', () => {
  it('shares one load between concurrent requests for the same model', async () => {
    const loader = manualLoader();
    const models = store(100, loader.load);
    const a = models.get('u', 1);
    const b = models.get('u', 1);
    await settle();
    expect(loader.calls).toEqual(['k1']);
    loader.finish('k1');
    expect(await a).toBe('model-k1');
    expect(await b).toBe('model-k1');
    expect(await models.get('u', 1)).toBe('model-k1');
    expect(loader.calls).toEqual(['k1']);
    expect(models.stats).toEqual({ entries: 1, bytes: 10, hits: 1, misses: 2, loads: 1, loadFailures: 0, evictions: 0 });
  });

  it('does not keep a failed load, and the next request retries', async () => {
    const loader = manualLoader();
    const models = store(100, loader.load);
    const a = models.get('u', 1);
    const b = models.get('u', 1);
    await settle();
    loader.fail('k1');
    await expect(a).rejects.toThrow('cannot load k1');
    await expect(b).rejects.toThrow('cannot load k1');
    expect(models.peek(1)).toBeUndefined();
    const c = models.get('u', 1);
    await settle();
    loader.finish('k1');
    expect(await c).toBe('model-k1');
    expect(loader.calls).toEqual(['k1', 'k1']);
    expect(models.stats).toMatchObject({ loads: 2, loadFailures: 1, entries: 1 });
  });

  it('evicts the least recently used models to stay within the byte budget', async () => {
    const calls: string[] = [];
    const sizes: Record<string, number> = { k1: 40, k2: 40, k3: 40 };
    const models = store(100, async (key) => (calls.push(key), loaded(key, sizes[key]!)));
    await models.get('u', 1);
    await models.get('u', 2);
    await models.get('u', 1); // 1 is now more recent than 2
    await models.get('u', 3); // 120 bytes > 100: evict 2
    expect(models.stats).toMatchObject({ entries: 2, bytes: 80, evictions: 1 });
    expect([models.peek(1) !== undefined, models.peek(2) !== undefined, models.peek(3) !== undefined]).toEqual([true, false, true]);
    await models.get('u', 2);
    expect(calls).toEqual(['k1', 'k2', 'k3', 'k2']);
  });

  it('keeps a model larger than the budget as the only entry', async () => {
    const models = store(100, async (key) => loaded(key, key === 'k4' ? 500 : 40));
    await models.get('u', 1);
    expect(await models.get('u', 4)).toBe('model-k4');
    expect(models.peek(1)).toBeUndefined();
    expect(models.peek(4)?.model).toBe('model-k4');
    expect(models.stats).toMatchObject({ entries: 1, bytes: 100 });
  });

  it('answers the requests waiting on a model forgotten while it loads, but does not keep it', async () => {
    const loader = manualLoader();
    const models = store(100, loader.load);
    const a = models.get('u', 1);
    await settle();
    models.forget(1);
    loader.finish('k1');
    expect(await a).toBe('model-k1');
    expect(models.stats.entries).toBe(0);
  });
});
