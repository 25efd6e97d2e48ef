/**
 * The oracle: docs/design.md#4-contracts and docs/design.md#5-cases-clocks-breaches-credits applied at once to every event known as of `asOf`, with no store, queue or
 * clock. Differential tests hold the running system to the statements it returns.
 *
 * Test support, not production: only tests and the fault harness compare against it, so it lives
 * under test/support and the deployed bundles never carry it. It builds on the pure domain only.
 */
import type { WorkCalendar } from '#domain/calendar.ts';
import { decidedOutcomes, declaredBreaches, evaluateCase } from '#domain/case.ts';
import type { BreachRecord } from '#domain/credits.ts';
import type { Catalog, CaseEvent, ContractTerms, ServiceLevel, Termination, TerminationReason } from '#domain/model.ts';
import { DEFAULT_EVENT_SOURCE, EVENT_TYPES, eventIdentityKey } from '#domain/model.ts';
import { buildStatement, creditsByYear, terminationRightAt } from '#domain/statement.ts';
import type { ClockOutcome, ContractStatement, RejectedEvent } from '#domain/statement.ts';
import { contractEndsAt, decideTermination, describeEnd } from '#domain/terms.ts';
import { startOfLocalDate, toIso } from '#domain/time.ts';
import type { Instant, LocalDate } from '#domain/time.ts';

interface Envelope {
  readonly eventId: string;
  /** Absent = the default source; identity is (source, eventId). */
  readonly source?: string;
  readonly occurredAt: Instant;
}

export type ContractRegistered = ContractTerms & Envelope & { readonly type: 'contract.registered' };

export type TerminationRequested = Envelope & {
  readonly type: 'contract.termination_requested';
  readonly contractId: string;
  readonly reason: TerminationReason;
  readonly effectiveDate?: LocalDate;
};

export type ContractCaseEvent = CaseEvent & { readonly contractId: string };

export type PortfolioEvent = ContractRegistered | TerminationRequested | ContractCaseEvent;

export interface PortfolioInput {
  readonly catalog: Catalog;
  readonly calendars: Readonly<Record<string, WorkCalendar>>;
  /** Any order, duplicates allowed; events after `asOf` are not known yet. */
  readonly events: readonly PortfolioEvent[];
  readonly asOf: Instant;
}

interface ContractState {
  readonly terms: ContractTerms;
  readonly level: ServiceLevel;
  termination: Termination | null;
}

interface CaseFindings {
  readonly breaches: BreachRecord[];
  readonly outcomes: ClockOutcome[];
  readonly rejected: RejectedEvent[];
}

/** docs/design.md#6-the-event-contract-v1 order: occurredAt, then event type order, then eventId. */
function compareEvents(a: PortfolioEvent, b: PortfolioEvent): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt - b.occurredAt;
  const byType = EVENT_TYPES.indexOf(a.type) - EVENT_TYPES.indexOf(b.type);
  if (byType !== 0) return byType;
  if (a.eventId !== b.eventId) return a.eventId < b.eventId ? -1 : 1;
  const [sourceA, sourceB] = [a.source ?? DEFAULT_EVENT_SOURCE, b.source ?? DEFAULT_EVENT_SOURCE];
  return sourceA < sourceB ? -1 : sourceA > sourceB ? 1 : 0;
}

function isCaseEvent(event: PortfolioEvent): event is ContractCaseEvent {
  return event.type.startsWith('case.');
}

/**
 * Statements of every contract registered as of `asOf`, by contractId. A contract whose service level
 * is not in the catalog is not registered (the catalog is validated before events reach the rules).
 * Case events of contracts never registered stay parked and appear nowhere.
 */
