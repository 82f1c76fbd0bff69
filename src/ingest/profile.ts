/**
 * Column analysis of a normalised CSV/TSV: types from the first 1,000 rows (TS), counts and
 * statistics over the whole file (DuckDB, all columns read as VARCHAR, empty cell = NULL = missing).
 *
 * Decisions:
 * - `uniqueCount`, `missingCount` and the statistics cover the whole file (the GUI counts uniques
 *   over the first 1,000 rows; the whole file is what a user expects of an API).
 * - Numeric columns are loaded as DOUBLE (`TRY_CAST`): a cell beyond the detection window that is
 *   not a number counts as missing, exactly as training will read it (`readTypedTable` → NaN).
 * - Files above `exactMaxRows` (default 200,000) rows, for the speed budget (DESIGN.md §4): median,
 *   deciles, the range-pick threshold and relevance come from a systematic ~50k-row sample
 *   (every k-th row in file order, so the same file always gives the same sample), and
 *   unique counts of columns without top values (high-cardinality numbers, dates, text) are
 *   HyperLogLog estimates (`approx_count_distinct`, ~2 %). Counts, min, max, mean and the unique
 *   counts of string / low-cardinality columns stay exact.
 * - Useless columns: 'all_missing' (no value), 'constant' (one value and no missing cell; one value
 *   plus blanks still separates rows), 'id_like' (string or integer, ≥ 50 values, ≥ 95 % unique;
 *   never the target).
 * - Relevance: numeric columns with > 20 distinct values are cut at their deciles, other columns are
 *   used as categories with levels rarer than max(2, n/1000) rows pooled; a numeric target with
 *   > 20 distinct values is cut at deciles too. Score = I(X;Y)/H(Y), categorical columns damped by
 *   (1 − unique ratio). Rows with a missing target are left out (they are dropped in training).
 * - Predictive power (predictive-power.ts): for every column but the target, on at most ~50k rows
 *   (every k-th), held-out on two folds, from the column's values, decile bins, words or date parts.
 */
import { rm } from 'node:fs/promises';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DEFAULT_MAX_RECORD_CHARS } from '../formats/csv-reader.js';
import { detectDateFormat, guessTimeUnit, parseDate } from '../formats/dates.js';
import { checkColumnInfo } from './column-info.js';
import { col, queryRows, sqlDouble, sqlString } from './duckdb-sql.js';
import type { SourceEncoding } from './encoding.js';
import { AppError } from '../domain/errors.js';
import { checkFieldCounts, readHead } from './head.js';
import type { ColumnProfile, DatasetProfile, NumericSummary, RangePick } from './profile-types.js';
import { normalizedMutualInformation, uniqueRatioDamping } from './relevance.js';
import { dateTokens, predictivePower, TokenRowsBuilder, type PowerBasis } from './predictive-power.js';
import { tokenize } from '../automl/text.js';
import { validateHeader } from './table-builder.js';
import { COLUMN_TYPE_CODE, type ColumnType } from '../table/table.js';
import { availableTypesFor, detectColumnType, TYPE_DETECT_ROWS, type DetectedType } from './type-detect.js';

export interface ProfileOptions {
  readonly delimiter: ',' | '\t';
  readonly encoding: SourceEncoding;
  /** Target column name: enables relevance scores. */
  readonly target?: string;
  /** Types from column_info.csv; they replace detection for the named columns. */
  readonly columnTypes?: Readonly<Record<string, ColumnType>>;
  /** Current year for `mmm-yy` dates; defaults to the clock's UTC year. */
  readonly referenceYear?: number;
  /** Row count above which quantiles are approximate and relevance is sampled (default 200,000). */
  readonly exactMaxRows?: number;
  /**
   * DuckDB's memory limit (PROFILE_MEMORY_BYTES, default 1 GiB). Beyond it DuckDB spills to a
   * directory next to the data; a query that still cannot fit throws `PROFILE_MEMORY_EXCEEDED`.
   */
  readonly memoryLimitBytes?: number;
  /** Largest column count profiled (checked on the header, before DuckDB starts). */
  readonly maxColumns?: number;
}

/** Default DuckDB memory limit of one profile (its default would be 80 % of the machine's RAM). */
export const DEFAULT_PROFILE_MEMORY_BYTES = 1024 ** 3;

