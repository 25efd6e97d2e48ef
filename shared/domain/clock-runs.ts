/**
 * A case's events folded into clock timelines: which clocks started when, their pauses and stops.
 * Time-independent: the same events always give the same timelines (docs/design.md#order-and-duplicates).
 */
import type { Pause } from './clock.ts';
import { resolveKpiTerms } from './levels.ts';
import { CASE_EVENT_TYPES, DEFAULT_EVENT_SOURCE, eventIdentityKey, KPIS } from './model.ts';
import type { CaseEvent, CaseEventType, Kpi, KpiTerms, PauseReason, Priority, ServiceLevel } from './model.ts';
import type { Instant } from './time.ts';

/** ended: the contract ended while the clock was running. */
export type StopReason = 'stopped' | 'cancelled' | 'ended';

export interface ClockRun {
  readonly kpi: Kpi;
  readonly terms: KpiTerms;
  readonly startedAt: Instant;
  /** Closed pauses; a pause still running at a stop is closed there. */
  readonly pauses: Pause[];
  /** Start of the pause the clock is in, or null. */
  pausedSince: Instant | null;
  stop: { readonly at: Instant; readonly reason: StopReason } | null;
}

export interface CaseTimeline {
  readonly openedAt: Instant | null;
  readonly priority: Priority;
  readonly runs: readonly ClockRun[];
}

const TYPE_RANK: Readonly<Record<CaseEventType, number>> = Object.fromEntries(
  CASE_EVENT_TYPES.map((type, rank) => [type, rank]),
) as Record<CaseEventType, number>;

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareCaseEvents(a: CaseEvent, b: CaseEvent): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt - b.occurredAt;
  if (a.type !== b.type) return TYPE_RANK[a.type] - TYPE_RANK[b.type];
  if (a.eventId !== b.eventId) return compareText(a.eventId, b.eventId);
  const [sourceA, sourceB] = [a.source ?? DEFAULT_EVENT_SOURCE, b.source ?? DEFAULT_EVENT_SOURCE];
  if (sourceA !== sourceB) return compareText(sourceA, sourceB);
  // Two deliveries of one eventId that differ must still resolve the same way in any arrival order.
  return compareText(JSON.stringify(a), JSON.stringify(b));
}

/** Sorted by the case order, each identity (source, eventId) kept once (its first occurrence in that order). */
export function distinctInCaseOrder(events: readonly CaseEvent[]): CaseEvent[] {
  if (events.length < 2) return [...events];
  // Events mostly arrive in case order: a stable sort of an ordered list keeps it as it is.
  let ordered = true;
  for (let i = 1; i < events.length && ordered; i += 1) ordered = compareCaseEvents(events[i - 1] as CaseEvent, events[i] as CaseEvent) <= 0;
  const sorted = ordered ? events : [...events].sort(compareCaseEvents);
  const seen = new Set<string>();
  const distinct: CaseEvent[] = [];
  for (const event of sorted) {
    const identity = eventIdentityKey(event);
    if (seen.has(identity)) continue;
    seen.add(identity);
    distinct.push(event);
  }
  return distinct;
}

/** awaiting_customer leaves firstResponse running: the customer is not needed for a first answer. */
function pauseCovers(reason: PauseReason, kpi: Kpi): boolean {
  return reason === 'force_majeure' || kpi !== 'firstResponse';
}

export function stopRun(run: ClockRun, at: Instant, reason: StopReason): void {
  if (run.stop !== null) return;
  if (run.pausedSince !== null) run.pauses.push({ from: run.pausedSince, to: at });
  run.pausedSince = null;
  run.stop = { at, reason };
}

const STOPPED_BY: Readonly<Record<'case.responded' | 'case.technician_arrived' | 'case.replacement_delivered', Kpi>> = {
  'case.responded': 'firstResponse',
  'case.technician_arrived': 'onSite',
  'case.replacement_delivered': 'replacement',
};

