import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Rng } from '../engine/index.js';
import { runGbdtCli } from './gbdt.js';

let dir: string;

function writeData(path: string, n: number, seed: number): void {
  const rng = new Rng(seed);
  const lines = ['x1,x2,color,label,amount,kind'];
  const colors = ['red', 'green', 'blue', 'cyan', 'pink', 'gray'];
  for (let i = 0; i < n; i++) {
    const x1 = rng.nextFloat() * 10;
    const x2 = rng.nextFloat() < 0.1 ? '' : (rng.nextFloat() * 4).toFixed(3);
    const color = colors[rng.nextInt(colors.length)]!;
    const score = x1 - 5 + (color === 'red' || color === 'blue' ? 3 : -1) + (rng.nextFloat() - 0.5) * 2;
    const label = score > 0 ? 'yes' : 'no';
    const kind = score < -2 ? 'a' : score < 2 ? 'b' : 'c';
    lines.push(`${x1.toFixed(4)},${x2},${color},${label},${(score * 10).toFixed(2)},${kind}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    const code = await runGbdtCli(args);
    return { code, stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gbdt-cli-'));
  writeData(join(dir, 'train.csv'), 1500, 1);
  writeData(join(dir, 'valid.csv'), 500, 2);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gbdt CLI', () => {
  it('trains a binary model with a categorical feature and reports validation AUC', async () => {
    const model = join(dir, 'bin.json');
    const r = await run([
      'train',
      '--data',
      join(dir, 'train.csv'),
      '--target',
      'label',
      '--objective',
      'binary',
      '--valid',
      join(dir, 'valid.csv'),
      '--rounds',
      '40',
      '--max-leaves',
      '15',
      '--out',
      model,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBe(1);
    const out = JSON.parse(lines[0]!);
    expect(out.rounds).toBe(40);
    expect(typeof out.train_seconds).toBe('number');
    expect(out.valid_metric.name).toBe('auc');
    expect(out.valid_metric.value).toBeGreaterThan(0.9);
    const file = JSON.parse(readFileSync(model, 'utf8'));
    expect(file.schema.classes).toEqual(['no', 'yes']);
    expect(file.schema.columns.find((c: { name: string }) => c.name === 'color').kind).toBe('categorical');
    expect(file.schema.columns.find((c: { name: string }) => c.name === 'kind').kind).toBe('categorical');

    const pred = join(dir, 'pred.csv');
    const p = await run(['predict', '--model', model, '--data', join(dir, 'valid.csv'), '--out', pred, '--shap']);
    expect(p.code).toBe(0);
    const rows = readFileSync(pred, 'utf8').trim().split('\n');
    expect(rows.length).toBe(501);
    expect(rows[0]!.startsWith('prediction,probability_no,probability_yes,shap_x1')).toBe(true);
    const first = rows[1]!.split(',');
    expect(['yes', 'no']).toContain(first[0]);
    expect(Number(first[1]) + Number(first[2])).toBeCloseTo(1, 9);
  });

  it('early-stops multiclass training and reports macro F1', async () => {
    const r = await run([
      'train',
      '--data',
      join(dir, 'train.csv'),
      '--target',
      'kind',
      '--objective',
      'multiclass',
      '--valid',
      join(dir, 'valid.csv'),
      '--rounds',
      '300',
      '--learning-rate',
      '0.3',
      '--early-stopping',
      '10',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rounds).toBeLessThan(300);
    expect(out.valid_metric.name).toBe('macro_f1');
    expect(out.valid_metric.value).toBeGreaterThan(0.6);
  });

  it('trains regression on 2 threads with the same result as 1 thread', async () => {
    const args = [
      'train',
      '--data',
      join(dir, 'train.csv'),
      '--target',
      'amount',
      '--objective',
      'regression',
      '--valid',
      join(dir, 'valid.csv'),
      '--rounds',
      '20',
      '--seed',
      '7',
    ];
    const a = JSON.parse((await run(args)).stdout);
    const b = JSON.parse((await run([...args, '--threads', '2'])).stdout);
    expect(a.valid_metric.name).toBe('rmse');
    expect(b.valid_metric.value).toBe(a.valid_metric.value);
    // Quantized gradients (forced on these few rows): also the same on 1 and 2 threads, and as good.
    // The flag reaches the trainer (the model records it); leaf values come from float sums, so
    // on rows this few the result may equal the unquantized one, but it may not be worse than 2 %.
    const quantizedModel = join(dir, 'quantized.json');
    const qa = JSON.parse((await run([...args, '--quantize-min-rows', '0', '--out', quantizedModel])).stdout);
    const qb = JSON.parse((await run([...args, '--quantize-min-rows', '0', '--threads', '2'])).stdout);
    expect(qb.valid_metric.value).toBe(qa.valid_metric.value);
    expect(JSON.parse(readFileSync(quantizedModel, 'utf8')).model.params.quantizeMinRows).toBe(0);
    expect(Math.abs(qa.valid_metric.value - a.valid_metric.value) / a.valid_metric.value).toBeLessThan(0.02);
    const noValid = JSON.parse((await run(args.slice(0, 7))).stdout);
    expect(noValid.valid_metric).toBeNull();
  });

  it('reports usage errors and bad parameters', async () => {
    expect((await run(['train', '--data', join(dir, 'train.csv')])).code).toBe(2);
    expect((await run(['fit'])).code).toBe(2);
    const bad = await run(['train', '--data', join(dir, 'train.csv'), '--target', 'label', '--objective', 'binary', '--max-bin', '999']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/maxBin.*999/);
    const wrongTarget = await run(['train', '--data', join(dir, 'train.csv'), '--target', 'kind', '--objective', 'binary']);
    expect(wrongTarget.stderr).toMatch(/exactly 2 distinct values/);
  });
});
