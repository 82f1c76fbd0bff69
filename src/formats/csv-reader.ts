/**
 * Incremental RFC 4180 record reader: text chunks in, records out, with no row objects.
 *
 * Fields are written into one reused `string[]`; the sink must copy what it keeps. Quoted fields
 * may contain delimiters, quotes (`""`) and line breaks; `\n`, `\r\n` and `\r` end records.
 * Lenient where the RFC is silent: a quote inside an unquoted field is literal, text after a closing
 * quote is appended, and blank lines are skipped (a trailing blank line is common in real files).
 *
 * Linear in the input however it is chunked: a record that a chunk leaves unfinished is kept as a
 * list of pieces and only the new text is scanned for its end (a small state machine that tracks
 * quoting), so a record spanning many chunks is parsed once, when it is complete. Records longer
 * than `maxRecordChars` throw `CsvRecordTooLong` as soon as that many characters are pending.
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

/** Default cap on one record (16 Mi UTF-16 units: ≤ 48 MiB of UTF-8, under DuckDB's line limit in profiling). */
export const DEFAULT_MAX_RECORD_CHARS = 16 * 1024 * 1024;

/** A record (a line, or several when a quoted field spans lines) longer than the reader's limit. */
export class CsvRecordTooLong extends Error {
  override readonly name = 'CsvRecordTooLong';
  constructor(
    /** 1-based physical line where the record starts. */
    readonly line: number,
    readonly maxChars: number,
  ) {
    super(`the record starting at line ${line} is longer than ${maxChars} characters`);
  }
}

/** Where the end-of-record scan of a pending record stands (see `#scanPending`). */
const enum Scan {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: `""` (escaped) or the closing quote, decided by the next character. */
  QuoteInQuoted,
  /** A CR outside quotes: the record ends; the next character says whether an LF belongs to it. */
  AfterCr,
}

export class CsvRecordReader {
  readonly #delimCode: number;
  readonly #delimiter: string;
  readonly #keepRaw: boolean;
  readonly #maxRecordChars: number;
  readonly #fields: string[] = [];
  #buf = '';
  /** The unfinished record a chunk ended in, as pieces (joined once it is complete). */
  #pending: string[] = [];
  #pendingChars = 0;
  #scan: Scan = Scan.FieldStart;
  /** Line number where the next record starts. */
  #line = 1;
  #charsExamined = 0;

  constructor(delimiter: string, opts: { keepRaw?: boolean; maxRecordChars?: number } = {}) {
    if (delimiter.length !== 1) throw new RangeError(`delimiter must be one character, got ${JSON.stringify(delimiter)}`);
    this.#delimCode = delimiter.charCodeAt(0);
    this.#delimiter = delimiter;
    this.#keepRaw = opts.keepRaw ?? false;
    this.#maxRecordChars = opts.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  }

  /**
   * Characters the reader has looked at so far (parsing and end-of-record scans): at most a small
   * multiple of the input length. Tests use it to check linearity without a clock.
   */
  get charsExamined(): number {
    return this.#charsExamined;
  }

  /** Feed a chunk; complete records go to `sink`, an unfinished one waits for the next chunk. */
  push(text: string, sink: RecordSink): void {
    if (this.#pending.length > 0) {
      const end = this.#scanPending(text, 0);
      const recordChars = this.#pendingChars + (end < 0 ? text.length : end);
      if (recordChars > this.#maxRecordChars) throw new CsvRecordTooLong(this.#line, this.#maxRecordChars);
      if (end < 0) {
        this.#pending.push(text);
        this.#pendingChars += text.length;
        return;
      }
      this.#pending.push(text);
      this.#buf = this.#pending.join('');
      this.#pending = [];
      this.#pendingChars = 0;
    } else {
      this.#buf = text;
    }
    this.#parse(sink, false);
    const rest = this.#buf;
    this.#buf = '';
    if (rest.length > 0) {
      // The unfinished record: its quoting state at the end of `rest`, found once.
      this.#scan = Scan.FieldStart;
      this.#scanPending(rest, 0);
      if (rest.length > this.#maxRecordChars) throw new CsvRecordTooLong(this.#line, this.#maxRecordChars);
      this.#pending = [rest];
      this.#pendingChars = rest.length;
    }
  }

  /** Flush the last record (a file need not end with a line break). */
  end(sink: RecordSink): void {
    this.#buf = this.#pending.join('');
    this.#pending = [];
    this.#pendingChars = 0;
    this.#parse(sink, true);
  }

  /**
   * Continues the end-of-record scan of the pending record over `s` from `from`: the index in `s`
   * up to which the record is known complete (its line end, or the character after a CR), or -1.
   * Follows the same rules as `#parse`: a quote opens a quoted field only at the field's start.
   */
  #scanPending(s: string, from: number): number {
    const n = s.length;
    const d = this.#delimCode;
    let state = this.#scan;
    let i = from;
    this.#charsExamined += n - from;
    while (i < n) {
      const c = s.charCodeAt(i);
      switch (state) {
        case Scan.AfterCr:
          return i;
        case Scan.Quoted: {
          const q = s.indexOf('"', i);
          if (q === -1) {
            i = n;
            continue;
          }
          state = Scan.QuoteInQuoted;
          i = q + 1;
          continue;
        }
        case Scan.QuoteInQuoted:
          if (c === QUOTE) {
            state = Scan.Quoted;
            i++;
            continue;
          }
          state = Scan.Unquoted;
          continue; // the same character, read as text after the closing quote
        case Scan.FieldStart:
          if (c === QUOTE) {
            state = Scan.Quoted;
            i++;
            continue;
          }
          state = Scan.Unquoted;
          continue;
        case Scan.Unquoted:
          if (c === LF) {
            this.#scan = state;
            return i;
          }
          if (c === CR) state = Scan.AfterCr;
          else if (c === d) state = Scan.FieldStart;
          i++;
      }
    }
    this.#scan = state;
    return -1;
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
    let nextLf = -1;
    let nextDelim = -1;
    this.#charsExamined += n;
    records: while (pos < n) {
      if (nextQuote < pos) {
        nextQuote = s.indexOf('"', pos);
        if (nextQuote === -1) nextQuote = n;
      }
      if (nextCr < pos) {
        nextCr = s.indexOf('\r', pos);
        if (nextCr === -1) nextCr = n;
      }
      if (nextLf < pos) {
        // Cached like the others: a file with CR line ends has no LF, and must not rescan to the end per record.
        nextLf = s.indexOf('\n', pos);
        if (nextLf === -1) nextLf = n;
      }
      const lineEnd = nextLf;
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
