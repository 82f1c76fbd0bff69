import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TypedTable } from '../table/table.js';
import { deserializeAutoModel, predictAutoModel, serializeAutoModel } from './pipeline.js';
import { mixedTable, stringColumn } from './test-fixtures.js';

/** mixedTable with every `every`-th name missing (the frequency feature then sees missing cells). */
function withMissingNames(t: TypedTable, every: number): TypedTable {
  return {
    nRows: t.nRows,
    columns: t.columns.map((c) =>
      c.name !== 'name' || c.type !== 'string'
        ? c
        : stringColumn(
            'name',
            Array.from(c.codes, (k, i) => (i % every === 0 || k < 0 ? null : c.levels[k]!)),
          ),
    ),
  };
}

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('model format', () => {
  it('a model saved by format 1 loads and predicts exactly as it did (probabilities, labels, reasons)', () => {
    // fixtures/model-v1.json: trained by format-1 code on withMissingNames(mixedTable(400, 31, 'binary'), 7);
    // the predictions were recorded by that code on withMissingNames(mixedTable(40, 77, 'binary'), 3).
    const model = deserializeAutoModel(fixture('model-v1.json'));
    const expected = JSON.parse(fixture('model-v1.predictions.json')) as { probabilities: number[]; labels: string[]; reasons: unknown };
    const pred = predictAutoModel(model, withMissingNames(mixedTable(40, 77, 'binary'), 3), { reasons: true });
    expect(Array.from(pred.probabilities!)).toEqual(expected.probabilities);
    expect(pred.labels).toEqual(expected.labels);
    expect(JSON.parse(JSON.stringify(pred.reasons))).toEqual(expected.reasons);
    // Saved again, it is a current-format model that predicts the same.
    const again = deserializeAutoModel(serializeAutoModel(model));
    expect(Array.from(predictAutoModel(again, withMissingNames(mixedTable(40, 77, 'binary'), 3), { reasons: false }).probabilities!)).toEqual(
      expected.probabilities,
    );
  });

  it('rejects other formats and unknown versions', () => {
    expect(() => deserializeAutoModel('{"format":"other"}')).toThrow(TypeError);
    const v1 = JSON.parse(fixture('model-v1.json')) as Record<string, unknown>;
    expect(() => deserializeAutoModel(JSON.stringify({ ...v1, version: 99 }))).toThrow(/version 99/);
  });
});
