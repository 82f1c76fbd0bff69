import { describe, expect, it } from 'vitest';
import { createParallelTraining } from '../compute/parallel-training.js';
import { AppError } from '../domain/errors.js';
import type { TypedTable } from '../table/table.js';
import { AutoMlCancelled, autoModelResidentBytes, deserializeAutoModel, predictAutoModel, serializeAutoModel, trainAutoModel } from './pipeline.js';
import { takeRows } from './target.js';
import { mixedTable } from './test-fixtures.js';
import type { AutoTrainOutput, TaskType, TrainSettings } from './types.js';

function settings(task: TaskType, extra: Partial<TrainSettings> = {}): TrainSettings {
  return {
    target: 'target',
    task,
    ...(task === 'binary_classification' ? { positiveLabel: 'yes' } : {}),
    cv: 2,
    imbalance: false,
    // A small budget keeps the suite fast (the work budget scales with it).
    timeBudgetSeconds: 10,
    seed: 3,
    ...extra,
  };
}

function file(out: AutoTrainOutput, name: string): string {
  const f = out.resultFiles.find((r) => r.name === name);
  if (f === undefined) throw new Error(`no ${name}`);
  return typeof f.content === 'string' ? f.content : new TextDecoder().decode(f.content);
}

function checkReport(html: string, charts: string[], metrics: Record<string, number>): void {
  expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  expect(html.trimEnd().endsWith('</html>')).toBe(true);
  expect(html).not.toMatch(/<script[^>]*src=|<link[^>]*href=/);
  for (const id of charts) {
    const start = html.indexOf(`id="${id}"`);
    expect(start, id).toBeGreaterThan(0);
    const section = html.slice(start, html.indexOf('</section>', start));
    expect(section, id).toContain('<svg');
    expect(section, id).toContain('</svg>');
  }
  for (const k of Object.keys(metrics)) if (k !== 'model_level') expect(html).toContain(`data-metric="${k}"`);
  expect(html).toContain('class="ja"');
  expect(html).toContain('class="en"');
}

const binTable = mixedTable(160, 21, 'binary');
const binary = trainAutoModel({ train: binTable, settings: settings('binary_classification') }, {});

