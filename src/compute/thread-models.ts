/**
 * Models loaded inside a compute thread, by key (the model's blob key or path), bounded by an
 * estimated byte budget (the serialized length × 2, as deploy/model-cache.ts estimates). Each thread
 * deserializes a model once and keeps it for its next tasks.
 */
import { readFile } from 'node:fs/promises';
import { deserializeAutoModel } from '../automl/pipeline.js';
import type { AutoModel } from '../automl/types.js';
import { estimateModelBytes } from '../deploy/model-cache.js';

/** Fewest models kept whatever the budget (a batch and an inference on two models at once). */
const MIN_ENTRIES = 2;

export class ThreadModels {
  readonly #entries = new Map<string, { readonly model: AutoModel; readonly bytes: number }>();
  #bytes = 0;

  async get(key: string, path: string, maxBytes: number): Promise<AutoModel> {
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit.model;
    }
    const text = await readFile(path, 'utf8');
    const entry = { model: deserializeAutoModel(text), bytes: estimateModelBytes(text) };
    this.#entries.set(key, entry);
    this.#bytes += entry.bytes;
    for (const [k, e] of this.#entries) {
      if (this.#bytes <= maxBytes || this.#entries.size <= MIN_ENTRIES) break;
      this.#entries.delete(k);
      this.#bytes -= e.bytes;
    }
    return entry.model;
  }
}
