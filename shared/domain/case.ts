/**
 * Case evaluation: a case's events (any order, duplicates allowed) → its clocks, breaches and the next
 * instant at which it needs attention (docs/design.md#5-cases-clocks-breaches-credits). Events are facts whenever they occurred; `now` only
 * decides what is running, paused, breached or due.
 */
import type { WorkCalendar } from './calendar.ts';
import { distinctInCaseOrder, foldCaseEvents, stopRun } from './clock-runs.ts';
import type { ClockRun } from './clock-runs.ts';
import { countedUntil, instantReaching } from './clock.ts';
import type { ClockTimeline } from './clock.ts';
import { KPIS } from './model.ts';
import type { CaseEvent, Kpi, Priority, ServiceLevel } from './model.ts';
import type { LatenessHold } from './source-lag.ts';
import type { Instant } from './time.ts';
import { UnknownCalendarError } from '../errors.ts';

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
  /**
   * First instant counted time reaches the target, or null while paused short of it. For a stopped
   * clock: the deadline it had when it stopped (a pause open at the stop counts as ended there).
   */
  readonly deadline: Instant | null;
  /** Instant counted time reaches `warnAtPercent` of the target, or null while paused short of it. */
  readonly warnAt: Instant | null;
  /**
   * met: stopped at or before its deadline; breached: stopped after it, or not stopped and the deadline
   * has passed by `now`; cancelled: stopped by case.cancelled; ended: stopped by the contract's end
   * before its deadline; running / paused: otherwise.
   */
  readonly state: ClockState;
  /**
   * A breach that may be declared as of `now`: stopped late, or not stopped and its deadline passed by
   * the grace and by the lateness of the case's sources (`breachDeclarableAt`).
   */
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
  /**
   * The lateness of the case's sources' recent arrivals (source-lag.ts): a running clock past its
   * deadline is not declared breached while a stop may still be on its way. None: nothing is held.
   */
  readonly holds?: readonly LatenessHold[];
  /** The contract's end instant, if known: clocks still running then stop there. */
  readonly contractEndsAt: Instant | null;
  /** KPIs whose breach warning was already raised. */
  readonly warned: ReadonlySet<Kpi>;
  /**
   * KPIs whose breach is already declared: holds defer a decision, they never take one back, so a clock
   * declared breached stays declared while a source's lateness would now hold it. None: nothing declared.
   */
  readonly declared?: ReadonlySet<Kpi>;
}

/**
 * Until when the holds keep a breach with this deadline undecided: each one until a stop at the
 * deadline, arriving as late as the hold's lateness, would have arrived — or until the hold lapses (its
 * source went quiet), whichever comes first. Holds only ever defer; the deadline itself never moves.
 */
function heldUntil(deadline: Instant, holds: readonly LatenessHold[]): Instant {
  let at = -Infinity;
  for (const hold of holds) at = Math.max(at, Math.min(hold.until, deadline + hold.latenessMs));
  return at;
}

/**
 * The instant a running clock's breach becomes declarable. A running clock is late only once its
 * deadline has passed, so even without grace the breach is declared a millisecond after the deadline
 * (a stop exactly at the deadline is met); holds defer it further (`heldUntil`).
 */
export function breachDeclarableAt(deadline: Instant, graceMs: number, holds: readonly LatenessHold[] = []): Instant {
  return Math.max(deadline + Math.max(graceMs, 1), heldUntil(deadline, holds));
}

/**
 * The instant a clock stopped after its deadline is declared breached: at once, unless its sources
 * deliver late — then an earlier stop (a `case.responded` behind the `case.resolved` that stopped it)
 * may still be on its way, and the holds defer it as they defer a running clock's.
 */
export function lateStopDeclarableAt(deadline: Instant, holds: readonly LatenessHold[] = []): Instant {
  return heldUntil(deadline, holds);
}

