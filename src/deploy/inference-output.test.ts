import { describe, expect, it } from 'vitest';
import type { AutoPredictions, Reason } from '../automl/types.js';
import { DEFAULT_FLAGS, type InferenceFlags } from './inference-request.js';
import { buildInferenceOutputs, formatContribution, formatNumber, formatReason } from './inference-output.js';

const reason = (column: string, value: string, contribution: number): Reason => ({ column, value, contribution });

const binaryPredictions: AutoPredictions = {
  nRows: 2,
  probabilities: Float64Array.from([0.25, 0.75, 0.9, 0.1]),
  labels: ['yes', 'no'],
  values: null,
  reasons: [
    { up: [reason('age', '40_50', 0.1234567), reason('rank', 'gold', 0.05)], down: [reason('city', 'Osaka', -0.02)] },
    { up: [], down: [reason('age', '20_30', -0.3), reason('note', '"quoted", text', -0.1), reason('rank', '', -0.0000001)] },
  ],
};

const table = {
  header: ['id', 'age', 'rank'],
  rowNumbers: Int32Array.from([1, 3]),
  keys: ['A', 'C'],
  inputCells: [
    ['A', '45', 'gold'],
    ['C', '25', ''],
  ],
  invalidRows: [] as { rowNumber: number; key: string | null; reason: string }[],
};

const flags = (over: Partial<InferenceFlags> = {}): InferenceFlags => ({ ...DEFAULT_FLAGS, ...over });
const info = { task: 'binary_classification' as const, classes: ['no', 'yes'] };

describe('number formatting', () => {
  it('writes round-trip numbers and rounded contributions', () => {
    expect(formatNumber(0.75)).toBe('0.75');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(NaN)).toBe('');
    expect(formatContribution(0.1234567)).toBe('0.123457');
    expect(formatContribution(-0.0000001)).toBe('0');
    expect(formatContribution(-2.5)).toBe('-2.5');
    expect(formatReason(reason('年齢', '40_50', 0.02))).toBe('年齢:40_50:0.02');
  });
});

