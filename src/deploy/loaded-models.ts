/**
 * Loaded models in memory, for the server (services/model-store.ts) and for compute threads
 * (compute/thread-models.ts): one lru-cache, sized in bytes, whose entries are the deserialized
 * model (its GBDTs compiled for serving, engine serving.ts), the view inference calls and the size.
 *
 * Each caller resolves its model once and keeps that object to the end, so eviction never pulls
 * a model out from under a request in flight. Concurrent lookups of a model that is not loaded
 * share one load; a failed load is not kept; a model deleted while it loads is handed to those
 * waiting for it but not kept.
 */
import { LRUCache } from 'lru-cache';
import { autoModelResidentBytes, deserializeAutoModel } from '../automl/pipeline.js';
import type { AutoModel } from '../automl/types.js';
import type { InferenceModel } from './inference.js';
import { inferenceModelOf } from './inference-model.js';

/** A model as a cache keeps it: the model, what inference calls, and its size in bytes. */
export interface LoadedModel {
  readonly model: AutoModel;
  readonly inference: InferenceModel;
  readonly sizeBytes: number;
}

/**
 * Bytes a loaded model holds. A deserialized model holds its trees as typed arrays of about the
 * size of the JSON numbers they were parsed from, plus object overhead per tree: twice the
 * serialized length is a safe upper estimate; what its GBDTs hold once compiled for serving is
 * counted exactly by autoModelResidentBytes (SHAP tables can be many times the file).
 */
export function loadedModelBytes(serializedLength: number, model: AutoModel): number {
  return Math.max(2 * serializedLength, autoModelResidentBytes(model));
}

/** Deserializes a model (compiling it for serving) and builds its cache entry. */
export function loadModel(text: string): LoadedModel {
  const model = deserializeAutoModel(text);
  return { model, inference: inferenceModelOf(model), sizeBytes: loadedModelBytes(text.length, model) };
}

/** Counts since start (the /metrics model-cache series). */
export interface ModelCacheStats {
  readonly entries: number;
  readonly bytes: number;
  /** Lookups answered from memory. */
  readonly hits: number;
  /** Lookups that had to load (or wait for a load in flight). */
  readonly misses: number;
  readonly loads: number;
  readonly loadFailures: number;
  /** Models dropped to stay within the budget. */
  readonly evictions: number;
}

export interface LoadedModelsOptions {
  /** Budget for the sum of the entries' sizes. */
  readonly maxBytes: number;
  /** Fetch and deserialize one model; called at most once at a time per key. */
  load(key: string): Promise<LoadedModel>;
}

export class LoadedModels {
  readonly #cache: LRUCache<string, LoadedModel>;
  #hits = 0;
  #misses = 0;
  #loads = 0;
  #loadFailures = 0;
  #evictions = 0;

  constructor(opts: LoadedModelsOptions) {
    if (!(opts.maxBytes > 0)) throw new RangeError(`maxBytes must be positive, got ${opts.maxBytes}`);
    const maxSize = opts.maxBytes;
    this.#cache = new LRUCache<string, LoadedModel>({
      maxSize,
      // One model larger than the budget is still kept (counted as the whole budget, so the cache
      // then holds only it) rather than loaded again for every lookup.
      sizeCalculation: (loaded) => Math.max(1, Math.min(loaded.sizeBytes, maxSize)),
      fetchMethod: async (key) => {
        this.#loads++;
        try {
          return await opts.load(key);
        } catch (err) {
          this.#loadFailures++;
          throw err;
        }
      },
      // `delete` during a load: those waiting get the model, the cache does not keep it.
      ignoreFetchAbort: true,
      dispose: (_value, _key, reason) => {
        if (reason === 'evict') this.#evictions++;
      },
    });
  }

  /** The loaded model, loading it if needed; rejects when the load fails. */
  async get(key: string): Promise<LoadedModel> {
    if (this.#cache.has(key)) this.#hits++;
    else this.#misses++;
    return (await this.#cache.fetch(key))!;
  }

  /** The synchronous fast path: the entry when it is loaded, else undefined. */
  peek(key: string): LoadedModel | undefined {
    const loaded = this.#cache.get(key);
    if (loaded !== undefined) this.#hits++;
    return loaded;
  }

  delete(key: string): void {
    this.#cache.delete(key);
  }

  get stats(): ModelCacheStats {
    return {
      entries: this.#cache.size,
      bytes: this.#cache.calculatedSize,
      hits: this.#hits,
      misses: this.#misses,
      loads: this.#loads,
      loadFailures: this.#loadFailures,
      evictions: this.#evictions,
    };
  }
}
