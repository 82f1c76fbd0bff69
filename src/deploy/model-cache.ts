/**
 * Loaded models for inference: a memory-bounded LRU cache with single-flight loading, and the
 * classifier → model binding whose swap is atomic for requests (each request resolves its model
 * once, at its start, and keeps that object to the end, so a retrain switch never fails a request
 * in flight and eviction never pulls a model out from under one).
 */

export interface LoadedModel<M> {
  readonly model: M;
  /** Estimated resident size; see `estimateModelBytes`. */
  readonly sizeBytes: number;
}

export interface ModelCacheOptions<M, K> {
  /** Budget for the sum of `sizeBytes` of cached models. */
  readonly maxBytes: number;
  /** Fetch and deserialize one model. Called at most once at a time per key. */
  load(modelId: K): Promise<LoadedModel<M>>;
}

export interface ModelCacheStats {
  readonly entries: number;
  readonly bytes: number;
  readonly hits: number;
  readonly misses: number;
  readonly loads: number;
  readonly loadFailures: number;
  readonly evictions: number;
}

/**
 * A deserialized GBDT ensemble holds its trees as typed arrays of about the size of the JSON
 * numbers they were parsed from, plus object overhead per tree: twice the serialized length
 * (in UTF-16 code units or bytes) is a safe upper estimate for our model format.
 */
export function estimateModelBytes(serialized: string | Uint8Array): number {
  return 2 * serialized.length;
}

/**
 * LRU by bytes. The entry just loaded is never evicted to make room for itself, so one model
 * larger than the budget is still served (the cache then holds only that model).
 * @example
 * const cache = new ModelCache({ maxBytes: 512 << 20, load: async (id) => { const s = await blobs.read(id); return { model: deserialize(s), sizeBytes: estimateModelBytes(s) }; } });
 * const model = await cache.get(12345);
 */
export class ModelCache<M, K = string | number> {
  readonly #maxBytes: number;
  readonly #load: (modelId: K) => Promise<LoadedModel<M>>;
  /** Insertion order = recency order (oldest first). */
  readonly #entries = new Map<K, LoadedModel<M>>();
  /** Loads in flight; the token tells a load whether it is still the current one for its key. */
  readonly #loading = new Map<K, { readonly promise: Promise<M>; readonly token: object }>();
  #bytes = 0;
  #hits = 0;
  #misses = 0;
  #loads = 0;
  #loadFailures = 0;
  #evictions = 0;

  constructor(opts: ModelCacheOptions<M, K>) {
    if (!(opts.maxBytes > 0)) throw new RangeError(`maxBytes must be positive, got ${opts.maxBytes}`);
    this.#maxBytes = opts.maxBytes;
    this.#load = opts.load;
  }

  /** The model, loading it if needed; concurrent callers for the same id share one load. A failed load is not cached. */
  get(modelId: K): Promise<M> {
    const entry = this.#entries.get(modelId);
    if (entry !== undefined) {
      this.#hits++;
      this.#entries.delete(modelId);
      this.#entries.set(modelId, entry);
      return Promise.resolve(entry.model);
    }
    this.#misses++;
    const pending = this.#loading.get(modelId);
    if (pending !== undefined) return pending.promise;
    const token = {};
    const promise = this.#startLoad(modelId, token);
    this.#loading.set(modelId, { promise, token });
    return promise;
  }

  async #startLoad(modelId: K, token: object): Promise<M> {
    this.#loads++;
    // Let `get` register the load before a synchronous loader failure settles it.
    await Promise.resolve();
    let loaded: LoadedModel<M>;
    try {
      loaded = await this.#load(modelId);
    } catch (err) {
      this.#loadFailures++;
      if (this.#loading.get(modelId)?.token === token) this.#loading.delete(modelId);
      throw err;
    }
    // Insert only if nobody invalidated the id meanwhile (`delete`/`clear` drop the pending load).
    if (this.#loading.get(modelId)?.token === token) {
      this.#loading.delete(modelId);
      this.#insert(modelId, loaded);
    }
    return loaded.model;
  }

