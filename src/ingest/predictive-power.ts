/**
 * Predictive power (column-info `predictive_power`, docs/api.md §3): how much of the target's
 * uncertainty one column removes on rows it did not see. Unlike `cor_score` (relevance.ts) it is
 * defined for every column, text, name-like strings and dates included, and needs no damping for
 * high cardinality: a value seen in one half of the rows and never in the other carries nothing.
 *
 * Each row is a bag of tokens: its value (categories), its decile bin (numbers), its words and
 * name endings (text and name-like strings, the model's own tokenizer), or its date parts (year,
 * month, weekday, day, hour). Two folds by row parity: per token, the target's class counts
 * on one half, smoothed towards the class shares; a row of the other half is predicted by the
 * mixture of its known tokens' distributions, weighted by how informative each token was on the
 * training half (so one telling word is not drowned by ten common ones). The score is the share of
 * the held-out log loss of the class shares that this removes, in [0, 1]: 0 = no better than
 * knowing the class shares, 1 = every held-out row predicted with certainty.
 */

/**
 * Pseudo-rows of the class shares added to each token's counts: enough that a decile bin of a
 * small file (a few rows per half) is not read as certain, too few to matter on thousands of rows.
 */
const SMOOTHING = 5;
/** Probabilities are kept above this so that one surprise costs a bounded loss. */
const MIN_PROBABILITY = 1e-6;

export type PowerBasis = 'values' | 'bins' | 'words' | 'date_parts';

/**
 * Rows as token-id lists: row i's tokens are `ids[offsets[i] .. offsets[i+1])`, token ids
 * 0..nTokens-1; `y[i]` is the class code 0..nClasses-1 of row i.
 */
export interface TokenRows {
  readonly offsets: Int32Array;
  readonly ids: Int32Array;
  readonly nTokens: number;
  readonly y: Int32Array;
  readonly nClasses: number;
}

/** Builds TokenRows row by row (so that a caller can give the event loop a turn between slices). */
export class TokenRowsBuilder {
  readonly #index = new Map<string, number>();
  readonly #offsets: number[] = [0];
  readonly #ids: number[] = [];

  add(tokens: readonly string[]): void {
    for (const tok of tokens) {
      let id = this.#index.get(tok);
      if (id === undefined) this.#index.set(tok, (id = this.#index.size));
      this.#ids.push(id);
    }
    this.#offsets.push(this.#ids.length);
  }

  build(y: Int32Array, nClasses: number): TokenRows {
    return { offsets: Int32Array.from(this.#offsets), ids: Int32Array.from(this.#ids), nTokens: this.#index.size, y, nClasses };
  }
}

/** TokenRows from per-row token strings and class codes. */
export function encodeTokenRows(tokens: readonly (readonly string[])[], y: Int32Array, nClasses: number): TokenRows {
  const b = new TokenRowsBuilder();
  for (const t of tokens) b.add(t);
  return b.build(y, nClasses);
}

/** The held-out score of one column, in [0, 1]; 0 when there is nothing to learn (one class, no rows). */
export function predictivePower(rows: TokenRows): number {
  const { offsets, ids, nTokens, y, nClasses: k } = rows;
  const n = y.length;
  if (n < 4 || k < 2) return 0;
  let lossPrior = 0;
  let lossModel = 0;
  const counts = new Float64Array(nTokens * k);
  const totals = new Float64Array(nTokens);
  const weight = new Float64Array(nTokens);
  const classCounts = new Float64Array(k);
  const prior = new Float64Array(k);
  const mix = new Float64Array(k);
  for (let fold = 0; fold < 2; fold++) {
    counts.fill(0);
    totals.fill(0);
    classCounts.fill(0);
    let nTrain = 0;
    for (let i = 0; i < n; i++) {
      if (i % 2 === fold) continue;
      const c = y[i]!;
      classCounts[c]!++;
      nTrain++;
      for (let p = offsets[i]!; p < offsets[i + 1]!; p++) {
        counts[ids[p]! * k + c]!++;
        totals[ids[p]!]!++;
      }
    }
    for (let c = 0; c < k; c++) prior[c] = (classCounts[c]! + 1) / (nTrain + k);
    // A token's weight: its smoothed distribution's information about the class (KL from the
    // shares), times how sure we are of it (n / (n + smoothing)).
    for (let t = 0; t < nTokens; t++) {
      const nt = totals[t]!;
      if (nt === 0) {
        weight[t] = 0;
        continue;
      }
      let kl = 0;
      for (let c = 0; c < k; c++) {
        const q = (counts[t * k + c]! + SMOOTHING * prior[c]!) / (nt + SMOOTHING);
        kl += q * Math.log(q / prior[c]!);
      }
      weight[t] = (nt / (nt + SMOOTHING)) * kl;
    }
    for (let i = fold; i < n; i += 2) {
      const c = y[i]!;
      lossPrior -= Math.log(prior[c]!);
      let wSum = 0;
      mix.fill(0);
      for (let p = offsets[i]!; p < offsets[i + 1]!; p++) {
        const t = ids[p]!;
        const w = weight[t]!;
        if (w <= 0) continue;
        const nt = totals[t]!;
        for (let j = 0; j < k; j++) mix[j]! += (w * (counts[t * k + j]! + SMOOTHING * prior[j]!)) / (nt + SMOOTHING);
        wSum += w;
      }
      const q = wSum > 0 ? mix[c]! / wSum : prior[c]!;
      lossModel -= Math.log(Math.max(MIN_PROBABILITY, q));
    }
  }
  if (lossPrior <= 0) return 0;
  return Math.min(1, Math.max(0, (lossPrior - lossModel) / lossPrior));
}

/** Date parts of epoch seconds (UTC) as tokens; `withTime` adds the hour. */
export function dateTokens(epochSec: number, withTime: boolean): string[] {
  const d = new Date(epochSec * 1000);
  const out = [`y:${d.getUTCFullYear()}`, `m:${d.getUTCMonth() + 1}`, `w:${d.getUTCDay()}`, `d:${d.getUTCDate()}`];
  if (withTime) out.push(`h:${d.getUTCHours()}`);
  return out;
}
