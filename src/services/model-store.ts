/**
 * Deployed models in memory: the serialized model is read from the blob store and deserialized
 * once (which compiles its GBDTs for serving: engine serving.ts), then kept in one memory-bounded
 * LRU (lru-cache, sized in bytes) shared by inference, retrain switches and batch predictions.
 * Keyed by the model's blob key, which never changes for a model id.
 *
 * Each request resolves its model once and keeps that object to the end, so eviction or a retrain
 * switch never pulls a model out from under a request in flight. Concurrent requests for a model
 * that is not loaded share one load; a failed load is not kept; a model forgotten while it loads is
 * handed to the requests waiting for it but not kept.
 */
import { LRUCache } from 'lru-cache';
import { deserializeAutoModel, autoModelResidentBytes, predictAutoModel } from '../automl/pipeline.js';
import type { AutoModel } from '../automl/types.js';
import type { InferenceModel } from '../deploy/index.js';
import type { ServiceDeps } from './deps.js';

/** A model as the cache keeps it: the model, what inference calls, and its size in bytes. */
export interface LoadedModel {
  readonly model: AutoModel;
  readonly inference: InferenceModel;
  readonly sizeBytes: number;
}

/**
 * A deserialized model holds its trees as typed arrays of about the size of the JSON numbers they
 * were parsed from, plus object overhead per tree: twice the serialized length is a safe upper
 * estimate for our model format. What was compiled for serving is counted exactly on top
 * (autoModelResidentBytes: SHAP tables can be many times the file).
 */
export function loadedModelBytes(serializedLength: number, model: AutoModel): number {
  return Math.max(2 * serializedLength, autoModelResidentBytes(model));
}

/** What runInference needs of a model, made once per loaded model rather than per request. */
export function loadModel(text: string): LoadedModel {
  const model = deserializeAutoModel(text);
  // The training date format of each date input the model records (docs/deploy.md §2).
  const dateFormats: Record<string, string> = {};
  for (const c of model.info.inputColumns) if (c.dateFormat !== undefined) dateFormats[c.name] = c.dateFormat;
  const inference: InferenceModel = { info: model.info, predict: (table, options) => predictAutoModel(model, table, options), dateFormats };
  return { model, inference, sizeBytes: loadedModelBytes(text.length, model) };
}

async function readText(deps: ServiceDeps, key: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await deps.blobs.get(key)) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
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

export class ModelStore {
  readonly #d: ServiceDeps;
  readonly #cache: LRUCache<string, LoadedModel>;
  /** model id → blob key (stable), so a warm request does not read the models table. */
  readonly #keys = new Map<number, string>();
  #hits = 0;
  #misses = 0;
  #loads = 0;
  #loadFailures = 0;
  #evictions = 0;

  constructor(deps: ServiceDeps, load: (key: string) => Promise<LoadedModel> = async (key) => loadModel(await readText(deps, key))) {
    this.#d = deps;
    const maxSize = deps.config.modelCacheBytes;
    this.#cache = new LRUCache<string, LoadedModel>({
      maxSize,
      // One model larger than the budget is still kept (counted as the whole budget, so the cache
      // then holds only it) rather than reloaded for every request.
      sizeCalculation: (loaded) => Math.max(1, Math.min(loaded.sizeBytes, maxSize)),
      fetchMethod: async (key) => {
        this.#loads++;
        try {
          return await load(key);
        } catch (err) {
          this.#loadFailures++;
          throw err;
        }
      },
      // `forget` during a load: the waiting requests get the model, the cache does not keep it.
      ignoreFetchAbort: true,
      dispose: (_value, _key, reason) => {
        if (reason === 'evict') this.#evictions++;
      },
    });
  }

  /** The loaded model; rejects when the model row or its blob is gone or unreadable. */
  async get(userId: string, modelId: number): Promise<AutoModel> {
    return (await this.loaded(userId, modelId)).model;
  }

  /** The model with what inference calls, loading it if needed. */
  async loaded(userId: string, modelId: number): Promise<LoadedModel> {
    let key = this.#keys.get(modelId);
    if (key === undefined) {
      const m = await this.#d.models.get(userId, modelId);
      if (m === null) throw new Error(`model ${modelId} does not exist`);
      key = m.blobKey;
      this.#keys.set(modelId, key);
    }
    if (this.#cache.has(key)) this.#hits++;
    else this.#misses++;
    return (await this.#cache.fetch(key))!;
  }

  /** The synchronous fast path: the loaded model when it is cached, else undefined. */
  peek(modelId: number): LoadedModel | undefined {
    const key = this.#keys.get(modelId);
    const loaded = key === undefined ? undefined : this.#cache.get(key);
    if (loaded !== undefined) this.#hits++;
    return loaded;
  }

  forget(modelId: number): void {
    const key = this.#keys.get(modelId);
    if (key !== undefined) this.#cache.delete(key);
    this.#keys.delete(modelId);
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
