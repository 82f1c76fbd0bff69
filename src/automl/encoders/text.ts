/**
 * text → words (+ character n-grams for CJK) → TF-IDF → a linear model on the encoder targets →
 * its score per output is a feature. Training rows get out-of-fold scores (the model of the other
 * folds), so the trees never see a row's own target through them; prediction uses the model
 * fitted on every training row. The same text score serves name-like string columns (category.ts).
 */
import type { TypedColumn } from '../../table/table.js';
import { columnTexts } from '../column-values.js';
import { fitLinear, fitVocabulary, scoreLinear, tokenize, vectorize, vocabularyIndex } from '../text.js';
import type { LinearTextModel, SparseDocs } from '../text.js';
import type { ColumnEncoder, EncodedColumn, FeaturePart, FitContext, FitResult } from './encoder.js';
import { numericFeature } from './encoder.js';
import { cachedIndex } from './index-cache.js';

export interface TextScore {
  /** Whether word endings are tokens (name-like string columns) or not (free text). */
  readonly endings: boolean;
  readonly tokens: readonly string[];
  readonly idf: readonly number[];
  readonly model: LinearTextModel;
}

export interface TextState {
  readonly kind: 'text';
  readonly name: string;
  readonly text: TextScore;
}

/** Seed offset of the full-data text model (the fold models use 101 · (fold + 1)). */
const FULL_MODEL_SEED = 7;

function splitOutputs(raw: Float64Array, k: number, n: number): Float64Array[] {
  return Array.from({ length: k }, (_, o) => {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) c[i] = raw[i * k + o]!;
    return c;
  });
}

/** Text scores of a fitted TextScore: one column per output, and the rows' sparse documents. */
export function applyTextScore(t: TextScore, texts: readonly string[]): { scores: Float64Array[]; sparse: SparseDocs } {
  const vocab = { tokens: t.tokens, idf: Float64Array.from(t.idf) };
  const sparse = vectorize(
    texts.map((x) => tokenize(x, t.endings)),
    vocab,
    cachedIndex(t.tokens),
  );
  const raw = scoreLinear(t.model, sparse, t.tokens.length, null);
  return { scores: splitOutputs(raw, t.model.nOutputs, texts.length), sparse };
}

/**
 * Fits a text score on the training texts; the training scores are out of fold unless ctx.folds is
 * null. Null when no token occurs in enough rows.
 */
export function fitTextScore(
  texts: readonly string[],
  endings: boolean,
  ctx: FitContext,
): { score: TextScore; train: Float64Array[]; sparse: SparseDocs } | null {
  const n = texts.length;
  const { t, nOut } = ctx.targets;
  const tokens = texts.map((x) => tokenize(x, endings));
  const vocab = fitVocabulary(tokens, n >= 1000 ? 3 : 2);
  if (vocab.tokens.length === 0) return null;
  const sparse = vectorize(tokens, vocab, vocabularyIndex(vocab));
  const V = vocab.tokens.length;
  const loss = ctx.task === 'regression' ? 'squared' : 'logistic';
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const model = fitLinear(sparse, V, t, nOut, loss, all, ctx.seed + FULL_MODEL_SEED);
  let raw: Float64Array;
  if (ctx.folds === null) raw = scoreLinear(model, sparse, V, null);
  else {
    raw = new Float64Array(n * nOut);
    const { fold, n: nFolds } = ctx.folds;
    for (let f = 0; f < nFolds; f++) {
      const fit: number[] = [];
      const valid: number[] = [];
      for (let i = 0; i < n; i++) (fold[i] === f ? valid : fit).push(i);
      const foldModel = fitLinear(sparse, V, t, nOut, loss, Int32Array.from(fit), ctx.seed + 101 * (f + 1));
      const s = scoreLinear(foldModel, sparse, V, Int32Array.from(valid));
      for (let r = 0; r < valid.length; r++) for (let o = 0; o < nOut; o++) raw[valid[r]! * nOut + o] = s[r * nOut + o]!;
    }
  }
  const score: TextScore = { endings, tokens: vocab.tokens, idf: Array.from(vocab.idf), model };
  return { score, train: splitOutputs(raw, nOut, n), sparse };
}

/** Parts and columns of a text score's outputs. */
export function textScoreFeatures(name: string, scores: readonly Float64Array[]): { parts: FeaturePart[]; columns: ReturnType<typeof numericFeature>[] } {
  const parts = scores.map((_, o): FeaturePart => `text${o}`);
  return { parts, columns: scores.map((c, o) => numericFeature(name, parts[o]!, c)) };
}

function encoded(name: string, scores: readonly Float64Array[], docs: SparseDocs): EncodedColumn {
  return { ...textScoreFeatures(name, scores), docs };
}

export const textEncoder: ColumnEncoder<TextState> = {
  kind: 'text',
  fit(column: TypedColumn, ctx): FitResult<TextState> {
    if (column.type !== 'text') throw new TypeError(`text encoder on a ${column.type} column`);
    const fitted = ctx.targets.nOut > 0 ? fitTextScore(column.values.slice(), false, ctx) : null;
    if (fitted === null) return { dropped: { name: column.name, reason: 'no_words', detail: 'no word occurs in two or more rows' } };
    return { state: { kind: 'text', name: column.name, text: fitted.score }, train: encoded(column.name, fitted.train, fitted.sparse) };
  },
  apply(state, ctx) {
    const { scores, sparse } = applyTextScore(state.text, columnTexts(ctx.column(state.name), ctx.nRows));
    return encoded(state.name, scores, sparse);
  },
};
