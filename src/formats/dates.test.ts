import { describe, expect, it } from 'vitest';
import { DATE_FORMATS, detectDateFormat, guessTimeUnit, parseDate, TIME_UNIT } from './dates.js';

const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number => Date.UTC(y, mo - 1, d, h, mi, s) / 1000;

describe('parseDate', () => {
  it.each([
    ['2019-01-05 13:04:09', 'yyyy-MM-dd HH:mm:ss', utc(2019, 1, 5, 13, 4, 9)],
    ['2019-1-5 3:04:09', 'yyyy-M-d H:mm:ss', utc(2019, 1, 5, 3, 4, 9)],
    ['2019-01-05T13:04:09', 'yyyy-MM-dd HH:mm:ss', utc(2019, 1, 5, 13, 4, 9)],
    ['2019-01-05 13:04', 'yyyy-MM-dd HH:mm', utc(2019, 1, 5, 13, 4)],
    ['2019-1-5 3:04', 'yyyy-M-d H:mm', utc(2019, 1, 5, 3, 4)],
    ['2019-01-05', 'yyyy-MM-dd', utc(2019, 1, 5)],
    ['2019-1-5', 'yyyy-M-d', utc(2019, 1, 5)],
    ['2019/01/05 13:04:09', 'yyyy/MM/dd HH:mm:ss', utc(2019, 1, 5, 13, 4, 9)],
    ['2019/1/5 3:04', 'yyyy/M/d H:mm', utc(2019, 1, 5, 3, 4)],
    ['2019/01/05', 'yyyy/MM/dd', utc(2019, 1, 5)],
    ['2019/1/5', 'yyyy/M/d', utc(2019, 1, 5)],
    ['2019-03', 'yyyy-MM', utc(2019, 3, 1)],
    ['2019-3', 'yyyy-M', utc(2019, 3, 1)],
    ['2019/03', 'yyyy/MM', utc(2019, 3, 1)],
    ['20190105', 'yyyyMMdd', utc(2019, 1, 5)],
    ['201901', 'yyyyMM', utc(2019, 1, 1)],
    ['05-01-2019', 'dd-MM-yyyy', utc(2019, 1, 5)],
    ['5-1-2019', 'd-M-yyyy', utc(2019, 1, 5)],
    ['2019', 'yyyy', utc(2019, 1, 1)],
    ['1/31/2011', 'M/d/yyyy', utc(2011, 1, 31)],
    ['31/01/2011', 'dd/MM/yyyy', utc(2011, 1, 31)],
    ['1970-01-01 00:00:00', 'yyyy-MM-dd HH:mm:ss', 0],
    ['3999-12-31 23:59', 'yyyy-MM-dd HH:mm', utc(3999, 12, 31, 23, 59)],
    ['1933-03-27', 'yyyy-MM-dd', utc(1933, 3, 27)],
  ])('%s as %s', (value, format, expected) => {
    expect(parseDate(value, format)).toBe(expected);
  });

  it('reads mmm-yy within 80 years before and 20 after the reference year', () => {
    expect(parseDate('Jan-19', 'mmm-yy', { referenceYear: 2026 })).toBe(utc(2019, 1, 1));
    expect(parseDate('dec-45', 'mmm-yy', { referenceYear: 2026 })).toBe(utc(2045, 12, 1));
    expect(parseDate('Mar-46', 'mmm-yy', { referenceYear: 2026 })).toBe(utc(1946, 3, 1));
    expect(parseDate('Jan-19', 'mmm-yy')).toBeNaN();
    expect(parseDate('Foo-19', 'mmm-yy', { referenceYear: 2026 })).toBeNaN();
  });

  it.each([
    ['2019-02-29', 'yyyy-MM-dd'],
    ['2019-13-01', 'yyyy-MM-dd'],
    ['2019-01-05 24:00', 'yyyy-MM-dd HH:mm'],
    ['2019-01-05 10:60', 'yyyy-MM-dd HH:mm'],
    ['4000-01-01', 'yyyy-MM-dd'],
    ['1899-12-31', 'yyyy-MM-dd'],
    ['2019-01-05 ', 'yyyy-MM-dd'],
    ['', 'yyyy-MM-dd'],
    ['2019-01-05', 'yyyyMMdd'],
  ])('rejects %j as %s', (value, format) => {
    expect(parseDate(value, format)).toBeNaN();
  });

  it('throws on an unknown format name', () => {
    expect(() => parseDate('2019', 'YYYY')).toThrow(RangeError);
    expect(DATE_FORMATS).toContain('yyyy-MM-dd HH:mm:ss');
  });
});

