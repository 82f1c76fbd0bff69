import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBytes, detectEncoding, utf8ValidPrefix } from './encoding.js';

const JAPANESE = '氏名,ｶﾀｶﾅ,記号\n山田 太郎,ﾔﾏﾀﾞ,①㈱\n';

describe('detectEncoding', () => {
  it('tells UTF-8 with and without BOM from Shift_JIS', () => {
    const utf8 = Buffer.from(JAPANESE, 'utf8');
    expect(detectEncoding(utf8)).toBe('utf-8');
    expect(detectEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]))).toBe('utf-8-bom');
    expect(detectEncoding(iconv.encode(JAPANESE, 'cp932'))).toBe('shift_jis');
    expect(detectEncoding(Buffer.from('a,b\n1,2\n'))).toBe('utf-8');
  });

  it('does not count a character cut by the end of the head as invalid', () => {
    const utf8 = Buffer.from('ab山', 'utf8'); // 山 = 3 bytes
    for (let cut = 3; cut <= utf8.length; cut++) expect(detectEncoding(utf8.subarray(0, cut))).toBe('utf-8');
    expect(utf8ValidPrefix(utf8.subarray(0, 4))).toBe(2);
  });

  it('rejects overlong and surrogate encodings', () => {
    expect(utf8ValidPrefix(new Uint8Array([0xc0, 0x80]))).toBe(-1);
    expect(utf8ValidPrefix(new Uint8Array([0xed, 0xa0, 0x80]))).toBe(-1);
  });
});

describe('decodeBytes', () => {
  it('decodes all three encodings to the same text', () => {
    const utf8 = Buffer.from(JAPANESE, 'utf8');
    expect(decodeBytes(utf8)).toEqual({ text: JAPANESE, encoding: 'utf-8' });
    expect(decodeBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]))).toEqual({ text: JAPANESE, encoding: 'utf-8-bom' });
    expect(decodeBytes(iconv.encode(JAPANESE, 'cp932'))).toEqual({ text: JAPANESE, encoding: 'shift_jis' });
  });
});
