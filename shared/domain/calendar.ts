/**
 * Calendar engine: how much counted time lies between two instants, and when a target is reached.
 * STUB — signatures are fixed; the implementation is being written.
 */
import type { CalendarDefinition } from './model.ts';
import type { Instant } from './time.ts';

export interface WorkCalendar {
  /** Milliseconds of open time in `[from, to)`; 0 when `to <= from`. */
  countedMs(from: Instant, to: Instant): number;
  /** The first instant `t >= start` with `countedMs(start, t) >= targetMs` (targetMs 0 → start). */
  deadline(start: Instant, targetMs: number): Instant;
}

export function makeCalendar(_definition: CalendarDefinition): WorkCalendar {
  throw new Error('makeCalendar: not implemented yet');
}
