import { describe, expect, it } from 'vitest';
import { makeCalendar, type WorkCalendar } from '#domain/calendar.ts';
import type { CalendarDefinition, Weekday } from '#domain/model.ts';
import { HOUR_MS, MINUTE_MS, parseInstant } from '#domain/time.ts';
import { publicHolidayDates } from '#config/holidays.ts';

const at = parseInstant;
const hours = (h: number): number => h * HOUR_MS;
const minutes = (m: number): number => m * MINUTE_MS;
const OFFICE_DAY: readonly (readonly [number, number])[] = [[8 * 60, 16 * 60]];
const WORKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

function businessCalendar(overrides: Partial<Extract<CalendarDefinition, { kind: 'business' }>> = {}): WorkCalendar {
  return makeCalendar({
    kind: 'business',
    timeZone: 'Europe/Oslo',
    hours: Object.fromEntries(WORKDAYS.map((day) => [day, OFFICE_DAY])),
    closedDates: [],
    ...overrides,
  });
}

function norwegianOfficeCalendar(): WorkCalendar {
  return businessCalendar({ closedDates: publicHolidayDates('NO') });
}

describe('business hours follow the wall clock across daylight-saving changes', () => {
  it('counts Friday afternoon and Monday morning across the spring change', () => {
    // Prepare: Oslo moves to summer time on Sunday 2026-03-29.
    const calendar = businessCalendar();
    const fridayAfternoon = at('2026-03-27T15:00:00+01:00');

    // Act
    const deadline = calendar.deadline(fridayAfternoon, hours(2));

    // Assess
    expect(deadline).toBe(at('2026-03-30T09:00:00+02:00'));
    expect(calendar.countedMs(fridayAfternoon, deadline)).toBe(hours(2));
  });

  it('counts Friday afternoon and Monday morning across the autumn change', () => {
    // Prepare: Oslo moves back to winter time on Sunday 2026-10-25.
    const calendar = businessCalendar();
    const fridayAfternoon = at('2026-10-23T15:00:00+02:00');

    // Act
    const deadline = calendar.deadline(fridayAfternoon, hours(2));

    // Assess
    expect(deadline).toBe(at('2026-10-26T09:00:00+01:00'));
    expect(calendar.countedMs(fridayAfternoon, deadline)).toBe(hours(2));
  });

  it('gives a whole-day window on the spring change 23 real hours and on the autumn change 25', () => {
    // Prepare
    const calendar = businessCalendar({ hours: { sun: [[0, 24 * 60]] } });

    // Act
    const spring = calendar.countedMs(at('2026-03-28T00:00:00+01:00'), at('2026-03-30T00:00:00+02:00'));
    const autumn = calendar.countedMs(at('2026-10-24T00:00:00+02:00'), at('2026-10-26T00:00:00+01:00'));

    // Assess
    expect(spring).toBe(hours(23));
    expect(autumn).toBe(hours(25));
  });

  it('opens a window whose start falls in the spring gap when the gap ends', () => {
    // Prepare: 02:30 does not exist in Oslo on 2026-03-29; the clock jumps from 02:00 to 03:00.
    const calendar = businessCalendar({ hours: { sun: [[2 * 60 + 30, 4 * 60]] } });
    const sundayMidnight = at('2026-03-29T00:00:00+01:00');

    // Act
    const deadline = calendar.deadline(sundayMidnight, minutes(30));
    const counted = calendar.countedMs(sundayMidnight, at('2026-03-30T00:00:00+02:00'));

    // Assess
    expect(deadline).toBe(at('2026-03-29T03:30:00+02:00'));
    expect(counted).toBe(hours(1));
  });
});

describe('an always calendar counts every real millisecond', () => {
  it('reaches a PT24H target across the spring change after 24 real hours', () => {
    // Prepare
    const calendar = makeCalendar({ kind: 'always' });
    const start = at('2026-03-28T12:00:00+01:00');

    // Act
    const deadline = calendar.deadline(start, hours(24));

    // Assess
    expect(deadline - start).toBe(hours(24));
    expect(deadline).toBe(at('2026-03-29T13:00:00+02:00'));
  });

  it('reaches a PT24H target across the autumn change after 24 real hours', () => {
    // Prepare
    const calendar = makeCalendar({ kind: 'always' });
    const start = at('2026-10-24T12:00:00+02:00');

    // Act
    const deadline = calendar.deadline(start, hours(24));

    // Assess
    expect(deadline).toBe(at('2026-10-25T11:00:00+01:00'));
    expect(calendar.countedMs(start, deadline)).toBe(hours(24));
  });
});