export function evaluatePortfolio(input: PortfolioInput): ContractStatement[] {
  const known = distinctByIdentity(input.events.filter((e) => e.occurredAt <= input.asOf).sort(compareEvents));
  const position = new Map(known.map((event, index) => [eventIdentityKey(event), index]));
  const casesOf = groupCaseEvents(known);
  const contracts = new Map<string, ContractState>();
  const rejected = new Map<string, RejectedEvent[]>();
  const reject = (contractId: string, event: PortfolioEvent, reason: string): void => {
    rejected.set(contractId, [...(rejected.get(contractId) ?? []), { eventId: event.eventId, ...sourceField(event), type: event.type, reason }]);
  };

  for (const event of known) {
    if (event.type === 'contract.registered') {
      const level = input.catalog.serviceLevels[event.serviceLevel];
      if (contracts.has(event.contractId)) reject(event.contractId, event, `contract ${event.contractId} is already registered`);
      else if (level !== undefined) contracts.set(event.contractId, { terms: termsOf(event), level, termination: null });
    } else if (event.type === 'contract.termination_requested') {
      const contract = contracts.get(event.contractId);
      if (contract === undefined) {
        reject(event.contractId, event, `contract ${event.contractId} is not registered`);
        continue;
      }
      const soFar = findings(contract, casesOf.get(event.contractId) ?? [], event.occurredAt, input);
      const decision = decideTermination({
        terms: contract.terms,
        current: contract.termination,
        request: {
          eventId: event.eventId,
          reason: event.reason,
          requestedAt: event.occurredAt,
          ...(event.effectiveDate === undefined ? {} : { effectiveDate: event.effectiveDate }),
        },
        terminationRight: terminationRightAt(creditsByYear(contract.terms, contract.level, soFar.breaches), event.occurredAt),
      });
      if (decision.accepted) contract.termination = decision.termination;
      else reject(event.contractId, event, decision.reason);
    }
  }

  return [...contracts.values()]
    .sort((a, b) => (a.terms.contractId < b.terms.contractId ? -1 : 1))
    .map((contract) => {
      const { contractId } = contract.terms;
      const final = findings(contract, casesOf.get(contractId) ?? [], input.asOf, input);
      const allRejected = [...(rejected.get(contractId) ?? []), ...final.rejected];
      allRejected.sort((a, b) => (position.get(eventIdentityKey(a)) ?? 0) - (position.get(eventIdentityKey(b)) ?? 0));
      return buildStatement({
        terms: contract.terms,
        level: contract.level,
        termination: contract.termination,
        breaches: final.breaches,
        outcomes: final.outcomes,
        ledger: [],
        notices: [],
        rejected: allRejected,
        parked: [],
        asOf: input.asOf,
      });
    });
}

/** Breaches, decided outcomes and rejected openings of a contract's cases, from their events up to `now`. */
function findings(contract: ContractState, events: readonly ContractCaseEvent[], now: Instant, input: PortfolioInput): CaseFindings {
  const { terms, level } = contract;
  const startsAt = startOfLocalDate(terms.startDate, terms.timeZone);
  const endsAt = contractEndsAt(terms, contract.termination);
  const result: CaseFindings = { breaches: [], outcomes: [], rejected: [] };

  for (const [caseId, caseEvents] of groupBy(events.filter((e) => e.occurredAt <= now), (e) => e.caseId)) {
    const opened = caseEvents.find((e) => e.type === 'case.opened');
    if (opened !== undefined && (opened.occurredAt < startsAt || (endsAt !== null && opened.occurredAt >= endsAt))) {
      const period = `from ${terms.startDate}${endsAt === null ? '' : ` until ${describeEnd(terms, endsAt)}`}`;
      result.rejected.push({
        eventId: opened.eventId,
        ...sourceField(opened),
        type: opened.type,
        reason: `case ${caseId} opened at ${toIso(opened.occurredAt)}, outside the contract's active period (${period})`,
      });
      continue;
    }
    const view = evaluateCase({
      events: caseEvents,
      level,
      calendars: input.calendars,
      now,
      graceMs: input.catalog.breachGraceSeconds * 1000,
      contractEndsAt: endsAt,
      warned: new Set(),
    });
    for (const { kpi, deadline, creditPercent } of declaredBreaches(view)) result.breaches.push({ caseId, kpi, deadline, creditPercent });
    for (const { kpi, deadline, outcome } of decidedOutcomes(view)) {
      result.outcomes.push({ caseId, kpi, deadline, breached: outcome === 'breached' });
    }
  }
  return result;
}

function termsOf(event: ContractRegistered): ContractTerms {
  const { type: _type, eventId: _eventId, source: _source, occurredAt: _occurredAt, ...terms } = event;
  return terms;
}

function sourceField(event: { readonly source?: string }): { source?: string } {
  return event.source === undefined ? {} : { source: event.source };
}

/** An event is applied at most once: the first of a duplicated identity (source, eventId; docs/design.md#6-the-event-contract-v1 order) wins. */
function distinctByIdentity(sorted: readonly PortfolioEvent[]): PortfolioEvent[] {
  const seen = new Set<string>();
  const distinct: PortfolioEvent[] = [];
  for (const event of sorted) {
    const identity = eventIdentityKey(event);
    if (seen.has(identity)) continue;
    seen.add(identity);
    distinct.push(event);
  }
  return distinct;
}

function groupCaseEvents(events: readonly PortfolioEvent[]): Map<string, ContractCaseEvent[]> {
  return groupBy(events.filter(isCaseEvent), (event) => event.contractId);
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}
