/**
 * The preprocessing plan: decided from the training columns and the target, stored in the model,
 * and applied identically at prediction time.
 *
 *   integer / float → one numeric feature (NaN = missing, its own state in every tree)
 *   string          → category codes (rare levels grouped into "other", which also takes levels
 *                     never seen in training); high-cardinality columns also get out-of-fold
 *                     target statistics and a frequency, and name-like ones a text score
 *   text            → words (+ character n-grams) → TF-IDF → linear model → out-of-fold score
 *   date            → year, month, day, weekday, day of year, hour, elapsed days
 *   dropped         → ignored, constant, all missing, ID-like, target leak (each with its reason)
 *
 * At training time target statistics and text scores are out-of-fold (5 folds) so that the trees
 * never see a row's own target through them; at prediction time the full-data encoders are used.
 */
import type { CategoricalColumn, FeatureColumn, FeatureTable, NumericColumn } from '../engine/data/columns.js';
import type { TypedColumn, TypedTable } from '../ingest/table.js';
import type { TaskType } from './types.js';
import type { TargetInfo } from './target.js';
import { fitLinear, fitVocabulary, scoreLinear, tokenize, vectorize, vocabularyIndex } from './text.js';
import type { LinearTextModel, SparseDocs } from './text.js';
import { detectLeak } from './leakage.js';
import { columnDates, columnNumbers, columnStrings, columnTexts } from './column-values.js';

/** Columns with more grouped levels than this also get target statistics. */
export const MAX_CATEGORICAL_LEVELS = 64;
/** String columns at least this unique (and not code-like) are also read as text. */
const NAME_LIKE_UNIQUE_RATIO = 0.2;
const ID_LIKE_UNIQUE_RATIO = 0.95;
const ID_LIKE_MIN_ROWS = 50;
/** Smoothing of target statistics: a level with c rows is pulled towards the prior by m/(c+m). */
const TE_SMOOTHING = 10;
/** Target statistics and text models give one score per class for at most this many (most frequent) classes. */
const MAX_ENCODED_CLASSES = 10;
const CODE_LIKE = /^[\x21-\x7e]+$/;

export type DropReason = 'ignored' | 'constant' | 'all_missing' | 'id_like' | 'target_leak' | 'no_words';

export interface DroppedColumn {
  readonly name: string;
  readonly reason: DropReason;
  readonly detail: string;
}

export interface TextEncoder {
  /** Whether word endings are tokens (name-like string columns) or not (free text). */
  readonly endings: boolean;
  readonly tokens: readonly string[];
  readonly idf: readonly number[];
  readonly model: LinearTextModel;
}

export interface TargetStats {
  /** Levels with statistics (every training level); others get the prior. */
  readonly levels: readonly string[];
  readonly counts: readonly number[];
  /** levels.length × nOut, smoothed means. */
  readonly means: readonly number[];
  readonly prior: readonly number[];
}

export type ColumnPlan =
  | { readonly kind: 'numeric'; readonly name: string; readonly type: 'integer' | 'float' }
  | {
      readonly kind: 'category';
      readonly name: string;
      /** Kept levels; code = index; `levels.length` = other / unseen. */
      readonly levels: readonly string[];
      readonly stats?: TargetStats;
      readonly text?: TextEncoder;
    }
  | {
      readonly kind: 'date';
      readonly name: string;
      readonly hasTime: boolean;
      /** Parts left out (the trend parts of a time-ordered file, when validation prefers that). */
      readonly omit?: readonly FeaturePart[];
    }
  | { readonly kind: 'text'; readonly name: string; readonly text: TextEncoder };

export type FeaturePart =
  | 'value'
  | 'code'
  | 'frequency'
  | `stat${number}`
  | `text${number}`
  | 'year'
  | 'month'
  | 'day'
  | 'weekday'
  | 'dayofyear'
  | 'hour'
  | 'elapsed';

/** One engine feature and the original column it comes from. */
export interface FeatureSource {
  readonly column: string;
  readonly part: FeaturePart;
}

export interface PreprocessPlan {
  readonly task: TaskType;
  readonly nClasses: number;
  readonly columns: readonly ColumnPlan[];
  readonly dropped: readonly DroppedColumn[];
  readonly features: readonly FeatureSource[];
  /** Frequencies of category levels (share of training rows), per category column, by code. */
  readonly frequencies: Readonly<Record<string, readonly number[]>>;
}

