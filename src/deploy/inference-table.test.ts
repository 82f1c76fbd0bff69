import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.js';
import { readInferenceTable, type InferenceTableOptions, type ModelInput } from './inference-table.js';

const INPUTS: ModelInput[] = [
  { name: 'age', type: 'integer' },
  { name: 'rank', type: 'string' },
  { name: 'joined', type: 'date' },
  { name: 'note', type: 'text' },
];

function opts(over: Partial<InferenceTableOptions> = {}): InferenceTableOptions {
  return { inputColumns: INPUTS, keyColumn: null, keepInputCells: false, referenceYear: 2026, ...over };
}

function detailOf(csv: string, over: Partial<InferenceTableOptions> = {}): string {
  try {
    readInferenceTable(csv, opts(over));
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe(4001030104);
    return (err as AppError).detail!;
  }
  throw new Error('accepted');
}

describe('readInferenceTable', () => {
  it('types the columns in the model order, whatever the CSV order', () => {
    const t = readInferenceTable('note,joined,rank,age,extra\nhello,2020-01-02,gold,42,x\n,2021-03-04,,7,y\n', opts());
    expect(t.nRows).toBe(2);
    expect(t.invalidRows).toEqual([]);
    expect(t.warnings).toEqual([]);
    expect(Array.from(t.rowNumbers)).toEqual([1, 2]);
    expect(t.table.columns.map((c) => c.name)).toEqual(['age', 'rank', 'joined', 'note']);
    const [age, rank, joined, note] = t.table.columns;
    expect(age).toEqual({ name: 'age', type: 'integer', values: Float64Array.from([42, 7]) });
    expect(rank).toEqual({ name: 'rank', type: 'string', codes: Int32Array.from([0, -1]), levels: ['gold'] });
    expect(joined).toEqual({
      name: 'joined',
      type: 'date',
      values: Float64Array.from([Date.UTC(2020, 0, 2) / 1000, Date.UTC(2021, 2, 4) / 1000]),
      format: 'yyyy-MM-dd',
    });
    expect(note).toEqual({ name: 'note', type: 'text', values: ['hello', ''] });
  });

  it('sets aside unreadable rows with reasons and keeps predicting the others', () => {
    const csv = 'id,age,rank,joined,note\nA,1,gold,2020-01-01,\nB,abc,gold,2020-01-01,\nC,2,silver\nD,3,,2020-13-45,\nE,x,,nope,\nF,4,bronze,2020-02-29,\n';
    const t = readInferenceTable(csv, opts({ keyColumn: 'id', keepInputCells: true }));
    expect(t.nRows).toBe(6);
    expect(Array.from(t.rowNumbers)).toEqual([1, 6]);
    expect(t.keys).toEqual(['A', 'F']);
    expect(t.inputCells).toEqual([
      ['A', '1', 'gold', '2020-01-01', ''],
      ['F', '4', 'bronze', '2020-02-29', ''],
    ]);
    expect(t.invalidRows).toEqual([
      { rowNumber: 2, key: 'B', reason: 'column "age": "abc" is not a number' },
      { rowNumber: 3, key: 'C', reason: 'the row has 3 fields, the header has 5' },
      { rowNumber: 4, key: 'D', reason: 'column "joined": "2020-13-45" is not a date in the format yyyy-MM-dd' },
      { rowNumber: 5, key: 'E', reason: 'column "age": "x" is not a number; column "joined": "nope" is not a date in the format yyyy-MM-dd' },
    ]);
  });

  it('reads a missing model column as missing values and warns', () => {
    const t = readInferenceTable('age,rank\n5,gold\n', opts());
    expect(t.warnings).toEqual([
      'column "joined" is missing from the CSV; it was read as missing in every row',
      'column "note" is missing from the CSV; it was read as missing in every row',
    ]);
    const joined = t.table.columns[2]!;
    expect(joined.type === 'date' && Number.isNaN(joined.values[0]!)).toBe(true);
    expect(t.table.columns[3]).toEqual({ name: 'note', type: 'text', values: [''] });
  });

  it('uses the training date format when given', () => {
    const t = readInferenceTable('age,joined\n1,01/02/2020\n', opts({ dateFormats: { joined: 'dd/MM/yyyy' } }));
    const joined = t.table.columns[2]!;
    expect(joined.type === 'date' && joined.values[0]).toBe(Date.UTC(2020, 1, 1) / 1000);
  });

  it('reads tab-separated text and a BOM', () => {
    const t = readInferenceTable('\uFEFFage\trank\n3\tgold\n', opts());
    expect(t.header).toEqual(['age', 'rank']);
    expect(t.table.nRows).toBe(1);
  });

  it('refuses what makes the whole request unusable', () => {
    expect(detailOf('')).toMatch(/empty/);
    expect(detailOf('age,rank\n')).toBe('the CSV has a header but no data rows');
    expect(detailOf('age,age\n1,2\n')).toBe('the CSV header has the column "age" twice');
    expect(detailOf('age,\n1,2\n')).toBe('column 2 of the CSV header has no name');
    expect(detailOf('age\n1\n', { keyColumn: 'id' })).toBe('pc: the column "id" is not in the CSV header');
    expect(detailOf('foo,bar\n1,2\n')).toBe('the CSV has none of the model\'s columns ("age", "rank", "joined", "note")');
    expect(detailOf('age\n1\n2\n3\n', { maxRows: 2 })).toBe('the CSV has more than 2 data rows; send at most 2 per request');
    expect(readInferenceTable('age\n1\n2\n', opts({ maxRows: 2 })).nRows).toBe(2);
  });
});