describe('buildInferenceOutputs', () => {
  it('writes the default layout: row number and one probability column per class', () => {
    const out = buildInferenceOutputs({ info, predictions: binaryPredictions, table, flags: flags() });
    expect(out.valid).toBe('row_number,no,yes\n1,0.25,0.75\n3,0.9,0.1\n');
    expect(out.analysis).toBe(
      'row_number,no,yes,reason_up_1,reason_up_2,reason_up_3,reason_down_1,reason_down_2,reason_down_3\n' +
        '1,0.25,0.75,age:40_50:0.123457,rank:gold:0.05,,city:Osaka:-0.02,,\n' +
        '3,0.9,0.1,,,,age:20_30:-0.3,"note:""quoted"", text:-0.1",rank::0\n',
    );
    expect(out.invalid).toBeNull();
    expect(out.outputs.map((f) => f.name)).toEqual(['prediction_valid.csv', 'prediction_analysis.csv']);
    expect(Buffer.from(out.outputs[0]!.data, 'base64').toString('utf8')).toBe(out.valid);
  });

  it('adds the label with nc=false, drops the row number with nr, appends inputs with ad, omits analysis without ar', () => {
    const out = buildInferenceOutputs({
      info,
      predictions: binaryPredictions,
      table,
      flags: flags({ omitLabel: false, omitRowNumber: true, appendInput: true, withReasons: false }),
    });
    expect(out.valid).toBe('prediction,no,yes,id,age,rank\nyes,0.25,0.75,A,45,gold\nno,0.9,0.1,C,25,\n');
    expect(out.analysis).toBeNull();
    expect(out.outputs.map((f) => f.name)).toEqual(['prediction_valid.csv']);
  });

  it('puts the pc column at the left instead of the row number, with or without nr', () => {
    for (const omitRowNumber of [false, true]) {
      const out = buildInferenceOutputs({ info, predictions: binaryPredictions, table, flags: flags({ keyColumn: 'id', omitRowNumber, withReasons: false }) });
      expect(out.valid).toBe('id,no,yes\nA,0.25,0.75\nC,0.9,0.1\n');
    }
  });

  it('writes one value column for regression and ignores nc', () => {
    const predictions: AutoPredictions = { nRows: 2, probabilities: null, labels: null, values: Float64Array.from([12.5, -3]), reasons: null };
    const out = buildInferenceOutputs({
      info: { task: 'regression', classes: [] },
      predictions,
      table,
      flags: flags({ withReasons: false, omitLabel: false }),
    });
    expect(out.valid).toBe('row_number,prediction\n1,12.5\n3,-3\n');
  });

  it('lists rows that could not be predicted in prediction_invalid.csv', () => {
    const withInvalid = { ...table, invalidRows: [{ rowNumber: 2, key: 'B', reason: 'column "age": "abc" is not a number' }] };
    const out = buildInferenceOutputs({ info, predictions: binaryPredictions, table: withInvalid, flags: flags({ withReasons: false, omitRowNumber: true }) });
    expect(out.invalid).toBe('row_number,reason\n2,"column ""age"": ""abc"" is not a number"\n');
    expect(out.outputs.map((f) => f.name)).toEqual(['prediction_valid.csv', 'prediction_invalid.csv']);
    const keyed = buildInferenceOutputs({ info, predictions: binaryPredictions, table: withInvalid, flags: flags({ withReasons: false, keyColumn: 'id' }) });
    expect(keyed.invalid).toBe('row_number,id,reason\n2,B,"column ""age"": ""abc"" is not a number"\n');
  });

  it('writes a header-only valid file when no row could be predicted', () => {
    const empty: AutoPredictions = { nRows: 0, probabilities: new Float64Array(0), labels: [], values: null, reasons: [] };
    const none = { header: ['age'], rowNumbers: new Int32Array(0), keys: null, inputCells: null, invalidRows: [{ rowNumber: 1, key: null, reason: 'x' }] };
    const out = buildInferenceOutputs({ info, predictions: empty, table: none, flags: flags() });
    expect(out.valid).toBe('row_number,no,yes\n');
    expect(out.outputs.map((f) => f.name)).toEqual(['prediction_valid.csv', 'prediction_analysis.csv', 'prediction_invalid.csv']);
  });

  it('neutralises formula-like labels, keys, inputs and reasons for Excel, and leaves negative numbers alone', () => {
    const predictions: AutoPredictions = {
      ...binaryPredictions,
      labels: ['=cmd|x', 'no'],
      reasons: [
        { up: [reason('@col', '=1+1', 0.1)], down: [] },
        { up: [], down: [] },
      ],
    };
    const evil = {
      ...table,
      keys: ['-k', 'C'],
      inputCells: [
        ['-k', '=HYPERLINK("http://e")', '+gold'],
        ['C', '-1.5', ''],
      ],
    };
    const out = buildInferenceOutputs({
      info: { task: 'binary_classification', classes: ['no', '=cmd|x'] },
      predictions,
      table: evil,
      flags: flags({ keyColumn: 'id', omitLabel: false, appendInput: true }),
    });
    expect(out.valid).toBe(
      `id,prediction,no,"'=cmd|x",id,age,rank\n"'-k","'=cmd|x",0.25,0.75,"'-k","'=HYPERLINK(""http://e"")","'+gold"\nC,no,0.9,0.1,C,-1.5,\n`,
    );
    expect(out.analysis!.split('\n')[1]).toContain(`"'@col:=1+1:0.1"`);
  });

  it('refuses predictions that do not fit the table', () => {
    expect(() => buildInferenceOutputs({ info, predictions: { ...binaryPredictions, nRows: 3 }, table, flags: flags() })).toThrow(RangeError);
    expect(() => buildInferenceOutputs({ info, predictions: { ...binaryPredictions, reasons: null }, table, flags: flags() })).toThrow(/ar=true/);
  });
});