export interface FittedPlan {
  readonly plan: PreprocessPlan;
  /** Features of the training rows (target statistics and text scores out of fold). */
  readonly train: FeatureTable;
}

/** Per text-bearing column, the sparse documents of the rows (for per-word contributions). */
export type TextDocs = ReadonlyMap<string, SparseDocs>;

function nEncodedOutputs(task: TaskType, nClasses: number): number {
  if (task === 'multi_classification') return Math.min(nClasses, MAX_ENCODED_CLASSES);
  return 1;
}

/**
 * Per-row targets of the encoders: 0/1 (binary), one-hot (multiclass; with more than 10 classes,
 * one-vs-rest for the 10 most frequent), standardised value (regression).
 */
function encoderTargets(target: TargetInfo, nOut: number): { t: Float64Array; mean: number; sd: number } {
  const n = target.y.length;
  const t = new Float64Array(n * nOut);
  let mean = 0;
  let sd = 1;
  if (target.task === 'regression') {
    for (let i = 0; i < n; i++) mean += target.y[i]!;
    mean /= Math.max(1, n);
    let v = 0;
    for (let i = 0; i < n; i++) v += (target.y[i]! - mean) ** 2;
    sd = Math.sqrt(v / Math.max(1, n)) || 1;
    for (let i = 0; i < n; i++) t[i] = (target.y[i]! - mean) / sd;
  } else if (target.task === 'binary_classification') {
    t.set(target.y);
  } else {
    const counts = new Float64Array(target.classes.length);
    for (let i = 0; i < n; i++) counts[target.y[i]!]!++;
    // Up to 10 classes: slot = class index; more: the 10 most frequent classes.
    const byFrequency = Array.from(counts.keys());
    if (target.classes.length > nOut) byFrequency.sort((a, b) => counts[b]! - counts[a]! || a - b);
    const slot = new Int32Array(target.classes.length).fill(-1);
    for (let k = 0; k < nOut; k++) slot[byFrequency[k]!] = k;
    for (let i = 0; i < n; i++) {
      const k = slot[target.y[i]!]!;
      if (k >= 0) t[i * nOut + k] = 1;
    }
  }
  return { t, mean, sd };
}

/**
 * Decides the plan on the training rows (the target already read) and encodes them.
 *
 * @param table  training rows that have a target (row r ↔ target.y[r])
 * @param oofFold  per row, its fold for out-of-fold encoders (0..nOofFolds-1)
 */
