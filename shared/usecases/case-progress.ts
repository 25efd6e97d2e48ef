/**
 * Brings one case up to `now`, shared by intake (after adding an event) and the sweep (clocks due):
 * evaluates the case, diffs its declared breaches against the stored ones, rebooks the touched contract
 * years, raises due warnings and moves the case's attention entry. Returns the writes; commits nothing.
 */
import { evaluateCase, type ClockView } from '#domain/case.ts';
import { KPIS, type CaseEvent, type ContractTerms, type Kpi } from '#domain/model.ts';
import { contractEndsAt, levelOfYear } from '#domain/terms.ts';
import type { Instant } from '#domain/time.ts';
import type { CaseRecord, DecidedClock } from '#store/case-repository.ts';
import type { ContractRecord } from '#store/contract-repository.ts';
import type { StoreWrite } from '#store/store.ts';
import type { YearBreach, YearRepository } from '#store/year-repository.ts';
import type { ArrivalLags } from './arrival-lags.ts';
import { bookYearChange, emptyYear } from './credit-booking.ts';
import { breachWarningNotice } from './notice-factory.ts';
import { yearIndexOf, type CatalogRuntime } from './runtime.ts';

export interface CaseProgress {
  /** The case write (when anything changed), year, ledger and notice writes. */
  readonly writes: readonly StoreWrite[];
  readonly changed: boolean;
  readonly breachesDeclared: number;
  readonly warningsRaised: number;
}

/** Net credit booked by a set of writes (its ledger entries), in minor units. */
export function creditsBookedMinor(writes: readonly StoreWrite[]): number {
  let total = 0;
  for (const write of writes) if (write.kind === 'ledger') total += write.entry.amountMinor;
  return total;
}

export function blankCase(contractId: string, caseId: string): CaseRecord {
  return { contractId, caseId, events: [], warned: [], decided: {}, nextAttentionAt: null, sources: [], version: 0 };
}

function decidedClock(clock: ClockView): DecidedClock | null {
  const { deadline, stoppedAt, creditPercent } = clock;
  if (deadline === null) return null;
  if (clock.breachDeclared) return { deadline, breached: true, stoppedAt, creditPercent };
  if (clock.state === 'met') return { deadline, breached: false, stoppedAt, creditPercent };
  return null;
}

function sameDecision(a: DecidedClock | undefined, b: DecidedClock | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.deadline === b.deadline && a.breached === b.breached && a.stoppedAt === b.stoppedAt && a.creditPercent === b.creditPercent;
}

const asBreach = (caseId: string, kpi: Kpi, clock: DecidedClock): YearBreach => ({
  caseId,
  kpi,
  deadline: clock.deadline,
  creditPercent: clock.creditPercent,
  stoppedAt: clock.stoppedAt,
});

const NONE: ReadonlySet<Kpi> = new Set();

/** When the case opened: its first `case.opened` as stored (a loop, not `find`: this runs per event and per due case). */
function openedAt(events: readonly CaseEvent[]): Instant | undefined {
  for (const event of events) if (event.type === 'case.opened') return event.occurredAt;
  return undefined;
}

/**
 * A case follows the level in force when it opened (docs/design.md#12-contract-changes-and-billing): the
 * registered one unless an amendment changed it, so the year it opened in is only looked up then.
 */
function caseLevelKey(terms: ContractTerms, events: readonly CaseEvent[], now: Instant): string {
  if (terms.changes === undefined || terms.changes.length === 0) return terms.serviceLevel;
  return levelOfYear(terms, Math.max(1, yearIndexOf(terms, openedAt(events) ?? now)));
}

/** The KPIs whose breach the case has declared. */
function declaredKpis(decided: CaseRecord['decided']): ReadonlySet<Kpi> {
  let declared: Set<Kpi> | null = null;
  for (const kpi of KPIS) if (decided[kpi]?.breached === true) (declared ??= new Set()).add(kpi);
  return declared ?? NONE;
}

/** A year's `YearChange` (credit-booking.ts) while it is collected. */
type YearChangeDraft = { withdrawn: YearBreach[]; declared: YearBreach[] };
type YearChanges = Map<number, YearChangeDraft>;

/** The change to the contract year a deadline falls in (a function, not a closure: progressCase runs per event and per due case). */
function yearOf(byYear: YearChanges, terms: ContractTerms, deadline: Instant): YearChangeDraft {
  // Cases are opened inside the contract period, so a deadline never precedes year 1.
  const index = Math.max(1, yearIndexOf(terms, deadline));
  const change = byYear.get(index) ?? { withdrawn: [], declared: [] };
  byYear.set(index, change);
  return change;
}

/**
 * Who books — declares, withdraws or moves a breach — and raises warnings: `here`: this evaluation does
 * (the sweep, a re-drive). `sweep`: applying an event leaves them to the sweep's next run (the case
 * stays due from now); it still records a clock met that no breach was declared for (nothing booked,
 * nothing told). Several batches of one instant apply their events one after another in no set order,
 * each seeing only the events and the lateness of the batches that ran before it; a booking made on such
 * a partial view (a late answer held by a lateness another batch recorded first, a breach withdrawn by a
 * cancellation while the late answer that keeps it is in another batch) could differ from one run to
 * the next, and be told in between. The sweep sees every event and every lateness delivered by its
 * instant (docs/design.md#order-and-duplicates); it runs each minute and credit notices wait for their
 * year to settle.
 */
