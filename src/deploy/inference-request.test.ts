import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.js';
import { decodeBase64Strict, parseInferenceRequest } from './inference-request.js';

const b64 = (text: string | Uint8Array): string => Buffer.from(text).toString('base64');
const pr = (csv: string) => ({ name: 'pr', type: 'csv', data: b64(csv) });

function detailOf(body: unknown): string {
  try {
    parseInferenceRequest(body);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect([e.code, e.error, e.message, e.status]).toEqual([4001030104, 'BAD_REQUEST', 'Invalid request', 400]);
    return e.detail!;
  }
  throw new Error(`accepted ${JSON.stringify(body)}`);
}

describe('decodeBase64Strict', () => {
  it('decodes padded, unpadded and line-wrapped base64', () => {
    expect(decodeBase64Strict('YSxiCjEsMgo=')?.toString()).toBe('a,b\n1,2\n');
    expect(decodeBase64Strict('YSxiCjEsMgo')?.toString()).toBe('a,b\n1,2\n');
    expect(decodeBase64Strict('YSxi\r\nCjEs\nMgo=')?.toString()).toBe('a,b\n1,2\n');
    expect(decodeBase64Strict('')?.length).toBe(0);
  });

  it('rejects garbage', () => {
    for (const bad of ['not base64!', 'YSxiCjEsMgo==', 'YSx', 'Y', 'YR==', 'YQ=', 'YQ==YQ==', 'YS_i', 'a=bc']) {
      expect(decodeBase64Strict(bad), bad).toBeNull();
    }
  });
});

describe('parseInferenceRequest', () => {
  it('applies the CLI defaults when only pr is given', () => {
    const req = parseInferenceRequest({ inputs: [pr('a,b\n1,2\n')] });
    expect(req).toEqual({
      csvText: 'a,b\n1,2\n',
      encoding: 'utf-8',
      csvBytes: 8,
      flags: { withReasons: true, appendInput: false, omitLabel: true, omitRowNumber: false, keyColumn: null },
    });
  });

  it('reads the documented body', () => {
    const req = parseInferenceRequest({
      inputs: [
        pr('顧客ランク,年齢\nゴールド,42\n'),
        { name: 'ar', type: 'boolean', data: false },
        { name: 'ad', type: 'boolean', data: true },
        { name: 'nc', type: 'boolean', data: false },
        { name: 'nr', type: 'boolean', data: 'true' },
        { name: 'pc', type: 'string', data: '年齢' },
      ],
    });
    expect(req.csvText).toBe('顧客ランク,年齢\nゴールド,42\n');
    expect(req.flags).toEqual({ withReasons: false, appendInput: true, omitLabel: false, omitRowNumber: true, keyColumn: '年齢' });
  });

  it('decodes UTF-8 with BOM and Shift_JIS', () => {
    const withBom = parseInferenceRequest({
      inputs: [{ name: 'pr', type: 'csv', data: b64(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('名前\n山田\n')])) }],
    });
    expect([withBom.csvText, withBom.encoding]).toEqual(['名前\n山田\n', 'utf-8-bom']);
    const sjis = parseInferenceRequest({ inputs: [{ name: 'pr', type: 'csv', data: b64(iconv.encode('名前\n山田①\n', 'cp932')) }] });
    expect([sjis.csvText, sjis.encoding]).toEqual(['名前\n山田①\n', 'shift_jis']);
  });

  it('refuses bytes that are neither UTF-8 nor Shift_JIS', () => {
    expect(detailOf({ inputs: [{ name: 'pr', type: 'csv', data: b64(new Uint8Array([0x61, 0x0a, 0xff, 0xff, 0x0a])) }] })).toMatch(
      /neither UTF-8 nor Shift_JIS/,
    );
  });

  it('names the problem in the detail', () => {
    expect(detailOf(null)).toMatch(/JSON object/);
    expect(detailOf([])).toMatch(/JSON object/);
    expect(detailOf({})).toBe('inputs: must be an array, got nothing');
    expect(detailOf({ inputs: [] })).toMatch(/"pr".*is required/);
    expect(detailOf({ inputs: ['pr'] })).toBe('inputs[0]: must be an object {name, type, data}');
    expect(detailOf({ inputs: [{ name: 'xx', type: 'csv', data: '' }] })).toBe('inputs[0].name: must be one of pr, ar, ad, nc, nr, pc, got "xx"');
    expect(detailOf({ inputs: [{ name: 'pr', type: 'string', data: b64('a\n1\n') }] })).toBe('inputs[0].type: "pr" must have type "csv", got "string"');
    expect(detailOf({ inputs: [{ name: 'pr', type: 'csv', data: 'a,b\n1,2' }] })).toBe('inputs[0].data: not valid base64');
    expect(detailOf({ inputs: [{ name: 'pr', type: 'csv', data: '' }] })).toMatch(/non-empty base64/);
    expect(detailOf({ inputs: [{ name: 'pr', type: 'csv', data: 42 }] })).toMatch(/non-empty base64/);
    expect(detailOf({ inputs: [pr('a\n1\n'), pr('a\n1\n')] })).toBe('inputs[1].name: "pr" is given more than once');
    expect(detailOf({ inputs: [pr('a\n1\n'), { name: 'ar', type: 'boolean', data: 1 }] })).toBe('inputs[1].data: must be a boolean, got 1');
    expect(detailOf({ inputs: [pr('a\n1\n'), { name: 'nc', type: 'string', data: true }] })).toMatch(/"nc" must have type "boolean"/);
    expect(detailOf({ inputs: [pr('a\n1\n'), { name: 'pc', type: 'string', data: '' }] })).toMatch(/non-empty column name/);
  });

  it('enforces the CSV size limit', () => {
    expect(() => parseInferenceRequest({ inputs: [pr('a\n12345\n')] }, { maxCsvBytes: 4 })).toThrow(AppError);
    expect(parseInferenceRequest({ inputs: [pr('a\n1\n')] }, { maxCsvBytes: 4 }).csvBytes).toBe(4);
  });
});