describe('detectDateFormat', () => {
  it('reports the padded name only when every value is padded', () => {
    expect(detectDateFormat(['2019-01-05', '2020-12-31'])).toBe('yyyy-MM-dd');
    expect(detectDateFormat(['2019-01-05', '2020-2-3'])).toBe('yyyy-M-d');
    expect(detectDateFormat(['2012-10-02 09:00:00', ''])).toBe('yyyy-MM-dd HH:mm:ss');
  });

  it('needs one format for the whole column', () => {
    expect(detectDateFormat(['2019-01-05', '2019/01/05'])).toBeNull();
    expect(detectDateFormat(['2019-01-05', 'tomorrow'])).toBeNull();
    expect(detectDateFormat(['', ''])).toBeNull();
  });

  it('prefers M/d/yyyy and falls back to d/M/yyyy when a day exceeds 12', () => {
    expect(detectDateFormat(['1/1/2011', '12/31/2012'])).toBe('M/d/yyyy');
    expect(detectDateFormat(['31/12/2012', '1/1/2011'])).toBe('d/M/yyyy');
  });

  it('accepts 8- and 6-digit dates only when all are plausible', () => {
    expect(detectDateFormat(['20150905', '20160115'])).toBe('yyyyMMdd');
    expect(detectDateFormat(['20150905', '12345678'])).toBeNull();
    expect(detectDateFormat(['201509', '201612'])).toBe('yyyyMM');
    expect(detectDateFormat(['201513', '201612'])).toBeNull();
  });

  it('takes a bare 4-digit column as years only with a year-like name', () => {
    expect(detectDateFormat(['2011', '2012'])).toBeNull();
    expect(detectDateFormat(['2011', '2012'], { columnName: 'model_year' })).toBe('yyyy');
    expect(detectDateFormat(['2011', '2012'], { columnName: '年' })).toBe('yyyy');
  });

  it('detects mmm-yy only with a reference year', () => {
    expect(detectDateFormat(['Jan-19', 'Feb-19'], { referenceYear: 2026 })).toBe('mmm-yy');
    expect(detectDateFormat(['Jan-19', 'Feb-19'])).toBeNull();
  });
});

describe('guessTimeUnit', () => {
  it('reads the unit from the format and the spacing', () => {
    expect(guessTimeUnit('yyyy', [utc(2019, 1, 1)])).toBe(TIME_UNIT.year);
    expect(guessTimeUnit('yyyyMM', [utc(2019, 1, 1), utc(2019, 2, 1)])).toBe(TIME_UNIT.month);
    expect(guessTimeUnit('yyyy-MM-dd HH:mm:ss', [utc(2019, 1, 1, 1), utc(2019, 1, 1, 2)])).toBe(TIME_UNIT.hour);
    expect(guessTimeUnit('yyyy-MM-dd HH:mm', [utc(2019, 1, 1, 1, 5), utc(2019, 1, 1, 2)])).toBe(TIME_UNIT.minute);
    expect(guessTimeUnit('yyyy-MM-dd', [utc(2019, 1, 1), utc(2019, 1, 2)])).toBe(TIME_UNIT.day);
    expect(guessTimeUnit('yyyy-MM-dd', [utc(2019, 1, 31), utc(2019, 2, 28), utc(2020, 2, 29)])).toBe(TIME_UNIT.endOfMonth);
    expect(guessTimeUnit('yyyy-MM-dd', [utc(2019, 1, 1), utc(2019, 2, 1)])).toBe(TIME_UNIT.month);
    expect(guessTimeUnit('yyyy-MM-dd', [utc(2019, 1, 1), utc(2020, 1, 1)])).toBe(TIME_UNIT.year);
  });
});