export type TimeDecisions = 'here' | 'sweep';

/**
 * `caseRecord` carries the events to evaluate (the stored ones plus any new one), the sources that fed
 * them and the stored version; `eventAdded` forces the case write even when no decision changed.
 * `lags` holds running clocks while the case's sources deliver late.
 */
export async function progressCase(
  store: YearRepository,
  runtime: CatalogRuntime,
  input: { contract: ContractRecord; caseRecord: CaseRecord; now: Instant; eventAdded: boolean; lags: ArrivalLags; timeDecisions: TimeDecisions },
): Promise<CaseProgress> {
  const { contract, caseRecord, now } = input;
  const { terms, termination } = contract;
  const level = runtime.level(caseLevelKey(terms, caseRecord.events, now));
  const view = evaluateCase({
    events: caseRecord.events,
    level,
    calendars: runtime.calendars,
    now,
    graceMs: runtime.graceMs,
    holds: input.lags.holdsFor(caseRecord.sources, now),
    contractEndsAt: contractEndsAt(terms, termination),
    warned: caseRecord.warned.length === 0 ? NONE : new Set(caseRecord.warned),
    declared: declaredKpis(caseRecord.decided),
  });

  const decided: Partial<Record<Kpi, DecidedClock>> = {};
  // Made when a breach is declared, withdrawn or moved: most evaluations change no year.
  let byYear: YearChanges | null = null;
  let decisionsChanged = false;
  let breachesDeclared = 0;
  let leftToSweep = false;
  for (const kpi of KPIS) {
    const clock = view.clocks[kpi];
    const before = caseRecord.decided[kpi];
    let after = (clock === undefined ? null : decidedClock(clock)) ?? undefined;
    if (input.timeDecisions === 'sweep' && !sameDecision(before, after) && (before?.breached === true || after?.breached === true)) {
      // Declared, withdrawn or moved: intake sees the events and the lateness of the batches of this
      // instant that ran before, never the others (a cancellation withdraws a breach that the late answer
      // in another batch restores). The sweep decides, on every event and lateness of its instant.
      leftToSweep = true;
      after = before;
    }
    // The same decision keeps the stored object: a case is re-evaluated per event and per due case.
    if (sameDecision(before, after)) after = before;
    if (after !== undefined) decided[kpi] = after;
    if (after === before) continue;
    decisionsChanged = true;
    const breachBefore = before?.breached === true ? before : undefined;
    const breachAfter = after?.breached === true ? after : undefined;
    if (breachBefore === undefined && breachAfter === undefined) continue;
    const years = (byYear ??= new Map<number, YearChangeDraft>());
    if (breachBefore !== undefined) yearOf(years, terms, breachBefore.deadline).withdrawn.push(asBreach(caseRecord.caseId, kpi, breachBefore));
    if (breachAfter !== undefined) {
      yearOf(years, terms, breachAfter.deadline).declared.push(asBreach(caseRecord.caseId, kpi, breachAfter));
      if (breachBefore === undefined) breachesDeclared += 1;
    }
  }

  const writes: StoreWrite[] = [];
  if (byYear !== null) {
    const indexes = [...byYear.keys()].sort((a, b) => a - b);
    const stored = await store.readYears(terms.contractId, indexes);
    for (const index of indexes) {
      const year = stored.find((y) => y.yearIndex === index) ?? emptyYear(terms.contractId, index);
      const change = byYear.get(index) ?? { withdrawn: [], declared: [] };
      // The year's cap and window are its own level's, whichever level the case follows.
      const yearLevel = runtime.level(levelOfYear(terms, index));
      const booking = bookYearChange({ contract, level: yearLevel, year, change, now, settleMs: runtime.settleMs });
      writes.push({ kind: 'year', record: booking.year });
      for (const entry of booking.ledger) writes.push({ kind: 'ledger', entry });
      for (const notice of booking.notices) writes.push({ kind: 'notice', notice });
    }
  }

  const warnings: Kpi[] = [];
  for (const kpi of view.warningsDue) {
    const clock = view.clocks[kpi];
    const deadline = clock?.deadline ?? null;
    if (deadline === null || caseRecord.warned.includes(kpi)) continue;
    if (input.timeDecisions === 'sweep') {
      leftToSweep = true;
      continue;
    }
    warnings.push(kpi);
    const warning = { caseId: caseRecord.caseId, kpi, deadline, percent: level.warnAtPercent };
    writes.push({ kind: 'notice', notice: breachWarningNotice(terms.contractId, warning, now) });
  }
  // A decision left to the sweep keeps the case due from now, so its next run makes it.
  const nextAttentionAt = leftToSweep ? now : view.nextAttentionAt;

  const changed = input.eventAdded || decisionsChanged || warnings.length > 0 || nextAttentionAt !== caseRecord.nextAttentionAt;
  if (changed) {
    const record: CaseRecord = {
      ...caseRecord,
      // Unchanged decisions keep the stored map (built in KPI order, as this one is).
      decided: decisionsChanged ? decided : caseRecord.decided,
      warned: [...caseRecord.warned, ...warnings],
      nextAttentionAt,
    };
    writes.unshift({ kind: 'case', record });
  }
  return { writes, changed, breachesDeclared, warningsRaised: warnings.length };
}
