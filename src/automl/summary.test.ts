import { describe, expect, it } from 'vitest';
import type { TypedColumn } from '../table/table.js';
import type { Item } from './explain.js';
import { analysisSummaryCsv, columnImportance, summarizeColumns } from './summary.js';
import { stringColumn } from './test-fixtures.js';

const item = (column: string, value: string, contribution: number, isWord = false): Item => ({ column, value, isWord, contribution });

describe('columnImportance', () => {
  it("is the mean over rows of |sum of a column's items|, ranked, every planned column listed", () => {
    const rows = [
      [item('a', '1', 0.2), item('a', '1', -0.5), item('b', 'x', 0.1)],
      [item('a', '2', 0.1), item('b', 'y', -0.4)],
    ];
    expect(columnImportance(['a', 'b', 'c'], rows)).toEqual([
      { column: 'b', value: 0.25 },
      { column: 'a', value: 0.2 },
      { column: 'c', value: 0 },
    ]);
  });
});

describe('summarizeColumns', () => {
  const levels = stringColumn('lvl', ['A', 'B', 'A', 'C', 'B', 'A']);
  const num: TypedColumn = { name: 'n', type: 'float', values: Float64Array.of(1, 2, 3, 4, 5, NaN) };
  const source = new Map<string, TypedColumn>([
    ['lvl', levels],
    ['n', num],
  ]);
  const contrib = [0.3, -0.2, 0.1, 0.5, -0.4, 0.2];
  const rows = contrib.map((c, i) => [item('lvl', '', c), item('n', '', -c), ...(i < 4 ? [item('txt', 'good', 0.05, true)] : [])]);
  const rowIndex = Int32Array.from({ length: 6 }, (_, i) => i);

  it('groups levels, numeric ranges (missing apart) and words, top items up and down', () => {
    const [lvl, n, txt] = summarizeColumns(
      [
        { column: 'lvl', value: 1 },
        { column: 'n', value: 1 },
        { column: 'txt', value: 1 },
      ],
      rows,
      rowIndex,
      source,
    );
    expect(lvl!.up.map((g) => g.content)).toEqual(['C', 'A']);
    expect(lvl!.up[1]).toMatchObject({ content: 'A', count: 3, proportion: 0.5 });
    expect(lvl!.up[1]!.score).toBeCloseTo(0.2, 12);
    expect(lvl!.down.map((g) => g.content)).toEqual(['B']);
    expect(n!.down.some((g) => g.content === '(missing)')).toBe(true);
    expect(n!.up.every((g) => /_/.test(g.content))).toBe(true);
    // Words need at least 3 rows.
    expect(txt!.up).toEqual([{ content: 'good', lower: 0, upper: 0, score: 0.05, proportion: 4 / 6, count: 4 }]);
  });

  it('writes analysis_summary.csv with a BOM, per-direction columns and bar lengths 1–7', () => {
    const summaries = summarizeColumns([{ column: 'lvl', value: 0.3 }], rows, rowIndex, source);
    const csv = analysisSummaryCsv([{ classLabel: null, summaries }], ['yes', 'no']);
    const [header, first] = csv.split('\n');
    expect(header!.charCodeAt(0)).toBe(0xfeff);
    expect(header).toContain('yes_#1_item_content');
    expect(header).toContain('no_#3_item_content_number');
    expect(header).not.toContain('Classification');
    const cells = first!.split(',');
    expect(cells.slice(0, 4)).toEqual(['1', 'lvl', '0.3', 'C']);
    expect(cells[6]).toBe('7');
  });
});
