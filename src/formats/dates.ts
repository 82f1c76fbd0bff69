/**
 * Date formats of the product (spec §8): detection over a column's values and parsing to epoch seconds.
 *
 * Pure: no clock. `mmm-yy` needs the caller's current year (`referenceYear`).
 *
 * Decisions (also in docs):
 * - Every numeric format is lenient about zero padding (`yyyy-MM-dd` parses `2019-1-5`); detection
 *   reports the padded name (`yyyy-MM-dd`) when every value is padded, else the single-digit name
 *   (`yyyy-M-d`). Both names parse the same family.
 * - `yyyy-MM-ddTHH:mm:ss` (ISO `T`) is accepted as the space form.
 * - Extension: `M/d/yyyy` (US, e.g. bike_sharing `1/31/2011`) and `d/M/yyyy`, which the product does
 *   not list; when both fit, `M/d/yyyy` wins.
 * - Range: years 1900..3999. The product documents 1970-01-01..3999-12-31; we accept 1900..1969 too
 *   (negative epoch seconds), because birth dates are common in real files and rejecting them would
 *   turn a date column into a high-cardinality string.
 * - Digit-only formats (`yyyyMMdd`, `yyyyMM`, `yyyy`) look like integers. Detection accepts them only
 *   when every value is a valid date with a year in 1900..2100; `yyyy` additionally needs a column
 *   name that says "year" (year, yr, 年, yyyy), otherwise a 4-digit column stays a number.
 * - Seconds are kept (the product ignores them; keeping them is harmless for a time axis).
 */

export const DATE_MIN_YEAR = 1900;
export const DATE_MAX_YEAR = 3999;
/** Year window for digit-only formats during detection (20190105 is a date, 12345678 is not). */
const DIGITS_MIN_YEAR = 1900;
const DIGITS_MAX_YEAR = 2100;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Which regex group holds which part; 0 = absent. */
interface Spec {
  /** [padded name, single-digit name]; the same when there is no variant. */
  readonly names: readonly [string, string];
  readonly re: RegExp;
  /** Group indexes of year, month, day, hour, minute, second (0 = not in the format). */
  readonly groups: readonly [number, number, number, number, number, number];
  readonly isDigitsOnly?: boolean;
  readonly needsYearName?: boolean;
  readonly isMonthName?: boolean;
}

const YMD_HMS: Spec['groups'] = [1, 2, 3, 4, 5, 6];

/** In detection priority order. */
const SPECS: readonly Spec[] = [
  { names: ['yyyy-MM-dd HH:mm:ss', 'yyyy-M-d H:mm:ss'], re: /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2}):(\d{2})$/, groups: YMD_HMS },
  { names: ['yyyy-MM-dd HH:mm', 'yyyy-M-d H:mm'], re: /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})$/, groups: [1, 2, 3, 4, 5, 0] },
  { names: ['yyyy-MM-dd', 'yyyy-M-d'], re: /^(\d{4})-(\d{1,2})-(\d{1,2})$/, groups: [1, 2, 3, 0, 0, 0] },
  { names: ['yyyy/MM/dd HH:mm:ss', 'yyyy/M/d H:mm:ss'], re: /^(\d{4})\/(\d{1,2})\/(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})$/, groups: YMD_HMS },
  { names: ['yyyy/MM/dd HH:mm', 'yyyy/M/d H:mm'], re: /^(\d{4})\/(\d{1,2})\/(\d{1,2}) (\d{1,2}):(\d{2})$/, groups: [1, 2, 3, 4, 5, 0] },
  { names: ['yyyy/MM/dd', 'yyyy/M/d'], re: /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/, groups: [1, 2, 3, 0, 0, 0] },
  { names: ['yyyy-MM', 'yyyy-M'], re: /^(\d{4})-(\d{1,2})$/, groups: [1, 2, 0, 0, 0, 0] },
  { names: ['yyyy/MM', 'yyyy/M'], re: /^(\d{4})\/(\d{1,2})$/, groups: [1, 2, 0, 0, 0, 0] },
  { names: ['dd-MM-yyyy', 'd-M-yyyy'], re: /^(\d{1,2})-(\d{1,2})-(\d{4})$/, groups: [3, 2, 1, 0, 0, 0] },
  { names: ['MM/dd/yyyy', 'M/d/yyyy'], re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, groups: [3, 1, 2, 0, 0, 0] },
  { names: ['dd/MM/yyyy', 'd/M/yyyy'], re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, groups: [3, 2, 1, 0, 0, 0] },
  { names: ['yyyyMMdd', 'yyyyMMdd'], re: /^(\d{4})(\d{2})(\d{2})$/, groups: [1, 2, 3, 0, 0, 0], isDigitsOnly: true },
  { names: ['yyyyMM', 'yyyyMM'], re: /^(\d{4})(\d{2})$/, groups: [1, 2, 0, 0, 0, 0], isDigitsOnly: true },
  { names: ['yyyy', 'yyyy'], re: /^(\d{4})$/, groups: [1, 0, 0, 0, 0, 0], isDigitsOnly: true, needsYearName: true },
  { names: ['mmm-yy', 'mmm-yy'], re: /^([A-Za-z]{3})-(\d{2})$/, groups: [2, 1, 0, 0, 0, 0], isMonthName: true },
];

const SPEC_BY_NAME = new Map<string, Spec>();
for (const spec of SPECS) {
  SPEC_BY_NAME.set(spec.names[0], spec);
  SPEC_BY_NAME.set(spec.names[1], spec);
}

/** Every format name `parseDate` understands. */
export const DATE_FORMATS: readonly string[] = [...SPEC_BY_NAME.keys()];

const YEAR_NAME = /year|yr|yyyy|年/i;

