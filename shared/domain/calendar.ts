/**
 * Calendar engine: how much counted time lies between two instants, and when a target is reached.
 * `always` counts every real millisecond; `business` counts wall-clock opening hours in its zone.
 */
import type { CalendarDefinition, Weekday } from './model.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, formatDate, instantOfWallTime, splitDate, zoneOffsetAt, type Instant } from './time.ts';

export interface WorkCalendar {
  /** Milliseconds of open time in `[from, to)`; 0 when `to <= from`. */
  countedMs(from: Instant, to: Instant): number;
  /** The first instant `t >= start` with `countedMs(start, t) >= targetMs` (targetMs 0 → start). */
  deadline(start: Instant, targetMs: number): Instant;
}

export function makeCalendar(definition: CalendarDefinition): WorkCalendar {
  return definition.kind === 'always' ? alwaysCalendar : makeBusinessCalendar(definition);
}

const alwaysCalendar: WorkCalendar = {
  countedMs: (from, to) => Math.max(0, to - from),
  deadline: (start, targetMs) => start + Math.max(0, targetMs),
};

type BusinessDefinition = Extract<CalendarDefinition, { kind: 'business' }>;

/** Weekdays indexed by `dayNumber` arithmetic: 0 = Monday. */
const WEEKDAY_ORDER: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * UTC offsets lie within −12 h … +14 h, so the instants of local day `n` (days since 1970-01-01)
 * lie within `[n·DAY − 14 h, (n+1)·DAY + 12 h)`. The margins below keep the scans exact without
 * asking the zone where each local day starts.
 */
const MAX_EAST_OFFSET_MS = 14 * HOUR_MS;

/** Enough local days for about eleven years of open days; older entries are dropped first. */
const OPEN_DAY_CACHE_LIMIT = 4096;

function dayNumberOf(date: string): number {
  const [y, m, d] = splitDate(date);
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
}

function dateOfDayNumber(dayNumber: number): string {
  const t = new Date(dayNumber * DAY_MS);
  return formatDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** 1970-01-01 was a Thursday. */
function weekdayIndex(dayNumber: number): number {
  return (((dayNumber + 3) % 7) + 7) % 7;
}

function makeBusinessCalendar(definition: BusinessDefinition): WorkCalendar {
  const { timeZone } = definition;
  const windowsByWeekday = WEEKDAY_ORDER.map((day) => definition.hours[day] ?? []);
  const closedDays = new Set(definition.closedDates.map(dayNumberOf));
  const opensAtAll = windowsByWeekday.some((windows) => windows.some(([start, end]) => end > start));
  const openDays = new Map<number, readonly number[]>();

  /** Open intervals of local day `dayNumber` as flat `[start0, end0, start1, end1, …]` instants. */
  function openIntervals(dayNumber: number): readonly number[] {
    const cached = openDays.get(dayNumber);
    if (cached !== undefined) return cached;
    const windows = windowsByWeekday[weekdayIndex(dayNumber)] ?? [];
    const naiveMidnight = dayNumber * DAY_MS;
    const steadyOffset = offsetThroughout(naiveMidnight);
    const date = dateOfDayNumber(dayNumber);
    const intervals: number[] = [];
    for (const [startMinute, endMinute] of windows) {
      const start =
        steadyOffset === undefined
          ? instantOfWallTime(date, startMinute, timeZone)
          : naiveMidnight + startMinute * MINUTE_MS - steadyOffset;
      const end =
        steadyOffset === undefined
          ? instantOfWallTime(date, endMinute, timeZone)
          : naiveMidnight + endMinute * MINUTE_MS - steadyOffset;
      // A window swallowed whole by a spring-forward gap has no real time.
      if (end > start) intervals.push(start, end);
    }
    if (openDays.size >= OPEN_DAY_CACHE_LIMIT) {
      const oldest = openDays.keys().next();
      if (oldest.done !== true) openDays.delete(oldest.value);
    }
    openDays.set(dayNumber, intervals);
    return intervals;
  }

  /**
   * The zone's offset when it holds from well before to well after the local day (most days), so
   * window boundaries are plain arithmetic; undefined on a day with an offset change. Assumes no zone
   * changes its offset and back again within two days.
   */
  function offsetThroughout(naiveMidnight: number): number | undefined {
    const before = zoneOffsetAt(naiveMidnight - MAX_EAST_OFFSET_MS, timeZone);
    const middle = zoneOffsetAt(naiveMidnight + DAY_MS / 2, timeZone);
    const after = zoneOffsetAt(naiveMidnight + DAY_MS + MAX_EAST_OFFSET_MS, timeZone);
    return before === middle && middle === after ? middle : undefined;
  }

  function isShut(dayNumber: number): boolean {
    return closedDays.has(dayNumber) || (windowsByWeekday[weekdayIndex(dayNumber)]?.length ?? 0) === 0;
  }

  /** The earliest local day whose open time can reach `instant`. */
  function firstDayAround(instant: Instant): number {
    return Math.floor(instant / DAY_MS) - 1;
  }

  return {
    countedMs(from, to) {
      if (to <= from) return 0;
      let counted = 0;
      for (let day = firstDayAround(from); day * DAY_MS - MAX_EAST_OFFSET_MS < to; day += 1) {
        if (isShut(day)) continue;
        const intervals = openIntervals(day);
        for (let i = 0; i < intervals.length; i += 2) {
          const start = Math.max(intervals[i] ?? 0, from);
          const end = Math.min(intervals[i + 1] ?? 0, to);
          if (end > start) counted += end - start;
        }
      }
      return counted;
    },

    deadline(start, targetMs) {
      if (!Number.isFinite(start) || !Number.isFinite(targetMs)) {
        throw new RangeError(`deadline needs a finite start and target, got ${start} and ${targetMs}`);
      }
      if (targetMs <= 0) return start;
      if (!opensAtAll) throw new RangeError(`calendar in ${timeZone} has no opening hours: no deadline can be reached`);
      let remaining = targetMs;
      // Terminates: some weekday has open time and closed dates are finite.
      for (let day = firstDayAround(start); ; day += 1) {
        if (isShut(day)) continue;
        const intervals = openIntervals(day);
        for (let i = 0; i < intervals.length; i += 2) {
          const open = Math.max(intervals[i] ?? 0, start);
          const length = (intervals[i + 1] ?? 0) - open;
          if (length <= 0) continue;
          if (remaining <= length) return open + remaining;
          remaining -= length;
        }
      }
    },
  };
}
