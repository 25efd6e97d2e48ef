/**
 * Test-only work calendars, small enough to trust by reading: every instant counts, or fixed
 * weekday opening hours in UTC. The real engine is `makeCalendar` in `#domain/calendar.ts`.
 */
import type { WorkCalendar } from '#domain/calendar.ts';
import { DAY_MS, MINUTE_MS } from '#domain/time.ts';
import type { Instant } from '#domain/time.ts';

export const alwaysCalendar: WorkCalendar = {
  countedMs: (from, to) => Math.max(0, to - from),
  deadline: (start, targetMs) => start + targetMs,
};

/** Opening windows `[open, close)` of each UTC day Monday to Friday. */
function* windowsFrom(from: Instant, openMinute: number, closeMinute: number): Generator<[Instant, Instant]> {
  for (let day = Math.floor(from / DAY_MS) * DAY_MS; ; day += DAY_MS) {
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    yield [day + openMinute * MINUTE_MS, day + closeMinute * MINUTE_MS];
  }
}

/** Monday to Friday, `openMinute`–`closeMinute` of the UTC day (default 08:00–16:00), no holidays. */
export function utcBusinessCalendar(openMinute = 8 * 60, closeMinute = 16 * 60): WorkCalendar {
  return {
    countedMs(from, to) {
      let counted = 0;
      for (const [open, close] of windowsFrom(from, openMinute, closeMinute)) {
        if (open >= to) return counted;
        counted += Math.max(0, Math.min(close, to) - Math.max(open, from));
      }
      return counted;
    },
    deadline(start, targetMs) {
      if (targetMs <= 0) return start;
      let remaining = targetMs;
      for (const [open, close] of windowsFrom(start, openMinute, closeMinute)) {
        const from = Math.max(open, start);
        if (from >= close) continue;
        if (close - from >= remaining) return from + remaining;
        remaining -= close - from;
      }
      throw new Error('unreachable: the windows never end');
    },
  };
}