describe('trainAutoModel: binary classification', () => {
  it('writes every result file, CSVs with a BOM', () => {
    expect(binary.resultFiles.map((f) => f.name)).toEqual([
      'metrics.csv',
      'analysis_summary.csv',
      'evaluation_raw_data.csv',
      'confusion_matrix.csv',
      'report.html',
      'model.json',
    ]);
    for (const name of ['metrics.csv', 'analysis_summary.csv', 'evaluation_raw_data.csv', 'confusion_matrix.csv']) {
      expect(file(binary, name).charCodeAt(0)).toBe(0xfeff);
    }
    expect(file(binary, 'metrics.csv')).toContain('auc,');
    for (const k of ['accuracy', 'precision', 'recall', 'f_score', 'auc']) expect(binary.metrics[k]).toBeGreaterThan(0.5);
  });

  it('stores the best-F threshold and reports it', () => {
    expect(binary.model.info.threshold).toBe(binary.metrics.threshold);
    expect(binary.model.info.classes).toEqual(['no', 'yes']);
  });

  it('renders a bilingual self-contained report with every chart and metric', () => {
    checkReport(file(binary, 'report.html'), ['chart-confusion', 'chart-roc', 'chart-distribution', 'chart-calibration', 'chart-topn', 'chart-importance'], binary.metrics);
  });

  it('records dropped columns and the validation plan in model.json', () => {
    const manifest = JSON.parse(file(binary, 'model.json')) as Record<string, any>;
    expect(manifest.preprocessing.dropped.map((d: { name: string; reason: string }) => `${d.name}:${d.reason}`)).toEqual(['id:id_like', 'const:constant']);
    expect(manifest.validation).toMatchObject({ kind: 'kfold', folds: 2, requestedCv: 2 });
    expect(manifest.seed).toBe(3);
  });

  it('writes per-row reasons as column:value:contribution and an analysis summary', () => {
    const raw = file(binary, 'evaluation_raw_data.csv').split('\n');
    expect(raw[0]).toContain('reason_up_1');
    expect(raw.length - 2).toBe(160);
    expect(raw[1]).toMatch(/[^,]+:[^,]*:-?\d/);
    const summary = file(binary, 'analysis_summary.csv');
    expect(summary).toContain('Rank (total value of contribution)');
    expect(summary).toContain('yes_#1_item_content');
  });

  it('predicts with reasons; text reasons name words; probabilities move with contributions', () => {
    const sub = takeRows(binTable, Int32Array.of(0, 1, 2, 3, 4, 5, 6, 7));
    const pred = predictAutoModel(binary.model, sub, { reasons: true });
    expect(pred.nRows).toBe(8);
    expect(pred.labels!.every((l) => l === 'yes' || l === 'no')).toBe(true);
    const words = new Set(['great', 'excellent', 'love', 'perfect', 'broken', 'refund', 'terrible', 'late', 'the', 'item', 'arrived', 'box', 'color', 'size']);
    const textReasons = pred.reasons!.flatMap((r) => [...r.up, ...r.down]).filter((r) => r.column === 'review');
    expect(textReasons.length).toBeGreaterThan(0);
    for (const r of textReasons) expect(words.has(r.value)).toBe(true);
    for (const r of pred.reasons!) {
      expect(r.up.length).toBeLessThanOrEqual(3);
      for (const u of r.up) expect(u.contribution).toBeGreaterThan(0);
      for (const d of r.down) expect(d.contribution).toBeLessThan(0);
    }
  });

  it('handles missing and extra columns at prediction time', () => {
    const sub = takeRows(binTable, Int32Array.of(0, 1, 2));
    const fewer: TypedTable = { nRows: 3, columns: sub.columns.filter((c) => c.name !== 'x' && c.name !== 'review') };
    const more: TypedTable = { nRows: 3, columns: [...sub.columns, { name: 'unused', type: 'float', values: Float64Array.of(1, 2, 3) }] };
    expect(predictAutoModel(binary.model, fewer, { reasons: true }).probabilities!.length).toBe(6);
    expect(predictAutoModel(binary.model, more, { reasons: false }).probabilities).toEqual(predictAutoModel(binary.model, sub, { reasons: false }).probabilities);
  });

  it('serializes exactly: same bytes for the same seed, same predictions after a round trip', () => {
    const again = trainAutoModel({ train: binTable, settings: settings('binary_classification') }, {});
    const text = serializeAutoModel(binary.model);
    expect(serializeAutoModel(again.model)).toBe(text);
    const back = deserializeAutoModel(text);
    expect(serializeAutoModel(back)).toBe(text);
    const p1 = predictAutoModel(binary.model, binTable, { reasons: true });
    const p2 = predictAutoModel(back, binTable, { reasons: true });
    expect(p2.probabilities).toEqual(p1.probabilities);
    expect(p2.reasons).toEqual(p1.reasons);
    expect(() => deserializeAutoModel('{"format":"other"}')).toThrow(TypeError);
  });

  it('estimates the memory a loaded model holds, SHAP tables and row layouts included', async () => {
    const { servingModelOf } = await import('../engine/index.js');
    const { asData } = await import('./model.js');
    const back = deserializeAutoModel(serializeAutoModel(binary.model));
    const bytes = autoModelResidentBytes(back);
    let tables = 0;
    for (const member of asData(back).members) {
      if (member.kind !== 'gbdt') continue;
      const plan = servingModelOf(member.gbdt).shapPlan;
      tables += plan.tableBytes + plan.treeTableBytes;
    }
    expect(tables).toBeGreaterThan(0);
    expect(bytes).toBeGreaterThan(tables);
    // Trees, plans and layouts: several times the doubles the trees alone hold.
    expect(bytes).toBeGreaterThan(serializeAutoModel(back).length / 4);
  });
});