function isPausedAt(timeline: ClockTimeline, now: Instant): boolean {
  return timeline.pauses.some((pause) => pause.from <= now && (pause.to === null || now < pause.to));
}

/** The clock as of `now`; `run` is final (stopped, or with its open pause, if any, still in `pausedSince`). */
function viewClock(run: ClockRun, input: EvaluateCaseInput): ClockView {
  const { now, graceMs, level } = input;
  const calendar = input.calendars[run.terms.calendar];
  if (calendar === undefined) throw new UnknownCalendarError(run.terms.calendar);
  const pauses = run.pausedSince === null ? run.pauses : [...run.pauses, { from: run.pausedSince, to: null }];
  const timeline: ClockTimeline = { startedAt: run.startedAt, pauses };
  const stoppedAt = run.stop?.at ?? null;
  const countedMs = countedUntil(calendar, timeline, Math.min(now, stoppedAt ?? now));
  const deadline = instantReaching(calendar, timeline, run.terms.targetMs);
  const warnAt = instantReaching(calendar, timeline, Math.round((run.terms.targetMs * level.warnAtPercent) / 100));

  let state: ClockState;
  let breachDeclared = false;
  if (run.stop === null) {
    const passed = deadline !== null && deadline < now;
    state = passed ? 'breached' : isPausedAt(timeline, now) ? 'paused' : 'running';
    breachDeclared = passed && (breachDeclarableAt(deadline, graceMs, input.holds ?? []) <= now || input.declared?.has(run.kpi) === true);
  } else if (run.stop.reason === 'cancelled') {
    state = 'cancelled';
  } else if (run.stop.reason === 'ended') {
    // The contract's end is no stop by the provider: only a deadline that passed before it is a breach.
    // Not held: the end is known, and the year's final statement needs the outcome.
    const passedBeforeEnd = deadline !== null && deadline < run.stop.at;
    state = passedBeforeEnd ? 'breached' : 'ended';
    breachDeclared = passedBeforeEnd && breachDeclarableAt(deadline, graceMs, []) <= now;
  } else {
    const late = deadline !== null && run.stop.at > deadline;
    state = late ? 'breached' : 'met';
    breachDeclared = late && (lateStopDeclarableAt(deadline, input.holds) <= now || input.declared?.has(run.kpi) === true);
  }
  return {
    kpi: run.kpi,
    startedAt: run.startedAt,
    stoppedAt,
    targetMs: run.terms.targetMs,
    calendar: run.terms.calendar,
    creditPercent: run.terms.creditPercent,
    countedMs,
    deadline,
    warnAt,
    state,
    breachDeclared,
  };
}

function canStillBreach(clock: ClockView, contractEndsAt: Instant | null): boolean {
  return contractEndsAt === null || clock.deadline === null || clock.deadline < contractEndsAt;
}

function isStopped(clock: ClockView): boolean {
  return clock.stoppedAt !== null;
}

/** Earliest future warning or breach declaration among the clocks, or null. */
function nextAttention(clocks: readonly ClockView[], input: EvaluateCaseInput): Instant | null {
  const { now } = input;
  // No closure in here: this runs for every evaluation of every case.
  let next: Instant | null = null;
  for (const clock of clocks) {
    if (clock.breachDeclared || !canStillBreach(clock, input.contractEndsAt)) continue;
    if (!isStopped(clock) && clock.warnAt !== null && !input.warned.has(clock.kpi)) next = earliestAfter(next, clock.warnAt, now);
    // A running clock waits for the grace and for its sources to catch up. A clock stopped after its
    // deadline is declared after the grace alone when the contract's end stopped it, once its sources
    // caught up when a stop did (the view does not tell which: both instants are considered).
    if (clock.deadline === null) continue;
    if (!isStopped(clock)) next = earliestAfter(next, breachDeclarableAt(clock.deadline, input.graceMs, input.holds), now);
    else if (clock.state === 'breached') {
      next = earliestAfter(next, breachDeclarableAt(clock.deadline, input.graceMs), now);
      next = earliestAfter(next, lateStopDeclarableAt(clock.deadline, input.holds), now);
    }
  }
  return next;
}

