import { describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate.js';
import type { PreprocessPlan } from '../plan.js';
import type { TargetInfo } from '../target.js';
import type { TypedColumn } from '../../table/table.js';
import { stringColumn } from '../test-fixtures.js';
import { CATALOGUES, metricLabel } from './catalogue.js';
import { metricsCsv } from './files.js';
import { buildWarnings, evaluationSource } from './warnings.js';

/** Every leaf of a catalogue: strings as they are, functions called with sample arguments. */
function leaves(value: unknown, path = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === 'string') out.set(path, value);
  else if (typeof value === 'function') out.set(path, String((value as (...a: unknown[]) => unknown)('X', 7, [{ column: 'c', score: '0.99' }])));
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) for (const [p, s] of leaves(v, `${path}.${k}`)) out.set(p, s);
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
    expect(metricLabel('no_such_metric')).toEqual({ ja: 'no_such_metric', en: 'no_such_metric' });
  });
});

describe('warnings', () => {
  const target: TargetInfo = { task: 'binary_classification', name: 't', classes: ['no', 'yes'], rows: Int32Array.of(0, 1, 2), y: Float64Array.of(0, 1, 0) };
  const plan = {
    columns: [],
    features: [],
    dropped: [{ name: 'id', reason: 'id_like', detail: 'a row number' }],
    task: 'binary_classification',
    nClasses: 2,
  } as unknown as PreprocessPlan;
  const ev = evaluate('binary_classification', 2, Float64Array.of(0, 1, 0), Float64Array.of(0.9, 0.1, 0.2, 0.8, 0.7, 0.3), null, 0.5);

  it('warns in both languages about rare classes, left-out columns, the time limit and few rows', () => {
    const w = buildWarnings({ task: 'binary_classification', table: { nRows: 3, columns: [] }, evaluation: ev, plan, target, stoppedByTime: true });
    expect(w.map((x) => x.en)).toEqual([
      expect.stringContaining('Class "no" has only 2 rows'),
      expect.stringContaining('Class "yes" has only 1 rows'),
      'Column "id" was left out: ID-like (a different value in every row) (a row number)',
      expect.stringContaining('time limit'),
      expect.stringContaining('Only 3 rows'),
    ]);
    expect(w[2]!.ja).toBe('列「id」は使いませんでした: ID のような列（行ごとに異なる値）');
  });

  describe('an implausibly high accuracy', () => {
    const n = 300;
    const y = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 13 < 6 ? 1 : 0));
    const big: TargetInfo = { ...target, rows: Int32Array.from({ length: n }, (_, i) => i), y };
    const perfect = evaluate('binary_classification', 2, y, Float64Array.from(Array.from(y).flatMap((v) => [0.99 - 0.98 * v, 0.01 + 0.98 * v])), null, 0.5);
    const planOf = (...names: string[]) =>
      ({ ...plan, dropped: [], columns: names.map((name) => ({ kind: 'category', name, levels: [] })) }) as unknown as PreprocessPlan;
    const leakWarnings = (columns: TypedColumn[]) =>
      buildWarnings({
        task: 'binary_classification',
        table: { nRows: n, columns },
        evaluation: perfect,
        plan: planOf(...columns.map((c) => c.name)),
        target: big,
        stoppedByTime: false,
      }).filter((w) => w.en.includes('leakage'));

    it('names the column that alone reaches it, and why', () => {
      // A status code that is the answer but for 1 row in 300.
      const code = stringColumn(
        'status_cd',
        Array.from(y, (v, i) => (i === 5 ? 'B' : v === 1 ? 'A' : 'B')),
      );
      const other = stringColumn(
        'city',
        Array.from(y, (_, i) => `c${i % 4}`),
      );
      const w = leakWarnings([other, code]);
      expect(w).toHaveLength(1);
      expect(w[0]!.en).toMatch(/column "status_cd" alone reaches AUC (0\.99\d\d|1\.0000)/);
      expect(w[0]!.en).not.toContain('city');
      expect(w[0]!.ja).toContain('列「status_cd」だけで AUC');
    });

    it('stays silent when no single column explains it (a name whose characters carry the signal)', () => {
      // Unique given names: the ending tells the answer, no value repeats enough to give it away.
      const names = stringColumn(
        'customer_name',
        Array.from(y, (v, i) => `name${i}${v === 1 ? '郎' : '子'}`),
      );
      const x = stringColumn(
        'grade',
        Array.from(y, (v, i) => (i % 3 === 0 ? 'A' : v === 1 ? 'B' : 'C')),
      );
      expect(leakWarnings([names, x])).toEqual([]);
    });
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