const TOP_VALUES = 20;
/** Numeric columns with at most this many distinct values also get top values. */
const TOP_VALUES_MAX_NUMERIC_UNIQUE = 200;
/** Columns (and a numeric target) with more distinct values are cut into deciles for relevance. */
const RELEVANCE_BIN_MIN_UNIQUE = 20;
const ID_LIKE_MIN_VALUES = 50;
const ID_LIKE_MIN_UNIQUE_RATIO = 0.95;
/** Range-pick threshold: the smallest value with at least 80 % of the rows at or below it. */
const RANGE_PICK_QUANTILE = 0.8;
const DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
/** Above this many rows quantiles are approximate and relevance uses a sample. */
const EXACT_MAX_ROWS = 200_000;
const SAMPLE_ROWS = 50_000;
/**
 * DuckDB's default 2 MB line limit is too small for long free-text cells: every record the upload
 * accepted (at most DEFAULT_MAX_RECORD_CHARS UTF-16 units, ≤ 3 UTF-8 bytes each) fits. The read
 * buffer is set to the same size: DuckDB's default (16 lines) would allocate 768 MiB per scan.
 */
const MAX_LINE_BYTES = 3 * DEFAULT_MAX_RECORD_CHARS;

/** What profiling needs to know about a column before the whole-file queries. */
interface Plan {
  readonly name: string;
  /** The type reported (column_info.csv wins over detection). */
  readonly type: ColumnType;
  /** The type statistics are computed for: `type`, or the detected type for ignored columns. */
  readonly analysisType: Exclude<ColumnType, 'ignore'>;
  readonly detected: DetectedType;
  readonly dateFormat: string | null;
}

interface WholeStats {
  readonly nonMissing: number;
  unique: number;
  numeric: NumericSummary | null;
  threshold: number;
  deciles: number[];
  /** False for HyperLogLog estimates (big files); top values then supply exact counts. */
  isUniqueExact: boolean;
}

/**
 * Profile a normalised (UTF-8, no BOM) file.
 * @example
 * const profile = await profileFile('learn.csv', { delimiter: ',', encoding: 'utf-8', target: 'income' });
 */
