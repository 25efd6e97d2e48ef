/**
 * Applies one valid event to the store (DESIGN §4–§6): registration, termination, case events,
 * parking for unregistered contracts and recorded rejections. Each attempt reads, decides and commits
 * once; a lost race is re-read and re-applied. Used by intake, and by the sweep for parked events.
 */
import { creditYear, type TerminationRight } from '#domain/credits.ts';
import { contractEndsAt, decideTermination, holdsAt } from '#domain/terms.ts';
import { lifecycleDateWithTermination } from '#domain/lifecycle.ts';
import { parseInstant, type Instant } from '#domain/time.ts';
// Not the `#events/v1.ts` barrel: it would bundle the zod schemas (and toJSONSchema) into the sweep.
import { toCaseEvent, toContractTerms } from '#events/mapping.ts';
import type { AftercareEventV1, CaseEventV1 } from '#events/schemas.ts';
import type { ContractRecord, EventContext, ParkedRecord, Store, StoreWrite } from '#store/store.ts';
import { blankCase, creditsBookedMinor, progressCase } from './case-progress.ts';
import { retryOnConflict, type Attempt } from './conflict-retry.ts';
import { eventRejectedNotice } from './notice-factory.ts';
import type { Clock, EventOutcome } from './ports.ts';
import { contractStartsAt, yearIndexOf, type CatalogRuntime } from './runtime.ts';

export interface EventApplier {
  /** `parked`: the parked record when the event waited for its contract and is applied now. */
  apply(event: AftercareEventV1, parked: ParkedRecord | null): Promise<EventOutcome>;
}

type TerminationEvent = Extract<AftercareEventV1, { type: 'contract.termination_requested' }>;
type RegistrationEvent = Extract<AftercareEventV1, { type: 'contract.registered' }>;

const DUPLICATE: EventOutcome = { kind: 'duplicate' };
const APPLIED: EventOutcome = { kind: 'applied' };

/** DESIGN §5: an `occurredAt` more than this after the event arrived is the sender's clock, not an occurrence. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;

/** Why the event is refused as clock skew, or null: `arrivedAt` is when intake received it. */
export function clockSkewReason(occurredAt: Instant, arrivedAt: Instant): string | null {
  const ahead = occurredAt - arrivedAt;
  return ahead > MAX_CLOCK_SKEW_MS ? `occurredAt is ${Math.ceil(ahead / 60_000)} minutes in the future: clock skew` : null;
}

function isCaseEvent(event: AftercareEventV1): event is CaseEventV1 {
  return event.type.startsWith('case.');
}

