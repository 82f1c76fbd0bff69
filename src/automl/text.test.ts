import { describe, expect, it } from 'vitest';
import { displayToken, fitLinear, fitVocabulary, scoreLinear, tokenize, vectorize, vocabularyIndex } from './text.js';

describe('tokenize', () => {
  it('splits Japanese names into words, characters and given-name endings', () => {
    const t = tokenize('大野 あや子');
    expect(t).toContain('e:子');
    expect(t).toContain('c:大');
    expect(t.some((x) => x.startsWith('w:'))).toBe(true);
  });

  it('lower-cases and normalises English words, skipping punctuation', () => {
    const t = tokenize('Great item, ＧＲＥＡＴ price!');
    expect(t).toContain('w:great');
    expect(t).toContain('w:price');
    expect(t.filter((x) => x === 'w:great')).toHaveLength(1);
    expect(t.some((x) => x.includes(','))).toBe(false);
  });

  it('reads an ending token with a leading ellipsis', () => {
    expect(displayToken('e:子')).toBe('…子');
    expect(displayToken('w:great')).toBe('great');
  });
});

describe('fitLinear', () => {
  it('learns which word marks the positive class, deterministically', () => {
    const texts = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 'good thing' : 'bad thing') + (i % 3 === 0 ? ' extra' : ''));
    const y = Float64Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 1 : 0));
    const docs = texts.map((t) => tokenize(t, false));
    const vocab = fitVocabulary(docs, 2);
    const sparse = vectorize(docs, vocab, vocabularyIndex(vocab));
    const rows = Int32Array.from({ length: 200 }, (_, i) => i);
    const m = fitLinear(sparse, vocab.tokens.length, y, 1, 'logistic', rows, 1);
    const good = vocab.tokens.indexOf('w:good');
    const bad = vocab.tokens.indexOf('w:bad');
    expect(m.weights[good]!).toBeGreaterThan(0);
    expect(m.weights[bad]!).toBeLessThan(0);
    const s = scoreLinear(m, sparse, vocab.tokens.length, Int32Array.of(0, 1));
    expect(s[0]!).toBeGreaterThan(s[1]!);
    const again = fitLinear(sparse, vocab.tokens.length, y, 1, 'logistic', rows, 1);
    expect(again.weights).toEqual(m.weights);
  });
});