describe('trainAutoModel: multi-class and regression', () => {
  it('multi-class: per-class metrics, N×N confusion matrix, report charts', () => {
    const out = trainAutoModel({ train: mixedTable(150, 5, 'multiclass'), settings: settings('multi_classification') }, {});
    expect(out.model.info.classes).toEqual(['high', 'low', 'mid']);
    expect(out.metrics.average_f_score).toBeGreaterThan(0.4);
    expect(file(out, 'confusion_matrix.csv').split('\n')[0]).toBe('\uFEFFactual \\ predicted,high,low,mid');
    expect(file(out, 'metrics.csv')).toContain('f_score[mid]');
    expect(file(out, 'analysis_summary.csv')).toContain('Classification');
    checkReport(file(out, 'report.html'), ['chart-confusion', 'chart-per-class', 'chart-importance'], out.metrics);
    // A word scored by several per-class text outputs is still one reason.
    const pred = predictAutoModel(out.model, takeRows(mixedTable(20, 15, 'multiclass'), Int32Array.from({ length: 20 }, (_, i) => i)), { reasons: true });
    for (const r of pred.reasons!) {
      const keys = [...r.up, ...r.down].map((x) => `${x.column}:${x.value}`);
      expect(new Set(keys).size).toBe(keys.length);
    }
  }, 600_000);

  it('regression: product metrics, no confusion matrix, scatter and error charts', () => {
    const out = trainAutoModel({ train: mixedTable(150, 6, 'regression'), settings: settings('regression') }, {});
    for (const k of ['mae', 'median_absolute_error', 'median_absolute_error_ratio', 'rmse', 'r2']) expect(Number.isFinite(out.metrics[k])).toBe(true);
    expect(out.metrics.r2).toBeGreaterThan(0.3);
    expect(out.resultFiles.some((f) => f.name === 'confusion_matrix.csv')).toBe(false);
    checkReport(file(out, 'report.html'), ['chart-scatter', 'chart-errors', 'chart-importance'], out.metrics);
    const pred = predictAutoModel(out.model, takeRows(mixedTable(10, 7, 'regression'), Int32Array.of(0, 1)), { reasons: true });
    expect(pred.values!.length).toBe(2);
    expect(pred.probabilities).toBeNull();
  });

  it('follows each cv setting', () => {
    const table = mixedTable(80, 8, 'regression');
    const kinds = [0, -1, 1, 3].map((cv) => {
      const out = trainAutoModel({ train: table, settings: settings('regression', { cv }) }, {});
      const v = (JSON.parse(file(out, 'model.json')) as { validation: { kind: string; folds: number } }).validation;
      return `${v.kind}/${v.folds}`;
    });
    expect(kinds).toEqual(['kfold/3', 'kfold/5', 'holdout/1', 'kfold/3']);
  });

  it('an evaluation file only evaluates: same model, metrics on its rows', () => {
    const table = mixedTable(140, 9, 'regression');
    const train = takeRows(table, Int32Array.from({ length: 100 }, (_, i) => i));
    const evalRows = takeRows(table, Int32Array.from({ length: 40 }, (_, i) => 100 + i));
    const without = trainAutoModel({ train, settings: settings('regression') }, {});
    const withEval = trainAutoModel({ train, eval: evalRows, settings: settings('regression') }, {});
    expect(serializeAutoModel(withEval.model)).toBe(serializeAutoModel(without.model));
    expect(file(withEval, 'metrics.csv')).toContain('evaluation_rows,40');
    const raw = file(withEval, 'evaluation_raw_data.csv').split('\n');
    expect(raw[0]).not.toContain('fold');
    expect(raw.length - 2).toBe(40);
  });

  it('holds out the latest rows of a time-sorted file and records the trend-part decision', () => {
    const table = mixedTable(200, 12, 'regression');
    const day = table.columns.find((c) => c.name === 'day') as { values: Float64Array };
    const order = Int32Array.from({ length: 200 }, (_, i) => i).sort((a, b) => day.values[a]! - day.values[b]! || a - b);
    const out = trainAutoModel({ train: takeRows(table, order), settings: settings('regression', { cv: 1 }) }, {});
    const manifest = JSON.parse(file(out, 'model.json')) as { validation: { timeOrderedBy: string }; preprocessing: { trendParts: { column: string; kept: boolean } } };
    expect(manifest.validation.timeOrderedBy).toBe('day');
    expect(manifest.preprocessing.trendParts.column).toBe('day');
    const pred = predictAutoModel(out.model, takeRows(table, Int32Array.of(0, 1)), { reasons: true });
    expect(pred.values!.length).toBe(2);
  });

  it('gives the same model with multi-threaded histograms', async () => {
    const table = mixedTable(100, 13, 'binary');
    const parallel = createParallelTraining(2);
    try {
      const threaded = trainAutoModel({ train: table, settings: settings('binary_classification') }, { parallel });
      const single = trainAutoModel({ train: table, settings: settings('binary_classification') }, {});
      expect(serializeAutoModel(threaded.model)).toBe(serializeAutoModel(single.model));
    } finally {
      await parallel.close();
    }
  });

  it('rejects bad settings and stops when cancelled', () => {
    const table = mixedTable(60, 1, 'binary');
    expect(() => trainAutoModel({ train: table, settings: settings('binary_classification', { positiveLabel: 'maybe' }) }, {})).toThrow(AppError);
    expect(() => trainAutoModel({ train: table, settings: settings('regression') }, {})).toThrow(AppError);
    expect(() => trainAutoModel({ train: table, settings: settings('binary_classification') }, { isCancelled: () => true })).toThrow(AutoMlCancelled);
  });

  it('weights classes when asked and still predicts both classes', () => {
    const out = trainAutoModel({ train: mixedTable(120, 2, 'binary'), settings: settings('binary_classification', { imbalance: true }) }, {});
    expect(out.metrics.auc).toBeGreaterThan(0.6);
  });
});

