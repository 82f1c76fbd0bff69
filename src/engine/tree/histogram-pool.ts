/**
 * A stack of equally sized histogram buffers that leaves borrow and give back, so a tree of L leaves
 * touches at most L + 1 buffers and no buffer is allocated after the first tree.
 */
export class HistogramPool {
  readonly #alloc: (length: number) => Float64Array;
  readonly #length: number;
  readonly #free: Float64Array[] = [];
  #allocated = 0;

  /** @param length doubles per histogram (totalBins * HIST_STRIDE) */
  constructor(length: number, alloc: (length: number) => Float64Array) {
    this.#length = length;
    this.#alloc = alloc;
  }

  acquire(): Float64Array {
    const buf = this.#free.pop();
    if (buf !== undefined) return buf;
    this.#allocated++;
    return this.#alloc(this.#length);
  }

  release(buf: Float64Array): void {
    this.#free.push(buf);
  }

  /** Buffers created so far (for tests and memory accounting). */
  get allocated(): number {
    return this.#allocated;
  }
}
