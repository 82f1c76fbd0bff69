/**
 * Incremental RFC 4180 record reader: text chunks in, records out, with no row objects.
 *
 * Fields are written into one reused `string[]`; the sink must copy what it keeps. Quoted fields
 * may contain delimiters, quotes (`""`) and line breaks; `\n`, `\r\n` and `\r` end records.
 * Lenient where the RFC is silent: a quote inside an unquoted field is literal, text after a closing
 * quote is appended, and blank lines are skipped (a trailing blank line is common in real files).
 */

const LF = 10;
const CR = 13;
const QUOTE = 34;

/**
 * Receives each record. `fields[0..nFields)` are valid only during the call.
 * `line` is the 1-based physical line where the record starts; `raw` is the record's text without
 * its line end (only when the reader was built with `keepRaw`).
 */
export type RecordSink = (fields: string[], nFields: number, line: number, raw: string | null) => void;

export class CsvRecordReader {
  readonly #delimCode: number;
  readonly #delimiter: string;
  readonly #keepRaw: boolean;
  readonly #fields: string[] = [];
  #buf = '';
  /** Line number where the next record starts. */
  #line = 1;

  constructor(delimiter: string, opts: { keepRaw?: boolean } = {}) {
    if (delimiter.length !== 1) throw new RangeError(`delimiter must be one character, got ${JSON.stringify(delimiter)}`);
    this.#delimCode = delimiter.charCodeAt(0);
    this.#delimiter = delimiter;
    this.#keepRaw = opts.keepRaw ?? false;
  }

  /** Feed a chunk; complete records go to `sink`, an unfinished one waits for the next chunk. */
  push(text: string, sink: RecordSink): void {
    this.#buf = this.#buf.length > 0 ? this.#buf + text : text;
    this.#parse(sink, false);
  }

  /** Flush the last record (a file need not end with a line break). */
  end(sink: RecordSink): void {
    this.#parse(sink, true);
  }

  #parse(sink: RecordSink, isFinal: boolean): void {
    const s = this.#buf;
    const n = s.length;
    const d = this.#delimCode;
    const delimiter = this.#delimiter;
    const fields = this.#fields;
    let pos = 0;
    let leftoverStart = n;
    // Positions of the next quote and CR at or after `pos` (n = none): lines without either take
    // the fast path below, which splits with native `indexOf` instead of a per-character loop.
    let nextQuote = -1;
    let nextCr = -1;
    let nextDelim = -1;
    records: while (pos < n) {
      if (nextQuote < pos) {
        nextQuote = s.indexOf('"', pos);
        if (nextQuote === -1) nextQuote = n;
      }
      if (nextCr < pos) {
        nextCr = s.indexOf('\r', pos);
        if (nextCr === -1) nextCr = n;
      }
      const lineEnd = s.indexOf('\n', pos);
      if (lineEnd > pos && lineEnd < nextQuote && lineEnd < nextCr) {
        let nFields = 0;
        let start = pos;
        for (;;) {
          if (nextDelim < start) {
            nextDelim = s.indexOf(delimiter, start);
            if (nextDelim === -1) nextDelim = n; // cached: a one-column file must not rescan to the end per line
          }
          if (nextDelim >= lineEnd) break;
          fields[nFields++] = s.slice(start, nextDelim);
          start = nextDelim + 1;
        }
        fields[nFields++] = s.slice(start, lineEnd);
        this.#emit(sink, nFields, 0, s, pos, lineEnd);
        pos = lineEnd + 1;
        continue;
      }
      const c0 = s.charCodeAt(pos);
      if (c0 === LF || c0 === CR) {
        // Blank line. A lone CR at the end of a chunk may be the first half of CRLF.
        if (c0 === CR && pos + 1 >= n && !isFinal) {
          leftoverStart = pos;
          break;
        }
        pos += c0 === CR && s.charCodeAt(pos + 1) === LF ? 2 : 1;
        this.#line++;
        continue;
      }
      const recStart = pos;
      let nFields = 0;
      let nEmbeddedLines = 0;
      for (;;) {
        let value: string;
        if (s.charCodeAt(pos) === QUOTE) {
          let p = pos + 1;
          value = '';
          for (;;) {
            const q = s.indexOf('"', p);
            if (q === -1 || (q + 1 >= n && !isFinal)) {
              if (!isFinal) {
                leftoverStart = recStart;
                break records;
              }
              value += s.slice(p); // unterminated quote at end of file: keep the rest
              pos = n;
              break;
            }
            if (s.charCodeAt(q + 1) === QUOTE) {
              value += s.slice(p, q + 1);
              p = q + 2;
              continue;
            }
            value += s.slice(p, q);
            pos = q + 1;
            break;
          }
          let e = pos;
          while (e < n) {
            const ch = s.charCodeAt(e);
            if (ch === d || ch === LF || ch === CR) break;
            e++;
          }
          if (e > pos) {
            value += s.slice(pos, e);
            pos = e;
          }
          for (let k = value.indexOf('\n'); k !== -1; k = value.indexOf('\n', k + 1)) nEmbeddedLines++;
        } else {
          let e = pos;
          while (e < n) {
            const ch = s.charCodeAt(e);
            if (ch === d || ch === LF || ch === CR) break;
            e++;
          }
          value = s.slice(pos, e);
          pos = e;
        }
        fields[nFields++] = value;
        if (pos >= n) {
          if (!isFinal) {
            leftoverStart = recStart;
            break records;
          }
          this.#emit(sink, nFields, nEmbeddedLines, s, recStart, pos);
          break;
        }
        const ch = s.charCodeAt(pos);
        if (ch === d) {
          pos++;
          continue;
        }
        const recEnd = pos;
        if (ch === CR) {
          if (pos + 1 >= n && !isFinal) {
            leftoverStart = recStart;
            break records;
          }
          pos += s.charCodeAt(pos + 1) === LF ? 2 : 1;
        } else {
          pos++;
        }
        this.#emit(sink, nFields, nEmbeddedLines, s, recStart, recEnd);
        break;
      }
    }
    this.#buf = leftoverStart < n ? s.slice(leftoverStart) : '';
  }

  #emit(sink: RecordSink, nFields: number, nEmbeddedLines: number, s: string, start: number, end: number): void {
    const line = this.#line;
    this.#line += 1 + nEmbeddedLines;
    sink(this.#fields, nFields, line, this.#keepRaw ? s.slice(start, end) : null);
  }
}

/** Every record of a small in-memory text, fields copied. */
export function parseCsvRecords(text: string, delimiter = ','): string[][] {
  const out: string[][] = [];
  const reader = new CsvRecordReader(delimiter);
  const sink: RecordSink = (fields, nFields) => {
    out.push(fields.slice(0, nFields));
  };
  reader.push(text, sink);
  reader.end(sink);
  return out;
}
