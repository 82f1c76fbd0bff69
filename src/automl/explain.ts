/**
 * Contributions: SHAP values of the ensemble (weighted sum of the members' raw-margin SHAP values,
 * members.ts),
 * mapped from engine features back to the original columns (date parts summed, text scores split
 * over the row's words), and scaled to the unit the user reads: change in probability
 * (classification) or in the predicted value (regression).
 *
 * Probability scaling: SHAP values φ_f are exact in log-odds; the probability change
 * p − p(base) is shared among features in proportion to φ_f, so that the contributions add up to
 * the probability change exactly (near p(1 − p)·φ for small effects).
 */
import type { TypedColumn, TypedTable } from '../table/table.js';
import type { ColumnPlan, PreprocessPlan, TextDocs } from './plan.js';
import { displayToken } from './text.js';
import type { Reason } from './types.js';

/** One contribution item before ranking: a column, the value or word it is about, its amount. */
export interface Item {
  readonly column: string;
  readonly value: string;
  /** Text items are words; others are the row's value of the column. */
  readonly isWord: boolean;
  readonly contribution: number;
}

/** Readable value of a column in a row ('' when missing). */
export function valueText(col: TypedColumn | undefined, i: number): string {
  if (col === undefined) return '';
  switch (col.type) {
    case 'integer':
    case 'float':
      return Number.isNaN(col.values[i]!) ? '' : formatValue(col.values[i]!);
    case 'string':
      return col.codes[i]! < 0 ? '' : col.levels[col.codes[i]!]!;
    case 'date':
      return Number.isNaN(col.values[i]!) ? '' : formatDate(col.values[i]!);
    case 'text':
      return col.values[i]!;
    default:
      return '';
  }
}

/** Numbers as they read in a reason: integers exactly, others to 6 significant digits. */
export function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

export function formatDate(epochSeconds: number): string {
  const iso = new Date(epochSeconds * 1000).toISOString();
  return epochSeconds % 86400 === 0 ? iso.slice(0, 10) : iso.slice(0, 16).replace('T', ' ');
}

/** Context needed to turn one row's feature SHAP into items. */
export interface ExplainContext {
  readonly plan: PreprocessPlan;
  readonly table: TypedTable;
  readonly docs: TextDocs;
  /** Column index → features of that column (indices into plan.features). */
  readonly featuresOf: ReadonlyMap<string, readonly number[]>;
  readonly columnsByName: ReadonlyMap<string, TypedColumn>;
}

/** Column name → its features (indices into plan.features). */
export function featuresByColumn(plan: PreprocessPlan): ReadonlyMap<string, readonly number[]> {
  const featuresOf = new Map<string, number[]>();
  plan.features.forEach((f, idx) => {
    const list = featuresOf.get(f.column) ?? [];
    list.push(idx);
    featuresOf.set(f.column, list);
  });
  return featuresOf;
}

/** @param featuresOf  featuresByColumn(plan), when the caller keeps it per model */
export function explainContext(plan: PreprocessPlan, table: TypedTable, docs: TextDocs, featuresOf = featuresByColumn(plan)): ExplainContext {
  return { plan, table, docs, featuresOf, columnsByName: new Map(table.columns.map((c) => [c.name, c])) };
}

/**
 * Items of one row for one output, in raw units (log-odds or target units).
 *
 * @param shap  the row's SHAP block for the output: length F + 1 (feature f at [offset + f])
 */
export function rowItems(ctx: ExplainContext, shap: Float64Array, offset: number, row: number): Item[] {
  const items: Item[] = [];
  let hasWords = false;
  for (const p of ctx.plan.columns) {
    const idxs = ctx.featuresOf.get(p.name) ?? [];
    let plain = 0;
    let hasPlain = false;
    for (const f of idxs) {
      const part = ctx.plan.features[f]!.part;
      const phi = shap[offset + f]!;
      if (part.startsWith('text')) {
        splitOverWords(ctx, p, Number(part.slice(4)), phi, row, items);
        hasWords = true;
      } else {
        plain += phi;
        hasPlain = true;
      }
    }
    if (hasPlain && plain !== 0) items.push({ column: p.name, value: valueText(ctx.columnsByName.get(p.name), row), isWord: false, contribution: plain });
  }
  // Without text features every item is its own column's one plain item: nothing to merge.
  return hasWords ? mergeItems(items) : items;
}

