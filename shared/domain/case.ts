/**
 * Case evaluation: a case's events (any order) → its clocks, breaches and next attention instant.
 * STUB — signatures are fixed; the implementation is being written.
 */
import type { WorkCalendar } from './calendar.ts';
import type { CaseEvent, Kpi, Priority, ServiceLevel } from './model.ts';
import type { Instant } from './time.ts';

export type ClockState = 'running' | 'paused' | 'met' | 'breached' | 'cancelled' | 'ended';

export interface ClockView {
  readonly kpi: Kpi;
  readonly startedAt: Instant;
  /** When the clock stopped (responded, arrived, delivered, resolved, cancelled, contract end), or null. */
  readonly stoppedAt: Instant | null;
  readonly targetMs: number;
  readonly calendar: string;
  readonly creditPercent: number;
  /** Counted time from start to min(now, stop), inside calendar hours and outside pauses. */
  readonly countedMs: number;
  /** First instant counted time reaches the target, or null while paused short of it. */
  readonly deadline: Instant | null;
  /** Instant counted time reaches `warnAtPercent` of the target, or null while paused short of it. */
  readonly warnAt: Instant | null;
  /**
   * met: stopped at or before its deadline; breached: stopped after it, or not stopped and the deadline
   * has passed by `now`; cancelled: stopped by case.cancelled; ended: stopped by the contract's end
   * before its deadline; running / paused: otherwise.
   */
  readonly state: ClockState;
  /** A breach that may be declared as of `now`: stopped late, or not stopped and deadline + grace <= now. */
  readonly breachDeclared: boolean;
}

export interface CaseView {
  readonly caseId: string;
  /** Null while the case's `case.opened` has not arrived yet. */
  readonly openedAt: Instant | null;
  readonly priority: Priority;
  readonly clocks: Readonly<Partial<Record<Kpi, ClockView>>>;
  /** Clocks that reached their warning instant by `now`, are not stopped or breached and are not in `warned`. */
  readonly warningsDue: readonly Kpi[];
  /** Earliest future instant at which a re-evaluation may change something (a warning or a breach), or null. */
  readonly nextAttentionAt: Instant | null;
}

export interface EvaluateCaseInput {
  readonly events: readonly CaseEvent[];
  readonly level: ServiceLevel;
  readonly calendars: Readonly<Record<string, WorkCalendar>>;
  readonly now: Instant;
  readonly graceMs: number;
  /** The contract's end instant, if known: clocks still running then stop there. */
  readonly contractEndsAt: Instant | null;
  /** KPIs whose breach warning was already raised. */
  readonly warned: ReadonlySet<Kpi>;
}

export function evaluateCase(_input: EvaluateCaseInput): CaseView {
  throw new Error('evaluateCase: not implemented yet');
}

/** Events in the order that defines case state: occurredAt, then DESIGN §6 type order, then eventId. */
export function sortCaseEvents(_events: readonly CaseEvent[]): CaseEvent[] {
  throw new Error('sortCaseEvents: not implemented yet');
}
