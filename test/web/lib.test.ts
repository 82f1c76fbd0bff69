/**
 * The UI's pure modules (web/src/lib), in Node: the guesses, the config the form sends, the result
 * files' readers, the threshold metrics and ROC, number formatting, and the error explanations
 * against the server's catalogue.
 */
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/domain/errors.js';
import { explain, explainedNames } from '../../web/src/lib/errors.js';
import { headline, readContributions, readManifest, readMetrics, readRawRows } from '../../web/src/lib/evaluation.js';
import { fmt, fmtText, pct } from '../../web/src/lib/format.js';
import { guessPositive, guessType, unusedReason } from '../../web/src/lib/guess.js';
import { atThreshold, probabilityHistogram, rocCurve } from '../../web/src/lib/threshold.js';
import { configOf, NO_TS } from '../../web/src/lib/train-config.js';
import { forecastPoints } from '../../web/src/lib/forecast.js';
import type { ColumnInfoColumn } from '../../web/src/lib/types.js';

function col(over: Partial<ColumnInfoColumn>): ColumnInfoColumn {
  return {
    column_id: 0,
    name: 'c',
    initial_data_type: 3,
    available_data_types: [3],
    unique_count: 2,
    data_count: 100,
    missing_count: 0,
    cor_score: null,
    classify_value: [],
    numerical_value: [],
    range_pick_info: null,
    ...over,
  };
}

describe('guessType', () => {
  it('2 values → binary; numeric with many values or fractions → regression; 3–200 → multi-class; else none, each with its reason', () => {
    expect(guessType(col({ unique_count: 2 }))).toEqual({ type: 'binary_classification', reason: { key: 'guess.binary' } });
    expect(guessType(col({ initial_data_type: 1, unique_count: 80 })).type).toBe('regression');
    expect(guessType(col({ initial_data_type: 2, unique_count: 7 })).type).toBe('regression');
    expect(guessType(col({ initial_data_type: 1, unique_count: 7 }))).toEqual({
      type: 'multi_classification',
      reason: { key: 'guess.multi', params: { n: 7 } },
    });
    expect(guessType(col({ unique_count: 200 })).type).toBe('multi_classification');
    // jp_customers' status_cd: a string with 6,733 values is no class list (the old UI guessed multi-class).
    expect(guessType(col({ unique_count: 6733 }))).toEqual({ type: null, reason: { key: 'guess.tooMany', params: { n: 6733, max: 200 } } });
    expect(guessType(col({ unique_count: 1 })).type).toBeNull();
    expect(guessType(col({ initial_data_type: 4, unique_count: 2 })).type).toBeNull();
    expect(guessType(col({ initial_data_type: 5, unique_count: 2 })).type).toBeNull();
  });
});

describe('guessPositive', () => {
  const v = (a: string, na: number, b: string, nb: number) => [
    { name: a, value: na },
    { name: b, value: nb },
  ];
  it('takes a value that reads as positive, even when it is the majority', () => {
    for (const [pos, neg] of [
      ['yes', 'no'],
      ['1', '0'],
      ['TRUE', 'FALSE'],
      ['陽性', '陰性'],
      ['あり', 'なし'],
      ['はい', 'いいえ'],
    ] as const) {
      expect(guessPositive(v(neg, 10, pos, 90))?.value, pos).toBe(pos);
      expect(guessPositive(v(pos, 90, neg, 10))?.reason.key).toBe('guess.positiveWord');
    }
  });
  it('else the minority class, with its share', () => {
    expect(guessPositive(v('女性', 17918, '男性', 2981))).toEqual({ value: '男性', reason: { key: 'guess.positiveMinority', params: { share: '14.3%' } } });
    expect(guessPositive(v('b', 5, 'a', 50))?.value).toBe('b');
    expect(guessPositive([{ name: 'a', value: 1 }])).toBeNull();
  });
});

describe('unusedReason', () => {
  it('names why a listed column is left out', () => {
    const useless = new Set(['c']);
    expect(unusedReason(col({ missing_count: 100 }), useless)).toBe('all_missing');
    expect(unusedReason(col({ unique_count: 1 }), useless)).toBe('constant');
    expect(unusedReason(col({ unique_count: 99 }), useless)).toBe('id_like');
    expect(unusedReason(col({ initial_data_type: 0 }), new Set())).toBe('ignored');
    expect(unusedReason(col({}), new Set())).toBeNull();
  });
});

