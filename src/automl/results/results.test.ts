import { describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate.js';
import type { PreprocessPlan } from '../plan.js';
import type { TargetInfo } from '../target.js';
import { CATALOGUES, metricLabel } from './catalogue.js';
import { metricsCsv } from './files.js';
import { buildWarnings, evaluationSource } from './warnings.js';

/** Every leaf of a catalogue: strings as they are, functions called with sample arguments. */
function leaves(value: unknown, path = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === 'string') out.set(path, value);
  else if (typeof value === 'function') out.set(path, String((value as (...a: unknown[]) => unknown)('X', 7, 'detail')));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) for (const [p, s] of leaves(v, `${path}.${k}`)) out.set(p, s);
  return out;
}

describe('string catalogues', () => {
  it('Japanese and English have the same entries, none empty, and the Japanese ones are Japanese', () => {
    const ja = leaves(CATALOGUES.ja);
    const en = leaves(CATALOGUES.en);
    expect([...ja.keys()].sort()).toEqual([...en.keys()].sort());
    for (const [k, v] of [...ja, ...en]) expect(v.trim().length, k).toBeGreaterThan(0);
    const japanese = [...ja.entries()].filter(([k]) => !k.startsWith('.metric.auc')).filter(([, v]) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(v));
    expect(japanese.length).toBeGreaterThan(ja.size * 0.9);
  });

  it('names a metric in both languages, and an unknown one by its key', () => {
    expect(metricLabel('rmse').en).toContain('RMSE');
    expect(metricLabel('ece')).toEqual({ ja: 'ece', en: 'ece' });
  });
});

describe('warnings', () => {
  const target: TargetInfo = { task: 'binary_classification', name: 't', classes: ['no', 'yes'], rows: Int32Array.of(0, 1, 2), y: Float64Array.of(0, 1, 0) };
  const plan = { columns: [], features: [], dropped: [{ name: 'id', reason: 'id_like', detail: 'a row number' }], task: 'binary_classification', nClasses: 2 } as unknown as PreprocessPlan;
  const ev = evaluate('binary_classification', 2, Float64Array.of(0, 1, 0), Float64Array.of(0.9, 0.1, 0.2, 0.8, 0.7, 0.3), null, 0.5);

  it('warns in both languages about a perfect score, rare classes, left-out columns, the time limit and few rows', () => {
    const w = buildWarnings({ task: 'binary_classification', evaluation: ev, plan, target, stoppedByTime: true });
    expect(w.map((x) => x.en)).toEqual([
      expect.stringContaining('implausibly high'),
      expect.stringContaining('Class "no" has only 2 rows'),
      expect.stringContaining('Class "yes" has only 1 rows'),
      'Column "id" was left out: ID-like (a different value in every row) (a row number)',
      expect.stringContaining('time limit'),
      expect.stringContaining('Only 3 rows'),
    ]);
    expect(w[3]!.ja).toBe('列「id」は使いませんでした: ID のような列（行ごとに異なる値）');
  });

  it('says which rows the metrics come from', () => {
    const holdout = { kind: 'holdout', nFolds: 1, foldOf: new Int32Array(0), requestedCv: 0 } as const;
    expect(evaluationSource(true, holdout).en).toContain('uploaded evaluation file');
    expect(evaluationSource(false, { ...holdout, timeOrderedBy: 'day' }).en).toContain('latest 10%');
    expect(evaluationSource(false, { ...holdout, kind: 'kfold', nFolds: 4 }).ja).toContain('4 分割');
  });

  it('metrics.csv lists every metric, the model level and the evaluation rows, with a BOM', () => {
    const csv = metricsCsv(ev, ['no', 'yes']);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    for (const k of Object.keys(ev.metrics)) expect(csv).toContain(`\n${k},`);
    expect(csv).toContain('evaluation_rows,3');
  });
});
