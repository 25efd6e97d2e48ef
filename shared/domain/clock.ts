/**
 * One clock's timeline: a start and its pauses, measured on a work calendar.
 * Counted time and the instant a target is reached both skip the pauses.
 */
import type { WorkCalendar } from './calendar.ts';
import type { Instant } from './time.ts';

export interface Pause {
  readonly from: Instant;
  /** Null while the pause is still open. */
  readonly to: Instant | null;
}

export interface ClockTimeline {
  readonly startedAt: Instant;
  /** In time order, non-overlapping, all at or after the start; only the last may be open. */
  readonly pauses: readonly Pause[];
}

/** Counted time in `[startedAt, until)` inside the calendar and outside the pauses. */
export function countedUntil(calendar: WorkCalendar, timeline: ClockTimeline, until: Instant): number {
  let counted = 0;
  let segmentStart = timeline.startedAt;
  for (const pause of timeline.pauses) {
    if (segmentStart >= until) return counted;
    counted += calendar.countedMs(segmentStart, Math.min(pause.from, until));
    if (pause.to === null) return counted;
    segmentStart = Math.max(segmentStart, pause.to);
  }
  return counted + calendar.countedMs(segmentStart, until);
}

/**
 * The first instant at which counted time reaches `targetMs`, walking the unpaused segments;
 * null when an open pause stops the clock short of it.
 */
export function instantReaching(calendar: WorkCalendar, timeline: ClockTimeline, targetMs: number): Instant | null {
  let remaining = targetMs;
  let segmentStart = timeline.startedAt;
  for (const pause of timeline.pauses) {
    const segmentEnd = Math.max(segmentStart, pause.from);
    const reached = calendar.deadline(segmentStart, remaining);
    if (reached <= segmentEnd) return reached;
    remaining -= calendar.countedMs(segmentStart, segmentEnd);
    if (pause.to === null) return null;
    segmentStart = Math.max(segmentStart, pause.to);
  }
  return calendar.deadline(segmentStart, remaining);
}