/** One item per (column, value, kind): a word scored by several text outputs is one reason. */
function mergeItems(items: Item[]): Item[] {
  const byKey = new Map<string, Item>();
  for (const it of items) {
    const key = `${it.column}\u0000${it.isWord ? 'w' : 'v'}\u0000${it.value}`;
    const prev = byKey.get(key);
    byKey.set(key, prev === undefined ? it : { ...prev, contribution: prev.contribution + it.contribution });
  }
  return [...byKey.values()];
}

function splitOverWords(ctx: ExplainContext, p: ColumnPlan, output: number, phi: number, row: number, items: Item[]): void {
  if (phi === 0) return;
  const text = p.kind === 'text' ? p.text : p.kind === 'category' ? p.text : undefined;
  const docs = ctx.docs.get(p.name);
  if (text === undefined || docs === undefined) return;
  const V = text.tokens.length;
  let total = 0;
  const a = docs.offsets[row]!;
  const b = docs.offsets[row + 1]!;
  for (let e = a; e < b; e++) total += Math.abs(text.model.weights[output * V + docs.ids[e]!]! * docs.values[e]!);
  if (total === 0) {
    items.push({ column: p.name, value: valueText(ctx.columnsByName.get(p.name), row), isWord: false, contribution: phi });
    return;
  }
  // Merge tokens that read the same (a word and its ending) into one item.
  const byWord = new Map<string, number>();
  for (let e = a; e < b; e++) {
    const term = Math.abs(text.model.weights[output * V + docs.ids[e]!]! * docs.values[e]!);
    if (term === 0) continue;
    const w = displayToken(text.tokens[docs.ids[e]!]!);
    byWord.set(w, (byWord.get(w) ?? 0) + (phi * term) / total);
  }
  for (const [w, c] of byWord) items.push({ column: p.name, value: w, isWord: true, contribution: c });
}

/** Factor turning raw-unit contributions of a row into probability changes (1 for regression). */
export function probabilityScale(kind: 'binary' | 'multiclass' | 'regression', raw: Float64Array, base: Float64Array, output: number): number {
  if (kind === 'regression') return 1;
  const p = kind === 'binary' ? sigmoid(raw[0]!) : softmaxAt(raw, output);
  const p0 = kind === 'binary' ? sigmoid(base[0]!) : softmaxAt(base, output);
  const d = kind === 'binary' ? raw[0]! - base[0]! : raw[output]! - base[output]!;
  return Math.abs(d) > 1e-9 ? (p - p0) / d : p * (1 - p);
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

function softmaxAt(v: Float64Array, k: number): number {
  let max = -Infinity;
  for (let j = 0; j < v.length; j++) max = Math.max(max, v[j]!);
  let s = 0;
  for (let j = 0; j < v.length; j++) s += Math.exp(v[j]! - max);
  return Math.exp(v[k]! - max) / s;
}

/** Top `k` items up and down (by contribution), as API reasons. */
export function topReasons(items: readonly Item[], scale: number, k: number): { up: Reason[]; down: Reason[] } {
  const scaled = items.map((it) => ({ column: it.column, value: it.value, contribution: it.contribution * scale }));
  const up = scaled
    .filter((r) => r.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution || cmp(a, b))
    .slice(0, k);
  const down = scaled
    .filter((r) => r.contribution < 0)
    .sort((a, b) => a.contribution - b.contribution || cmp(a, b))
    .slice(0, k);
  return { up, down };
}

function cmp(a: Reason, b: Reason): number {
  const x = a.column + '\u0000' + a.value;
  const y = b.column + '\u0000' + b.value;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `column:value:contribution` as in the product's reason columns. */
export function formatReason(r: Reason): string {
  return `${r.column}:${r.value}:${roundSig(r.contribution)}`;
}

export function roundSig(v: number, digits = 4): string {
  if (v === 0 || !Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(digits)));
}