describe('configOf', () => {
  const base = { target: 'y', positive: 'yes', cv: '0', imbalance: false, budget: '', ts: NO_TS };
  it('sends tv only for binary, im only for classification, cv unless forecasting', () => {
    expect(configOf({ ...base, type: 'binary_classification' })).toEqual({ tc: 'y', tt: 'binary_classification', tv: 'yes', im: false, cv: 0 });
    expect(configOf({ ...base, type: 'regression', budget: '30' })).toEqual({ tc: 'y', tt: 'regression', cv: 0, time_budget: 30 });
  });
  it('sends the time-series keys of spec §5 when forecasting', () => {
    const ts = {
      enabled: true,
      time: 'date',
      from: '1',
      to: '7',
      series: 'store',
      knownFuture: true,
      exceptions: ['price'],
      unit: 'day',
      interval: '',
      holidays: '',
    };
    expect(configOf({ ...base, type: 'regression', ts })).toEqual({
      tc: 'y',
      tt: 'regression',
      tsm: true,
      tsc: 'date',
      tsf: 1,
      tst: 7,
      tss: 'store',
      tsin: true,
      tsine: ['price'],
      tsu: 'day',
    });
    expect(configOf({ ...base, type: 'regression', ts: { ...ts, holidays: ' US ' } })).toMatchObject({ tsm: true, holidays: 'US' });
    expect(configOf({ ...base, type: 'binary_classification', ts })).not.toHaveProperty('tsm');
  });
});

describe('forecastPoints', () => {
  it('reads a time-series answer, with or without the series column, and nothing else', () => {
    expect(
      forecastPoints([
        ['date', 'horizon', 'prediction', 'lower', 'upper'],
        ['2024-01-04', '1', '7', '6', '8'],
      ]),
    ).toEqual([{ time: '2024-01-04', series: '', prediction: 7, lower: 6, upper: 8 }]);
    expect(
      forecastPoints([
        ['date', 'horizon', 'store', 'prediction', 'lower', 'upper'],
        ['2024-01-04', '1', 'a', '7', '6', '8'],
      ]),
    ).toEqual([{ time: '2024-01-04', series: 'a', prediction: 7, lower: 6, upper: 8 }]);
    expect(
      forecastPoints([
        ['row_number', 'prediction'],
        ['1', '7'],
      ]),
    ).toBeNull();
  });
});

describe('result files', () => {
  it('reads metrics (BOM and all) and picks the headline', () => {
    const m = readMetrics('\uFEFFmetric,value\naccuracy,0.9\nauc,0.95\nmodel_level,4\n');
    expect(m.get('auc')).toBe(0.95);
    expect(headline(m)).toEqual({ name: 'auc', value: 0.95 });
    expect(headline(readMetrics('metric,value\nr2,0.7\nrmse,3\n'))).toEqual({ name: 'r2', value: 0.7 });
  });

  it('reads binary rows with the positive class from the manifest', () => {
    const raw = '\uFEFFrow,actual,predicted,probability_女性,probability_男性,fold,reason_up_1\n10,男性,男性,0.004,0.996,0,x\n15,女性,女性,0.9,0.1,0,\n';
    const rows = readRawRows(raw, readManifest('{"config":{"task":"binary_classification","target":"gender","positiveLabel":"男性"}}').positive);
    expect(rows.kind).toBe('binary');
    if (rows.kind !== 'binary') return;
    expect(rows.positive).toBe('男性');
    expect([...rows.probability]).toEqual([0.996, 0.1]);
    expect([...rows.isPositive]).toEqual([1, 0]);
  });

  it('reads regression, multi-class and time-series rows', () => {
    expect(readRawRows('row,actual,predicted,fold\n1,10,12.5,0\n2,,3,0\n', null)).toMatchObject({
      kind: 'regression',
      actual: Float64Array.from([10]),
      predicted: Float64Array.from([12.5]),
    });
    expect(readRawRows('row,actual,predicted,probability_a,probability_b,probability_c\n1,a,b,0.2,0.5,0.3\n', null)).toMatchObject({
      kind: 'multi',
      classes: ['a', 'b', 'c'],
      actual: ['a'],
      predicted: ['b'],
    });
    const ts = readRawRows(
      'series,origin,target_time,horizon,actual,prediction,lower,upper\nA,2024-01-01,2024-01-02,1,10,11,8,14\nA,2024-01-01,2024-01-03,2,12,11.5,7,16\nB,2024-01-01,2024-01-02,1,5,,,\n',
      null,
    );
    expect(ts).toMatchObject({ kind: 'forecast', horizons: [1, 2], series: ['A', 'B'] });
    if (ts.kind !== 'forecast') return;
    expect(ts.points[1]).toEqual({ series: 'A', origin: '2024-01-01', time: '2024-01-03', horizon: 2, actual: 12, prediction: 11.5, lower: 7, upper: 16 });
    expect(Number.isNaN(ts.points[2]!.lower)).toBe(true);
  });

  it('reads the contributions per column and direction (binary classes, increase/decrease, a class column)', () => {
    const head =
      'Rank (total value of contribution),Item,Total value of contribution,はい_#1_item_content,はい_#1_lower limit,はい_#1_upper limit,はい_#1_contribution_bar_length,はい_#1_contribution_score,はい_#1_item_proportion,はい_#1_item_content_number,いいえ_#1_item_content,いいえ_#1_lower limit,いいえ_#1_upper limit,いいえ_#1_contribution_bar_length,いいえ_#1_contribution_score,いいえ_#1_item_proportion,いいえ_#1_item_content_number';
    const [plan] = readContributions(`\uFEFF${head}\n1,プラン,0.2,ベーシック,0,0,3,0.16,0.32,51,,,,,,,\n`);
    expect(plan).toEqual({
      group: '',
      column: 'プラン',
      total: 0.2,
      directions: [
        { name: 'はい', values: [{ content: 'ベーシック', score: 0.16, proportion: 0.32 }] },
        { name: 'いいえ', values: [] },
      ],
    });
    const [multi] = readContributions(
      'Classification,Rank (total value of contribution),Item,Total value of contribution,increase_#1_item_content,increase_#1_contribution_score,increase_#1_item_proportion\nAdelie,1,bill,0.36,32.1_36.6,0.38,0.1\n',
    );
    expect(multi).toMatchObject({ group: 'Adelie', column: 'bill', directions: [{ name: 'increase', values: [{ content: '32.1_36.6', score: 0.38 }] }] });
  });

  it('reads the left-out columns from model.json', () => {
    expect(readManifest('{"config":{},"preprocessing":{"dropped":[{"name":"id","reason":"id_like","detail":"x"}]}}').dropped).toEqual([
      { name: 'id', reason: 'id_like', detail: 'x' },
    ]);
  });
});

