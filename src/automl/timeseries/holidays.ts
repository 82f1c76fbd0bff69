/**
 * National holidays and the days around them, from well-kept calendars: `@holiday-jp/holiday_jp`
 * for Japan (祝日 and 振替休日 from the Cabinet Office list), `date-holidays` for other countries
 * (its `public` holidays). Both are pure data packages, so this stays free of I/O.
 *
 * Golden Week, お盆 and 年末年始 are not single holidays: they show up as long runs of days off
 * (`days off in a row`), bridge days between holidays and the days before/after them, and the
 * day-of-year calendar part.
 */
import holidayJp from '@holiday-jp/holiday_jp';
import Holidays from 'date-holidays';
import { AppError } from '../../domain/errors.js';

/** Day number since 1970-01-01 of a wall-clock time (epoch seconds read as UTC). */
export function dayNumberOf(t: number): number {
  return Math.floor(t / 86400);
}

function isoDay(day: number): string {
  return new Date(day * 86400000).toISOString().slice(0, 10);
}

function isWeekend(day: number): boolean {
  const dow = new Date(day * 86400000).getUTCDay();
  return dow === 0 || dow === 6;
}

/** The holiday marks of one day. */
export interface HolidayMarks {
  readonly holiday: number;
  readonly dayBeforeHoliday: number;
  readonly dayAfterHoliday: number;
  /** A working day with days off on both sides (a bridge day). */
  readonly betweenHolidays: number;
  /** Length of the run of days off (weekends + holidays) the day belongs to; 0 on a working day. */
  readonly daysOffInARow: number;
}

export interface HolidayCalendar {
  /** 'none' or the ISO 3166-1 alpha-2 code. */
  readonly country: string;
  isHoliday(day: number): boolean;
  marks(day: number): HolidayMarks;
}

/**
 * The calendar of a country (`holidays` setting); 'none' has no holidays (weekends still count as
 * days off).
 * @throws AppError INVALID_CONFIG for a code neither package knows
 */
export function holidayCalendar(country: string): HolidayCalendar {
  const code = country.toUpperCase();
  const yearSets = new Map<number, Set<string>>();
  let yearHolidays: (year: number) => Set<string>;
  if (code === 'NONE') yearHolidays = () => new Set();
  else if (code === 'JP') {
    yearHolidays = (year) =>
      new Set(holidayJp.between(new Date(Date.UTC(year, 0, 1)), new Date(Date.UTC(year, 11, 31))).map((h) => isoDay(Math.round(h.date.getTime() / 86400000))));
  } else {
    const known = new Holidays().getCountries();
    if (known[code] === undefined) throw new AppError('INVALID_CONFIG', `holidays: unknown country code ${country} (an ISO 3166-1 alpha-2 code or none)`);
    const lib = new Holidays(code);
    yearHolidays = (year) =>
      new Set(
        lib
          .getHolidays(year)
          .filter((h) => h.type === 'public')
          .map((h) => h.date.slice(0, 10)),
      );
  }
  const isHoliday = (day: number): boolean => {
    const iso = isoDay(day);
    const year = Number(iso.slice(0, 4));
    let set = yearSets.get(year);
    if (set === undefined) yearSets.set(year, (set = yearHolidays(year)));
    return set.has(iso);
  };
  const isOff = (day: number): boolean => isWeekend(day) || isHoliday(day);
  return {
    country: code === 'NONE' ? 'none' : code,
    isHoliday,
    marks(day) {
      const off = isOff(day);
      let run = 0;
      if (off) {
        run = 1;
        // Runs longer than a few weeks are not holiday periods; the cap keeps the scan short.
        for (let d = day - 1; d > day - 21 && isOff(d); d--) run++;
        for (let d = day + 1; d < day + 21 && isOff(d); d++) run++;
      }
      return {
        holiday: isHoliday(day) ? 1 : 0,
        dayBeforeHoliday: isHoliday(day + 1) ? 1 : 0,
        dayAfterHoliday: isHoliday(day - 1) ? 1 : 0,
        betweenHolidays: !off && isOff(day - 1) && isOff(day + 1) && (isHoliday(day - 1) || isHoliday(day + 1)) ? 1 : 0,
        daysOffInARow: run,
      };
    },
  };
}