export async function profileFile(path: string, opts: ProfileOptions): Promise<DatasetProfile> {
  const head = await readHead(path, opts.delimiter, TYPE_DETECT_ROWS);
  validateHeader(head.header, 2);
  if (opts.maxColumns !== undefined && head.header.length > opts.maxColumns) {
    throw new AppError('TOO_MANY_COLUMNS', `the file has ${head.header.length} columns; allowed: at most ${opts.maxColumns}`);
  }
  if (opts.columnTypes !== undefined) checkColumnInfo(opts.columnTypes, head.header);
  const referenceYear = opts.referenceYear ?? new Date().getUTCFullYear();
  const plans = head.header.map((name, i): Plan => {
    const values = head.rows.map((row) => row[i]!);
    const detected = detectColumnType(name, values, referenceYear);
    const given = opts.columnTypes !== undefined && Object.hasOwn(opts.columnTypes, name) ? opts.columnTypes[name]! : undefined;
    const type = given ?? detected.type;
    const analysisType = type === 'ignore' ? detected.type : type;
    const dateFormat = analysisType !== 'date' ? null : (detected.dateFormat ?? detectDateFormat(values, { columnName: name, referenceYear }));
    return { name, type, analysisType, detected, dateFormat };
  });
  const targetIdx = opts.target === undefined ? -1 : head.header.indexOf(opts.target);
  if (opts.target !== undefined && targetIdx === -1) {
    throw new AppError('UNKNOWN_COLUMN', `the target ${JSON.stringify(opts.target)} is not a column of the file`, { column: opts.target });
  }

  // Spill next to the data (never into the process's working directory) when the memory limit is
  // reached: the in-memory table is offloaded there too.
  const spillDir = `${path}.duckdb-tmp`;
  const memoryLimit = opts.memoryLimitBytes ?? DEFAULT_PROFILE_MEMORY_BYTES;
  const instance = await DuckDBInstance.create(':memory:', { temp_directory: spillDir, memory_limit: `${memoryLimit}B` });
  const con = await instance.connect();
  try {
    await loadTable(con, path, opts.delimiter, plans, memoryLimit);
    const { rowCount, stats, source } = await wholeFileStats(con, plans, opts.exactMaxRows ?? EXACT_MAX_ROWS);
    const topValues = await topValuesByColumn(con, plans, stats);
    const dateRanges = await dateRangePicks(con, plans, referenceYear);
    const relevance = targetIdx === -1 ? null : await relevanceScores(con, plans, stats, targetIdx, source);
    const power = targetIdx === -1 ? null : await predictivePowers(con, plans, stats, targetIdx, source, referenceYear);
    const columns = plans.map((plan, i): ColumnProfile => {
      const s = stats[i]!;
      const isNumeric = plan.analysisType === 'integer' || plan.analysisType === 'float';
      const rangePick: RangePick | null = isNumeric
        ? s.numeric === null
          ? null
          : { numeric: { min: s.numeric.min, max: s.numeric.max, threshold: s.threshold } }
        : (dateRanges.get(i) ?? null);
      const availableTypes = availableTypesFor(plan.detected);
      if (!availableTypes.includes(plan.type)) {
        availableTypes.push(plan.type);
        availableTypes.sort((a, b) => COLUMN_TYPE_CODE[a] - COLUMN_TYPE_CODE[b]);
      }
      return {
        index: i,
        name: plan.name,
        detectedType: plan.type,
        availableTypes,
        ...(plan.dateFormat !== null ? { dateFormat: plan.dateFormat } : {}),
        uniqueCount: s.unique,
        dataCount: rowCount,
        missingCount: rowCount - s.nonMissing,
        relevance: relevance?.get(i) ?? null,
        predictivePower: power?.get(i) ?? null,
        topValues: topValues.get(i) ?? [],
        numeric: isNumeric ? s.numeric : null,
        rangePick,
        uselessReason: uselessReason(plan, s, rowCount, i === targetIdx),
      };
    });
    return {
      columnNames: head.header,
      previewLines: head.previewLines,
      columns,
      rowCount,
      encoding: opts.encoding,
      delimiter: opts.delimiter,
    };
  } catch (err) {
    throw outOfMemoryAsAppError(err, memoryLimit);
  } finally {
    con.closeSync();
    instance.closeSync();
    await rm(spillDir, { recursive: true, force: true });
  }
}

/** DuckDB's "Out of Memory Error" as the AppError that names the setting; anything else unchanged. */
function outOfMemoryAsAppError(err: unknown, memoryLimit: number): unknown {
  if (err instanceof AppError || !(err instanceof Error) || !/Out of Memory Error/i.test(err.message)) return err;
  return new AppError('PROFILE_MEMORY_EXCEEDED', `the column analysis needs more than ${memoryLimit} bytes of memory (PROFILE_MEMORY_BYTES)`);
}

function uselessReason(plan: Plan, s: WholeStats, rowCount: number, isTarget: boolean): ColumnProfile['uselessReason'] {
  if (s.nonMissing === 0) return 'all_missing';
  if (s.unique === 1 && s.nonMissing === rowCount) return 'constant';
  const isIdType = plan.analysisType === 'string' || plan.analysisType === 'integer';
  if (!isTarget && isIdType && s.nonMissing >= ID_LIKE_MIN_VALUES && s.unique >= ID_LIKE_MIN_UNIQUE_RATIO * s.nonMissing) return 'id_like';
  return null;
}

/**
 * Read the file into table `t` (c0..cN): numeric columns as DOUBLE, the others VARCHAR. A ragged
 * row becomes a typed `RAGGED_ROW`.
 */
