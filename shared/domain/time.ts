/**
 * Instants, local dates and IANA zone arithmetic. Pure: no clock is read here.
 * Instants are epoch milliseconds; local dates are `YYYY-MM-DD` strings in a named zone.
 */

export type Instant = number;
export type LocalDate = string;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** The wall-clock reading in `timeZone` at `instant`. */
export function wallTimeAt(instant: Instant, timeZone: string): WallTime {
  // The zone's offset (cached per hour) moves the instant to the wall clock; UTC's fields then read it.
  const wall = new Date(instant - (((instant % 1000) + 1000) % 1000) + zoneOffsetAt(instant, timeZone));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
}

function formattedWallTimeAt(instant: Instant, timeZone: string): WallTime {
  const parts = formatterFor(timeZone).formatToParts(new Date(instant));
  const pick = (type: Intl.DateTimeFormatPartTypes): number => {
    const part = parts.find((p) => p.type === type);
    return part === undefined ? 0 : Number(part.value);
  };
  return { year: pick('year'), month: pick('month'), day: pick('day'), hour: pick('hour'), minute: pick('minute'), second: pick('second') };
}

function formattedOffsetAt(instant: Instant, timeZone: string): number {
  const w = formattedWallTimeAt(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

/** Per zone, the offset of each UTC hour it is constant through (Intl is slow; replay asks millions of times). */
const hourOffsets = new Map<string, Map<number, number | null>>();
const HOUR_OFFSETS_KEPT = 200_000;

/** Offset of `timeZone` from UTC at `instant`, in milliseconds (Oslo in winter: +3 600 000). */
export function zoneOffsetAt(instant: Instant, timeZone: string): number {
  let offsets = hourOffsets.get(timeZone);
  if (offsets === undefined) {
    offsets = new Map();
    hourOffsets.set(timeZone, offsets);
  }
  const hour = Math.floor(instant / HOUR_MS);
  let offset = offsets.get(hour);
  if (offset === undefined) {
    // Constant through the hour when its first and last second agree (zones change at most once an hour).
    const first = formattedOffsetAt(hour * HOUR_MS, timeZone);
    offset = first === formattedOffsetAt(hour * HOUR_MS + HOUR_MS - 1000, timeZone) ? first : null;
    if (offsets.size >= HOUR_OFFSETS_KEPT) offsets.clear();
    offsets.set(hour, offset);
  }
  return offset ?? formattedOffsetAt(instant, timeZone);
}

/**
 * The instant at which the wall clock in `timeZone` shows the given local time.
 * A time skipped by a spring-forward gap maps to the instant the gap ends (02:30 → 03:00 in Oslo);
 * a repeated autumn hour maps to its first occurrence.
 */
export function instantOfWallTime(date: LocalDate, minuteOfDay: number, timeZone: string): Instant {
  const [y, m, d] = splitDate(date);
  const naive = Date.UTC(y, m - 1, d) + minuteOfDay * MINUTE_MS;
  const offsetBefore = zoneOffsetAt(naive - 14 * HOUR_MS, timeZone);
  const offsetAfter = zoneOffsetAt(naive + 14 * HOUR_MS, timeZone);
  const early = naive - Math.max(offsetBefore, offsetAfter);
  const late = naive - Math.min(offsetBefore, offsetAfter);
  if (zoneOffsetAt(early, timeZone) === naive - early) return early;
  if (zoneOffsetAt(late, timeZone) === naive - late) return late;
  // In a spring-forward gap the wall time does not exist: the first instant after the gap.
  let lo = early;
  let hi = late;
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (zoneOffsetAt(mid, timeZone) === offsetBefore) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Midnight at the start of `date` in `timeZone`. */
export function startOfLocalDate(date: LocalDate, timeZone: string): Instant {
  const key = `${timeZone} ${date}`;
  let start = midnights.get(key);
  if (start === undefined) {
    start = instantOfWallTime(date, 0, timeZone);
    if (midnights.size >= MIDNIGHTS_KEPT) midnights.clear();
    midnights.set(key, start);
  }
  return start;
}

/** Midnights already found, per zone and date (contract years ask for the same few again and again). */
const midnights = new Map<string, Instant>();
const MIDNIGHTS_KEPT = 100_000;

/** The local date in `timeZone` that contains `instant`. */
export function localDateAt(instant: Instant, timeZone: string): LocalDate {
  const w = wallTimeAt(instant, timeZone);
  return formatDate(w.year, w.month, w.day);
}

export function splitDate(date: LocalDate): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match === null) throw new RangeError(`not a date: ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

export function formatDate(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function isValidDate(date: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match === null) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(y, m - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const [y, m, d] = splitDate(date);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return formatDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/**
 * `date` plus whole years. 29 February in a non-leap target year becomes 28 February
 * (the contract year then ends on the last day of February, as a person would read it).
 */
export function addYears(date: LocalDate, years: number): LocalDate {
  const [y, m, d] = splitDate(date);
  const targetYear = y + years;
  const lastDay = new Date(Date.UTC(targetYear, m, 0)).getUTCDate();
  return formatDate(targetYear, m, Math.min(d, lastDay));
}

export function toIso(instant: Instant): string {
  return new Date(instant).toISOString().replace('.000Z', 'Z');
}

export function parseInstant(text: string): Instant {
  const value = Date.parse(text);
  if (Number.isNaN(value)) throw new RangeError(`not an instant: ${text}`);
  return value;
}

/** Parses an ISO-8601 duration of hours and minutes (`PT15M`, `PT1H30M`) into milliseconds. */
export function parseTargetDuration(text: string): number | undefined {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?$/.exec(text);
  if (match === null || (match[1] === undefined && match[2] === undefined)) return undefined;
  return (Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0)) * MINUTE_MS;
}
