/** Cell-level rules shared by type detection and typed reading: what counts as a number. */

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

/** Exact powers of ten: a ≤ 15-digit integer divided by one of them is correctly rounded. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** The validated slow path: exponents, long mantissas, or anything unusual. */
function parseNumberSlow(s: string): number {
  return isNumberText(s) ? +s : NaN;
}

/**
 * A cell as a number; NaN for empty or anything `isNumberText` rejects (`+s` alone would accept
 * ' 1', '0x1F', 'Infinity' and turn '' into 0).
 *
 * Hot path of typed reading (one call per numeric cell), so plain decimals with at most 15
 * significant digits and 22 decimals are parsed from char codes: mantissa / 10^scale is exact
 * (Clinger's fast path). Everything else is validated by `isNumberText` and converted by `+s`.
 */
export function parseNumber(s: string): number {
  const n = s.length;
  if (n === 0) return NaN;
  let i = 0;
  let c = s.charCodeAt(0);
  const isNegative = c === 45;
  if (c === 45 || c === 43) i = 1;
  let mantissa = 0;
  let nSignificant = 0;
  let scale = 0;
  let hasDot = false;
  let hasDigit = false;
  for (; i < n; i++) {
    c = s.charCodeAt(i);
    const digit = c - 48;
    if (digit >= 0 && digit <= 9) {
      hasDigit = true;
      if (mantissa !== 0 || digit !== 0) nSignificant++;
      mantissa = mantissa * 10 + digit;
      if (hasDot) scale++;
    } else if (c === 46 && !hasDot) {
      hasDot = true;
    } else {
      return parseNumberSlow(s);
    }
  }
  if (!hasDigit) return NaN;
  if (nSignificant > 15 || scale > 22) return parseNumberSlow(s);
  const value = scale === 0 ? mantissa : mantissa / POW10[scale]!;
  return isNegative ? -value : value;
}