async function loadTable(con: DuckDBConnection, path: string, delimiter: string, plans: readonly Plan[], memoryLimit: number): Promise<void> {
  const columns = plans.map((_, i) => `${sqlString(col(i))}: 'VARCHAR'`).join(', ');
  const projection = plans.map((plan, i) => (isNumericType(plan.analysisType) ? `TRY_CAST(${col(i)} AS DOUBLE) AS ${col(i)}` : col(i))).join(', ');
  const sql =
    `CREATE TABLE t AS SELECT ${projection} FROM read_csv(${sqlString(path)}, header = true, auto_detect = false, ` +
    `delim = ${sqlString(delimiter)}, quote = '"', escape = '"', null_padding = false, ` +
    `max_line_size = ${MAX_LINE_BYTES}, buffer_size = ${MAX_LINE_BYTES}, columns = {${columns}})`;
  try {
    await con.run(sql);
  } catch (err) {
    const oom = outOfMemoryAsAppError(err, memoryLimit);
    if (oom !== err) throw oom;
    await checkFieldCounts(path, delimiter); // throws RAGGED_ROW with the row number if that is the cause
    const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    throw new AppError('MALFORMED_CSV', `the file cannot be read as CSV: ${message}`);
  }
}

function isNumericType(t: ColumnType): boolean {
  return t === 'integer' || t === 'float';
}

/**
 * Counts and numeric statistics. Returns the table relevance should read: `t`, or for a big file
 * the sample table `s` (which also supplies the quantiles).
 */
async function wholeFileStats(
  con: DuckDBConnection,
  plans: readonly Plan[],
  exactMaxRows: number,
): Promise<{ rowCount: number; stats: WholeStats[]; source: 't' | 's' }> {
  const [countRow] = await queryRows(con, 'SELECT count(*) AS n FROM t');
  const rowCount = countRow!['n'] as number;
  const isExact = rowCount <= exactMaxRows;
  if (!isExact) {
    const step = Math.max(2, Math.ceil(rowCount / SAMPLE_ROWS));
    // Every step-th row in file order: `t` keeps insertion order, so rowid is the data row index.
    await con.run(`CREATE TEMP TABLE s AS SELECT * FROM t WHERE rowid % ${step} = 0`);
  }
  const selects = ['count(*) AS n'];
  const quantileSelects: string[] = [];
  plans.forEach((plan, i) => {
    const c = col(i);
    selects.push(`count(${c}) AS nn${i}`, isExact ? `count(DISTINCT ${c}) AS u${i}` : `approx_count_distinct(${c}) AS u${i}`);
    if (isNumericType(plan.analysisType)) {
      selects.push(`min(${c}) AS min${i}`, `max(${c}) AS max${i}`, `avg(${c}) AS avg${i}`);
      // DECILES[4] is the median; quantile_disc keeps the threshold an actual value of the column.
      quantileSelects.push(`quantile_cont(${c}, [${DECILES.join(', ')}]) AS dec${i}`, `quantile_disc(${c}, ${RANGE_PICK_QUANTILE}) AS thr${i}`);
    }
  });
  const [r] = await queryRows(con, `SELECT ${[...selects, ...(isExact ? quantileSelects : [])].join(', ')} FROM t`);
  const q = isExact || quantileSelects.length === 0 ? r! : (await queryRows(con, `SELECT ${quantileSelects.join(', ')} FROM s`))[0]!;
  const stats = plans.map((plan, i): WholeStats => {
    const hasNumbers = isNumericType(plan.analysisType) && r![`min${i}`] !== null;
    const deciles = hasNumbers ? ((q[`dec${i}`] as number[] | null) ?? []) : [];
    const median = deciles.length > 0 ? deciles[4]! : NaN;
    return {
      nonMissing: r![`nn${i}`] as number,
      unique: r![`u${i}`] as number,
      numeric: hasNumbers ? { min: r![`min${i}`] as number, max: r![`max${i}`] as number, mean: r![`avg${i}`] as number, median } : null,
      threshold: hasNumbers ? ((q[`thr${i}`] as number | null) ?? NaN) : NaN,
      deciles,
      isUniqueExact: isExact,
    };
  });
  return { rowCount, stats, source: isExact ? 't' : 's' };
}