export function fitPlan(table: TypedTable, target: TargetInfo, oofFold: Int32Array, nOofFolds: number, seed: number): FittedPlan {
  const n = table.nRows;
  const task = target.task;
  const nOut = nEncodedOutputs(task, target.classes.length);
  const enc = encoderTargets(target, nOut);
  const columns: ColumnPlan[] = [];
  const dropped: DroppedColumn[] = [];
  const features: FeatureSource[] = [];
  const featureColumns: FeatureColumn[] = [];
  const frequencies: Record<string, number[]> = {};
  const addNumeric = (column: string, part: FeaturePart, values: Float64Array): void => {
    features.push({ column, part });
    featureColumns.push({ kind: 'numeric', name: `${column}#${part}`, values });
  };

  for (const col of table.columns) {
    if (col.name === target.name) continue;
    if (col.type === 'ignore') {
      dropped.push({ name: col.name, reason: 'ignored', detail: 'column type is ignore' });
      continue;
    }
    const basic = basicDrop(col, n);
    if (basic !== null) {
      dropped.push(basic);
      continue;
    }
    const leak = detectLeak(col, target);
    if (leak !== null) {
      dropped.push({ name: col.name, reason: 'target_leak', detail: leak });
      continue;
    }
    if (col.type === 'integer' || col.type === 'float') {
      columns.push({ kind: 'numeric', name: col.name, type: col.type });
      addNumeric(col.name, 'value', Float64Array.from(col.values));
    } else if (col.type === 'date') {
      let hasTime = false;
      for (let i = 0; i < n && !hasTime; i++) if (!Number.isNaN(col.values[i]!) && col.values[i]! % 86400 !== 0) hasTime = true;
      const p: ColumnPlan = { kind: 'date', name: col.name, hasTime };
      columns.push(p);
      const parts = dateParts(col.values, hasTime);
      for (const [part, values] of parts) addNumeric(col.name, part, values);
    } else if (col.type === 'string') {
      const values = columnStrings(col, n);
      const { levels, codes, counts } = groupLevels(values, n);
      const nLevels = levels.length;
      const freq = counts.map((c) => c / n);
      frequencies[col.name] = freq;
      features.push({ column: col.name, part: 'code' });
      featureColumns.push({ kind: 'categorical', name: `${col.name}#code`, codes, nCategories: nLevels + 1 });
      let stats: TargetStats | undefined;
      let text: TextEncoder | undefined;
      const distinct = new Set(values.filter((v) => v !== null)).size;
      if (distinct > MAX_CATEGORICAL_LEVELS && nOut > 0) {
        const fitted = fitTargetStats(values, enc.t, nOut, oofFold, nOofFolds);
        stats = fitted.stats;
        for (let k = 0; k < nOut; k++) addNumeric(col.name, `stat${k}`, fitted.oof[k]!);
        const fv = new Float64Array(n);
        const cnt = new Map<string, number>();
        for (const v of values) if (v !== null) cnt.set(v, (cnt.get(v) ?? 0) + 1);
        for (let i = 0; i < n; i++) fv[i] = values[i] === null ? NaN : cnt.get(values[i]!)! / n;
        addNumeric(col.name, 'frequency', fv);
        if (distinct >= NAME_LIKE_UNIQUE_RATIO * n && !looksCodeLike(values)) {
          const t = fitTextEncoder(values.map((v) => v ?? ''), true, enc.t, nOut, task, oofFold, nOofFolds, seed);
          if (t !== null) {
            text = t.encoder;
            for (let k = 0; k < nOut; k++) addNumeric(col.name, `text${k}`, t.oof[k]!);
          }
        }
      }
      columns.push({ kind: 'category', name: col.name, levels, ...(stats ? { stats } : {}), ...(text ? { text } : {}) });
    } else if (col.type === 'text') {
      const t = nOut > 0 ? fitTextEncoder(col.values.slice(), false, enc.t, nOut, task, oofFold, nOofFolds, seed) : null;
      if (t === null) {
        dropped.push({ name: col.name, reason: 'no_words', detail: 'no word occurs in two or more rows' });
        continue;
      }
      columns.push({ kind: 'text', name: col.name, text: t.encoder });
      for (let k = 0; k < nOut; k++) addNumeric(col.name, `text${k}`, t.oof[k]!);
    }
  }
  const plan: PreprocessPlan = { task, nClasses: target.classes.length, columns, dropped, features, frequencies };
  return { plan, train: { nRows: n, columns: featureColumns } };
}

/** A numeric feature column (a module function: a closure per call would be named at run time by tsx). */
function num(column: string, part: FeaturePart, values: Float64Array): NumericColumn {
  return { kind: 'numeric', name: `${column}#${part}`, values };
}

/**
 * Encodes any table with the plan (prediction, evaluation file): columns found by name, missing
 * columns read as all missing, extra columns ignored, unseen levels → "other", unknown words skipped.
 */