/** A clock starts once, when its KPI has terms, and never at or after the contract's end. */
function startRun(
  runs: Map<Kpi, ClockRun>,
  terms: Partial<Record<Kpi, KpiTerms>>,
  pause: PauseReason | null,
  contractEndsAt: Instant | null,
  kpi: Kpi,
  at: Instant,
): void {
  const kpiTerms = terms[kpi];
  if (kpiTerms === undefined || runs.has(kpi) || (contractEndsAt !== null && at >= contractEndsAt)) return;
  const pausedSince = pause !== null && pauseCovers(pause, kpi) ? at : null;
  runs.set(kpi, { kpi, terms: kpiTerms, startedAt: at, pauses: [], pausedSince, stop: null });
}

/** A level's terms per priority, resolved once (levels are the catalog's, fixed for the run; the terms are only read). */
const resolvedTerms = new WeakMap<ServiceLevel, Map<Priority, Partial<Record<Kpi, KpiTerms>>>>();

function kpiTermsOf(level: ServiceLevel, priority: Priority): Partial<Record<Kpi, KpiTerms>> {
  let byPriority = resolvedTerms.get(level);
  if (byPriority === undefined) {
    byPriority = new Map();
    resolvedTerms.set(level, byPriority);
  }
  let terms = byPriority.get(priority);
  if (terms === undefined) {
    terms = resolveKpiTerms(level, priority);
    byPriority.set(priority, terms);
  }
  return terms;
}

/**
 * Folds events (already distinct and in case order). Events before `case.opened`, a second
 * `case.opened`, events after `case.resolved`/`case.cancelled` and events after the contract's end
 * change no clock; a clock that would start at or after the contract's end never starts.
 */
export function foldCaseEvents(
  events: readonly CaseEvent[],
  level: ServiceLevel,
  contractEndsAt: Instant | null,
): CaseTimeline {
  let openedAt: Instant | null = null;
  let priority: Priority = 'normal';
  let terms: Partial<Record<Kpi, KpiTerms>> = {};
  let pause: PauseReason | null = null;
  let closed = false;
  const runs = new Map<Kpi, ClockRun>();
  // No closures in here: the fold runs for every evaluation of every case.
  for (const event of events) {
    const at = event.occurredAt;
    if (event.type === 'case.opened') {
      if (openedAt !== null) continue;
      openedAt = at;
      priority = event.priority ?? 'normal';
      terms = kpiTermsOf(level, priority);
      startRun(runs, terms, pause, contractEndsAt, 'firstResponse', at);
      startRun(runs, terms, pause, contractEndsAt, 'resolution', at);
      if (event.onSiteRequired === true) startRun(runs, terms, pause, contractEndsAt, 'onSite', at);
      if (event.replacementRequired === true) startRun(runs, terms, pause, contractEndsAt, 'replacement', at);
      continue;
    }
    if (openedAt === null || closed || (contractEndsAt !== null && at > contractEndsAt)) continue;
    switch (event.type) {
      case 'case.onsite_requested':
        startRun(runs, terms, pause, contractEndsAt, 'onSite', at);
        break;
      case 'case.replacement_requested':
        startRun(runs, terms, pause, contractEndsAt, 'replacement', at);
        break;
      case 'case.paused': {
        if (pause !== null) break;
        pause = event.reason;
        for (const run of runs.values()) {
          if (run.stop === null && pauseCovers(event.reason, run.kpi)) run.pausedSince = at;
        }
        break;
      }
      case 'case.resumed':
        if (pause === null) break;
        pause = null;
        for (const run of runs.values()) {
          if (run.stop !== null || run.pausedSince === null) continue;
          run.pauses.push({ from: run.pausedSince, to: at });
          run.pausedSince = null;
        }
        break;
      case 'case.responded':
      case 'case.technician_arrived':
      case 'case.replacement_delivered': {
        const run = runs.get(STOPPED_BY[event.type]);
        if (run !== undefined) stopRun(run, at, 'stopped');
        break;
      }
      case 'case.resolved':
      case 'case.cancelled':
        for (const run of runs.values()) stopRun(run, at, event.type === 'case.cancelled' ? 'cancelled' : 'stopped');
        closed = true;
        break;
      case 'case.visit_reported':
        // A visit is what serving the case cost (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract): it moves no clock.
        break;
    }
  }
  const inKpiOrder: ClockRun[] = [];
  for (const kpi of KPIS) {
    const run = runs.get(kpi);
    if (run !== undefined) inKpiOrder.push(run);
  }
  return { openedAt, priority, runs: inKpiOrder };
}