describe('threshold metrics', () => {
  const p = Float64Array.from([0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1]);
  const y = Uint8Array.from([1, 1, 0, 1, 0, 1, 0, 0]);
  it('counts the confusion matrix and its rates at a threshold (≥ is positive)', () => {
    expect(atThreshold(p, y, 0.6)).toMatchObject({ tp: 3, fp: 1, fn: 1, tn: 3, precision: 0.75, recall: 0.75, fScore: 0.75, accuracy: 0.75 });
    expect(atThreshold(p, y, 0.95)).toMatchObject({ tp: 0, fp: 0, precision: NaN, recall: 0, fScore: 0 });
    expect(atThreshold(p, y, 0)).toMatchObject({ tp: 4, fp: 4, recall: 1 });
  });
  it('draws the ROC from (0,0) to (1,1) with the AUC of the ranking (ties moving together)', () => {
    const roc = rocCurve(p, y);
    expect(roc.points[0]).toEqual([0, 0]);
    expect(roc.points.at(-1)).toEqual([1, 1]);
    expect(roc.auc).toBeCloseTo(13 / 16, 12); // 13 of the 16 positive–negative pairs ranked right
    expect(rocCurve(Float64Array.from([0.5, 0.5]), Uint8Array.from([1, 0])).auc).toBeCloseTo(0.5, 12);
  });
  it('bins probabilities per actual class', () => {
    const h = probabilityHistogram(p, y, 10);
    expect(h.positive.reduce((a, b) => a + b)).toBe(4);
    expect(h.negative[1]).toBe(1); // 0.1 opens the second bin
    expect(h.positive[9]).toBe(1);
  });
});

describe('numbers', () => {
  it('shows 4 significant digits like the report, whole numbers from 1,000 up', () => {
    expect(fmt(0.07499999999999996)).toBe('0.075');
    expect(fmt(0.9970305826130491)).toBe('0.997');
    expect(fmt(0.000024731)).toBe('0.00002473');
    expect(fmt(48231.66)).toBe('48,232');
    expect(fmt(42)).toBe('42');
    expect(fmt(null)).toBe('—');
    expect(fmtText('0.12345678')).toBe('0.1235');
    expect(fmtText('C1000')).toBe('C1000');
    expect(fmtText('2024-01-01')).toBe('2024-01-01');
    expect(pct(0.1434)).toBe('14.3%');
  });
});

describe('error explanations', () => {
  it('explain every error the server can answer with, in both languages', () => {
    const names = new Set(explainedNames());
    const specs = Object.values(CATALOGUE);
    const missing = specs.filter((e) => e.error !== 'PREDA_EXTERNAL_BAD_REQUEST' && !names.has(e.error)).map((e) => e.error);
    expect(missing).toEqual([]);
    for (const e of specs.filter((x) => x.error === 'PREDA_EXTERNAL_BAD_REQUEST')) expect(explain(e.error, e.message), e.message).not.toBeNull();
    const [ja, en] = explain('MALFORMED_FILE', 'The file cannot be read as CSV/TSV: row 3')!;
    expect(ja).toContain('CSV');
    expect(en).toContain('CSV');
    expect(explain('SOMETHING_NEW', '')).toBeNull();
  });
});