export function applyPlan(plan: PreprocessPlan, table: TypedTable): { features: FeatureTable; docs: TextDocs } {
  const n = table.nRows;
  const byName = new Map<string, TypedColumn>(table.columns.map((c) => [c.name, c]));
  const out: FeatureColumn[] = [];
  const docs = new Map<string, SparseDocs>();
  for (const p of plan.columns) {
    const col = byName.get(p.name);
    if (p.kind === 'numeric') {
      out.push(num(p.name, 'value', columnNumbers(col, n)));
    } else if (p.kind === 'date') {
      for (const [part, values] of dateParts(columnDates(col, n), p.hasTime)) {
        if (p.omit === undefined || !p.omit.includes(part)) out.push(num(p.name, part, values));
      }
    } else if (p.kind === 'category') {
      const values = columnStrings(col, n);
      const index = cachedIndex(p.levels);
      const codes = new Int32Array(n);
      for (let i = 0; i < n; i++) codes[i] = values[i] === null ? -1 : (index.get(values[i]!) ?? p.levels.length);
      const cat: CategoricalColumn = { kind: 'categorical', name: `${p.name}#code`, codes, nCategories: p.levels.length + 1 };
      out.push(cat);
      if (p.stats !== undefined) {
        const s = p.stats;
        const nOut = s.prior.length;
        const si = cachedIndex(s.levels);
        const cols = Array.from({ length: nOut }, () => new Float64Array(n));
        const fv = new Float64Array(n);
        const total = sumOf(s.counts);
        for (let i = 0; i < n; i++) {
          const v = values[i];
          const k = v === null ? undefined : si.get(v);
          for (let o = 0; o < nOut; o++) cols[o]![i] = v === null ? NaN : k === undefined ? s.prior[o]! : s.means[k * nOut + o]!;
          fv[i] = v === null ? NaN : k === undefined ? 0 : s.counts[k]! / total;
        }
        cols.forEach((c, o) => out.push(num(p.name, `stat${o}`, c)));
        out.push(num(p.name, 'frequency', fv));
      }
      if (p.text !== undefined) {
        const { scores, sparse } = scoreText(p.text, values.map((v) => v ?? ''));
        docs.set(p.name, sparse);
        scores.forEach((c, o) => out.push(num(p.name, `text${o}`, c)));
      }
    } else {
      const { scores, sparse } = scoreText(p.text, columnTexts(col, n));
      docs.set(p.name, sparse);
      scores.forEach((c, o) => out.push(num(p.name, `text${o}`, c)));
    }
  }
  return { features: { nRows: n, columns: out }, docs };
}

/**
 * Value → position maps of a plan's level and token lists, built once per list and reused by every
 * prediction call (an inference request must not rebuild a 20,000-word index).
 */
const indexCache = new WeakMap<readonly string[], Map<string, number>>();

function cachedIndex(list: readonly string[]): Map<string, number> {
  let m = indexCache.get(list);
  if (m === undefined) {
    m = new Map(list.map((v, k) => [v, k]));
    indexCache.set(list, m);
  }
  return m;
}

/** Parts of a date that only grow with time: a model cannot extrapolate them into the future. */
export const TREND_PARTS: readonly FeaturePart[] = ['year', 'elapsed'];

/** The fitted plan without some parts of a date column (plan, feature list and training features). */
export function omitDateParts(fitted: FittedPlan, column: string, parts: readonly FeaturePart[]): FittedPlan {
  const keep = fitted.plan.features.map((f) => !(f.column === column && parts.includes(f.part)));
  const plan: PreprocessPlan = {
    ...fitted.plan,
    columns: fitted.plan.columns.map((c) => (c.kind === 'date' && c.name === column ? { ...c, omit: parts.slice() } : c)),
    features: fitted.plan.features.filter((_, k) => keep[k]),
  };
  const train: FeatureTable = { nRows: fitted.train.nRows, columns: fitted.train.columns.filter((_, k) => keep[k]) };
  return { plan, train };
}

function sumOf(a: readonly number[]): number {
  let s = 0;
  for (const v of a) s += v;
  return s;
}

function scoreText(t: TextEncoder, texts: readonly string[]): { scores: Float64Array[]; sparse: SparseDocs } {
  const vocab = { tokens: t.tokens, idf: Float64Array.from(t.idf) };
  const sparse = vectorize(texts.map((x) => tokenize(x, t.endings)), vocab, cachedIndex(t.tokens));
  const raw = scoreLinear(t.model, sparse, t.tokens.length, null);
  return { scores: splitOutputs(raw, t.model.nOutputs, texts.length), sparse };
}

function splitOutputs(raw: Float64Array, k: number, n: number): Float64Array[] {
  return Array.from({ length: k }, (_, o) => {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) c[i] = raw[i * k + o]!;
    return c;
  });
}

