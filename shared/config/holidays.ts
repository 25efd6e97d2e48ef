/**
 * Public holidays from the maintained `date-holidays` library, resolved into local dates.
 * Only catalog loaders import this module, so Lambda bundles that embed a compiled catalog stay small.
 */
import Holidays from 'date-holidays';
import { DAY_MS, addDays, type LocalDate } from '#domain/time.ts';

/**
 * Years a compiled catalog covers. Contracts run for a few years around today; a fixed range keeps the
 * compiled catalog deterministic (the same input compiles to the same JSON on every machine).
 */
export const HOLIDAY_YEARS = { first: 2000, last: 2100 } as const;

const countryCodes = new Set(Object.keys(new Holidays().getCountries()));
const resolved = new Map<string, readonly LocalDate[]>();

/** Whether the holiday library knows `country` (ISO 3166-1 alpha-2, upper case). */
export function isKnownHolidayCountry(country: string): boolean {
  return /^[A-Z]{2}$/.test(country) && countryCodes.has(country);
}

/**
 * Every local date in `HOLIDAY_YEARS` on which `country` has a public holiday (type `public` only:
 * bank holidays and observances do not close a business calendar), sorted.
 */
export function publicHolidayDates(country: string): readonly LocalDate[] {
  const cached = resolved.get(country);
  if (cached !== undefined) return cached;
  if (!isKnownHolidayCountry(country)) throw new RangeError(`unknown holiday country: ${country}`);
  const library = new Holidays(country, { types: ['public'] });
  // Local dates only: without a zone the library skips moment-timezone for each holiday's start and end
  // (half the cold compile). Only the span's length in whole days is read from them, and every holiday in
  // HOLIDAY_YEARS lasts under a day, whole days or n + 3/4 days, which an hour of daylight saving moves
  // past no rounding edge: the dates are the same as in the country's zone (checked for every country).
  library.setTimezone(undefined as unknown as string);
  const dates = new Set<LocalDate>();
  for (let year = HOLIDAY_YEARS.first; year <= HOLIDAY_YEARS.last; year += 1) {
    for (const holiday of library.getHolidays(year)) {
      if (holiday.type !== 'public') continue;
      // A holiday may span several days; a part-day holiday closes its whole date.
      const days = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / DAY_MS));
      const first = holiday.date.slice(0, 10);
      for (let offset = 0; offset < days; offset += 1) dates.add(addDays(first, offset));
    }
  }
  const sorted = [...dates].sort();
  resolved.set(country, sorted);
  return sorted;
}
