import { describe, expect, it } from 'vitest';
import { Rng } from '../engine/index.js';
import type { TypedColumn } from '../table/table.js';
import { detectLeak } from './leakage.js';
import type { TargetInfo } from './target.js';
import { stringColumn } from './test-fixtures.js';

const N = 400;
const rng = new Rng(17);
const binaryY = Float64Array.from({ length: N }, () => (rng.nextFloat() < 0.4 ? 1 : 0));
const binary: TargetInfo = { task: 'binary_classification', name: 't', classes: ['no', 'yes'], rows: Int32Array.from({ length: N }, (_, i) => i), y: binaryY };

describe('detectLeak', () => {
  it('flags a label code and a monotone number that give the target away', () => {
    const code = stringColumn(
      'code',
      Array.from(binaryY, (v) => (v === 1 ? 'Y' : 'N')),
    );
    expect(detectLeak(code, binary)).toMatch(/score 1\.0000/);
    const score: TypedColumn = { name: 's', type: 'float', values: Float64Array.from(binaryY, (v, i) => v * 10 + (i % 7) / 10) };
    expect(detectLeak(score, binary)).toMatch(/monotone/);
  });

  it('lets a strong but genuine predictor through', () => {
    const noisy: TypedColumn = { name: 'x', type: 'float', values: Float64Array.from(binaryY, (v) => v + rng.nextFloat() * 1.5) };
    expect(detectLeak(noisy, binary)).toBeNull();
  });

  it('regression: a linear function of the target is a leak, noise is not; small files are never checked', () => {
    const y = Float64Array.from({ length: N }, () => rng.nextFloat() * 100);
    const reg: TargetInfo = { task: 'regression', name: 't', classes: [], rows: binary.rows, y };
    expect(detectLeak({ name: 'l', type: 'float', values: Float64Array.from(y, (v) => 3 * v - 1) }, reg)).not.toBeNull();
    expect(detectLeak({ name: 'n', type: 'float', values: Float64Array.from(y, () => rng.nextFloat()) }, reg)).toBeNull();
    const small: TargetInfo = { ...binary, rows: binary.rows.subarray(0, 30), y: binaryY.subarray(0, 30) };
    expect(detectLeak(stringColumn('c', Array.from(binaryY.subarray(0, 30), String)), small)).toBeNull();
  });

  it('multi-class: a column that names the class is a leak', () => {
    const y = Float64Array.from({ length: N }, () => rng.nextInt(3));
    const mc: TargetInfo = { task: 'multi_classification', name: 't', classes: ['a', 'b', 'c'], rows: binary.rows, y };
    expect(
      detectLeak(
        stringColumn(
          'c',
          Array.from(y, (k) => `class-${k}`),
        ),
        mc,
      ),
    ).not.toBeNull();
  });
});
