/**
 * string → category codes: levels in at least 5 rows (2 below 1,000 rows), most frequent first, at
 * most MAX_CATEGORICAL_LEVELS; the rest, and at prediction levels never seen in training, share the
 * "other" code; missing is its own state (-1).
 *
 * Columns with more distinct values than that also get, per encoded output, smoothed target
 * statistics (out of fold on the training rows) and the level's frequency (its share of the
 * training rows, 0 for an unseen level); name-like ones (distinct ≥ 20 % of rows, not code-like)
 * also a text score on their characters and word endings (text.ts).
 */
import type { CategoricalColumn, FeatureColumn } from '../../engine/index.js';
import type { TypedColumn } from '../../table/table.js';
import { columnStrings } from '../column-values.js';
import type { ColumnEncoder, EncodedColumn, FeaturePart, FitContext, FitResult } from './encoder.js';
import { featureName, numericFeature } from './encoder.js';
import { cachedIndex } from './index-cache.js';
import { applyTextScore, fitTextScore, textScoreFeatures } from './text.js';
import type { TextScore } from './text.js';
import type { SparseDocs } from '../text.js';

/** Columns with more grouped levels than this also get target statistics. */
export const MAX_CATEGORICAL_LEVELS = 64;
/** String columns at least this unique (and not code-like) are also read as text. */
const NAME_LIKE_UNIQUE_RATIO = 0.2;
/** Smoothing of target statistics: a level with c rows is pulled towards the prior by m/(c+m). */
const TE_SMOOTHING = 10;
const CODE_LIKE = /^[\x21-\x7e]+$/;

export interface TargetStats {
  /** Levels with statistics (every training level); others get the prior. */
  readonly levels: readonly string[];
  readonly counts: readonly number[];
  /** levels.length × nOut, smoothed means. */
  readonly means: readonly number[];
  readonly prior: readonly number[];
  /** The frequency feature is counts[k] / frequencyRows (the training rows, missing cells included). */
  readonly frequencyRows: number;
}

export interface CategoryState {
  readonly kind: 'category';
  readonly name: string;
  /** Kept levels; code = index; `levels.length` = other / unseen. */
  readonly levels: readonly string[];
  readonly stats?: TargetStats;
  readonly text?: TextScore;
}

/** Values without spaces made of printable ASCII only (e.g. 'CS021315000001'): identifiers, not names. */
export function looksCodeLike(values: readonly (string | null)[]): boolean {
  let seen = 0;
  for (const v of values) {
    if (v === null) continue;
    if (!CODE_LIKE.test(v)) return false;
    if (++seen >= 1000) break;
  }
  return true;
}

/** Per value its row count (missing cells not counted). */
function valueCounts(values: readonly (string | null)[]): Map<string, number> {
  const cnt = new Map<string, number>();
  for (const v of values) if (v !== null) cnt.set(v, (cnt.get(v) ?? 0) + 1);
  return cnt;
}

/** Kept levels: in at least `minCount` rows, most frequent first (ties by value), at most MAX_CATEGORICAL_LEVELS. */
function groupLevels(counts: ReadonlyMap<string, number>, n: number): string[] {
  const minCount = n >= 1000 ? 5 : 2;
  const entries = [...counts.entries()].filter(([, c]) => c >= minCount);
  entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  entries.length = Math.min(entries.length, MAX_CATEGORICAL_LEVELS);
  return entries.map(([l]) => l);
}

function codesOf(levels: readonly string[], values: readonly (string | null)[]): CategoricalColumn['codes'] {
  const index = cachedIndex(levels);
  return Int32Array.from(values, (v) => (v === null ? -1 : (index.get(v) ?? levels.length)));
}

/**
 * Target statistics of the levels: the full-data state, and the training rows' values — out of
 * fold (each row's statistics from the other folds, prior included) unless folds is null.
 */
