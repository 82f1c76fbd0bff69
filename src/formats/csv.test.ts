import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvEscape, csvLines, isFormulaLike, toCsvLine, writeCsv } from './csv.js';
import { CsvRecordReader, parseCsvRecords, type RecordSink } from './csv-reader.js';

describe('csv writing', () => {
  it('quotes only what needs quoting', () => {
    expect(csvEscape('plain')).toBe('plain');
    expect(csvEscape('a,b')).toBe('"a,b"');
    expect(csvEscape('say "hi"')).toBe('"say ""hi"""');
    expect(csvEscape('two\nlines')).toBe('"two\nlines"');
    expect(csvEscape(' padded')).toBe('" padded"');
    expect(csvEscape(null)).toBe('');
    expect(csvEscape(1.5)).toBe('1.5');
    expect(toCsvLine(['a', 1, null, 'x,y'])).toBe('a,1,,"x,y"');
  });

  it('writes a document with \\n line ends and an optional BOM', () => {
    expect(writeCsv(['h1', 'h2'], [['1', 'a,b']])).toBe('h1,h2\n1,"a,b"\n');
    expect(writeCsv(['列'], [['値']], { bom: true })).toBe('\uFEFF列\n値\n');
  });

  it('streams the same document line by line', () => {
    const rows = [
      ['1', 'a,b'],
      ['2', ''],
    ];
    expect([...csvLines(['h1', 'h2'], rows, { bom: true })].join('')).toBe(writeCsv(['h1', 'h2'], rows, { bom: true }));
  });

  it('round-trips through the reader', () => {
    const rows = [
      ['a', 'b,c', 'd"e', 'f\ng', ''],
      ['1', '2', '3', '4', '5'],
    ];
    expect(parseCsvRecords(writeCsv(rows[0]!, [rows[1]!]))).toEqual(rows);
  });
});

describe('CsvRecordReader', () => {
  it('parses quoted fields with delimiters, quotes and line breaks', () => {
    const text = 'id,note\n1,"a, b"\n2,"say ""hi"""\n3,"two\r\nlines"\r\n4,\n';
    expect(parseCsvRecords(text)).toEqual([
      ['id', 'note'],
      ['1', 'a, b'],
      ['2', 'say "hi"'],
      ['3', 'two\r\nlines'],
      ['4', ''],
    ]);
  });

  it('reads TSV and a last line without a line break, skipping blank lines', () => {
    expect(parseCsvRecords('a\tb\n\n1\t2\n\n3\t"x\ty"', '\t')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', 'x\ty'],
    ]);
  });

  it('gives the same records whatever the chunking, with physical line numbers and raw text', () => {
    const text = 'h1,h2\r\n"multi\nline",x\r\n\r\nlast,"q""q"\r\n';
    for (let size = 1; size <= text.length; size++) {
      const got: [number, string[], string | null][] = [];
      const reader = new CsvRecordReader(',', { keepRaw: true });
      const sink: RecordSink = (fields, n, line, raw) => got.push([line, fields.slice(0, n), raw]);
      for (let i = 0; i < text.length; i += size) reader.push(text.slice(i, i + size), sink);
      reader.end(sink);
      expect(got).toEqual([
        [1, ['h1', 'h2'], 'h1,h2'],
        [2, ['multi\nline', 'x'], '"multi\nline",x'],
        [5, ['last', 'q"q'], 'last,"q""q"'],
      ]);
    }
  });

  it('reads a one-column file and mixes fast (plain) and slow (quoted) lines', () => {
    const lines = ['only', ...Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? `"q${i}"` : `v${i}`))];
    const records = parseCsvRecords(lines.join('\n'));
    expect(records).toHaveLength(1001);
    expect(records[1]).toEqual(['q0']);
    expect(records[1000]).toEqual(['q999']);
    expect(parseCsvRecords('a,b\n1,2\n"x",3\n4,5\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['x', '3'],
      ['4', '5'],
    ]);
  });

  it('keeps a trailing empty field', () => {
    expect(parseCsvRecords('a,b\n1,')).toEqual([
      ['a', 'b'],
      ['1', ''],
    ]);
  });
});