/** Up to 20 most frequent values for string columns and numeric columns with few distinct values. */
async function topValuesByColumn(con: DuckDBConnection, plans: readonly Plan[], stats: WholeStats[]): Promise<Map<number, { value: string; count: number }[]>> {
  const parts: string[] = [];
  plans.forEach((plan, i) => {
    const wants = plan.analysisType === 'string' || (isNumericType(plan.analysisType) && stats[i]!.unique <= TOP_VALUES_MAX_NUMERIC_UNIQUE);
    if (!wants || stats[i]!.nonMissing === 0) return;
    const c = col(i);
    // u = number of groups = the exact distinct count, for free once the values are grouped.
    parts.push(
      `(SELECT ${i} AS col, ${c}::VARCHAR AS v, count(*) AS n, count(*) OVER () AS u FROM t WHERE ${c} IS NOT NULL ` +
        `GROUP BY ${c} ORDER BY n DESC, ${c} LIMIT ${TOP_VALUES})`,
    );
  });
  const out = new Map<number, { value: string; count: number }[]>();
  if (parts.length === 0) return out;
  const rows = await queryRows(con, parts.join(' UNION ALL '));
  for (const row of rows) {
    const i = row['col'] as number;
    let list = out.get(i);
    if (list === undefined) out.set(i, (list = []));
    // Numeric columns are DOUBLE in `t` and come back as '3.0': print them as JS numbers ('3').
    const v = row['v'] as string;
    const s = stats[i]!;
    if (!s.isUniqueExact) {
      s.unique = row['u'] as number;
      s.isUniqueExact = true;
    }
    list.push({ value: isNumericType(plans[i]!.analysisType) ? String(Number(v)) : v, count: row['n'] as number });
  }
  for (const list of out.values()) list.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return out;
}

/** Date columns: min/max, the 80th percentile (by rows) and the time unit, from the distinct values. */
async function dateRangePicks(con: DuckDBConnection, plans: readonly Plan[], referenceYear: number): Promise<Map<number, RangePick>> {
  const out = new Map<number, RangePick>();
  const dateIdxs = plans.flatMap((plan, i) => (plan.analysisType === 'date' && plan.dateFormat !== null ? [i] : []));
  if (dateIdxs.length === 0) return out;
  const sql = dateIdxs
    .map((i) => `SELECT ${i} AS col, ${col(i)} AS v, count(*) AS n FROM t WHERE ${col(i)} IS NOT NULL GROUP BY ${col(i)}`)
    .join(' UNION ALL ');
  const byCol = new Map<number, { t: number; n: number }[]>();
  for (const row of await queryRows(con, sql)) {
    const i = row['col'] as number;
    const t = parseDate(row['v'] as string, plans[i]!.dateFormat!, { referenceYear });
    if (Number.isNaN(t)) continue;
    let list = byCol.get(i);
    if (list === undefined) byCol.set(i, (list = []));
    list.push({ t, n: row['n'] as number });
  }
  for (const [i, list] of byCol) {
    list.sort((a, b) => a.t - b.t);
    let total = 0;
    for (const e of list) total += e.n;
    let cumulative = 0;
    let threshold = list[list.length - 1]!.t;
    for (const e of list) {
      cumulative += e.n;
      if (cumulative >= RANGE_PICK_QUANTILE * total) {
        threshold = e.t;
        break;
      }
    }
    const epochs = Float64Array.from(list, (e) => e.t);
    out.set(i, {
      date: {
        minEpochSec: list[0]!.t,
        maxEpochSec: list[list.length - 1]!.t,
        thresholdEpochSec: threshold,
        timeUnitId: guessTimeUnit(plans[i]!.dateFormat!, epochs),
      },
    });
  }
  return out;
}

/** `CASE` expression cutting a numeric (DOUBLE) column at its deciles: bin 0..9, -1 = missing. */
function decileBinExpr(i: number, deciles: readonly number[]): string {
  const cuts = [...new Set(deciles.filter((q) => Number.isFinite(q)))];
  const x = col(i);
  if (cuts.length === 0) return `CASE WHEN ${x} IS NULL THEN -1 ELSE 0 END`;
  return `CASE WHEN ${x} IS NULL THEN -1 ELSE ${cuts.map((q) => `(${x} > ${sqlDouble(q)})::INTEGER`).join(' + ')} END`;
}

