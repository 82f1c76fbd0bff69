/**
 * Models loaded inside a compute thread, by key (the model's blob key or path): the same cache of
 * loaded models as the server's (deploy/loaded-models.ts), one per byte budget a task names. Each
 * thread deserializes a model once and keeps it for its next tasks.
 */
import { readFile } from 'node:fs/promises';
import type { AutoModel } from '../automl/types.js';
import { LoadedModels, loadModel, type LoadedModel } from '../deploy/loaded-models.js';

/** Budget of the tasks that name none (batches, comparisons: rare and sequential): a couple of models. */
const SMALL_BUDGET_BYTES = 256 * 1024 ** 2;

export class ThreadModels {
  readonly #caches = new Map<number, LoadedModels>();
  /** Where each key's model file is, for the cache's loader. */
  readonly #paths = new Map<string, string>();

  /** The model at `path`, kept under `key` within `maxBytes` (0: the small default budget). */
  async loaded(key: string, path: string, maxBytes: number): Promise<LoadedModel> {
    const budget = maxBytes > 0 ? maxBytes : SMALL_BUDGET_BYTES;
    let cache = this.#caches.get(budget);
    if (cache === undefined) {
      cache = new LoadedModels({ maxBytes: budget, load: async (k) => loadModel(await readFile(this.#paths.get(k)!, 'utf8')) });
      this.#caches.set(budget, cache);
    }
    this.#paths.set(key, path);
    return cache.get(key);
  }

  async get(key: string, path: string, maxBytes: number): Promise<AutoModel> {
    return (await this.loaded(key, path, maxBytes)).model;
  }
}
