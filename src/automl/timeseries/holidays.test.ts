import { describe, expect, it } from 'vitest';
import { AppError } from '../../domain/errors.js';
import { dayNumberOf, holidayCalendar } from './holidays.js';

const day = (iso: string): number => dayNumberOf(Date.parse(`${iso}T00:00:00Z`) / 1000);

describe('holiday calendar', () => {
  it('knows Japanese holidays and substitute days', () => {
    const jp = holidayCalendar('JP');
    expect(jp.isHoliday(day('2024-05-03'))).toBe(true); // 憲法記念日
    expect(jp.isHoliday(day('2024-05-06'))).toBe(true); // 振替休日
    expect(jp.isHoliday(day('2024-05-07'))).toBe(false);
  });

  it('marks Golden Week as a long run of days off, and the days around holidays', () => {
    const jp = holidayCalendar('JP');
    expect(jp.marks(day('2024-05-04')).daysOffInARow).toBe(4); // Sat 3 May … Mon 6 May
    expect(jp.marks(day('2024-05-02')).dayBeforeHoliday).toBe(1);
    expect(jp.marks(day('2024-05-07')).dayAfterHoliday).toBe(1);
    expect(jp.marks(day('2024-05-08')).daysOffInARow).toBe(0);
    // 2024-04-30 (Tue) lies between Showa Day (Mon 29) and Wed 1 May (a working day): not a bridge.
    expect(jp.marks(day('2024-04-30')).betweenHolidays).toBe(0);
    // 2026-09-22 (Tue) lies between Respect for the Aged Day (Mon 21) and Autumnal Equinox (Wed 23).
    expect(jp.isHoliday(day('2026-09-22'))).toBe(true); // 国民の休日: the package lists it
  });

  it('reads other countries from date-holidays, and none has no holidays', () => {
    expect(holidayCalendar('US').isHoliday(day('2024-07-04'))).toBe(true);
    expect(holidayCalendar('US').isHoliday(day('2024-07-05'))).toBe(false);
    expect(holidayCalendar('none').isHoliday(day('2024-01-01'))).toBe(false);
    expect(holidayCalendar('none').marks(day('2024-01-06')).daysOffInARow).toBe(2); // a weekend
  });

  it('rejects an unknown country code', () => {
    expect(() => holidayCalendar('XX')).toThrow(AppError);
  });
});
