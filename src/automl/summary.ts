/**
 * Global contributions from the evaluation rows' items: importance per original column (and per
 * date part), and the analysis summary of spec §7.2: per column, the top-3 value ranges, levels or
 * words that raise and that lower the prediction, each with its share of rows.
 */
import { toCsvLine } from '../formats/csv.js';
import type { TypedColumn } from '../table/table.js';
import type { Item } from './explain.js';
import { roundSig } from './explain.js';

export const TOP_ITEMS = 3;
const BAR_LEVELS = 7;
const NUMERIC_RANGES = 10;
const MIN_WORD_ROWS = 3;

export interface Importance {
  readonly column: string;
  /** Mean |contribution| over the explained rows (probability or target units). */
  readonly value: number;
}

/** Per-row items already scaled to user units (one array per explained row). */
export type RowItems = readonly (readonly Item[])[];

export function columnImportance(columns: readonly string[], rows: RowItems): Importance[] {
  const sum = new Map<string, number>(columns.map((c) => [c, 0]));
  for (const items of rows) {
    const perCol = new Map<string, number>();
    for (const it of items) perCol.set(it.column, (perCol.get(it.column) ?? 0) + it.contribution);
    for (const [c, v] of perCol) sum.set(c, (sum.get(c) ?? 0) + Math.abs(v));
  }
  const n = Math.max(1, rows.length);
  return [...sum.entries()].map(([column, v]) => ({ column, value: v / n })).sort((a, b) => b.value - a.value || (a.column < b.column ? -1 : 1));
}

export interface SummaryGroup {
  readonly content: string;
  readonly lower: number;
  readonly upper: number;
  readonly score: number;
  readonly proportion: number;
  readonly count: number;
}

export interface ColumnSummary {
  readonly column: string;
  readonly total: number;
  readonly up: readonly SummaryGroup[];
  readonly down: readonly SummaryGroup[];
}

/**
 * @param rowIndex  explained row → row of `source` columns
 */
export function summarizeColumns(
  importance: readonly Importance[],
  rows: RowItems,
  rowIndex: Int32Array,
  source: ReadonlyMap<string, TypedColumn>,
): ColumnSummary[] {
  const n = rows.length;
  return importance.map(({ column, value }) => {
    const col = source.get(column);
    const groups = new Map<string, { lower: number; upper: number; sum: number; count: number }>();
    const add = (key: string, lower: number, upper: number, c: number): void => {
      const g = groups.get(key) ?? { lower, upper, sum: 0, count: 0 };
      g.sum += c;
      g.count++;
      groups.set(key, g);
    };
    const edges = col !== undefined && (col.type === 'integer' || col.type === 'float') ? rangeEdges(col.values, rowIndex) : null;
    let hasWords = false;
    for (let r = 0; r < n; r++) {
      let plain = 0;
      let any = false;
      for (const it of rows[r]!) {
        if (it.column !== column) continue;
        if (it.isWord) {
          hasWords = true;
          add('w\u0000' + it.value, 0, 0, it.contribution);
        } else {
          plain += it.contribution;
          any = true;
        }
      }
      if (!any || col === undefined) continue;
      const i = rowIndex[r]!;
      if (edges !== null) {
        const v = (col as { values: Float64Array }).values[i]!;
        if (Number.isNaN(v)) add('(missing)', 0, 0, plain);
        else {
          let b = 0;
          while (b < edges.length - 2 && v > edges[b + 1]!) b++;
          add(`${fmt(edges[b]!)}_${fmt(edges[b + 1]!)}`, edges[b]!, edges[b + 1]!, plain);
        }
      } else if (col.type === 'date') {
        const v = col.values[i]!;
        add(Number.isNaN(v) ? '(missing)' : String(new Date(v * 1000).getUTCFullYear()), 0, 0, plain);
      } else if (col.type === 'string') {
        add(col.codes[i]! < 0 ? '(missing)' : col.levels[col.codes[i]!]!, 0, 0, plain);
      } else {
        add('(all)', 0, 0, plain);
      }
    }
    const minCount = hasWords ? MIN_WORD_ROWS : 1;
    const list: SummaryGroup[] = [...groups.entries()]
      .filter(([, g]) => g.count >= minCount)
      .map(([key, g]) => ({
        content: key.startsWith('w\u0000') ? key.slice(2) : key,
        lower: g.lower,
        upper: g.upper,
        score: g.sum / g.count,
        proportion: g.count / Math.max(1, n),
        count: g.count,
      }));
    const byKey = (a: SummaryGroup, b: SummaryGroup): number => (a.content < b.content ? -1 : a.content > b.content ? 1 : 0);
    const up = list
      .filter((g) => g.score > 0)
      .sort((a, b) => b.score - a.score || byKey(a, b))
      .slice(0, TOP_ITEMS);
    const down = list
      .filter((g) => g.score < 0)
      .sort((a, b) => a.score - b.score || byKey(a, b))
      .slice(0, TOP_ITEMS);
    return { column, total: value, up, down };
  });
}

