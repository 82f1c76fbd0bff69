/** The UI's browser-side readers (web/src/zip.ts, web/src/csv.ts), run under Node's web globals. */
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import { base64ToUtf8, parseCsv, toCsv, utf8ToBase64 } from '../../web/src/lib/csv.js';
import { readZip } from '../../web/src/lib/zip.js';

function zipOf(files: { name: string; text: string; compress: boolean }[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const f of files) zip.addBuffer(Buffer.from(f.text), f.name, { compress: f.compress, mtime: new Date(0) });
  zip.end();
  return new Promise((res, rej) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => res(Buffer.concat(chunks)));
    zip.outputStream.on('error', rej);
  });
}

describe('readZip', () => {
  it('reads deflated and stored entries by name, through the central directory', async () => {
    const big = 'metric,value\n' + 'auc,0.9\n'.repeat(5000);
    const bytes = await zipOf([
      { name: 'metrics.csv', text: big, compress: true },
      { name: 'レポート.html', text: '<h1>予測</h1>', compress: false },
    ]);
    const entries = readZip(new Uint8Array(bytes));
    expect([...entries.keys()]).toEqual(['metrics.csv', 'レポート.html']);
    expect(new TextDecoder().decode(await entries.get('metrics.csv')!.read())).toBe(big);
    expect(new TextDecoder().decode(await entries.get('レポート.html')!.read())).toBe('<h1>予測</h1>');
  });

  it('refuses what is not a zip', () => {
    expect(() => readZip(new TextEncoder().encode('not a zip at all, just text that is long enough'))).toThrow('not a zip file');
  });
});

describe('csv', () => {
  it('parses quotes, doubled quotes, CRLF, a BOM and a last line without newline', () => {
    expect(parseCsv('\uFEFFa,"b,1","c ""q"""\r\n1,,"x\ny"\n2,3,4')).toEqual([
      ['a', 'b,1', 'c "q"'],
      ['1', '', 'x\ny'],
      ['2', '3', '4'],
    ]);
  });

  it('writes what it reads, and round-trips UTF-8 through base64', () => {
    const rows = [
      ['年齢', 'メモ'],
      ['30', 'a,"b"\nc'],
    ];
    expect(parseCsv(toCsv(rows))).toEqual(rows);
    const text = toCsv(rows);
    expect(base64ToUtf8(utf8ToBase64(text))).toBe(text);
    expect(Buffer.from(utf8ToBase64(text), 'base64').toString('utf8')).toBe(text);
  });
});