async function relevanceScores(
  con: DuckDBConnection,
  plans: readonly Plan[],
  stats: readonly WholeStats[],
  targetIdx: number,
  source: 't' | 's',
): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const target = plans[targetIdx]!;
  const targetStats = stats[targetIdx]!;
  if (target.analysisType === 'text' || target.analysisType === 'date' || targetStats.nonMissing === 0) return out;
  const isTargetBinned = isNumericType(target.analysisType) && targetStats.unique > RELEVANCE_BIN_MIN_UNIQUE && targetStats.deciles.length > 0;
  const yExpr = isTargetBinned ? decileBinExpr(targetIdx, targetStats.deciles) : `${col(targetIdx)}::VARCHAR`;
  const minLevelCount = Math.max(2, Math.ceil(Math.min(targetStats.nonMissing, source === 's' ? SAMPLE_ROWS : Infinity) / 1000));
  const parts: string[] = [];
  const isBinned = new Map<number, boolean>();
  plans.forEach((plan, i) => {
    if (i === targetIdx || plan.analysisType === 'text' || plan.analysisType === 'date') return;
    const s = stats[i]!;
    const binned = isNumericType(plan.analysisType) && s.unique > RELEVANCE_BIN_MIN_UNIQUE && s.deciles.length > 0;
    isBinned.set(i, binned);
    const c = col(i);
    const xExpr = binned
      ? decileBinExpr(i, s.deciles)
      : `CASE WHEN ${c} IS NULL THEN NULL WHEN count(*) OVER (PARTITION BY ${c}) >= ${minLevelCount} THEN ${c}::VARCHAR ELSE '\u0001rare' END`;
    parts.push(
      `SELECT ${i} AS col, x::VARCHAR AS x, y::VARCHAR AS y, count(*) AS n FROM ` +
        `(SELECT ${xExpr} AS x, ${yExpr} AS y FROM ${source} WHERE ${col(targetIdx)} IS NOT NULL) GROUP BY x, y`,
    );
  });
  if (parts.length === 0) return out;
  const cells = new Map<number, { xs: number[]; ys: number[]; ns: number[]; xCodes: Map<string, number>; yCodes: Map<string, number> }>();
  // Sorted so that the floating-point sums run in the same order on every run (bit-identical scores).
  for (const row of await queryRows(con, `SELECT * FROM (${parts.join(' UNION ALL ')}) ORDER BY col, x NULLS FIRST, y`)) {
    const i = row['col'] as number;
    let c = cells.get(i);
    if (c === undefined) cells.set(i, (c = { xs: [], ys: [], ns: [], xCodes: new Map(), yCodes: new Map() }));
    const xKey = (row['x'] as string | null) ?? '\u0000missing';
    const yKey = row['y'] as string;
    if (!c.xCodes.has(xKey)) c.xCodes.set(xKey, c.xCodes.size);
    if (!c.yCodes.has(yKey)) c.yCodes.set(yKey, c.yCodes.size);
    c.xs.push(c.xCodes.get(xKey)!);
    c.ys.push(c.yCodes.get(yKey)!);
    c.ns.push(row['n'] as number);
  }
  for (const [i, binned] of isBinned) {
    const c = cells.get(i);
    const nmi = c === undefined ? 0 : normalizedMutualInformation(c.xs, c.ys, c.ns);
    const damping = binned ? 1 : uniqueRatioDamping(stats[i]!.unique, stats[i]!.nonMissing);
    out.set(i, nmi * damping);
  }
  return out;
}

/** Rows predictive power reads at most (every k-th row): a held-out estimate needs no more. */
const POWER_ROWS = 10_000;
/** Rows of a words column predictive power tokenizes at most (names and text cost ~0.1 ms a row). */
const WORDS_ROWS = 5_000;
/** Rows tokenized between two turns of the event loop (a few tens of milliseconds of names). */
const POWER_SLICE_ROWS = 500;
/** String columns with this many distinct values and this share unique are also read as words (names). */
const WORDS_MIN_UNIQUE = 64;
const WORDS_MIN_UNIQUE_RATIO = 0.2;

/**
 * Predictive power of every column but the target (predictive-power.ts), on a systematic sample of
 * at most ~SAMPLE_ROWS rows with a target value. The target's classes are its values, or its decile
 * bins when numeric with many values (as for relevance).
 */
