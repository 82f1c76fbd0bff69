import { createReadStream, existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.js';
import { normalizeUpload } from './normalize-upload.js';
import { profileFile } from './profile.js';
import { readTypedTable } from './read-table.js';
import type { DateColumn, StringColumn } from '../table/table.js';
import type { ColumnProfile, DatasetProfile } from './profile-types.js';
import { streamOf, withTempDir } from './test-helpers.js';

/** The shared dev datasets live outside the repository; tests that need them skip (with a message) without them. */
const DATASETS = process.env['YOSOKU_DATASETS'] ?? '/work/shared/datasets';
const hasDatasets = existsSync(join(DATASETS, 'jp_customers.csv'));
if (!hasDatasets) console.warn(`skipping real-dataset profile tests: ${DATASETS} not found (set YOSOKU_DATASETS)`);

const SMALL = [
  'id,num,cat,when,const,empty,y',
  '1,1,a,2020-01-01,k,,yes',
  '2,2,a,2020-01-02,k,,yes',
  '3,3,b,2020-01-03,k,,no',
  '4,4,b,2020-01-04,k,,no',
  '5,,c,2020-01-05,k,,yes',
  '',
].join('\n');

function column(profile: DatasetProfile, name: string): ColumnProfile {
  const c = profile.columns.find((col) => col.name === name);
  if (c === undefined) throw new Error(`no column ${name}`);
  return c;
}

async function profileText(text: string, opts: Partial<Parameters<typeof profileFile>[1]> = {}): Promise<DatasetProfile> {
  return withTempDir(async (dir) => {
    const path = join(dir, 'data.csv');
    await writeFile(path, text);
    return profileFile(path, { delimiter: ',', encoding: 'utf-8', ...opts });
  });
}

async function profileDataset(name: string, target?: string): Promise<DatasetProfile> {
  return withTempDir(async (dir) => {
    const path = join(dir, `${name}.csv`);
    const facts = await normalizeUpload(createReadStream(join(DATASETS, `${name}.csv`)), path, { extension: 'csv', maxBytes: 1 << 30 });
    return profileFile(path, { delimiter: ',', encoding: facts.encoding, ...(target === undefined ? {} : { target }) });
  });
}

describe('profileFile on a small file (numbers computed by hand)', () => {
  it('counts, statistics, range picks and useless columns', async () => {
    const p = await profileText(SMALL, { target: 'y' });
    expect(p.rowCount).toBe(5);
    expect(p.columnNames).toEqual(['id', 'num', 'cat', 'when', 'const', 'empty', 'y']);
    expect(p.previewLines).toEqual(SMALL.split('\n').slice(1, 6));
    const num = column(p, 'num');
    expect(num).toMatchObject({ detectedType: 'integer', uniqueCount: 4, dataCount: 5, missingCount: 1 });
    expect(num.numeric).toEqual({ min: 1, max: 4, mean: 2.5, median: 2.5 });
    // threshold = smallest value with ≥ 80 % of the values at or below it: 4 (3 has only 75 %).
    expect(num.rangePick).toEqual({ numeric: { min: 1, max: 4, threshold: 4 } });
    expect(num.topValues).toEqual([1, 2, 3, 4].map((v) => ({ value: String(v), count: 1 })));
    const cat = column(p, 'cat');
    expect(cat).toMatchObject({ detectedType: 'string', uniqueCount: 3, missingCount: 0, numeric: null, rangePick: null, uselessReason: null });
    expect(cat.topValues).toEqual([
      { value: 'a', count: 2 },
      { value: 'b', count: 2 },
      { value: 'c', count: 1 },
    ]);
    // cat determines y exactly (I/H = 1), damped by 1 − 3/5.
    expect(cat.relevance).toBeCloseTo(0.4, 10);
    // every num value is unique: damped to 0.
    expect(num.relevance).toBe(0);
    const when = column(p, 'when');
    expect(when).toMatchObject({ detectedType: 'date', dateFormat: 'yyyy-MM-dd', relevance: null });
    const day = (d: number): number => Date.UTC(2020, 0, d) / 1000;
    expect(when.rangePick).toEqual({ date: { minEpochSec: day(1), maxEpochSec: day(5), thresholdEpochSec: day(4), timeUnitId: 3 } });
    expect(column(p, 'const').uselessReason).toBe('constant');
    expect(column(p, 'empty')).toMatchObject({ uselessReason: 'all_missing', missingCount: 5, uniqueCount: 0 });
    expect(column(p, 'y').relevance).toBeNull();
    expect(column(p, 'id').availableTypes).toEqual(['ignore', 'integer', 'float', 'string']);
  });

  it('reads CRLF files with quoted line breaks like the detection window does', async () => {
    const p = await profileText('a,b\r\n1,"x\r\ny"\r\n2,"z, w"\r\n3,""\r\n');
    expect(p.rowCount).toBe(3);
    expect(p.previewLines).toEqual(['1,"x\r\ny"', '2,"z, w"', '3,""']);
    expect(column(p, 'b')).toMatchObject({ uniqueCount: 2, missingCount: 1 });
    expect(
      column(p, 'b')
        .topValues.map((t) => t.value)
        .sort(),
    ).toEqual(['x\r\ny', 'z, w']);
  });

  it('profiles TSV with commas inside cells', async () => {
    const p = await profileText('name\tnote\tn\nA\tx, y\t1\nB\t"tab\there"\t2\n', { delimiter: '\t' });
    expect(p.delimiter).toBe('\t');
    expect(p.columnNames).toEqual(['name', 'note', 'n']);
    expect(
      column(p, 'note')
        .topValues.map((t) => t.value)
        .sort(),
    ).toEqual(['tab\there', 'x, y']);
    expect(column(p, 'n').numeric).toEqual({ min: 1, max: 2, mean: 1.5, median: 1.5 });
  });

  it('profiles a header-only file', async () => {
    const p = await profileText('a,b\n');
    expect(p.rowCount).toBe(0);
    expect(p.columns.map((c) => c.uselessReason)).toEqual(['all_missing', 'all_missing']);
  });

  it('has no relevance without a target', async () => {
    const p = await profileText(SMALL);
    expect(p.columns.every((c) => c.relevance === null)).toBe(true);
  });

  it('lets column_info.csv types win and keeps the detected alternatives', async () => {
    const p = await profileText(SMALL, { columnTypes: { num: 'string', cat: 'ignore' } });
    expect(column(p, 'num')).toMatchObject({ detectedType: 'string', numeric: null, rangePick: null });
    expect(column(p, 'num').availableTypes).toEqual(['ignore', 'integer', 'float', 'string']);
    expect(column(p, 'cat')).toMatchObject({ detectedType: 'ignore', uniqueCount: 3 });
  });

  it('marks ID-like columns but not the target', async () => {
    const lines = ['code,name,flag'];
    for (let i = 0; i < 100; i++) lines.push(`${1000 + i},n${i},${i % 2}`);
    const p = await profileText(lines.join('\n'), { target: 'name' });
    expect(column(p, 'code').uselessReason).toBe('id_like');
    expect(column(p, 'name').uselessReason).toBeNull();
    expect(column(p, 'flag').uselessReason).toBeNull();
  });

  it('turns a ragged row beyond the detection window into RAGGED_ROW', async () => {
    const text = 'a,b\n' + '1,2\n'.repeat(2000) + '3,4,5\n';
    const err = await profileText(text).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).facts).toMatchObject({ row: 2001, line: 2002, actualFields: 3 });
  });

  it('rejects an unknown target and leaves nothing beside the file', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'data.csv');
      await writeFile(path, SMALL);
      const err = await profileFile(path, { delimiter: ',', encoding: 'utf-8', target: 'nope' }).catch((e: unknown) => e);
      expect((err as AppError).kind).toBe('UNKNOWN_COLUMN');
      await profileFile(path, { delimiter: ',', encoding: 'utf-8', target: 'y' });
      expect(await readdir(dir)).toEqual(['data.csv']);
    });
  });

  it('runs DuckDB under the given memory limit and names the setting when a query cannot fit', async () => {
    const err = await profileText(SMALL, { memoryLimitBytes: 1024 * 1024 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).kind).toBe('PROFILE_MEMORY_EXCEEDED');
    expect((err as AppError).detail).toBe('the column analysis needs more than 1048576 bytes of memory (PROFILE_MEMORY_BYTES)');
    expect((await profileText(SMALL, { memoryLimitBytes: 256 * 1024 * 1024 })).rowCount).toBeGreaterThan(0);
  });

  it('refuses more columns than maxColumns before DuckDB starts', async () => {
    const err = await profileText('a,b,c\n1,2,3\n', { maxColumns: 2 }).catch((e: unknown) => e);
    expect((err as AppError).kind).toBe('TOO_MANY_COLUMNS');
  });

  it('rejects a one-column file and duplicate names', async () => {
    expect(((await profileText('a\n1\n').catch((e: unknown) => e)) as AppError).kind).toBe('TOO_FEW_COLUMNS');
    expect(((await profileText('a,a\n1,2\n').catch((e: unknown) => e)) as AppError).kind).toBe('DUPLICATE_COLUMN');
  });

  it('profiles a Shift_JIS upload after normalisation', async () => {
    const text = '名前,ｶﾅ,金額\n' + Array.from({ length: 30 }, (_, i) => `山田${i % 3},ﾔﾏﾀﾞ①,${i}`).join('\n') + '\n';
    const p = await withTempDir(async (dir) => {
      const path = join(dir, 'sjis.csv');
      const facts = await normalizeUpload(streamOf(iconv.encode(text, 'cp932'), 5), path, { extension: 'csv', maxBytes: 1 << 20 });
      return profileFile(path, { delimiter: facts.delimiter, encoding: facts.encoding });
    });
    expect(p.encoding).toBe('shift_jis');
    expect(p.columnNames).toEqual(['名前', 'ｶﾅ', '金額']);
    expect(column(p, '名前').topValues[0]).toEqual({ value: '山田0', count: 10 });
    expect(column(p, 'ｶﾅ').uselessReason).toBe('constant');
    expect(column(p, '金額').numeric).toEqual({ min: 0, max: 29, mean: 14.5, median: 14.5 });
  });
});

