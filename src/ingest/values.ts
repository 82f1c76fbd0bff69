/** Cell-level rules shared by type detection and typed reading: what counts as a number. */

import { isNumberText } from '../formats/number-text.js';

export { isIntegerText, isNumberText } from '../formats/number-text.js';

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