/** The earlier of `next` and `at`, counting `at` only when it is after `now`. */
function earliestAfter(next: Instant | null, at: Instant, now: Instant): Instant | null {
  return at > now && (next === null || at < next) ? at : next;
}

export function evaluateCase(input: EvaluateCaseInput): CaseView {
  const { events, level, now, contractEndsAt } = input;
  const timeline = foldCaseEvents(distinctInCaseOrder(events), level, contractEndsAt);
  if (contractEndsAt !== null && contractEndsAt <= now) {
    for (const run of timeline.runs) stopRun(run, contractEndsAt, 'ended');
  }
  // Loops, not map and filter: this runs for every evaluation of every case.
  const clocks: ClockView[] = [];
  const byKpi: Partial<Record<Kpi, ClockView>> = {};
  const warningsDue: Kpi[] = [];
  for (const run of timeline.runs) {
    const clock = viewClock(run, input);
    clocks.push(clock);
    byKpi[clock.kpi] = clock;
    if (isWarningDue(clock, input)) warningsDue.push(clock.kpi);
  }
  return {
    caseId: events[0]?.caseId ?? '',
    openedAt: timeline.openedAt,
    priority: timeline.priority,
    clocks: byKpi,
    warningsDue,
    nextAttentionAt: nextAttention(clocks, input),
  };
}

/** A running clock that reached its warning instant by `now`, may still breach and was not warned of. */
function isWarningDue(clock: ClockView, input: EvaluateCaseInput): boolean {
  return (
    !isStopped(clock) &&
    clock.state !== 'breached' &&
    canStillBreach(clock, input.contractEndsAt) &&
    clock.warnAt !== null &&
    clock.warnAt <= input.now &&
    !input.warned.has(clock.kpi)
  );
}

// What the rest of the system reads off a view: declared breaches (credits) and decided outcomes (statement).

export interface DeclaredBreach {
  readonly kpi: Kpi;
  readonly deadline: Instant;
  readonly creditPercent: number;
  /** Null while the clock is still running past its deadline. */
  readonly stoppedAt: Instant | null;
}

export interface DecidedOutcome {
  readonly kpi: Kpi;
  readonly outcome: 'met' | 'breached';
  readonly deadline: Instant;
  readonly stoppedAt: Instant | null;
}

function clocksInKpiOrder(view: CaseView): ClockView[] {
  return KPIS.flatMap((kpi) => view.clocks[kpi] ?? []);
}

/** Breaches that may be declared as of the view's `now`, in KPI order. */
export function declaredBreaches(view: CaseView): DeclaredBreach[] {
  return clocksInKpiOrder(view).flatMap((clock) =>
    clock.state === 'breached' && clock.breachDeclared && clock.deadline !== null
      ? [{ kpi: clock.kpi, deadline: clock.deadline, creditPercent: clock.creditPercent, stoppedAt: clock.stoppedAt }]
      : [],
  );
}

/**
 * Clocks whose outcome is decided: met, or breached and declared. Running, paused, cancelled and ended
 * clocks, and breaches still inside their grace, are not (yet) outcomes.
 */
export function decidedOutcomes(view: CaseView): DecidedOutcome[] {
  return clocksInKpiOrder(view).flatMap((clock): DecidedOutcome[] => {
    if (clock.deadline === null) return [];
    if (clock.state === 'met') return [{ kpi: clock.kpi, outcome: 'met', deadline: clock.deadline, stoppedAt: clock.stoppedAt }];
    if (clock.state === 'breached' && clock.breachDeclared) {
      return [{ kpi: clock.kpi, outcome: 'breached', deadline: clock.deadline, stoppedAt: clock.stoppedAt }];
    }
    return [];
  });
}