describe('CsvRecordReader against csv-parse (reference) on random documents', () => {
  /** Deterministic LCG. */
  function lcg(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }
  const ALPHABET = ['a', 'b', 'Z', '1', ' ', '山', 'ｶ', ',', '"', '\n', '\r\n', '\t'];

  it('agrees on 200 random documents in random chunkings', async () => {
    const { parse } = await import('csv-parse/sync');
    const rand = lcg(7);
    for (let doc = 0; doc < 200; doc++) {
      const nColumns = 1 + Math.floor(rand() * 4);
      const rows: string[][] = [];
      for (let r = 0; r < 1 + Math.floor(rand() * 20); r++) {
        rows.push(
          Array.from({ length: nColumns }, () => {
            let v = '';
            for (let k = Math.floor(rand() * 6); k > 0; k--) v += ALPHABET[Math.floor(rand() * ALPHABET.length)];
            return v;
          }),
        );
      }
      // Quote every field that needs it; sometimes quote plain ones too. Lines end in \n or \r\n.
      const eol = rand() < 0.5 ? '\n' : '\r\n';
      const text =
        rows.map((row) => row.map((v) => (/[",\r\n]/.test(v) || rand() < 0.2 ? `"${v.replace(/"/g, '""')}"` : v)).join(',')).join(eol) +
        (rand() < 0.5 ? eol : '');
      // A one-column row holding '' is a blank line when unquoted: both parsers skip it, so compare without such rows.
      const isBlank = (r: string[]): boolean => r.length === 1 && r[0] === '';
      const expected = (parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][]).filter((r) => !isBlank(r));
      const chunkSize = 1 + Math.floor(rand() * 16);
      const got: string[][] = [];
      const reader = new CsvRecordReader(',');
      const sink: RecordSink = (fields, n) => got.push(fields.slice(0, n));
      for (let i = 0; i < text.length; i += chunkSize) reader.push(text.slice(i, i + chunkSize), sink);
      reader.end(sink);
      expect(got.filter((r) => !isBlank(r))).toEqual(expected);
    }
  });
});

describe('formula neutralisation (OWASP CSV injection)', () => {
  it("prefixes text cells that start with = + - @ tab or CR with ' and quotes them", () => {
    expect(csvEscape('=1+1')).toBe(`"'=1+1"`);
    expect(csvEscape('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvEscape('+81 3-1234')).toBe(`"'+81 3-1234"`);
    expect(csvEscape('-cmd|x')).toBe(`"'-cmd|x"`);
    expect(csvEscape('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvEscape('\t=1')).toBe(`"'\t=1"`);
    expect(csvEscape('\r=1')).toBe(`"'\r=1"`);
    expect(csvEscape('-')).toBe(`"'-"`);
  });

  it('keeps numbers numbers, and text that only contains those characters later', () => {
    for (const s of ['-1.5', '+3', '-0.5e-3', '-.5', '1=1', 'a-b', 'x@y.z']) expect(csvEscape(s)).toBe(s);
    expect(csvEscape(-1.5)).toBe('-1.5');
    expect(toCsvLine(['=x', -2, '-2'])).toBe(`"'=x",-2,-2`);
  });

  it('never writes a cell a spreadsheet would evaluate, and reads back as the text or the text after its quote', () => {
    const cell = fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', ',', '1', '.', 'e', 'a', ' '), maxLength: 8 });
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 4 }), (cells) => {
        const line = toCsvLine(cells);
        const [back] = parseCsvRecords(`${line}\n`);
        const expected = cells.map((s) => (isFormulaLike(s) ? `'${s}` : s));
        // A lone empty cell is a blank line, which the reader skips.
        if (cells.length === 1 && cells[0] === '') return;
        expect(back).toEqual(expected);
        for (const read of back!) expect(isFormulaLike(read)).toBe(false);
      }),
      { numRuns: 3000, seed: 9 },
    );
  });
});