async function predictivePowers(
  con: DuckDBConnection,
  plans: readonly Plan[],
  stats: readonly WholeStats[],
  targetIdx: number,
  source: 't' | 's',
  referenceYear: number,
): Promise<Map<number, { score: number; basis: PowerBasis }>> {
  const out = new Map<number, { score: number; basis: PowerBasis }>();
  const target = plans[targetIdx]!;
  const targetStats = stats[targetIdx]!;
  if (target.analysisType === 'text' || target.analysisType === 'date' || targetStats.nonMissing === 0) return out;
  const isTargetBinned = isNumericType(target.analysisType) && targetStats.unique > RELEVANCE_BIN_MIN_UNIQUE && targetStats.deciles.length > 0;
  const yExpr = isTargetBinned ? decileBinExpr(targetIdx, targetStats.deciles) : `${col(targetIdx)}::VARCHAR`;
  const bases = new Map<number, PowerBasis>();
  const selects = [`${yExpr} AS y`];
  plans.forEach((plan, i) => {
    if (i === targetIdx) return;
    const s = stats[i]!;
    const binned = isNumericType(plan.analysisType) && s.unique > RELEVANCE_BIN_MIN_UNIQUE && s.deciles.length > 0;
    const words =
      plan.analysisType === 'text' || (plan.analysisType === 'string' && s.unique > WORDS_MIN_UNIQUE && s.unique >= WORDS_MIN_UNIQUE_RATIO * s.nonMissing);
    const dated = plan.analysisType === 'date' && plan.dateFormat !== null;
    bases.set(i, binned ? 'bins' : words ? 'words' : dated ? 'date_parts' : 'values');
    selects.push(`${binned ? decileBinExpr(i, s.deciles) : col(i)}::VARCHAR AS x${i}`);
  });
  if (bases.size === 0) return out;
  const [countRow] = await queryRows(con, `SELECT count(*) AS n FROM ${source} WHERE ${col(targetIdx)} IS NOT NULL`);
  const step = Math.max(1, Math.ceil((countRow!['n'] as number) / POWER_ROWS));
  // Column-wise: one array per column, not one object per row.
  const reader = await con.runAndReadAll(
    `SELECT ${selects.join(', ')} FROM ${source} WHERE ${col(targetIdx)} IS NOT NULL AND rowid % ${step} = 0 ORDER BY rowid`,
  );
  const data = reader.getColumnsObjectJS() as Record<string, (string | null)[]>;
  const classes = new Map<string, number>();
  const y = Int32Array.from(data['y']!, (v) => {
    let c = classes.get(v!);
    if (c === undefined) classes.set(v!, (c = classes.size));
    return c;
  });
  for (const [i, basis] of bases) {
    const plan = plans[i]!;
    const cells = data[`x${i}`]!;
    let withTime = false;
    const epochs = basis === 'date_parts' ? cells.map((v) => (v === null ? NaN : parseDate(v, plan.dateFormat!, { referenceYear }))) : [];
    for (const e of epochs) if (Number.isFinite(e) && e % 86400 !== 0) withTime = true;
    const tokensOf = (v: string | null, r: number): string[] => {
      if (v === null) return ['\u0000missing'];
      if (basis === 'words') return plan.analysisType === 'text' ? tokenize(v, false) : ['v:' + v, ...tokenize(v, true)];
      if (basis === 'date_parts') return Number.isFinite(epochs[r]!) ? dateTokens(epochs[r]!, withTime) : ['\u0000unreadable'];
      return ['v:' + v];
    };
    // Words are tokenized on this thread (the costly part): at most WORDS_ROWS rows, in slices,
    // with a turn for other requests between them.
    const stride = basis === 'words' ? Math.max(1, Math.ceil(cells.length / WORDS_ROWS)) : 1;
    const rows = stride === 1 ? null : Array.from({ length: Math.ceil(cells.length / stride) }, (_, k) => k * stride);
    const builder = new TokenRowsBuilder();
    const n = rows === null ? cells.length : rows.length;
    for (let start = 0; start < n; start += POWER_SLICE_ROWS) {
      for (let k = start; k < Math.min(n, start + POWER_SLICE_ROWS); k++) {
        const r = rows === null ? k : rows[k]!;
        builder.add(tokensOf(cells[r]!, r));
      }
      await new Promise<void>((res) => setImmediate(res));
    }
    const ys = rows === null ? y : Int32Array.from(rows, (r) => y[r]!);
    out.set(i, { score: predictivePower(builder.build(ys, classes.size)), basis });
  }
  return out;
}
