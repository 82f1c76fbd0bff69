/** What counts as a number in a cell (shared by ingest's type detection and the CSV writer). */

const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;

function isDigitCode(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/** Index of the first non-digit at or after `i` (or `s.length`). */
function skipDigits(s: string, i: number): number {
  const n = s.length;
  while (i < n && isDigitCode(s.charCodeAt(i))) i++;
  return i;
}

/**
 * A plain decimal number: optional sign, digits with an optional fraction (or a fraction alone),
 * optional exponent — the language of `/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/`.
 *
 * A scanner, not that regex: the regex backtracks over how to split a digit run between `\d+` and
 * `\d*`, so a long run of digits that ends badly cost time quadratic in its length (a 40,000-digit
 * cell took seconds, on the event loop). This reads every character at most once.
 */
export function isNumberText(s: string): boolean {
  const n = s.length;
  let i = 0;
  if (n > 0 && (s.charCodeAt(0) === PLUS || s.charCodeAt(0) === MINUS)) i = 1;
  const intEnd = skipDigits(s, i);
  let end = intEnd;
  let hasDigits = intEnd > i;
  if (end < n && s.charCodeAt(end) === DOT) {
    const fracEnd = skipDigits(s, end + 1);
    hasDigits ||= fracEnd > end + 1;
    end = fracEnd;
  }
  if (!hasDigits) return false;
  if (end < n && (s.charCodeAt(end) | 0x20) === 101 /* e or E */) {
    let e = end + 1;
    if (e < n && (s.charCodeAt(e) === PLUS || s.charCodeAt(e) === MINUS)) e++;
    const expEnd = skipDigits(s, e);
    if (expEnd === e) return false;
    end = expEnd;
  }
  return end === n;
}

/** An optional sign and one or more digits. */
export function isIntegerText(s: string): boolean {
  const start = s.length > 0 && (s.charCodeAt(0) === PLUS || s.charCodeAt(0) === MINUS) ? 1 : 0;
  return s.length > start && skipDigits(s, start) === s.length;
}