function fmt(v: number): string {
  return roundSig(v, 6);
}

/** Decile edges of the explained rows' values (distinct, ascending; first = min, last = max). */
function rangeEdges(values: Float64Array, rowIndex: Int32Array): number[] {
  const v = Array.from(rowIndex, (i) => values[i]!)
    .filter((x) => !Number.isNaN(x))
    .sort((a, b) => a - b);
  if (v.length === 0) return [0, 0];
  const edges: number[] = [v[0]!];
  for (let b = 1; b < NUMERIC_RANGES; b++) {
    const q = v[Math.floor((b * (v.length - 1)) / NUMERIC_RANGES)]!;
    if (q > edges[edges.length - 1]!) edges.push(q);
  }
  if (v[v.length - 1]! > edges[edges.length - 1]! || edges.length === 1) edges.push(v[v.length - 1]!);
  return edges;
}

/**
 * analysis_summary.csv rows (without BOM or header), one block per class for multi-class.
 * @param directions  names of the up and down directions (e.g. the positive and negative class)
 */
export function analysisSummaryCsv(
  blocks: readonly { readonly classLabel: string | null; readonly summaries: readonly ColumnSummary[] }[],
  directions: readonly [string, string],
): string {
  const withClass = blocks.some((b) => b.classLabel !== null);
  const header: string[] = [...(withClass ? ['Classification'] : []), 'Rank (total value of contribution)', 'Item', 'Total value of contribution'];
  for (const dir of directions) {
    for (let k = 1; k <= TOP_ITEMS; k++) {
      const p = `${dir}_#${k}`;
      header.push(
        `${p}_item_content`,
        `${p}_lower limit`,
        `${p}_upper limit`,
        `${p}_contribution_bar_length`,
        `${p}_contribution_score`,
        `${p}_item_proportion`,
        `${p}_item_content_number`,
      );
    }
  }
  let maxScore = 0;
  for (const b of blocks) for (const s of b.summaries) for (const g of [...s.up, ...s.down]) maxScore = Math.max(maxScore, Math.abs(g.score));
  const lines = ['\uFEFF' + toCsvLine(header)];
  for (const b of blocks) {
    b.summaries.forEach((s, rank) => {
      const row: (string | number)[] = [...(withClass ? [b.classLabel ?? ''] : []), rank + 1, s.column, roundSig(s.total)];
      for (const groups of [s.up, s.down]) {
        for (let k = 0; k < TOP_ITEMS; k++) {
          const g = groups[k];
          if (g === undefined) row.push('', '', '', '', '', '', '');
          else {
            const bar = maxScore > 0 ? Math.max(1, Math.ceil((BAR_LEVELS * Math.abs(g.score)) / maxScore)) : 0;
            row.push(g.content, fmt(g.lower), fmt(g.upper), bar, roundSig(g.score), roundSig(g.proportion), g.count);
          }
        }
      }
      lines.push(toCsvLine(row));
    });
  }
  return lines.join('\n') + '\n';
}
