/** The command tree: every command has --help, usage errors exit 2, help exits 0 (no server needed). */
import { describe, expect, it, vi } from 'vitest';
import { buildProgram, runCli } from './program.js';
import { allowRules } from './resources.js';
import { guessPositive, guessTask, timeSeriesConfig, type TrainOptions } from './train.js';

function column(name: string, type: number, unique: number, values: [string, number][] = []) {
  return {
    column_id: 0,
    name,
    initial_data_type: type,
    available_data_types: [type],
    unique_count: unique,
    data_count: 100,
    missing_count: 0,
    cor_score: null,
    classify_value: values.map(([n, v]) => ({ name: n, value: v })),
    numerical_value: [],
    range_pick_info: null,
  };
}

describe('yosoku command line', () => {
  it('describes every command in its --help', () => {
    const program = buildProgram(() => undefined);
    const names = program.commands.map((c) => c.name());
    expect(names).toEqual([
      'serve',
      'secret-key',
      'upload',
      'train',
      'status',
      'download',
      'models',
      'data-sets',
      'delete',
      'deploy',
      'predict',
      'retrain',
      'report',
      'gbdt',
    ]);
    for (const c of program.commands.filter((x) => x.name() !== 'gbdt')) {
      expect(c.helpInformation(), c.name()).toMatch(new RegExp(`^Usage: yosoku ${c.name()}`));
      expect(c.description(), c.name()).not.toBe('');
    }
    const train = program.commands.find((c) => c.name() === 'train')!;
    expect(train.options.map((o) => o.long)).toEqual(
      expect.arrayContaining([
        '--target',
        '--type',
        '--positive',
        '--eval',
        '--cv',
        '--time-column',
        '--horizon',
        '--tsu',
        '--tsi',
        '--tss',
        '--tsine',
        '--tsin',
        '--holidays',
        '--server',
        '--secret-key',
        '--json',
        '--out',
      ]),
    );
  });

  it('exits 0 on --help and 2 on usage errors, with the message on stderr', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await runCli(['models', '--help'])).toBe(0);
      expect(await runCli(['nonsense'])).toBe(2);
      expect(await runCli(['deploy'])).toBe(2);
      expect(await runCli(['delete', 'everything', '1'])).toBe(2);
      expect(await runCli(['secret-key', 'create'])).toBe(2);
      expect(await runCli(['train', '--target', 'y'])).toBe(2); // neither FILE nor --process
      expect(await runCli(['train', 'a.csv', '--process', 'p', '--target', 'y'])).toBe(2);
      expect(await runCli(['download'])).toBe(2);
      const printed = err.mock.calls.map((c) => String(c[0])).join('');
      expect(printed).toContain("error: missing required argument 'model_id'");
      expect(printed).toContain('error: train: give exactly one of FILE or --process EXTERNAL_PROCESS_ID (from yosoku upload)');
      expect(printed).toContain('error: download: give exactly one of EXTERNAL_PROCESS_ID or --model ID');
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});

describe('train time-series flags', () => {
  /** The config keys `yosoku train ARGS` sends besides tc/tt, as commander parses ARGS. */
  function tsKeys(...args: string[]) {
    const train = buildProgram(() => undefined).commands.find((c) => c.name() === 'train')!;
    const { unknown } = train.parseOptions(['data.csv', '--target', 'sales', ...args]);
    expect(unknown).toEqual([]);
    return timeSeriesConfig(train.opts<TrainOptions>());
  }

  it('map to every time-series key the API takes, --tsine repeatable', () => {
    expect(tsKeys()).toEqual({});
    expect(tsKeys('--time-column', 'date', '--horizon', '1..7')).toEqual({ tsm: true, tsc: 'date', tsf: 1, tst: 7 });
    expect(
      tsKeys(
        '--time-column',
        'date',
        '--horizon',
        '3',
        '--tsu',
        'day',
        '--tsi',
        '7',
        '--tss',
        'store',
        '--tsine',
        'promo',
        '--tsine',
        'price',
        '--holidays',
        'US',
      ),
    ).toEqual({ tsm: true, tsc: 'date', tsf: 3, tst: 3, tsu: 'day', tsi: '7', tss: 'store', tsine: ['promo', 'price'], holidays: 'US' });
    expect(tsKeys('--time-column', 'date', '--horizon', '1..2', '--tsin', '--tsine', 'weather')).toEqual({
      tsm: true,
      tsc: 'date',
      tsf: 1,
      tst: 2,
      tsin: true,
      tsine: ['weather'],
    });
  });

  it('set tsm=true even when only a key other than the time column is given (the server then asks for tsc)', () => {
    expect(tsKeys('--holidays', 'none')).toEqual({ tsm: true, holidays: 'none' });
    expect(tsKeys('--tss', 'store')).toEqual({ tsm: true, tss: 'store' });
  });

  it('reject a horizon that is not N or A..B', () => {
    expect(() => tsKeys('--horizon', '1-7')).toThrow('--horizon: got "1-7"; allowed: N or A..B (steps ahead, e.g. 1..7)');
  });
});

describe('guesses', () => {
  it('pick the prediction type as a person would, and say why', () => {
    expect(guessTask(column('churn', 3, 2))).toEqual({ task: 'binary_classification', why: '"churn" has 2 values' });
    expect(guessTask(column('price', 2, 500))).toEqual({ task: 'regression', why: '"price" is numeric with 500 values' });
    expect(guessTask(column('grade', 1, 5)).task).toBe('multi_classification');
    expect(() => guessTask(column('id', 3, 6733))).toThrow(/cannot guess the prediction type of "id" \(6733 distinct values\): pass --type/);
  });

  it('pick a positive-sounding value, else the minority class', () => {
    expect(
      guessPositive(
        column('y', 3, 2, [
          ['なし', 80],
          ['あり', 20],
        ]),
      ).value,
    ).toBe('あり');
    expect(
      guessPositive(
        column('y', 3, 2, [
          ['a', 80],
          ['b', 20],
        ]),
      ),
    ).toEqual({ value: 'b', why: '"b" is the minority class (20 rows)' });
  });

  it('turn --allow CIDRs into ordered allow rules', () => {
    expect(allowRules(['10.0.0.0/8', '::1/128'])).toEqual([
      { source: '10.0.0.0/8', order: 'allow', priority: 0 },
      { source: '::1/128', order: 'allow', priority: 1 },
    ]);
  });
});
