/**
 * The reader's robustness: any text in any chunking gives the records of a one-piece read, the work
 * is linear in the input (counted by `charsExamined`, not timed), and an over-long record is a typed
 * error instead of minutes of CPU.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvRecordReader, CsvRecordTooLong, type RecordSink } from './csv-reader.js';

interface ReadOutcome {
  readonly records: [number, string[], string | null][];
  readonly charsExamined: number;
}

function readChunked(text: string, cuts: readonly number[], opts: { maxRecordChars?: number } = {}): ReadOutcome {
  const records: [number, string[], string | null][] = [];
  const reader = new CsvRecordReader(',', { keepRaw: true, ...opts });
  const sink: RecordSink = (fields, n, line, raw) => records.push([line, fields.slice(0, n), raw]);
  let start = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut > start && cut < text.length) {
      reader.push(text.slice(start, cut), sink);
      start = cut;
    }
  }
  reader.push(text.slice(start), sink);
  reader.end(sink);
  return { records, charsExamined: reader.charsExamined };
}

/** Text over the characters that matter to the grammar. */
const csvText = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', '山'), maxLength: 120 });

describe('CsvRecordReader on generated input', () => {
  it('gives the same records and line numbers whatever the chunking', () => {
    fc.assert(
      fc.property(csvText, fc.array(fc.nat(120), { maxLength: 12 }), (text, cuts) => {
        const whole = readChunked(text, []);
        const chunked = readChunked(text, cuts);
        expect(chunked.records).toEqual(whole.records);
      }),
      { numRuns: 3000, seed: 3 },
    );
  });

  it('examines each character a bounded number of times, however the input is chunked', () => {
    fc.assert(
      fc.property(csvText, fc.array(fc.nat(120), { maxLength: 40 }), (text, cuts) => {
        expect(readChunked(text, cuts).charsExamined).toBeLessThanOrEqual(4 * text.length);
      }),
      { numRuns: 2000, seed: 4 },
    );
  });

  it('stays linear on one huge record fed in small chunks (the old reader reparsed it per chunk)', () => {
    for (const record of ['x'.repeat(200_000), `"${'y,\n'.repeat(70_000)}"`, `a,"b""${'z'.repeat(200_000)}"`]) {
      const text = `h1,h2\n${record},end\n1,2\n`;
      const cuts = Array.from({ length: Math.floor(text.length / 64) }, (_, i) => (i + 1) * 64);
      const { records, charsExamined } = readChunked(text, cuts);
      expect(records.at(-1)?.[1]).toEqual(['1', '2']);
      expect(charsExamined).toBeLessThanOrEqual(4 * text.length);
    }
  });

  it('stays linear on a file with CR line ends (no LF to find per record)', () => {
    const text = 'a,b,c\r'.repeat(100_000);
    const reader = new CsvRecordReader(',');
    let n = 0;
    reader.push(text, () => n++);
    reader.end(() => n++);
    expect(n).toBe(100_000);
    expect(reader.charsExamined).toBeLessThanOrEqual(4 * text.length);
  });
});

describe('CsvRecordReader record limit', () => {
  it('throws CsvRecordTooLong with the line once a pending record passes maxRecordChars', () => {
    const text = `h\nok\n${'x'.repeat(5000)}\nnext\n`;
    const cuts = Array.from({ length: 100 }, (_, i) => (i + 1) * 64);
    let thrown: unknown;
    try {
      readChunked(text, cuts, { maxRecordChars: 1000 });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(CsvRecordTooLong);
    expect((thrown as CsvRecordTooLong).line).toBe(3);
    expect((thrown as Error).message).toBe('the record starting at line 3 is longer than 1000 characters');
  });

  it('accepts a record of exactly the limit, and counts a quoted multi-line record as one', () => {
    const exact = `${'x'.repeat(1000)}\n`;
    expect(readChunked(exact, [10, 500, 900], { maxRecordChars: 1000 }).records).toHaveLength(1);
    const multiLine = `"${'a\n'.repeat(600)}"\n`;
    expect(() => readChunked(multiLine, [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100], { maxRecordChars: 1000 })).toThrow(CsvRecordTooLong);
  });
});