export interface DateOptions {
  /** The caller's current year; needed only by `mmm-yy` (window: 80 years before, 20 after). */
  readonly referenceYear?: number;
}

export interface DetectDateOptions extends DateOptions {
  /** Column name, used only to accept a bare `yyyy` column as a date. */
  readonly columnName?: string;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1]!;
}

function parseWithSpec(value: string, spec: Spec, referenceYear: number | undefined, minYear: number, maxYear: number): number {
  const m = spec.re.exec(value);
  if (m === null) return NaN;
  const [gy, gM, gd, gH, gm, gs] = spec.groups;
  let year: number;
  let month: number;
  if (spec.isMonthName) {
    month = MONTHS.indexOf(m[gM]!.toLowerCase()) + 1;
    if (month === 0 || referenceYear === undefined) return NaN;
    const lo = referenceYear - 80;
    year = lo + ((((+m[gy]! - lo) % 100) + 100) % 100);
  } else {
    year = +m[gy]!;
    month = gM === 0 ? 1 : +m[gM]!;
  }
  const day = gd === 0 ? 1 : +m[gd]!;
  const hour = gH === 0 ? 0 : +m[gH]!;
  const minute = gm === 0 ? 0 : +m[gm]!;
  const second = gs === 0 ? 0 : +m[gs]!;
  if (year < minYear || year > maxYear || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  if (hour > 23 || minute > 59 || second > 59) return NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
}

/**
 * Parse one value in a known format to epoch seconds (wall-clock time read as UTC); NaN when the
 * value does not match, is not a real date, or is outside 1900..3999.
 * @example parseDate('2019-01-05', 'yyyy-MM-dd') // → 1546646400
 */
export function parseDate(value: string, format: string, opts: DateOptions = {}): number {
  const spec = SPEC_BY_NAME.get(format);
  if (spec === undefined) throw new RangeError(`unknown date format ${JSON.stringify(format)}`);
  return parseWithSpec(value, spec, opts.referenceYear, DATE_MIN_YEAR, DATE_MAX_YEAR);
}

/**
 * The one format that every non-empty value matches (the product requires one format per column),
 * or null. Empty strings are skipped; a column of only empty strings gives null.
 * @example detectDateFormat(['1/1/2011', '12/31/2012']) // → 'M/d/yyyy'
 */
export function detectDateFormat(values: readonly string[], opts: DetectDateOptions = {}): string | null {
  let nonEmpty = 0;
  for (const v of values) if (v !== '') nonEmpty++;
  if (nonEmpty === 0) return null;
  for (const spec of SPECS) {
    if (spec.needsYearName && !(opts.columnName !== undefined && YEAR_NAME.test(opts.columnName))) continue;
    if (spec.isMonthName && opts.referenceYear === undefined) continue;
    const minYear = spec.isDigitsOnly ? DIGITS_MIN_YEAR : DATE_MIN_YEAR;
    const maxYear = spec.isDigitsOnly ? DIGITS_MAX_YEAR : DATE_MAX_YEAR;
    let fits = true;
    let isPadded = true;
    const paddedLength = spec.names[0].length;
    for (const v of values) {
      if (v === '') continue;
      if (Number.isNaN(parseWithSpec(v, spec, opts.referenceYear, minYear, maxYear))) {
        fits = false;
        break;
      }
      if (v.length !== paddedLength) isPadded = false;
    }
    if (fits) return isPadded ? spec.names[0] : spec.names[1];
  }
  return null;
}

/** time_unit_id codes: 1 year, 2 month, 3 day, 4 hour, 5 minute, 6 end of month. */
export const TIME_UNIT = { year: 1, month: 2, day: 3, hour: 4, minute: 5, endOfMonth: 6 } as const;

/**
 * Guess the natural step of a date column from its format and values (epoch seconds, any order,
 * NaN ignored): a year format → year; month formats → month; times that are all whole hours →
 * hour (or day when all midnight); other times → minute; dates all on month ends → end of month;
 * dates all on the 1st → month (all on Jan 1st → year); otherwise day.
 */
export function guessTimeUnit(format: string, epochSecs: ArrayLike<number>): number {
  const spec = SPEC_BY_NAME.get(format);
  if (spec === undefined) return TIME_UNIT.day;
  if (spec.groups[1] === 0) return TIME_UNIT.year;
  if (spec.groups[2] === 0) return TIME_UNIT.month;
  let areAllMidnight = true;
  let areAllHours = true;
  let areAllMonthEnds = true;
  let areAllFirsts = true;
  let areAllJan1 = true;
  let nValues = 0;
  for (let i = 0; i < epochSecs.length; i++) {
    const t = epochSecs[i]!;
    if (Number.isNaN(t)) continue;
    nValues++;
    const secOfDay = ((t % 86400) + 86400) % 86400;
    if (secOfDay !== 0) areAllMidnight = false;
    if (secOfDay % 3600 !== 0) areAllHours = false;
    const date = new Date(t * 1000);
    const day = date.getUTCDate();
    if (day !== 1) areAllFirsts = false;
    if (day !== 1 || date.getUTCMonth() !== 0) areAllJan1 = false;
    if (day !== daysInMonth(date.getUTCFullYear(), date.getUTCMonth() + 1)) areAllMonthEnds = false;
  }
  if (!areAllMidnight) return areAllHours ? TIME_UNIT.hour : TIME_UNIT.minute;
  if (nValues < 2) return TIME_UNIT.day;
  if (areAllJan1) return TIME_UNIT.year;
  if (areAllFirsts) return TIME_UNIT.month;
  if (areAllMonthEnds) return TIME_UNIT.endOfMonth;
  return TIME_UNIT.day;
}
