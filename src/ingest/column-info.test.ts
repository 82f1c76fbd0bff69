import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { checkColumnInfo, parseColumnInfoCsv } from './column-info.js';
import { AppError } from '../domain/errors.js';

const SAMPLE =
  'column_name,column_type\nプレミアムサービス(予測対象),string\n入会時期,date\n年齢,float\n性別,string\nメモ,text\n会員番号,ignore\n件数,integer\n';
const EXPECTED = {
  'プレミアムサービス(予測対象)': 'string',
  入会時期: 'date',
  年齢: 'float',
  性別: 'string',
  メモ: 'text',
  会員番号: 'ignore',
  件数: 'integer',
};

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('parseColumnInfoCsv', () => {
  it('reads the manual sample as UTF-8 with BOM, without BOM and as Shift_JIS', () => {
    expect({ ...parseColumnInfoCsv(Buffer.from('\uFEFF' + SAMPLE)) }).toEqual(EXPECTED);
    expect({ ...parseColumnInfoCsv(Buffer.from(SAMPLE)) }).toEqual(EXPECTED);
    expect({ ...parseColumnInfoCsv(iconv.encode(SAMPLE, 'cp932')) }).toEqual(EXPECTED);
  });

  it('tolerates CRLF, case and spaces in types, and blank lines', () => {
    expect({ ...parseColumnInfoCsv(Buffer.from('Column_Name,Column_Type\r\na, Float \r\n\r\n"b,c",STRING\r\n')) }).toEqual({ a: 'float', 'b,c': 'string' });
  });

  it('names the line of an unknown type', () => {
    const err = errorOf(() => parseColumnInfoCsv(Buffer.from('column_name,column_type\na,float\nb,number\n')));
    expect(err.kind).toBe('BAD_COLUMN_INFO');
    expect(err.facts).toEqual({ line: 3, value: 'number' });
    expect(err.message).toContain('line 3');
  });

  it('rejects a bad header, a wrong field count, an empty name and a repeated column', () => {
    expect(errorOf(() => parseColumnInfoCsv(Buffer.from('name,type\na,float\n'))).facts.line).toBe(1);
    expect(errorOf(() => parseColumnInfoCsv(Buffer.from(''))).kind).toBe('BAD_COLUMN_INFO');
    expect(errorOf(() => parseColumnInfoCsv(Buffer.from('column_name,column_type\na,float,x\n'))).facts.line).toBe(2);
    expect(errorOf(() => parseColumnInfoCsv(Buffer.from('column_name,column_type\n,float\n'))).facts.line).toBe(2);
    expect(errorOf(() => parseColumnInfoCsv(Buffer.from('column_name,column_type\na,float\na,string\n'))).facts.line).toBe(3);
  });

  it('checks names against the data file', () => {
    expect(() => checkColumnInfo({ a: 'float' }, ['a', 'b'])).not.toThrow();
    expect(errorOf(() => checkColumnInfo({ c: 'float' }, ['a', 'b'])).kind).toBe('UNKNOWN_COLUMN');
  });
});
