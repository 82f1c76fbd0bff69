import { describe, expect, it } from 'vitest';
import type { NumericColumn } from '../../engine/index.js';
import { applyContextOf } from './encoder.js';
import { cases, contextWithoutOof, expectSameEncoding, randomTarget, randomTexts, TASKS } from './property.js';
import { textEncoder } from './text.js';

describe('text encoder', () => {
  it('property: the fitted state applied to the training rows gives the training scores and documents exactly', () => {
    let fitted = 0;
    for (const rng of cases(24, 6)) {
      const n = 5 + rng.nextInt(250);
      const col = { name: 't', type: 'text' as const, values: randomTexts(rng, n, rng.nextFloat() * 0.5) };
      const target = randomTarget(rng, n, TASKS[rng.nextInt(3)]!);
      const out = textEncoder.fit(col, contextWithoutOof([col], target, 3));
      if ('dropped' in out) continue;
      fitted++;
      // Unknown words and an empty row after the training rows.
      const more = { ...col, values: [...col.values, 'zzz unknown', ''] };
      const applied = textEncoder.apply(out.state, applyContextOf({ nRows: n + 2, columns: [more] }));
      expectSameEncoding(applied, out.train, n);
      expect(applied.docs!.offsets[n + 2]).toBe(applied.docs!.offsets[n]);
    }
    expect(fitted).toBeGreaterThan(15);
  });

  it('drops a column in which no word occurs twice', () => {
    const col = { name: 't', type: 'text' as const, values: ['a', 'b', 'c', ''] };
    const out = textEncoder.fit(col, contextWithoutOof([col], randomTarget(cases(1, 1)[0]!, 4, 'binary_classification'), 1));
    expect('dropped' in out && out.dropped.reason).toBe('no_words');
  });

  it('scores rows with the same words alike whatever the column type at prediction', () => {
    const col = { name: 't', type: 'text' as const, values: ['good day', 'bad day', 'good', 'bad', 'good day', 'bad'] };
    const target = { ...randomTarget(cases(1, 1)[0]!, 6, 'binary_classification'), y: Float64Array.of(1, 0, 1, 0, 1, 0) };
    const out = textEncoder.fit(col, contextWithoutOof([col], target, 1));
    if ('dropped' in out) throw new Error('dropped');
    const s = (out.train.columns[0] as NumericColumn).values;
    expect(s[0]).toBeGreaterThan(s[1]!);
    expect(s[0]).toBe(s[4]);
  });
});