/** Why a column is not used before looking at the target: constant, all missing or ID-like. */
function basicDrop(col: TypedColumn, n: number): DroppedColumn | null {
  const name = col.name;
  if (col.type === 'integer' || col.type === 'float' || col.type === 'date') {
    const seen = new Set<number>();
    let missing = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = col.values[i]!;
      if (Number.isNaN(v)) missing++;
      else {
        seen.add(v);
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    if (missing === n) return { name, reason: 'all_missing', detail: 'every value is missing' };
    if (seen.size <= 1 && missing === 0) return { name, reason: 'constant', detail: 'one value in every row' };
    const integerValued = col.type === 'integer' || (col.type === 'float' && [...seen].every(Number.isInteger));
    if (col.type !== 'date' && integerValued && n >= ID_LIKE_MIN_ROWS && seen.size >= ID_LIKE_UNIQUE_RATIO * n && max - min + 1 <= 1.5 * n) {
      return { name, reason: 'id_like', detail: 'distinct consecutive integers in almost every row (a row number)' };
    }
    return null;
  }
  if (col.type === 'string') {
    const counts = new Int32Array(col.levels.length);
    let missing = 0;
    for (let i = 0; i < n; i++) {
      const c = col.codes[i]!;
      if (c < 0) missing++;
      else counts[c]!++;
    }
    let distinct = 0;
    for (let k = 0; k < counts.length; k++) if (counts[k]! > 0) distinct++;
    if (missing === n) return { name, reason: 'all_missing', detail: 'every value is missing' };
    if (distinct <= 1 && missing === 0) return { name, reason: 'constant', detail: 'one value in every row' };
    if (n >= ID_LIKE_MIN_ROWS && distinct >= ID_LIKE_UNIQUE_RATIO * (n - missing) && looksCodeLike(columnStrings(col, n))) {
      return { name, reason: 'id_like', detail: 'a different code in almost every row (an identifier)' };
    }
    return null;
  }
  if (col.type === 'text') {
    let missing = 0;
    for (let i = 0; i < n; i++) if (col.values[i]!.trim() === '') missing++;
    if (missing === n) return { name, reason: 'all_missing', detail: 'every value is missing' };
  }
  return null;
}

/** Values without spaces made of printable ASCII only (e.g. 'CS021315000001'): identifiers, not names. */
function looksCodeLike(values: readonly (string | null)[]): boolean {
  let seen = 0;
  for (const v of values) {
    if (v === null) continue;
    if (!CODE_LIKE.test(v)) return false;
    if (++seen >= 1000) break;
  }
  return true;
}

/**
 * Groups rare levels: levels in at least `minCount` rows are kept (most frequent first, at most
 * 255 by the engine's bin limit); the rest share the "other" code.
 */
function groupLevels(values: readonly (string | null)[], n: number): { levels: string[]; codes: Int32Array; counts: number[] } {
  const minCount = n >= 1000 ? 5 : 2;
  const cnt = new Map<string, number>();
  for (const v of values) if (v !== null) cnt.set(v, (cnt.get(v) ?? 0) + 1);
  const entries = [...cnt.entries()].filter(([, c]) => c >= minCount);
  entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  entries.length = Math.min(entries.length, MAX_CATEGORICAL_LEVELS);
  const levels = entries.map(([l]) => l);
  const index = new Map(levels.map((l, k) => [l, k]));
  const codes = new Int32Array(n);
  const counts = new Array<number>(levels.length + 1).fill(0);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    codes[i] = v === null ? -1 : (index.get(v) ?? levels.length);
    if (codes[i]! >= 0) counts[codes[i]!]!++;
  }
  return { levels, codes, counts };
}