function fitTargetStats(values: readonly (string | null)[], ctx: FitContext): { stats: TargetStats; train: Float64Array[] } {
  const n = values.length;
  const { t, nOut } = ctx.targets;
  const nFolds = ctx.folds?.n ?? 0;
  const foldOf = (i: number): number => ctx.folds?.fold[i] ?? 0;
  const levelIndex = new Map<string, number>();
  const levelOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v == null) levelOf[i] = -1;
    else {
      let k = levelIndex.get(v);
      if (k === undefined) levelIndex.set(v, (k = levelIndex.size));
      levelOf[i] = k;
    }
  }
  const L = levelIndex.size;
  // Sums per fold g < nFolds and over all rows (g = nFolds); fold f's statistics = all − fold f.
  const G = nFolds + 1;
  const cnt = new Float64Array(G * L);
  const sum = new Float64Array(G * L * nOut);
  const tot = new Float64Array(G * nOut);
  const totN = new Float64Array(G);
  for (let i = 0; i < n; i++) {
    const groups = nFolds > 0 ? [foldOf(i), nFolds] : [nFolds];
    const k = levelOf[i]!;
    for (const g of groups) {
      totN[g]!++;
      for (let o = 0; o < nOut; o++) tot[g * nOut + o]! += t[i * nOut + o]!;
      if (k < 0) continue;
      cnt[g * L + k]!++;
      for (let o = 0; o < nOut; o++) sum[(g * L + k) * nOut + o]! += t[i * nOut + o]!;
    }
  }
  const m = TE_SMOOTHING;
  const all = nFolds;
  const prior = Array.from({ length: nOut }, (_, o) => tot[all * nOut + o]! / Math.max(1, totN[all]!));
  const levels = [...levelIndex.keys()];
  const counts = levels.map((_, k) => cnt[all * L + k]!);
  const means: number[] = [];
  for (let k = 0; k < L; k++) {
    for (let o = 0; o < nOut; o++) means.push((sum[(all * L + k) * nOut + o]! + m * prior[o]!) / (counts[k]! + m));
  }
  const train = Array.from({ length: nOut }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const k = levelOf[i]!;
    for (let o = 0; o < nOut; o++) {
      if (k < 0) train[o]![i] = NaN;
      else if (ctx.folds === null) train[o]![i] = means[k * nOut + o]!;
      else {
        const f = foldOf(i);
        const nOther = totN[all]! - totN[f]!;
        const foldPrior = nOther > 0 ? (tot[all * nOut + o]! - tot[f * nOut + o]!) / nOther : 0;
        const c = cnt[all * L + k]! - cnt[f * L + k]!;
        const s = sum[(all * L + k) * nOut + o]! - sum[(f * L + k) * nOut + o]!;
        train[o]![i] = (s + m * foldPrior) / (c + m);
      }
    }
  }
  return { stats: { levels, counts, means, prior, frequencyRows: n }, train };
}

interface Parts {
  parts: FeaturePart[];
  columns: FeatureColumn[];
  docs?: SparseDocs;
}

function addStats(out: Parts, name: string, stats: readonly Float64Array[], frequency: Float64Array): void {
  stats.forEach((c, o) => {
    out.parts.push(`stat${o}`);
    out.columns.push(numericFeature(name, `stat${o}`, c));
  });
  out.parts.push('frequency');
  out.columns.push(numericFeature(name, 'frequency', frequency));
}

function addText(out: Parts, name: string, scores: readonly Float64Array[], docs: SparseDocs): void {
  const f = textScoreFeatures(name, scores);
  out.parts.push(...f.parts);
  out.columns.push(...f.columns);
  out.docs = docs;
}

function codeParts(name: string, levels: readonly string[], values: readonly (string | null)[]): Parts {
  const code: CategoricalColumn = { kind: 'categorical', name: featureName(name, 'code'), codes: codesOf(levels, values), nCategories: levels.length + 1 };
  return { parts: ['code'], columns: [code] };
}

export const categoryEncoder: ColumnEncoder<CategoryState> = {
  kind: 'category',
  fit(column: TypedColumn, ctx): FitResult<CategoryState> {
    const n = ctx.table.nRows;
    const values = columnStrings(column, n);
    const counts = valueCounts(values);
    const levels = groupLevels(counts, n);
    const out = codeParts(column.name, levels, values);
    let stats: TargetStats | undefined;
    let text: TextScore | undefined;
    if (counts.size > MAX_CATEGORICAL_LEVELS && ctx.targets.nOut > 0) {
      const fitted = fitTargetStats(values, ctx);
      stats = fitted.stats;
      addStats(
        out,
        column.name,
        fitted.train,
        Float64Array.from(values, (v) => (v === null ? NaN : counts.get(v)! / n)),
      );
      if (counts.size >= NAME_LIKE_UNIQUE_RATIO * n && !looksCodeLike(values)) {
        const t = fitTextScore(
          values.map((v) => v ?? ''),
          true,
          ctx,
        );
        if (t !== null) {
          text = t.score;
          addText(out, column.name, t.train, t.sparse);
        }
      }
    }
    const state: CategoryState = { kind: 'category', name: column.name, levels, ...(stats ? { stats } : {}), ...(text ? { text } : {}) };
    return { state, train: out };
  },
  apply(state, ctx): EncodedColumn {
    const n = ctx.nRows;
    const values = columnStrings(ctx.column(state.name), n);
    const out = codeParts(state.name, state.levels, values);
    if (state.stats !== undefined) {
      const s = state.stats;
      const nOut = s.prior.length;
      const index = cachedIndex(s.levels);
      const stats = Array.from({ length: nOut }, () => new Float64Array(n));
      const frequency = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        const k = v == null ? undefined : index.get(v);
        for (let o = 0; o < nOut; o++) stats[o]![i] = v == null ? NaN : k === undefined ? s.prior[o]! : s.means[k * nOut + o]!;
        frequency[i] = v == null ? NaN : k === undefined ? 0 : s.counts[k]! / s.frequencyRows;
      }
      addStats(out, state.name, stats, frequency);
    }
    if (state.text !== undefined) {
      const { scores, sparse } = applyTextScore(
        state.text,
        values.map((v) => v ?? ''),
      );
      addText(out, state.name, scores, sparse);
    }
    return out;
  },
};
