/**
 * Text features: tokenisation (Intl.Segmenter words, character n-grams for Japanese, name endings),
 * a document-frequency vocabulary, and a small L2-regularised linear model trained by deterministic
 * SGD whose score becomes one GBDT feature per output. Per-word contributions come from splitting
 * that feature's SHAP value over the words of the row.
 */
import { Rng } from '../engine/index.js';

/** Tokens a vocabulary keeps at most (most frequent first): bounds model size and SGD cost. */
export const MAX_VOCABULARY = 20_000;
/** Short strings (names, product codes) also get their ending characters as tokens. */
const ENDING_MAX_LENGTH = 24;
/** CJK (kanji, kana) and Hangul: writing without spaces, where character n-grams carry meaning. */
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]/;

const segmenter = new Intl.Segmenter('ja', { granularity: 'word' });

/**
 * Tokens of one cell, each with a kind prefix so that kinds never collide:
 * `w:` word (lower-cased, NFKC), `c:` character bigram or unigram of CJK words, `e:` last 1–2
 * characters of each space-separated part of a short string (names: Japanese given-name endings
 * 子 / 郎), only when `endings` is set.
 * Duplicates are removed; order is first occurrence.
 * @example tokenize('大野 あや子') // ['w:大野', 'c:大', 'c:大野', 'c:野', ..., 'e:子', 'e:や子']
 */
export function tokenize(text: string, endings = true): string[] {
  const norm = text.normalize('NFKC').toLowerCase().trim();
  if (norm === '') return [];
  const out = new Set<string>();
  for (const seg of segmenter.segment(norm)) {
    if (seg.isWordLike !== true) continue;
    const w = seg.segment;
    out.add('w:' + w);
    if (CJK.test(w)) {
      const chars = Array.from(w);
      for (let i = 0; i < chars.length; i++) {
        out.add('c:' + chars[i]!);
        if (i + 1 < chars.length) out.add('c:' + chars[i]! + chars[i + 1]!);
      }
    }
  }
  if (endings && norm.length <= ENDING_MAX_LENGTH) {
    for (const part of norm.split(/\s+/)) {
      const chars = Array.from(part.replace(/[^\p{L}\p{N}]/gu, ''));
      if (chars.length >= 2) {
        out.add('e:' + chars[chars.length - 1]!);
        out.add('e:' + chars[chars.length - 2]! + chars[chars.length - 1]!);
      }
    }
  }
  return [...out];
}

/** How a token reads in a contribution: the word itself, endings marked with a leading '…'. */
export function displayToken(token: string): string {
  const body = token.slice(2);
  return token.startsWith('e:') ? '…' + body : body;
}

/** Sparse documents: row i's token ids are ids[offsets[i] .. offsets[i+1]). */
export interface SparseDocs {
  readonly nRows: number;
  readonly offsets: Int32Array;
  readonly ids: Int32Array;
  /** TF-IDF value per entry (binary term frequency × idf, L2-normalised per row). */
  readonly values: Float64Array;
}

export interface Vocabulary {
  readonly tokens: readonly string[];
  /** Inverse document frequency per token. */
  readonly idf: Float64Array;
}

/**
 * Vocabulary from training documents: tokens in at least `minDf` rows, the MAX_VOCABULARY most
 * frequent (ties broken by token order so the result never depends on Map iteration details).
 */
export function fitVocabulary(docs: readonly (readonly string[])[], minDf: number): Vocabulary {
  const df = new Map<string, number>();
  for (const tokens of docs) for (const t of tokens) df.set(t, (df.get(t) ?? 0) + 1);
  const kept = [...df.entries()].filter(([, c]) => c >= minDf);
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  kept.length = Math.min(kept.length, MAX_VOCABULARY);
  kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const n = docs.length;
  const idf = new Float64Array(kept.length);
  for (let j = 0; j < kept.length; j++) idf[j] = Math.log((1 + n) / (1 + kept[j]![1])) + 1;
  return { tokens: kept.map(([t]) => t), idf };
}

export function vocabularyIndex(vocab: Vocabulary): Map<string, number> {
  const m = new Map<string, number>();
  vocab.tokens.forEach((t, j) => m.set(t, j));
  return m;
}

/** Tokenised documents → sparse TF-IDF rows (unknown tokens dropped). */
export function vectorize(docs: readonly (readonly string[])[], vocab: Vocabulary, index: Map<string, number>): SparseDocs {
  const offsets = new Int32Array(docs.length + 1);
  const ids: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < docs.length; i++) {
    const start = ids.length;
    let norm2 = 0;
    for (const t of docs[i]!) {
      const j = index.get(t);
      if (j === undefined) continue;
      ids.push(j);
      const v = vocab.idf[j]!;
      values.push(v);
      norm2 += v * v;
    }
    const inv = norm2 > 0 ? 1 / Math.sqrt(norm2) : 0;
    for (let e = start; e < ids.length; e++) values[e]! *= inv;
    offsets[i + 1] = ids.length;
  }
  return { nRows: docs.length, offsets, ids: Int32Array.from(ids), values: Float64Array.from(values) };
}

