import { describe, expect, it } from 'vitest';
import { isNumberText, parseNumber } from './values.js';

describe('parseNumber', () => {
  it('matches Number() on plain decimals, bit for bit', () => {
    const cases = ['0', '-0', '7', '+7', '-12.5', '0.1', '0.3', '.5', '5.', '123456789012345', '1234567890123456789', '3.14159265358979', '0.000000000000000000000001', '1e3', '-2.5E-3', '00012', '9007199254740993'];
    for (const s of cases) {
      expect(isNumberText(s)).toBe(true);
      expect(Object.is(parseNumber(s), Number(s))).toBe(true);
    }
    for (let k = 0; k < 2000; k++) {
      const s = ((k * 7919) % 100_003 / 997).toFixed(k % 9);
      expect(parseNumber(s)).toBe(Number(s));
    }
  });

  it('rejects what is not a plain decimal', () => {
    for (const s of ['', '-', '.', ' 1', '1 ', '0x1F', 'Infinity', 'NaN', '1,000', '1.2.3', '--1', '1e', 'abc']) expect(parseNumber(s)).toBeNaN();
  });
});
