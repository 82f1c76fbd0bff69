/**
 * A short-lived in-process cache of what the inference path derives from a classifier row (its
 * access view with compiled IP rules, model id, version), so a warm request does not read the
 * classifier table, re-validate the row or recompile its rules.
 *
 * Consistency:
 *  - Every write to the classifier table made by this process invalidates the entry first
 *    (services wrap the classifier repository, see services/deployment.ts `invalidatingClassifiers`),
 *    so in one process a PATCH, a retrain switch, a build/stop transition or a delete is seen by
 *    the next request, exactly as without the cache.
 *  - A read that started before an invalidation is never stored (a generation counter), so a slow
 *    read cannot put a pre-write row back into the cache.
 *  - Writes made by another process (scale-out: several servers over one database) are seen after
 *    at most `ttlMs` (default 1 s), the documented staleness bound (docs/deploy.md §11).
 *
 * Bounded by lru-cache (least recently used entry first); an entry expires at `stored + ttlMs`.
 */
import { LRUCache } from 'lru-cache';

export const DEFAULT_BINDING_TTL_MS = 1000;
/** Bounded: at most this many classifiers are kept. */
export const DEFAULT_BINDING_ENTRIES = 4096;

export interface BindingCacheOptions {
  readonly ttlMs?: number;
  readonly maxEntries?: number;
  /** Monotonic milliseconds; `performance.now` by default (tests may pass their own). */
  readonly now?: () => number;
}

export class BindingCache<V extends object | string | number | boolean> {
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries: LRUCache<string, { readonly value: V; readonly expires: number }>;
  #generation = 0;

  constructor(opts: BindingCacheOptions = {}) {
    this.#ttlMs = opts.ttlMs ?? DEFAULT_BINDING_TTL_MS;
    this.#now = opts.now ?? (() => performance.now());
    this.#entries = new LRUCache({ max: opts.maxEntries ?? DEFAULT_BINDING_ENTRIES });
  }

  /** The fresh value of `key`, else undefined (an expired entry is dropped). */
  get(key: string): V | undefined {
    const e = this.#entries.get(key);
    if (e === undefined) return undefined;
    if (this.#now() >= e.expires) {
      this.#entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  /** Take before starting a read; pass to `set` so a read overtaken by a write is not cached. */
  generation(): number {
    return this.#generation;
  }

  /** Stores `value` unless some invalidation happened since `generation` was taken. */
  set(key: string, value: V, generation: number): void {
    if (generation !== this.#generation || this.#ttlMs <= 0) return;
    this.#entries.set(key, { value, expires: this.#now() + this.#ttlMs });
  }

  /** Drop `key` (before or after a write to its row); also fences reads in flight. */
  invalidate(key: string): void {
    this.#generation++;
    this.#entries.delete(key);
  }

  clear(): void {
    this.#generation++;
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