describe('trainAutoModel: the time budget scales the search', () => {
  const candidatesTried = (out: AutoTrainOutput): number => (JSON.parse(file(out, 'model.json')) as { search: { candidates: unknown[] } }).search.candidates.length;

  it('says so in model.json and the report when the wall-clock stop cut the training', () => {
    let calls = 0;
    const out = trainAutoModel({ train: mixedTable(120, 5, 'regression'), settings: settings('regression', { timeBudgetSeconds: 5 }) }, { elapsedSeconds: () => (++calls > 8 ? 99 : 0) });
    const manifest = JSON.parse(file(out, 'model.json')) as { stoppedByTimeLimit: boolean; search: { stoppedByTime: boolean } };
    expect(manifest.stoppedByTimeLimit).toBe(true);
    expect(file(out, 'report.html')).toContain('a rerun may differ');
    const calm = trainAutoModel({ train: mixedTable(120, 5, 'regression'), settings: settings('regression', { timeBudgetSeconds: 5 }) }, { elapsedSeconds: () => 0 });
    expect((JSON.parse(file(calm, 'model.json')) as { stoppedByTimeLimit: boolean }).stoppedByTimeLimit).toBe(false);
    expect(file(calm, 'report.html')).not.toContain('a rerun may differ');
  });

  it('tries more learner settings with a larger budget', () => {
    const small = mixedTable(120, 5, 'regression');
    const atDefault = trainAutoModel({ train: small, settings: settings('regression', { timeBudgetSeconds: 5 }) }, {});
    const atDouble = trainAutoModel({ train: small, settings: settings('regression', { timeBudgetSeconds: 20 }) }, {});
    expect(candidatesTried(atDouble)).toBeGreaterThan(candidatesTried(atDefault));
  }, 600_000);
});
