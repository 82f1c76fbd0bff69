import { describe, expect, it } from 'vitest';
import type { AutoModelInfo, AutoPredictions } from '../automl/types.js';
import type { TypedTable } from '../table/table.js';
import { AppError } from '../domain/errors.js';
import { runInference, type InferenceModel } from './inference.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const decode = (outputs: readonly { name: string; data: string }[], name: string) => {
  const file = outputs.find((o) => o.name === name);
  return file === undefined ? undefined : Buffer.from(file.data, 'base64').toString('utf8');
};

/** A stand-in binary model: p(yes) = age / 100; reasons name the age. */
function fakeModel(): InferenceModel & { calls: TypedTable[] } {
  const info: AutoModelInfo = {
    task: 'binary_classification',
    target: 'bought',
    classes: ['no', 'yes'],
    inputColumns: [
      { name: 'age', type: 'integer' },
      { name: 'rank', type: 'string' },
    ],
    threshold: 0.5,
  };
  const calls: TypedTable[] = [];
  return {
    info,
    calls,
    predict(table, options): AutoPredictions {
      calls.push(table);
      const age = table.columns[0]!;
      if (age.type !== 'integer') throw new Error('age column expected first');
      const n = table.nRows;
      const probabilities = new Float64Array(2 * n);
      const labels: string[] = [];
      for (let i = 0; i < n; i++) {
        const p = Number.isNaN(age.values[i]!) ? 0.5 : age.values[i]! / 100;
        probabilities[2 * i] = 1 - p;
        probabilities[2 * i + 1] = p;
        labels.push(p >= 0.5 ? 'yes' : 'no');
      }
      const reasons = options.reasons
        ? Array.from({ length: n }, (_, i) => ({ up: [{ column: 'age', value: String(age.values[i]), contribution: 0.25 }], down: [] }))
        : null;
      return { nRows: n, probabilities, labels, values: null, reasons };
    },
  };
}

describe('runInference', () => {
  it('answers the documented single-row request', () => {
    const model = fakeModel();
    const result = runInference(
      {
        inputs: [
          { name: 'pr', type: 'csv', data: b64('rank,age\ngold,80\n') },
          { name: 'nc', type: 'boolean', data: false },
        ],
      },
      model,
      { version: '3', referenceYear: 2026 },
    );
    expect(result.response.version).toBe('3');
    expect(result.response.warnings).toBeUndefined();
    expect(result.response.outputs.map((o) => o.name)).toEqual(['prediction_valid.csv', 'prediction_analysis.csv']);
    expect(decode(result.response.outputs, 'prediction_valid.csv')).toBe('row_number,prediction,no,yes\n1,yes,0.19999999999999996,0.8\n');
    expect(decode(result.response.outputs, 'prediction_analysis.csv')).toContain(',age:80:0.25,,,,,\n');
    expect([result.nRows, result.nPredicted, result.nInvalid]).toEqual([1, 1, 0]);
  });

  it('predicts the readable rows of a multi-row request and reports the others', () => {
    const model = fakeModel();
    const csv = 'id,age,rank,extra\nA,10,gold,x\nB,ten,gold,x\nC,90,,x\n';
    const result = runInference(
      {
        inputs: [
          { name: 'pr', type: 'csv', data: b64(csv) },
          { name: 'ar', type: 'boolean', data: false },
          { name: 'pc', type: 'string', data: 'id' },
        ],
      },
      model,
      { version: '1', referenceYear: 2026 },
    );
    expect(model.calls[0]!.nRows).toBe(2);
    expect(decode(result.response.outputs, 'prediction_valid.csv')).toBe('id,no,yes\nA,0.9,0.1\nC,0.09999999999999998,0.9\n');
    expect(decode(result.response.outputs, 'prediction_invalid.csv')).toBe('row_number,id,reason\n2,B,"column ""age"": ""ten"" is not a number"\n');
    expect([result.nRows, result.nPredicted, result.nInvalid]).toEqual([3, 2, 1]);
  });

  it('warns about missing columns and does not call the model when no row is readable', () => {
    const model = fakeModel();
    const warned = runInference({ inputs: [{ name: 'pr', type: 'csv', data: b64('age\n50\n') }] }, model, { version: '1', referenceYear: 2026 });
    expect(warned.response.warnings).toEqual(['column "rank" is missing from the CSV; it was read as missing in every row']);
    const none = runInference({ inputs: [{ name: 'pr', type: 'csv', data: b64('age\nabc\n') }] }, model, { version: '1', referenceYear: 2026 });
    expect(model.calls).toHaveLength(1);
    expect(decode(none.response.outputs, 'prediction_valid.csv')).toBe('row_number,no,yes\n');
    expect(none.nInvalid).toBe(1);
  });

  it('maps a malformed body or CSV to 4001030104', () => {
    const model = fakeModel();
    for (const body of [{}, { inputs: [{ name: 'pr', type: 'csv', data: '%%%' }] }, { inputs: [{ name: 'pr', type: 'csv', data: b64('age\n1\n2\n') }] }]) {
      try {
        runInference(body, model, { version: '1', referenceYear: 2026, maxRows: 1 });
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        expect((err as AppError).code).toBe(4001030104);
      }
    }
  });
});
