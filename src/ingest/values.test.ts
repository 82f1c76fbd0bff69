import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIntegerText, isNumberText, parseNumber } from './values.js';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

describe('parseNumber', () => {
  it('matches Number() on plain decimals, bit for bit', () => {
    const cases = [
      '0',
      '-0',
      '7',
      '+7',
      '-12.5',
      '0.1',
      '0.3',
      '.5',
      '5.',
      '123456789012345',
      '1234567890123456789',
      '3.14159265358979',
      '0.000000000000000000000001',
      '1e3',
      '-2.5E-3',
      '00012',
      '9007199254740993',
    ];
    for (const s of cases) {
      expect(isNumberText(s)).toBe(true);
      expect(Object.is(parseNumber(s), Number(s))).toBe(true);
    }
    for (let k = 0; k < 2000; k++) {
      const s = (((k * 7919) % 100_003) / 997).toFixed(k % 9);
      expect(parseNumber(s)).toBe(Number(s));
    }
  });

  it('rejects what is not a plain decimal', () => {
    for (const s of ['', '-', '.', ' 1', '1 ', '0x1F', 'Infinity', 'NaN', '1,000', '1.2.3', '--1', '1e', 'abc']) expect(parseNumber(s)).toBeNaN();
  });
});

/** The accepted syntax, as the regex the scanner replaced states it (the regex itself backtracks). */
const NUMBER_SYNTAX = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

describe('isNumberText', () => {
  it('accepts exactly the documented number syntax', () => {
    const cell = fc.string({ unit: fc.constantFrom('0', '1', '9', '.', '+', '-', 'e', 'E', 'x', ' ', ','), maxLength: 10 });
    fc.assert(
      fc.property(cell, (s) => {
        expect(isNumberText(s)).toBe(NUMBER_SYNTAX.test(s));
        expect(isIntegerText(s)).toBe(/^[+-]?\d+$/.test(s));
        const v = parseNumber(s);
        if (NUMBER_SYNTAX.test(s)) expect(Object.is(v, Number(s))).toBe(true);
        else expect(v).toBeNaN();
      }),
      { numRuns: 5000, seed: 11 },
    );
  });

  it('rejects a 400,000-digit cell that ends badly without backtracking (the old regex took minutes)', () => {
    // In a child process with a deadline: a quadratic check cannot be interrupted in-process.
    const script = `
      const { isNumberText, parseNumber } = await import('./src/ingest/values.ts');
      const digits = '1'.repeat(400000);
      for (const cell of [digits + 'x', digits + '.' + digits + 'e', '-' + digits + 'e+', '.' + digits + '..'])
        if (isNumberText(cell) || !Number.isNaN(parseNumber(cell))) process.exit(2);
      if (!isNumberText(digits + '.5e-3')) process.exit(3);`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, timeout: 30_000, encoding: 'utf8' });
    expect(run.signal, 'the child was killed at the deadline').toBeNull();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
