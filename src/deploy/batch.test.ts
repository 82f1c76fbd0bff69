import { describe, expect, it } from 'vitest';
import type { AutoModelInfo, AutoPredictions } from '../automl/types.js';
import { DEFAULT_FLAGS } from './inference-request.js';
import { runBatchPrediction, splitCsvRecords, type BatchFile, type BatchSink } from './batch.js';
import type { InferenceModel } from './inference.js';

/** A stand-in binary model: p(yes) = age / 100; reasons name the age. */
function fakeModel(): InferenceModel {
  const info: AutoModelInfo = {
    task: 'binary_classification',
    target: 'bought',
    classes: ['no', 'yes'],
    inputColumns: [{ name: 'age', type: 'integer' }],
    threshold: 0.5,
  };
  return {
    info,
    predict(table, options): AutoPredictions {
      const age = table.columns[0];
      if (age?.type !== 'integer') throw new Error('age column expected first');
      const n = table.nRows;
      const probabilities = new Float64Array(2 * n);
      const labels: string[] = [];
      for (let i = 0; i < n; i++) {
        const p = (age.values[i] ?? 50) / 100;
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

/** A sink that keeps each file's text. */
function memorySink(): BatchSink & { files: Map<BatchFile, string> } {
  const files = new Map<BatchFile, string>();
  return {
    files,
    async write(file, text) {
      files.set(file, (files.get(file) ?? '') + text);
    },
  };
}

const CSV = 'age\n10\n80\nold\n30\n90\n20\n';

describe('runBatchPrediction', () => {
  it('writes the same files in chunks as in one go, row numbers running over the whole file', async () => {
    const flags = { ...DEFAULT_FLAGS, withReasons: true };
    const whole = memorySink();
    const chunked = memorySink();
    const a = await runBatchPrediction(fakeModel(), CSV, { flags, referenceYear: 2026 }, whole);
    const b = await runBatchPrediction(fakeModel(), CSV, { flags, referenceYear: 2026, chunkRows: 2 }, chunked);
    expect(b).toEqual(a);
    expect(a.rows).toEqual({ total: 6, predicted: 5, invalid: 1 });
    expect(a.files).toEqual(['valid', 'analysis', 'invalid']);
    expect([...chunked.files]).toEqual([...whole.files]);
    const valid = (whole.files.get('valid') ?? '').trim().split('\n');
    expect(valid).toHaveLength(6); // header + 5 predicted rows
    expect(whole.files.get('invalid')).toMatch(/\b3\b/); // the third data row
  });

  it('lists no analysis file without reasons and no invalid file when every row is predicted', async () => {
    const sink = memorySink();
    const result = await runBatchPrediction(
      fakeModel(),
      'age\n10\n80\n',
      { flags: { ...DEFAULT_FLAGS, withReasons: false }, referenceYear: 2026, chunkRows: 1 },
      sink,
    );
    expect(result.files).toEqual(['valid']);
    expect([...sink.files.keys()]).toEqual(['valid']);
  });

  it('reports progress up to 1', async () => {
    const seen: number[] = [];
    await runBatchPrediction(fakeModel(), CSV, { flags: DEFAULT_FLAGS, referenceYear: 2026, chunkRows: 4, onProgress: (f) => seen.push(f) }, memorySink());
    expect(seen).toEqual([4 / 6, 1]);
  });
});

describe('splitCsvRecords', () => {
  it('keeps a quoted newline inside its record and drops blank lines', () => {
    expect(splitCsvRecords('a,b\r\n"x\ny",1\n\n2,3')).toEqual(['a,b', '"x\ny",1', '2,3']);
  });
});
