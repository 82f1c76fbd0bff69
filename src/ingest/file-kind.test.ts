/** Binary files sent as CSV are recognised by their first bytes. */
import { describe, expect, it } from 'vitest';
import { binaryKindOf, describeBinaryKind } from './file-kind.js';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('binaryKindOf', () => {
  it('tells an xlsx package from another zip, and knows xls, gzip and pdf', () => {
    const local = [0x50, 0x4b, 0x03, 0x04, ...new Array(26).fill(0)];
    expect(binaryKindOf(Uint8Array.from([...local, ...Buffer.from('[Content_Types].xml')]))).toBe('xlsx');
    expect(binaryKindOf(Uint8Array.from([...local, ...Buffer.from('xl/workbook.xml')]))).toBe('xlsx');
    expect(binaryKindOf(Uint8Array.from([...local, ...Buffer.from('train_src/a.csv')]))).toBe('zip');
    expect(binaryKindOf(bytes(0x50, 0x4b, 0x05, 0x06))).toBe('zip');
    expect(binaryKindOf(bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0))).toBe('xls');
    expect(binaryKindOf(bytes(0x1f, 0x8b, 8))).toBe('gzip');
    expect(binaryKindOf(Buffer.from('%PDF-1.7'))).toBe('pdf');
  });

  it('leaves text alone, including CSV that starts with PK', () => {
    expect(binaryKindOf(Buffer.from('PK,name\n1,a\n'))).toBeNull();
    expect(binaryKindOf(Buffer.from('a,b\n'))).toBeNull();
    expect(binaryKindOf(bytes())).toBeNull();
    expect(describeBinaryKind('xls')).toMatch(/^the file is an Excel 97-2003 workbook/);
  });
});