describe('public holidays close a business calendar', () => {
  it.each([
    // Skjærtorsdag 2 April, langfredag 3 April and 2. påskedag 6 April 2026.
    { year: 2026, start: '2026-04-01T15:00:00+02:00', deadline: '2026-04-07T09:00:00+02:00' },
    // Easter 2027 falls on the spring change (28 March): the deadline is in summer time.
    { year: 2027, start: '2027-03-24T15:00:00+01:00', deadline: '2027-03-30T09:00:00+02:00' },
  ])('skips the Norwegian Easter holidays of $year', ({ start, deadline }) => {
    // Prepare
    const calendar = norwegianOfficeCalendar();

    // Act
    const actual = calendar.deadline(at(start), hours(2));

    // Assess
    expect(actual).toBe(at(deadline));
  });

  it.each([
    { year: 2026, start: '2026-05-13T15:00:00+02:00', deadline: '2026-05-15T09:00:00+02:00' },
    { year: 2027, start: '2027-05-05T15:00:00+02:00', deadline: '2027-05-07T09:00:00+02:00' },
  ])('skips Kristi himmelfartsdag $year', ({ start, deadline }) => {
    // Prepare
    const calendar = norwegianOfficeCalendar();

    // Act
    const actual = calendar.deadline(at(start), hours(2));

    // Assess
    expect(actual).toBe(at(deadline));
  });

  it('closes a holiday that falls on a weekend without moving it to Monday', () => {
    // Prepare: 17 May 2026 is a Sunday; Norway does not substitute it.
    const openEveryDay = businessCalendar({
      hours: { mon: OFFICE_DAY, tue: OFFICE_DAY, wed: OFFICE_DAY, thu: OFFICE_DAY, fri: OFFICE_DAY, sat: OFFICE_DAY, sun: OFFICE_DAY },
      closedDates: publicHolidayDates('NO'),
    });
    const saturdayAfternoon = at('2026-05-16T15:00:00+02:00');

    // Act
    const deadline = openEveryDay.deadline(saturdayAfternoon, hours(2));

    // Assess
    expect(deadline).toBe(at('2026-05-18T09:00:00+02:00'));
  });
});

describe('opening windows and closed dates', () => {
  it('counts several windows a day and skips the gap between them', () => {
    // Prepare
    const calendar = businessCalendar({ hours: { mon: [[8 * 60, 11 * 60 + 30], [12 * 60, 16 * 60]] } });
    const mondayEleven = at('2026-11-30T11:00:00+01:00');

    // Act
    const deadline = calendar.deadline(mondayEleven, hours(1));

    // Assess
    expect(deadline).toBe(at('2026-11-30T12:30:00+01:00'));
    expect(calendar.countedMs(at('2026-11-30T00:00:00+01:00'), at('2026-12-01T00:00:00+01:00'))).toBe(minutes(450));
  });

  it('skips closed dates', () => {
    // Prepare: Christmas Eve 2026 is a Thursday.
    const calendar = businessCalendar({ closedDates: ['2026-12-24'] });
    const wednesdayAfternoon = at('2026-12-23T15:00:00+01:00');

    // Act
    const deadline = calendar.deadline(wednesdayAfternoon, hours(2));

    // Assess
    expect(deadline).toBe(at('2026-12-25T09:00:00+01:00'));
    expect(calendar.countedMs(at('2026-12-24T00:00:00+01:00'), at('2026-12-25T00:00:00+01:00'))).toBe(0);
  });

  it('puts a deadline that uses up a window exactly at the window end, not at the next opening', () => {
    // Prepare
    const calendar = businessCalendar();
    const mondayOpening = at('2026-11-30T08:00:00+01:00');

    // Act
    const deadline = calendar.deadline(mondayOpening, hours(8));

    // Assess
    expect(deadline).toBe(at('2026-11-30T16:00:00+01:00'));
  });

  it('starts counting at the next opening when started outside opening hours', () => {
    // Prepare
    const calendar = businessCalendar();
    const saturday = at('2026-11-28T10:00:00+01:00');

    // Act
    const deadline = calendar.deadline(saturday, minutes(15));

    // Assess
    expect(deadline).toBe(at('2026-11-30T08:15:00+01:00'));
  });

  it('meets a zero target at its start, even when closed', () => {
    // Prepare
    const business = businessCalendar();
    const always = makeCalendar({ kind: 'always' });
    const saturday = at('2026-11-28T10:00:00+01:00');

    // Act / Assess
    expect(business.deadline(saturday, 0)).toBe(saturday);
    expect(always.deadline(saturday, 0)).toBe(saturday);
  });

  it('counts nothing in an empty or reversed interval', () => {
    // Prepare
    const calendar = businessCalendar();
    const mondayNoon = at('2026-11-30T12:00:00+01:00');

    // Act / Assess
    expect(calendar.countedMs(mondayNoon, mondayNoon)).toBe(0);
    expect(calendar.countedMs(mondayNoon, mondayNoon - hours(1))).toBe(0);
    expect(makeCalendar({ kind: 'always' }).countedMs(mondayNoon, mondayNoon - hours(1))).toBe(0);
  });

  it('refuses to compute a deadline on a calendar that never opens', () => {
    // Prepare
    const calendar = businessCalendar({ hours: {} });

    // Act / Assess
    expect(() => calendar.deadline(at('2026-11-30T12:00:00+01:00'), hours(1))).toThrow(RangeError);
  });

  it('refuses a start or target that is not a finite number instead of searching forever', () => {
    // Prepare
    const calendar = businessCalendar();

    // Act / Assess
    expect(() => calendar.deadline(Number.NaN, hours(1))).toThrow(RangeError);
    expect(() => calendar.deadline(at('2026-11-30T12:00:00+01:00'), Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