function fitTargetStats(
  values: readonly (string | null)[],
  t: Float64Array,
  nOut: number,
  oofFold: Int32Array,
  nFolds: number,
): { stats: TargetStats; oof: Float64Array[] } {
  const n = values.length;
  const levelIndex = new Map<string, number>();
  const levelOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null) levelOf[i] = -1;
    else {
      let k = levelIndex.get(v);
      if (k === undefined) levelIndex.set(v, (k = levelIndex.size));
      levelOf[i] = k;
    }
  }
  const L = levelIndex.size;
  // Per fold sums (fold f's statistics = all - fold f).
  const cnt = new Float64Array((nFolds + 1) * L);
  const sum = new Float64Array((nFolds + 1) * L * nOut);
  const tot = new Float64Array((nFolds + 1) * nOut);
  const totN = new Float64Array(nFolds + 1);
  for (let i = 0; i < n; i++) {
    const f = oofFold[i]!;
    totN[f]!++;
    totN[nFolds]!++;
    for (let o = 0; o < nOut; o++) {
      tot[f * nOut + o]! += t[i * nOut + o]!;
      tot[nFolds * nOut + o]! += t[i * nOut + o]!;
    }
    const k = levelOf[i]!;
    if (k < 0) continue;
    for (const g of [f, nFolds]) {
      cnt[g * L + k]!++;
      for (let o = 0; o < nOut; o++) sum[(g * L + k) * nOut + o]! += t[i * nOut + o]!;
    }
  }
  const m = TE_SMOOTHING;
  const oof = Array.from({ length: nOut }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const f = oofFold[i]!;
    const k = levelOf[i]!;
    for (let o = 0; o < nOut; o++) {
      if (k < 0) {
        oof[o]![i] = NaN;
        continue;
      }
      const nOther = totN[nFolds]! - totN[f]!;
      const prior = nOther > 0 ? (tot[nFolds * nOut + o]! - tot[f * nOut + o]!) / nOther : 0;
      const c = cnt[nFolds * L + k]! - cnt[f * L + k]!;
      const s = sum[(nFolds * L + k) * nOut + o]! - sum[(f * L + k) * nOut + o]!;
      oof[o]![i] = (s + m * prior) / (c + m);
    }
  }
  const levels = [...levelIndex.keys()];
  const prior = Array.from({ length: nOut }, (_, o) => tot[nFolds * nOut + o]! / Math.max(1, totN[nFolds]!));
  const counts = levels.map((_, k) => cnt[nFolds * L + k]!);
  const means: number[] = [];
  for (let k = 0; k < L; k++) {
    for (let o = 0; o < nOut; o++) means.push((sum[(nFolds * L + k) * nOut + o]! + m * prior[o]!) / (counts[k]! + m));
  }
  return { stats: { levels, counts, means, prior }, oof };
}

function fitTextEncoder(
  texts: readonly string[],
  endings: boolean,
  t: Float64Array,
  nOut: number,
  task: TaskType,
  oofFold: Int32Array,
  nFolds: number,
  seed: number,
): { encoder: TextEncoder; oof: Float64Array[] } | null {
  const n = texts.length;
  const tokens = texts.map((x) => tokenize(x, endings));
  const vocab = fitVocabulary(tokens, n >= 1000 ? 3 : 2);
  if (vocab.tokens.length === 0) return null;
  const sparse = vectorize(tokens, vocab, vocabularyIndex(vocab));
  const V = vocab.tokens.length;
  const loss = task === 'regression' ? 'squared' : 'logistic';
  const oofRaw = new Float64Array(n * nOut);
  for (let f = 0; f < nFolds; f++) {
    const fit: number[] = [];
    const valid: number[] = [];
    for (let i = 0; i < n; i++) (oofFold[i] === f ? valid : fit).push(i);
    const model = fitLinear(sparse, V, t, nOut, loss, Int32Array.from(fit), seed + 101 * (f + 1));
    const s = scoreLinear(model, sparse, V, Int32Array.from(valid));
    for (let r = 0; r < valid.length; r++) for (let o = 0; o < nOut; o++) oofRaw[valid[r]! * nOut + o] = s[r * nOut + o]!;
  }
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const model = fitLinear(sparse, V, t, nOut, loss, all, seed + 7);
  return { encoder: { endings, tokens: vocab.tokens, idf: Array.from(vocab.idf), model }, oof: splitOutputs(oofRaw, nOut, n) };
}

const DAY = 86400;

/** Date parts of epoch seconds (UTC wall clock): NaN in, NaN out. */
export function dateParts(values: Float64Array, hasTime: boolean): [FeaturePart, Float64Array][] {
  const n = values.length;
  const parts: FeaturePart[] = ['year', 'month', 'day', 'weekday', 'dayofyear', ...(hasTime ? (['hour'] as const) : []), 'elapsed'];
  const cols = parts.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const t = values[i]!;
    if (Number.isNaN(t)) {
      for (const c of cols) c[i] = NaN;
      continue;
    }
    const d = new Date(t * 1000);
    const year = d.getUTCFullYear();
    const startOfYear = Date.UTC(year, 0, 1) / 1000;
    const row = [
      year,
      d.getUTCMonth() + 1,
      d.getUTCDate(),
      d.getUTCDay(),
      Math.floor((t - startOfYear) / DAY) + 1,
      ...(hasTime ? [d.getUTCHours()] : []),
      t / DAY,
    ];
    for (let p = 0; p < cols.length; p++) cols[p]![i] = row[p]!;
  }
  return parts.map((p, k) => [p, cols[k]!]);
}
