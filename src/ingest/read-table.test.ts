import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.js';
import { parseCsvText, readTypedTable } from './read-table.js';
import type { DateColumn, NumberColumn, StringColumn, TextColumn, TypedTable } from '../table/table.js';
import { withTempDir } from './test-helpers.js';

const CSV = [
  'id,amount,city,joined,note,secret',
  '1,10.5,Tokyo,2019-01-05,"hello, world",x',
  '2,,Osaka,2019-02-05,"line1\nline2",y',
  '3,abc,Tokyo,,"say ""hi""",z',
  '4,-2e3,,2020-12-31,,w',
  '',
].join('\n');
const TYPES = { id: 'integer', amount: 'float', city: 'string', joined: 'date', note: 'text', secret: 'ignore' } as const;

function columnOf<T>(table: TypedTable, name: string): T {
  return table.columns.find((c) => c.name === name) as T;
}

function expectTable(table: TypedTable): void {
  expect(table.nRows).toBe(4);
  expect(table.columns.map((c) => c.type)).toEqual(['integer', 'float', 'string', 'date', 'text', 'ignore']);
  expect([...columnOf<NumberColumn>(table, 'id').values]).toEqual([1, 2, 3, 4]);
  expect([...columnOf<NumberColumn>(table, 'amount').values]).toEqual([10.5, NaN, NaN, -2000]);
  const city = columnOf<StringColumn>(table, 'city');
  expect([...city.codes]).toEqual([0, 1, 0, -1]);
  expect(city.levels).toEqual(['Tokyo', 'Osaka']);
  const joined = columnOf<DateColumn>(table, 'joined');
  expect(joined.format).toBe('yyyy-MM-dd');
  expect([...joined.values]).toEqual([Date.UTC(2019, 0, 5) / 1000, Date.UTC(2019, 1, 5) / 1000, NaN, Date.UTC(2020, 11, 31) / 1000]);
  expect(columnOf<TextColumn>(table, 'note').values).toEqual(['hello, world', 'line1\nline2', 'say "hi"', '']);
}

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('parseCsvText', () => {
  it('types every kind of column', () => {
    expectTable(parseCsvText(CSV, { types: TYPES }));
  });

  it('tolerates a BOM, CRLF and ignores columns not in types', () => {
    const table = parseCsvText('\uFEFFa,b,c\r\n1,x,y\r\n', { types: { a: 'float', c: 'string' } });
    expect(table.columns.map((c) => [c.name, c.type])).toEqual([
      ['a', 'float'],
      ['b', 'ignore'],
      ['c', 'string'],
    ]);
  });

  it('uses a given date format and parses TSV', () => {
    const table = parseCsvText('d\tv\n05-01-2019\t1\n', { delimiter: '\t', types: { d: 'date', v: 'integer' }, dateFormats: { d: 'dd-MM-yyyy' } });
    expect([...columnOf<DateColumn>(table, 'd').values]).toEqual([Date.UTC(2019, 0, 5) / 1000]);
  });

  it('rejects ragged rows with the data row and physical line', () => {
    const err = errorOf(() => parseCsvText('a,b\n1,"x\ny"\n2\n', { types: { a: 'integer' } }));
    expect(err.kind).toBe('RAGGED_ROW');
    expect(err.facts).toEqual({ line: 4, row: 2, expectedFields: 2, actualFields: 1 });
    expect(errorOf(() => parseCsvText('a,b\n1,2,3\n', { types: {} })).facts.actualFields).toBe(3);
  });

  it('rejects duplicate and empty header names, too few columns, an empty input and a missing typed column', () => {
    expect(errorOf(() => parseCsvText('a,b,a\n1,2,3\n', { types: {} })).kind).toBe('DUPLICATE_COLUMN');
    expect(errorOf(() => parseCsvText('a,,c\n1,2,3\n', { types: {} })).kind).toBe('EMPTY_COLUMN_NAME');
    expect(errorOf(() => parseCsvText('a\n1\n', { types: {}, minColumns: 2 })).kind).toBe('TOO_FEW_COLUMNS');
    expect(errorOf(() => parseCsvText('', { types: {} })).kind).toBe('EMPTY_FILE');
    expect(errorOf(() => parseCsvText('a,b\n1,2\n', { types: { c: 'float' } })).kind).toBe('MISSING_COLUMN');
  });
});

describe('readTypedTable', () => {
  it('streams a file into the same table as parseCsvText', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'data.csv');
      await writeFile(path, CSV);
      expectTable(await readTypedTable(path, { delimiter: ',', types: TYPES }));
    });
  });

  it('handles many rows across read chunks and detects a date format from the first values', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'many.csv');
      const nRows = 200_000;
      const lines = ['n,s,d'];
      for (let i = 0; i < nRows; i++) lines.push(`${i},"v${i % 7}",${2000 + (i % 20)}/1/${1 + (i % 28)}`);
      await writeFile(path, lines.join('\n'));
      const table = await readTypedTable(path, { delimiter: ',', types: { n: 'integer', s: 'string', d: 'date' } });
      expect(table.nRows).toBe(nRows);
      const n = columnOf<NumberColumn>(table, 'n').values;
      expect(n[nRows - 1]).toBe(nRows - 1);
      expect(columnOf<StringColumn>(table, 's').levels).toHaveLength(7);
      const d = columnOf<DateColumn>(table, 'd');
      expect(d.format).toBe('yyyy/M/d');
      expect(d.values[nRows - 1]).toBe(Date.UTC(2000 + ((nRows - 1) % 20), 0, 1 + ((nRows - 1) % 28)) / 1000);
    });
  });

  it('reports a ragged row deep in the file', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'ragged.csv');
      await writeFile(path, 'a,b\n' + '1,2\n'.repeat(5000) + '3\n');
      const err = await readTypedTable(path, { delimiter: ',', types: {} }).catch((e: unknown) => e);
      expect((err as AppError).facts).toEqual({ line: 5002, row: 5001, expectedFields: 2, actualFields: 1 });
    });
  });
});