describe.skipIf(!hasDatasets)('profileFile on the real datasets', () => {
  it('jp_customers: BOM, Japanese text, two date formats', async () => {
    const p = await profileDataset('jp_customers', 'gender');
    expect(p.encoding).toBe('utf-8-bom');
    expect(p.rowCount).toBe(20_899);
    expect(p.columnNames[0]).toBe('customer_name');
    const types = Object.fromEntries(p.columns.map((c) => [c.name, c.detectedType]));
    expect(types).toEqual({
      customer_name: 'string',
      gender: 'string',
      birth_day: 'date',
      age: 'integer',
      postal_cd: 'string',
      address: 'string',
      application_store_cd: 'string',
      application_date: 'date',
      status_cd: 'string',
    });
    expect(column(p, 'birth_day').dateFormat).toBe('yyyy-MM-dd');
    expect(column(p, 'application_date').dateFormat).toBe('yyyyMMdd');
    expect(column(p, 'gender').topValues).toEqual([
      { value: '女性', count: 17_918 },
      { value: '男性', count: 2_981 },
    ]);
    // Mostly unique names (85 %) stay a string column but score almost nothing.
    expect(column(p, 'customer_name').uselessReason).toBeNull();
    expect(column(p, 'customer_name').relevance!).toBeLessThan(0.05);
    // ...while their words and endings (given names: 子, 郎) predict the target on held-out rows,
    // more than any other column; dates get a score too.
    const power = Object.fromEntries(p.columns.map((c) => [c.name, c.predictivePower]));
    expect(power['gender']).toBeNull();
    expect(power['customer_name']).toMatchObject({ basis: 'words' });
    expect(power['customer_name']!.score).toBeGreaterThan(0.4);
    for (const other of ['age', 'postal_cd', 'address', 'application_store_cd', 'status_cd', 'birth_day']) {
      expect(power[other]!.score, other).toBeLessThan(power['customer_name']!.score / 2);
    }
    expect(power['birth_day']).toMatchObject({ basis: 'date_parts' });
    expect(power['age']).toMatchObject({ basis: 'bins' });
  });

  it('jp_customers: the profile types read back as a typed table', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'jp.csv');
      await normalizeUpload(createReadStream(join(DATASETS, 'jp_customers.csv')), path, { extension: 'csv', maxBytes: 1 << 30 });
      const p = await profileFile(path, { delimiter: ',', encoding: 'utf-8-bom' });
      const types = Object.fromEntries(p.columns.map((c) => [c.name, c.detectedType]));
      const dateFormats = Object.fromEntries(p.columns.flatMap((c) => (c.dateFormat === undefined ? [] : [[c.name, c.dateFormat]])));
      const table = await readTypedTable(path, { delimiter: ',', types, dateFormats });
      expect(table.nRows).toBe(20_899);
      const gender = table.columns[1] as StringColumn;
      expect(gender.levels).toEqual(['女性', '男性']);
      const applied = table.columns[7] as DateColumn;
      expect(applied.format).toBe('yyyyMMdd');
      expect(applied.values[0]).toBe(Date.UTC(2015, 8, 5) / 1000);
      expect(applied.values.every((v) => !Number.isNaN(v))).toBe(true);
      expect((table.columns[2] as DateColumn).values[2]).toBe(Date.UTC(1933, 2, 27) / 1000);
    });
  });

  it('adult_income: numbers, strings and missing cells', async () => {
    const p = await profileDataset('adult_income', 'income >50K');
    expect(p.rowCount).toBe(32_561);
    expect(column(p, 'age').detectedType).toBe('integer');
    expect(column(p, 'workclass')).toMatchObject({ detectedType: 'string', missingCount: 1_836 });
    expect(column(p, 'occupation').missingCount).toBe(1_843);
    expect(column(p, 'native-country').missingCount).toBe(583);
    expect(column(p, 'relationship').relevance!).toBeGreaterThan(column(p, 'race').relevance!);
    // Low-cardinality columns: the held-out measure agrees with the in-sample one.
    for (const name of ['relationship', 'marital-status', 'sex', 'race']) {
      expect(column(p, name).predictivePower!.score, name).toBeCloseTo(column(p, name).relevance!, 1);
    }
  });

  it('big-file mode (approximate quantiles, sampled relevance) stays close to the exact profile', async () => {
    const exact = await profileDataset('adult_income', 'income >50K');
    const approx = await withTempDir(async (dir) => {
      const path = join(dir, 'adult.csv');
      await normalizeUpload(createReadStream(join(DATASETS, 'adult_income.csv')), path, { extension: 'csv', maxBytes: 1 << 30 });
      return profileFile(path, { delimiter: ',', encoding: 'utf-8', target: 'income >50K', exactMaxRows: 1000 });
    });
    const again = await withTempDir(async (dir) => {
      const path = join(dir, 'adult.csv');
      await normalizeUpload(createReadStream(join(DATASETS, 'adult_income.csv')), path, { extension: 'csv', maxBytes: 1 << 30 });
      return profileFile(path, { delimiter: ',', encoding: 'utf-8', target: 'income >50K', exactMaxRows: 1000 });
    });
    expect(again).toEqual(approx);
    for (const name of ['age', 'hours-per-week', 'education-num']) {
      const e = column(exact, name);
      const a = column(approx, name);
      expect(a.uniqueCount).toBe(e.uniqueCount);
      expect(a.numeric!.min).toBe(e.numeric!.min);
      expect(Math.abs(a.numeric!.median - e.numeric!.median)).toBeLessThanOrEqual(1);
    }
    expect(column(approx, 'native-country').uniqueCount).toBe(column(exact, 'native-country').uniqueCount);
    for (const name of ['relationship', 'marital-status', 'education', 'age']) {
      expect(Math.abs(column(approx, name).relevance! - column(exact, name).relevance!)).toBeLessThan(0.05);
    }
  });

  it('bike_sharing: M/d/yyyy dates (an extension) and a running row id', async () => {
    const p = await profileDataset('bike_sharing_hourly', 'cnt');
    expect(column(p, 'dteday')).toMatchObject({ detectedType: 'date', dateFormat: 'M/d/yyyy' });
    expect(column(p, 'dteday').rangePick?.date?.minEpochSec).toBe(Date.UTC(2011, 0, 1) / 1000);
    expect(column(p, 'dteday').rangePick?.date?.maxEpochSec).toBe(Date.UTC(2012, 11, 31) / 1000);
    expect(column(p, 'instant').uselessReason).toBe('id_like');
    expect(column(p, 'temp').detectedType).toBe('float');
  });

  it('metro_traffic: hourly timestamps', async () => {
    const p = await profileDataset('metro_traffic');
    expect(column(p, 'date_time')).toMatchObject({ detectedType: 'date', dateFormat: 'yyyy-MM-dd HH:mm:ss' });
    expect(column(p, 'date_time').rangePick?.date?.timeUnitId).toBe(4);
  });
});
