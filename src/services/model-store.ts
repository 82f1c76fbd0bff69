/**
 * Deployed models in memory: the serialized model is read from the blob store and deserialized
 * once, then kept in the byte-bounded cache of loaded models (deploy/loaded-models.ts) shared by
 * inference, retrain switches and batch predictions. Keyed by the model's blob key, which never
 * changes for a model id.
 */
import type { AutoModel } from '../automl/types.js';
import { LoadedModels, loadModel, type LoadedModel, type ModelCacheStats } from '../deploy/index.js';
import type { ServiceDeps } from './deps.js';

async function readText(deps: ServiceDeps, key: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await deps.blobs.get(key)) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

export class ModelStore {
  readonly #d: ServiceDeps;
  readonly #cache: LoadedModels;
  /** model id → blob key (stable), so a warm request does not read the models table. */
  readonly #keys = new Map<number, string>();

  constructor(deps: ServiceDeps, load: (key: string) => Promise<LoadedModel> = async (key) => (deps.loadModel ?? loadModel)(await readText(deps, key))) {
    this.#d = deps;
    this.#cache = new LoadedModels({ maxBytes: deps.config.modelCacheBytes, load });
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
    return this.#cache.get(key);
  }

  /** The synchronous fast path: the loaded model when it is cached, else undefined. */
  peek(modelId: number): LoadedModel | undefined {
    const key = this.#keys.get(modelId);
    return key === undefined ? undefined : this.#cache.peek(key);
  }

  forget(modelId: number): void {
    const key = this.#keys.get(modelId);
    if (key !== undefined) this.#cache.delete(key);
    this.#keys.delete(modelId);
  }

  get stats(): ModelCacheStats {
    return this.#cache.stats;
  }
}