  #insert(modelId: K, loaded: LoadedModel<M>): void {
    const old = this.#entries.get(modelId);
    if (old !== undefined) {
      this.#bytes -= old.sizeBytes;
      this.#entries.delete(modelId);
    }
    this.#entries.set(modelId, loaded);
    this.#bytes += loaded.sizeBytes;
    for (const [key, entry] of this.#entries) {
      if (this.#bytes <= this.#maxBytes || key === modelId) break;
      this.#entries.delete(key);
      this.#bytes -= entry.sizeBytes;
      this.#evictions++;
    }
  }

  /** The cached model without loading or touching recency. */
  peek(modelId: K): M | undefined {
    return this.#entries.get(modelId)?.model;
  }

  has(modelId: K): boolean {
    return this.#entries.has(modelId);
  }

  /** Forget a model (deleted, or replaced in storage). Requests holding it keep their reference. */
  delete(modelId: K): boolean {
    this.#loading.delete(modelId);
    const entry = this.#entries.get(modelId);
    if (entry === undefined) return false;
    this.#entries.delete(modelId);
    this.#bytes -= entry.sizeBytes;
    return true;
  }

  clear(): void {
    this.#loading.clear();
    this.#entries.clear();
    this.#bytes = 0;
  }

  get stats(): ModelCacheStats {
    return {
      entries: this.#entries.size,
      bytes: this.#bytes,
      hits: this.#hits,
      misses: this.#misses,
      loads: this.#loads,
      loadFailures: this.#loadFailures,
      evictions: this.#evictions,
    };
  }
}

/** What one request serves with: resolved once at its start. */
export interface ModelBinding<K> {
  readonly modelId: K;
  /** The classifier's `version` (incremented by each retrain switch). */
  readonly version: number;
}

export interface ResolvedModel<M, K> extends ModelBinding<K> {
  readonly model: M;
}

/**
 * Classifier id → model binding, for one process. The binding changes with one `Map.set`, after the
 * new model is loaded (so the first request after a switch does not wait for a load, and a model
 * that fails to load never becomes current) and after `commit` has persisted the switch.
 *
 * In scale-out, the classifier row in the database is the binding (its `model_id` and `version`
 * change in one UPDATE); a process then calls `cache.get(row.modelId)` per request, and `switch`
 * here is used only for the pre-load + commit ordering.
 */
export class ModelBindings<M, C = string, K = string | number> {
  readonly #cache: ModelCache<M, K>;
  readonly #bindings = new Map<C, ModelBinding<K>>();

  constructor(cache: ModelCache<M, K>) {
    this.#cache = cache;
  }

  /** Bind (or re-bind without pre-loading, e.g. at start-up from the classifier table). */
  set(classifierId: C, binding: ModelBinding<K>): void {
    this.#bindings.set(classifierId, binding);
  }

  binding(classifierId: C): ModelBinding<K> | undefined {
    return this.#bindings.get(classifierId);
  }

  remove(classifierId: C): boolean {
    return this.#bindings.delete(classifierId);
  }

  /**
   * Snapshot the binding and load its model. Call once per request and use the result throughout.
   * Undefined when the classifier is not bound in this process.
   */
  async resolve(classifierId: C): Promise<ResolvedModel<M, K> | undefined> {
    const binding = this.#bindings.get(classifierId);
    if (binding === undefined) return undefined;
    const model = await this.#cache.get(binding.modelId);
    return { modelId: binding.modelId, version: binding.version, model };
  }

  /**
   * Switch a classifier to another model: load it, persist with `commit`, then re-bind.
   * Requests that resolved before the re-bind finish on the old model. The old model stays in the
   * cache until the LRU drops it. If loading or `commit` fails, the binding is unchanged.
   * `commit` persists the switch (classifier.model_id, version + 1) and may return the stored version.
   */
  async switch(classifierId: C, newModelId: K, commit: () => Promise<number | void> = async () => {}): Promise<ModelBinding<K>> {
    const current = this.#bindings.get(classifierId);
    if (current === undefined) throw new RangeError(`classifier ${String(classifierId)} is not bound`);
    await this.#cache.get(newModelId);
    // `commit` may return the version it stored (the database is the authority on versions).
    const committedVersion = await commit();
    // Re-read: a concurrent switch of the same classifier may have committed in between.
    const latest = this.#bindings.get(classifierId) ?? current;
    const next: ModelBinding<K> = { modelId: newModelId, version: typeof committedVersion === 'number' ? committedVersion : latest.version + 1 };
    this.#bindings.set(classifierId, next);
    return next;
  }
}