/** A linear model on sparse rows: score of output k = bias[k] + Σ weights[k * nTokens + j] · x_j. */
export interface LinearTextModel {
  /** 'logistic' (binary / one-vs-rest multiclass, scores are log-odds) or 'squared' (regression, standardised target). */
  readonly loss: 'logistic' | 'squared';
  readonly nOutputs: number;
  readonly bias: Float64Array;
  /** nOutputs × nTokens, output-major. */
  readonly weights: Float64Array;
}

const SGD_EPOCHS = 6;
const SGD_L2 = 1e-4;
const ADAGRAD_RATE = 0.5;

/**
 * Fits the linear model by AdaGrad SGD over a seeded row order. Deterministic for a given seed.
 *
 * @param targets  nRows × nOutputs row-major: 0/1 per output (logistic) or the standardised target (squared)
 * @param rows     subset of rows to fit on (indices into docs)
 */
export function fitLinear(
  docs: SparseDocs,
  nTokens: number,
  targets: Float64Array,
  nOutputs: number,
  loss: 'logistic' | 'squared',
  rows: Int32Array,
  seed: number,
): LinearTextModel {
  const bias = new Float64Array(nOutputs);
  const weights = new Float64Array(nOutputs * nTokens);
  const g2 = new Float64Array(nOutputs * nTokens).fill(1e-8);
  const g2b = new Float64Array(nOutputs).fill(1e-8);
  // Start the bias at the mean so that SGD only learns what the words add.
  for (let k = 0; k < nOutputs; k++) {
    let s = 0;
    for (let r = 0; r < rows.length; r++) s += targets[rows[r]! * nOutputs + k]!;
    const m = rows.length > 0 ? s / rows.length : 0;
    bias[k] = loss === 'logistic' ? Math.log((m + 1e-3) / (1 - m + 1e-3)) : m;
  }
  const order = Int32Array.from(rows);
  const rng = new Rng(seed);
  const { offsets, ids, values } = docs;
  for (let epoch = 0; epoch < SGD_EPOCHS; epoch++) {
    rng.shuffle(order);
    for (let r = 0; r < order.length; r++) {
      const i = order[r]!;
      const a = offsets[i]!;
      const b = offsets[i + 1]!;
      for (let k = 0; k < nOutputs; k++) {
        const base = k * nTokens;
        let z = bias[k]!;
        for (let e = a; e < b; e++) z += weights[base + ids[e]!]! * values[e]!;
        const y = targets[i * nOutputs + k]!;
        const grad = loss === 'logistic' ? 1 / (1 + Math.exp(-z)) - y : z - y;
        g2b[k]! += grad * grad;
        bias[k]! -= (ADAGRAD_RATE * grad) / Math.sqrt(g2b[k]!);
        for (let e = a; e < b; e++) {
          const j = base + ids[e]!;
          const gj = grad * values[e]! + SGD_L2 * weights[j]!;
          g2[j]! += gj * gj;
          weights[j]! -= (ADAGRAD_RATE * gj) / Math.sqrt(g2[j]!);
        }
      }
    }
  }
  return { loss, nOutputs, bias, weights };
}

/** Scores of the given rows: out[r * nOutputs + k]. */
export function scoreLinear(model: LinearTextModel, docs: SparseDocs, nTokens: number, rows: Int32Array | null): Float64Array {
  const n = rows === null ? docs.nRows : rows.length;
  const k = model.nOutputs;
  const out = new Float64Array(n * k);
  for (let r = 0; r < n; r++) {
    const i = rows === null ? r : rows[r]!;
    for (let o = 0; o < k; o++) {
      let z = model.bias[o]!;
      for (let e = docs.offsets[i]!; e < docs.offsets[i + 1]!; e++) z += model.weights[o * nTokens + docs.ids[e]!]! * docs.values[e]!;
      out[r * k + o] = z;
    }
  }
  return out;
}

/**
 * Per-token terms w_j·x_j of output k for one row: what a text feature's SHAP value is split by.
 * Returns [tokenId, term] pairs.
 */
export function tokenTerms(model: LinearTextModel, docs: SparseDocs, nTokens: number, row: number, output: number): [number, number][] {
  const out: [number, number][] = [];
  for (let e = docs.offsets[row]!; e < docs.offsets[row + 1]!; e++) {
    const j = docs.ids[e]!;
    out.push([j, model.weights[output * nTokens + j]! * docs.values[e]!]);
  }
  return out;
}
