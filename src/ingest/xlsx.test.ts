/** Excel → CSV: cell types, sheets, headers, limits, on workbooks the tests build with exceljs. */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.js';
import { cellText, columnLetters, convertXlsxToCsv } from './xlsx.js';
import { sheetsOf } from './xlsx-package.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yosoku-xlsx-'));
});

async function workbook(build: (wb: ExcelJS.Workbook) => void, name = 'book.xlsx'): Promise<string> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  const path = join(dir, `${Math.random().toString(36).slice(2)}-${name}`);
  await wb.xlsx.writeFile(path);
  return path;
}

async function convert(src: string, opts: { sheet?: string; maxBytes?: number; maxXmlBytes?: number } = {}) {
  const dest = `${src}.csv`;
  const facts = await convertXlsxToCsv(src, dest, { maxBytes: 1 << 26, ...opts });
  return { facts, csv: await readFile(dest, 'utf8') };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('convertXlsxToCsv', () => {
  it('carries numbers, text, booleans, dates, date-times and formulas over as CSV text', async () => {
    const path = await workbook((wb) => {
      const ws = wb.addWorksheet('顧客');
      ws.addRow(['名前', '登録日', '時刻', '金額', '倍', 'フラグ', 'メモ']);
      ws.addRow([
        '山田',
        new Date(Date.UTC(2024, 0, 5)),
        new Date(Date.UTC(2024, 0, 5, 13, 30, 15)),
        1200.5,
        { formula: 'D2*2', result: 2401 },
        true,
        'a, "b"\nc',
      ]);
      ws.addRow(['佐藤', new Date(Date.UTC(1999, 11, 31)), new Date(Date.UTC(2000, 1, 29, 0, 0, 0)), -3, { formula: 'D3*0', result: 0 }, false, '']);
      ws.getColumn(2).numFmt = 'yyyy/mm/dd';
      ws.getColumn(3).numFmt = 'yyyy-mm-dd hh:mm:ss';
    });
    const { facts, csv } = await convert(path);
    expect(csv).toBe(
      '名前,登録日,時刻,金額,倍,フラグ,メモ\n' +
        '山田,2024-01-05,2024-01-05 13:30:15,1200.5,2401,TRUE,"a, ""b""\nc"\n' +
        '佐藤,1999-12-31,2000-02-29 00:00:00,-3,0,FALSE,\n',
    );
    expect(facts).toMatchObject({ sheet: '顧客', sheets: ['顧客'], columns: 7, rows: 2 });
    expect(facts.csvBytes).toBe(Buffer.byteLength(csv));
  });

  it('reads formula results under a date format as dates, and error cells as missing', () => {
    expect(cellText({ formula: 'A1+1', result: 45296 } as ExcelJS.CellValue, 'yyyy-mm-dd', false)).toBe('2024-01-05');
    expect(cellText({ formula: 'A1+1', result: 45296.5 } as ExcelJS.CellValue, 'm/d/yy h:mm', false)).toBe('2024-01-05 12:00:00');
    expect(cellText({ formula: 'A1', result: 0 } as ExcelJS.CellValue, 'yyyy-mm-dd', true)).toBe('1904-01-01');
    expect(cellText({ formula: 'VLOOKUP(1)', result: { error: '#N/A' } } as unknown as ExcelJS.CellValue, undefined, false)).toBe('');
    expect(cellText({ error: '#DIV/0!' } as ExcelJS.CellValue, undefined, false)).toBe('');
    expect(cellText({ richText: [{ text: '東京' }, { text: '都' }] } as ExcelJS.CellValue, undefined, false)).toBe('東京都');
    expect(cellText(0.1 + 0.2, '0.00', false)).toBe('0.30000000000000004');
    expect(cellText(Number.NaN, undefined, false)).toBe('');
  });

  it('reads packages whatever the order of their parts (LibreOffice writes workbook.xml and styles last)', async () => {
    const path = await workbook((wb) => {
      const ws = wb.addWorksheet('L');
      ws.addRows([
        ['d', 'n'],
        [new Date(Date.UTC(2020, 4, 6)), 1],
      ]);
      ws.getColumn(1).numFmt = 'yyyy-mm-dd';
    });
    const order = ['xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/worksheets/sheet1.xml', 'xl/styles.xml', '[Content_Types].xml', 'xl/workbook.xml'];
    const parts = new Map<string, Buffer>();
    const zf = await yauzl.openPromise(path, { lazyEntries: true });
    for await (const e of zf.eachEntry()) {
      if (e.fileName.endsWith('/')) continue;
      const chunks: Buffer[] = [];
      for await (const c of await zf.openReadStreamPromise(e)) chunks.push(c as Buffer);
      parts.set(e.fileName, Buffer.concat(chunks));
    }
    zf.close();
    const out = new yazl.ZipFile();
    for (const name of [...order, ...[...parts.keys()].filter((n) => !order.includes(n))]) if (parts.has(name)) out.addBuffer(parts.get(name)!, name);
    out.end();
    const chunks: Buffer[] = [];
    for await (const c of out.outputStream) chunks.push(c as Buffer);
    const reordered = join(dir, 'libreoffice-order.xlsx');
    await writeFile(reordered, Buffer.concat(chunks));
    expect((await convert(reordered)).csv).toBe('d,n\n2020-05-06,1\n');
  });

  it('takes the first sheet in tab order, or the one named by sheet=', async () => {
    const path = await workbook((wb) => {
      wb.addWorksheet('Summary').addRows([
        ['k', 'v'],
        ['a', 1],
      ]);
      wb.addWorksheet('Data').addRows([
        ['x', 'y'],
        [1, 2],
        [3, 4],
      ]);
    });
    expect((await convert(path)).csv).toBe('k,v\na,1\n');
    const data = await convert(path, { sheet: 'Data' });
    expect(data.csv).toBe('x,y\n1,2\n3,4\n');
    expect(data.facts).toMatchObject({ sheet: 'Data', sheets: ['Summary', 'Data'], rows: 2 });
    expect((await convert(path, { sheet: 'data' })).facts.sheet).toBe('Data');
    const e = await failure(convert(path, { sheet: 'Nope' }));
    expect(e.kind).toBe('BAD_WORKBOOK');
    expect(e.detail).toBe('sheet="Nope": the workbook has no such sheet; it has "Summary", "Data"');
  });

  it('skips blank rows, starts at the first filled row and column, and keeps empty cells as missing', async () => {
    const path = await workbook((wb) => {
      const ws = wb.addWorksheet('S');
      ws.getCell('B3').value = 'a';
      ws.getCell('C3').value = 'b';
      ws.getCell('B4').value = 1;
      ws.getCell('C6').value = 2;
      ws.getCell('B7').value = null;
    });
    expect((await convert(path)).csv).toBe('a,b\n1,\n,2\n');
  });

  it('names a merged header range, an empty header cell and a value outside the header', async () => {
    const merged = await workbook((wb) => {
      const ws = wb.addWorksheet('M');
      ws.addRow(['id', 'score', '', 'label']);
      ws.mergeCells('B1:C1');
      ws.addRow([1, 2, 3, 'x']);
    });
    expect((await failure(convert(merged))).detail).toBe('sheet "M": header cells B1:C1 are merged; unmerge them and give each column its own name in row 1');
    const empty = await workbook((wb) => {
      const ws = wb.addWorksheet('E');
      ws.addRow(['id', null, 'label']);
      ws.addRow([1, 2, 'x']);
    });
    expect((await failure(convert(empty))).detail).toBe('sheet "E": header cell B1 is empty; every column between A and C needs a name in row 1');
    const outside = await workbook((wb) => {
      const ws = wb.addWorksheet('O');
      ws.addRow(['id', 'label']);
      ws.addRow([1, 'x', 'stray']);
    });
    expect((await failure(convert(outside))).detail).toBe(
      'sheet "O": cell C2 has a value, but the header (row 1) spans only columns A to B; give that column a header or clear the cell',
    );
    const blank = await workbook((wb) => void wb.addWorksheet('Blank'));
    expect((await failure(convert(blank))).detail).toBe('sheet "Blank" is empty');
  });

  it('refuses files that are not workbooks, and CSV output over the limit', async () => {
    const text = join(dir, 'not.xlsx');
    await writeFile(text, 'a,b\n1,2\n');
    expect((await failure(convert(text))).detail).toMatch(/^the file is not an \.xlsx workbook \(not a readable zip archive/);
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from('a,b\n'), 'train_src/a.csv');
    zip.end();
    const chunks: Buffer[] = [];
    for await (const c of zip.outputStream) chunks.push(c as Buffer);
    const zipPath = join(dir, 'csv.zip');
    await writeFile(zipPath, Buffer.concat(chunks));
    expect((await failure(convert(zipPath))).detail).toBe(
      'the file is a zip archive but not an .xlsx workbook: it has no xl/workbook.xml (a zip of CSV files goes to a retrain upload, not here)',
    );
    const big = await workbook((wb) => wb.addWorksheet('B').addRows([['a', 'b'], ...Array.from({ length: 100 }, (_, i) => [i, 'x'.repeat(20)])]));
    expect((await failure(convert(big, { maxBytes: 1000, maxXmlBytes: 1 << 26 }))).kind).toBe('UPLOAD_TOO_LARGE');
    const bomb = await failure(convert(big, { maxXmlBytes: 2000 }));
    expect(bomb.kind).toBe('BAD_WORKBOOK');
    expect(bomb.detail).toMatch(/decompresses to more than 2000 bytes$/);
  });
});

describe('workbook index', () => {
  it('lists sheets in tab order with their files, absolute targets and the 1904 date system', () => {
    const wbXml =
      '<workbook><workbookPr date1904="1"/><sheets><sheet name="B &amp; C" sheetId="2" r:id="rId2"/><sheet name="A" sheetId="1" state="hidden" r:id="rId1"/></sheets></workbook>';
    const rels =
      '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Target="/xl/worksheets/other.xml"/></Relationships>';
    expect(sheetsOf(wbXml, rels)).toEqual({
      sheets: [
        { name: 'B & C', state: 'visible', path: 'xl/worksheets/other.xml' },
        { name: 'A', state: 'hidden', path: 'xl/worksheets/sheet1.xml' },
      ],
      date1904: true,
    });
  });

  it('spells column letters', () => {
    expect([1, 26, 27, 52, 703].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'AZ', 'AAA']);
  });
});
