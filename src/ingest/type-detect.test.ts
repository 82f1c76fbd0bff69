import { describe, expect, it } from 'vitest';
import { availableTypesFor, detectColumnType } from './type-detect.js';

describe('detectColumnType', () => {
  it.each([
    ['n', ['1', '-2', '', '30'], { type: 'integer' }],
    ['x', ['1', '2.5', '1e3', '.5'], { type: 'float' }],
    ['c', ['red', 'blue', 'red'], { type: 'string' }],
    ['mixed', ['1', 'two'], { type: 'string' }],
    ['d', ['2019-01-05', '2019-12-31', ''], { type: 'date', dateFormat: 'yyyy-MM-dd' }],
    ['application_date', ['20150905', '20160115'], { type: 'date', dateFormat: 'yyyyMMdd' }],
    ['code', ['12345678', '87654321'], { type: 'integer' }],
    ['amount', ['2011', '2012'], { type: 'integer' }],
    ['year', ['2011', '2012'], { type: 'date', dateFormat: 'yyyy' }],
    ['empty', ['', ''], { type: 'string' }],
    ['review', ['This product arrived quickly and works exactly as described in the listing.'], { type: 'text' }],
    ['words', ['a b c d e f', 'g h i j k l m'], { type: 'text' }],
    ['ja', ['これは四十文字を超える長い日本語の文章です。テキストとして扱われるべきでしょう。とても長いですね。'], { type: 'text' }],
  ] as const)('%s', (name, values, expected) => {
    expect(detectColumnType(name, values, 2026)).toEqual(expected);
  });

  it('lists the types a user may switch to', () => {
    expect(availableTypesFor({ type: 'integer' })).toEqual(['ignore', 'integer', 'float', 'string']);
    expect(availableTypesFor({ type: 'string' })).toEqual(['ignore', 'string', 'text']);
    expect(availableTypesFor({ type: 'date', dateFormat: 'yyyyMMdd' })).toEqual(['ignore', 'integer', 'float', 'string', 'date']);
    expect(availableTypesFor({ type: 'date', dateFormat: 'yyyy-MM-dd' })).toEqual(['ignore', 'string', 'date']);
  });
});