export function makeEventApplier(deps: { store: Store; runtime: CatalogRuntime; clock: Clock }): EventApplier {
  const { store, runtime, clock } = deps;

  /** The idempotency record and, for a parked event, the removal of its parked item. */
  function processed(event: AftercareEventV1, parked: ParkedRecord | null, outcome: EventOutcome, now: Instant): StoreWrite[] {
    const reason = outcome.kind === 'rejected' ? outcome.reason : null;
    const kind = outcome.kind === 'rejected' ? 'rejected' : outcome.kind === 'parked' ? 'parked' : 'applied';
    const record = { eventId: event.eventId, contractId: event.contractId, outcome: kind, reason, at: now } as const;
    return parked === null
      ? [{ kind: 'processedEvent', record, replaces: 'nothing' }]
      : [{ kind: 'processedEvent', record, replaces: 'parked' }, { kind: 'unpark', record: parked }];
  }

  async function commitOutcome(writes: readonly StoreWrite[], outcome: EventOutcome): Promise<Attempt<EventOutcome>> {
    const result = await store.commit(writes);
    if (result === 'conflict') return { kind: 'conflict' };
    return { kind: 'done', value: result === 'duplicate' ? DUPLICATE : outcome };
  }

  function reject(event: AftercareEventV1, parked: ParkedRecord | null, reason: string, now: Instant): Promise<Attempt<EventOutcome>> {
    const outcome: EventOutcome = { kind: 'rejected', reason };
    const { eventId, contractId, type } = event;
    return commitOutcome(
      [
        ...processed(event, parked, outcome, now),
        { kind: 'rejected', record: { contractId, eventId, type, reason, at: now } },
        { kind: 'notice', notice: eventRejectedNotice({ contractId, eventId, eventType: type, reason }, now) },
      ],
      outcome,
    );
  }

  function park(event: AftercareEventV1, now: Instant): Promise<Attempt<EventOutcome>> {
    const outcome: EventOutcome = { kind: 'parked' };
    // A JSON copy: the stored event holds no undefined fields, whatever the client's marshalling options.
    const original = JSON.parse(JSON.stringify(event)) as unknown;
    const record: ParkedRecord = {
      contractId: event.contractId,
      eventId: event.eventId,
      caseId: isCaseEvent(event) ? event.caseId : null,
      occurredAt: parseInstant(event.occurredAt),
      event: original,
      receivedAt: now,
    };
    // The contract must still be absent: a registration that committed meanwhile would miss this event.
    return commitOutcome(
      [...processed(event, null, outcome, now), { kind: 'park', record }, { kind: 'contractAbsent', contractId: event.contractId }],
      outcome,
    );
  }

  function register(event: RegistrationEvent, context: EventContext, parked: ParkedRecord | null, now: Instant): Promise<Attempt<EventOutcome>> {
    if (context.contract !== null) {
      if (context.contract.registeredBy === event.eventId) return Promise.resolve({ kind: 'done', value: DUPLICATE });
      return reject(event, parked, `contract ${event.contractId} is already registered`, now);
    }
    const terms = toContractTerms(event);
    if (!runtime.hasLevel(terms.serviceLevel)) {
      return reject(event, parked, `service level "${terms.serviceLevel}" is not in the catalog`, now);
    }
    const contract: ContractRecord = {
      terms,
      termination: null,
      registeredAt: now,
      registeredBy: event.eventId,
      lastAdvancedDate: null,
      nextLifecycleDate: terms.startDate,
      version: 0,
    };
    return commitOutcome([...processed(event, parked, APPLIED, now), { kind: 'contract', record: contract }], APPLIED);
  }

  /** The right held at the request, from the year holding it and the one before (a right outlives its year). */
  async function terminationRightAt(contract: ContractRecord, at: Instant): Promise<TerminationRight | null> {
    const { terms } = contract;
    const level = runtime.level(terms.serviceLevel);
    const index = yearIndexOf(terms, at);
    const years = await store.readYears(terms.contractId, [index - 1, index].filter((i) => i >= 1));
    const rights = years.map(
      (year) =>
        creditYear({
          feeMinor: terms.annualFee.minor,
          capPercent: level.creditCapPercent,
          terminationWindowDays: level.terminationWindowDays,
          breaches: year.breaches,
        }).terminationRight,
    );
    return rights.find((right) => holdsAt(right, at)) ?? null;
  }

  async function terminate(event: TerminationEvent, contract: ContractRecord, parked: ParkedRecord | null, now: Instant): Promise<Attempt<EventOutcome>> {
    const requestedAt = parseInstant(event.occurredAt);
    const decision = decideTermination({
      terms: contract.terms,
      current: contract.termination,
      request: {
        eventId: event.eventId,
        reason: event.reason,
        requestedAt,
        ...(event.effectiveDate === undefined ? {} : { effectiveDate: event.effectiveDate }),
      },
      terminationRight: event.reason === 'credit_cap_breach' ? await terminationRightAt(contract, requestedAt) : null,
    });
    if (!decision.accepted) return reject(event, parked, decision.reason, now);
    return commitOutcome(
      [
        ...processed(event, parked, APPLIED, now),
        {
          kind: 'contract',
          record: {
            ...contract,
            termination: decision.termination,
            nextLifecycleDate: lifecycleDateWithTermination(contract.terms, contract.nextLifecycleDate, decision.termination),
          },
        },
      ],
      APPLIED,
    );
  }

  async function applyCaseEvent(
    event: CaseEventV1,
    context: EventContext & { contract: ContractRecord },
    parked: ParkedRecord | null,
    now: Instant,
  ): Promise<Attempt<EventOutcome>> {
    const { contract } = context;
    const caseEvent = toCaseEvent(event);
    const stored = context.case ?? blankCase(event.contractId, event.caseId);
    if (stored.events.some((e) => e.eventId === caseEvent.eventId)) {
      // Seen after its idempotency record expired: still a duplicate. A parked copy is just cleared.
      return parked === null ? { kind: 'done', value: DUPLICATE } : commitOutcome(processed(event, parked, APPLIED, now), DUPLICATE);
    }
    if (caseEvent.type === 'case.opened') {
      const { terms, termination } = contract;
      const startsAt = contractStartsAt(terms);
      const endsAt = contractEndsAt(terms, termination);
      if (caseEvent.occurredAt < startsAt || (endsAt !== null && caseEvent.occurredAt >= endsAt)) {
        return reject(event, parked, `case opened outside the contract's active period`, now);
      }
    }
    const progress = await progressCase(store, runtime, {
      contract,
      caseRecord: { ...stored, events: [...stored.events, caseEvent] },
      now,
      eventAdded: true,
    });
    const booked = creditsBookedMinor(progress.writes);
    const applied: EventOutcome =
      progress.breachesDeclared === 0 && booked === 0
        ? APPLIED
        : { kind: 'applied', breachesDeclared: progress.breachesDeclared, creditsBookedMinor: booked };
    return commitOutcome([...processed(event, parked, APPLIED, now), ...progress.writes], applied);
  }

  async function attempt(event: AftercareEventV1, parked: ParkedRecord | null): Promise<Attempt<EventOutcome>> {
    const now = clock.now();
    const caseId = isCaseEvent(event) ? event.caseId : null;
    const context = await store.readEventContext({ eventId: event.eventId, contractId: event.contractId, caseId });
    const waitingForContract = parked !== null && context.processed?.outcome === 'parked';
    if (context.processed !== null && !waitingForContract) return { kind: 'done', value: DUPLICATE };
    const skew = clockSkewReason(parseInstant(event.occurredAt), parked?.receivedAt ?? now);
    if (skew !== null) return reject(event, parked, skew, now);
    if (event.type === 'contract.registered') return register(event, context, parked, now);
    const { contract } = context;
    if (contract === null) {
      return parked === null ? park(event, now) : { kind: 'done', value: { kind: 'parked' } };
    }
    if (event.type === 'contract.termination_requested') return terminate(event, contract, parked, now);
    return applyCaseEvent(event, { ...context, contract }, parked, now);
  }

  return {
    apply: (event, parked) => retryOnConflict(`event ${event.eventId}`, () => attempt(event, parked)),
  };
}
