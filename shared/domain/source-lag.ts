/**
 * How far behind each source's deliveries run (docs/design.md#order-and-duplicates): per arrival minute, the largest lateness
 * (arrival − occurredAt) of that source's events that arrived in it, kept for `sourceIdleMinutes`.
 * While a source's recent events arrive late, a running clock of a case it feeds stays undecided; a
 * source that goes silent holds nothing back once its late minutes are older than `sourceIdleMinutes`.
 */
import type { Instant } from './time.ts';

const MINUTE_MS = 60_000;

/** The largest lateness of the events of one source that arrived in the minute starting at `minute`. */
export interface MinuteLateness {
  readonly minute: Instant;
  readonly latenessMs: number;
}

export interface SourceLateness {
  readonly source: string;
  /** Late minutes only (lateness above the grace), in no particular order. */
  readonly minutes: readonly MinuteLateness[];
}

/**
 * A lateness that holds back running-clock decisions until `until` (its minute + `sourceIdleMinutes`):
 * before then, a stop that occurred at a deadline D may arrive as late as D + `latenessMs`.
 */
export interface LatenessHold {
  readonly latenessMs: number;
  readonly until: Instant;
}

/** One arrival: the event's source and occurrence, at the instant intake received it. */
export interface Arrival {
  readonly source: string;
  readonly occurredAt: Instant;
  readonly arrivedAt: Instant;
}

/** A minute whose stored lateness a batch raises, and the expired minutes that can go in the same write. */
export interface LatenessRaise {
  readonly source: string;
  readonly minute: Instant;
  readonly latenessMs: number;
  readonly expired: readonly Instant[];
}

export function arrivalMinute(at: Instant): Instant {
  return Math.floor(at / MINUTE_MS) * MINUTE_MS;
}

/** A minute counts while `now` is inside (minute, minute + idle]: its start is in (now − idle, now]. */
function isRecent(minute: Instant, now: Instant, idleMs: number): boolean {
  return minute > now - idleMs && minute <= now;
}

/** The largest lateness of the source's minutes in (now − idle, now]; 0 when it is on time or silent. */
export function lagAt(state: SourceLateness | undefined, now: Instant, idleMs: number): number {
  let lag = 0;
  for (const { minute, latenessMs } of state?.minutes ?? []) if (isRecent(minute, now, idleMs)) lag = Math.max(lag, latenessMs);
  return lag;
}

/** The holds the given sources put on a case's running clocks as of `now` (expired minutes are left out). */
export function holdsOf(states: readonly SourceLateness[], sources: readonly string[], now: Instant, idleMs: number): LatenessHold[] {
  const holds: LatenessHold[] = [];
  for (const state of states) {
    if (!sources.includes(state.source)) continue;
    for (const { minute, latenessMs } of state.minutes) {
      if (minute + idleMs > now) holds.push({ latenessMs, until: minute + idleMs });
    }
  }
  return holds;
}

/**
 * What a batch of arrivals changes: per source, at most one raise — the arrival minute of the batch
 * (its latest arrival) — and only when a lateness above the grace exceeds what that minute holds.
 * On-time traffic raises nothing.
 */
export function latenessRaises(
  stored: readonly SourceLateness[],
  arrivals: readonly Arrival[],
  graceMs: number,
  idleMs: number,
): LatenessRaise[] {
  const latest = new Map<string, { arrivedAt: Instant; latenessMs: number }>();
  for (const { source, occurredAt, arrivedAt } of arrivals) {
    const latenessMs = arrivedAt - occurredAt;
    if (latenessMs <= graceMs) continue;
    const seen = latest.get(source);
    latest.set(source, {
      arrivedAt: Math.max(seen?.arrivedAt ?? arrivedAt, arrivedAt),
      latenessMs: Math.max(seen?.latenessMs ?? latenessMs, latenessMs),
    });
  }
  const raises: LatenessRaise[] = [];
  for (const [source, { arrivedAt, latenessMs }] of latest) {
    const minute = arrivalMinute(arrivedAt);
    const minutes = stored.find((state) => state.source === source)?.minutes ?? [];
    const held = minutes.find((entry) => entry.minute === minute)?.latenessMs ?? 0;
    if (latenessMs <= held) continue;
    const expired = minutes.filter((entry) => entry.minute + idleMs <= arrivedAt).map((entry) => entry.minute);
    raises.push({ source, minute, latenessMs, expired });
  }
  return raises;
}

/** The stored states with the raises applied, as the store holds them after the raises' writes. */
export function withRaises(stored: readonly SourceLateness[], raises: readonly LatenessRaise[]): SourceLateness[] {
  const states = new Map(stored.map((state) => [state.source, state.minutes]));
  for (const { source, minute, latenessMs, expired } of raises) {
    const kept = (states.get(source) ?? []).filter((entry) => entry.minute !== minute && !expired.includes(entry.minute));
    const held = (states.get(source) ?? []).find((entry) => entry.minute === minute)?.latenessMs ?? 0;
    states.set(source, [...kept, { minute, latenessMs: Math.max(held, latenessMs) }]);
  }
  return [...states].map(([source, minutes]) => ({ source, minutes }));
}
