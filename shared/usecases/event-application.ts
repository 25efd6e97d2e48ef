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
import { describeIdentity, identityOf, sourceOf } from '#events/source.ts';
import { eventDigest } from '#events/digest.ts';
import { eventIdentityKey } from '#domain/model.ts';
import type { ContractRecord, EventContext, ParkedRecord, StoredCaseEvent, Store, StoreWrite, YearRecord } from '#store/store.ts';
import type { ArrivalLags } from './arrival-lags.ts';
import { blankCase, creditsBookedMinor, progressCase } from './case-progress.ts';
import { retryOnConflict, type Attempt } from './conflict-retry.ts';
import { eventRejectedNotice, terminationConfirmedNotice } from './notice-factory.ts';
import type { Clock, EventOutcome } from './ports.ts';
import { contractStartsAt, yearIndexOf, type CatalogRuntime } from './runtime.ts';

export interface EventApplier {
  /**
   * `parked`: the parked record when the event waited for its contract and is applied now. `lags`: the
   * sources' lateness the case is evaluated with (the caller read it, with this event's own lateness).
   */
  apply(event: AftercareEventV1, parked: ParkedRecord | null, lags: ArrivalLags): Promise<EventOutcome>;
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

  /** The idempotency record (identity and digest) and, for a parked event, the removal of its parked item. */
  function processed(event: AftercareEventV1, parked: ParkedRecord | null, outcome: EventOutcome, now: Instant): StoreWrite[] {
    const reason = outcome.kind === 'rejected' ? outcome.reason : null;
    const kind = outcome.kind === 'rejected' ? 'rejected' : outcome.kind === 'parked' ? 'parked' : 'applied';
    const record = {
      ...identityOf(event),
      digest: eventDigest(event),
      contractId: event.contractId,
      outcome: kind,
      reason,
      at: now,
    } as const;
    return parked === null
      ? [{ kind: 'processedEvent', record, replaces: 'nothing' }]
      : [{ kind: 'processedEvent', record, replaces: 'parked' }, { kind: 'unpark', record: parked }];
  }

  async function commitOutcome(writes: readonly StoreWrite[], outcome: EventOutcome): Promise<Attempt<EventOutcome>> {
    const result = await store.commit(writes);
    if (result === 'conflict') return { kind: 'conflict' };
    return { kind: 'done', value: result === 'duplicate' ? DUPLICATE : outcome };
  }

  /** The rejected record and its alert, once per identity and digest. */
  function rejection(event: AftercareEventV1, reason: string, now: Instant): StoreWrite[] {
    const { contractId, type } = event;
    const { source, eventId } = identityOf(event);
    const digest = eventDigest(event);
    return [
      { kind: 'rejected', record: { contractId, source, eventId, digest, type, reason, at: now } },
      { kind: 'notice', notice: eventRejectedNotice({ contractId, source, eventId, digest, eventType: type, reason }, now) },
    ];
  }

  function reject(event: AftercareEventV1, parked: ParkedRecord | null, reason: string, now: Instant): Promise<Attempt<EventOutcome>> {
    const outcome: EventOutcome = { kind: 'rejected', reason };
    return commitOutcome([...processed(event, parked, outcome, now), ...rejection(event, reason, now)], outcome);
  }

  /**
   * DESIGN §5: the same identity with another body is not ignored. It is recorded as rejected and alerted,
   * the state and the original's idempotency record unchanged; its own redelivery is then a duplicate (the
   * rejected record exists). A parked copy is cleared.
   */
  function rejectConflicting(event: AftercareEventV1, parked: ParkedRecord | null, seen: string, now: Instant): Promise<Attempt<EventOutcome>> {
    const { source, eventId } = identityOf(event);
    const reason = `conflicting duplicate: event ${eventId} from source ${source} was already ${seen} with a different body`;
    const outcome: EventOutcome = { kind: 'rejected', reason };
    const clearParked = parked === null ? [] : processed(event, parked, outcome, now);
    return commitOutcome([...clearParked, ...rejection(event, reason, now)], outcome);
  }

  function park(event: AftercareEventV1, now: Instant): Promise<Attempt<EventOutcome>> {
    const outcome: EventOutcome = { kind: 'parked' };
    // A JSON copy: the stored event holds no undefined fields, whatever the client's marshalling options.
    const original = JSON.parse(JSON.stringify(event)) as unknown;
    const record: ParkedRecord = {
      contractId: event.contractId,
      ...identityOf(event),
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
      const by = context.contract.registeredBy;
      if (by.source === sourceOf(event) && by.eventId === event.eventId) {
        // Seen after its idempotency record expired: the registration kept its digest.
        if (by.digest === null || by.digest === eventDigest(event)) return Promise.resolve({ kind: 'done', value: DUPLICATE });
        return rejectConflicting(event, parked, 'registered', now);
      }
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
      registeredBy: { ...identityOf(event), digest: eventDigest(event) },
      lastAdvancedDate: null,
      nextLifecycleDate: terms.startDate,
      version: 0,
    };
    return commitOutcome([...processed(event, parked, APPLIED, now), { kind: 'contract', record: contract }], APPLIED);
  }

  /** The right held at the request, from the year holding it and the one before (a right outlives its year). */
  function terminationRightAt(contract: ContractRecord, years: readonly YearRecord[], at: Instant): TerminationRight | null {
    const { terms } = contract;
    const level = runtime.level(terms.serviceLevel);
    const rights = years.map(
      (year) =>
        creditYear({
          feeMinor: terms.annualFee.minor,
          capPercent: level.creditCapPercent,
          terminationWindowDays: level.terminationWindowDays,
          timeZone: terms.timeZone,
          breaches: year.breaches,
        }).terminationRight,
    );
    return rights.find((right) => holdsAt(right, at)) ?? null;
  }

  async function terminate(event: TerminationEvent, contract: ContractRecord, parked: ParkedRecord | null, now: Instant): Promise<Attempt<EventOutcome>> {
    const requestedAt = parseInstant(event.occurredAt);
    const index = yearIndexOf(contract.terms, requestedAt);
    const years = await store.readYears(contract.terms.contractId, [index - 1, index].filter((i) => i >= 1));
    const decision = decideTermination({
      terms: contract.terms,
      current: contract.termination,
      request: {
        eventId: event.eventId,
        reason: event.reason,
        requestedAt,
        ...(event.effectiveDate === undefined ? {} : { effectiveDate: event.effectiveDate }),
      },
      terminationRight: event.reason === 'credit_cap_breach' ? terminationRightAt(contract, years, requestedAt) : null,
    });
    if (!decision.accepted) return reject(event, parked, decision.reason, now);
    const { termination } = decision;
    const level = runtime.level(contract.terms.serviceLevel);
    return commitOutcome(
      [
        ...processed(event, parked, APPLIED, now),
        {
          kind: 'contract',
          record: {
            ...contract,
            termination,
            nextLifecycleDate: lifecycleDateWithTermination(contract.terms, contract.nextLifecycleDate, termination),
          },
        },
        {
          kind: 'notice',
          notice: terminationConfirmedNotice({ contract, level, termination, source: sourceOf(event), years, createdAt: now }),
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
    lags: ArrivalLags,
  ): Promise<Attempt<EventOutcome>> {
    const { contract } = context;
    const caseEvent: StoredCaseEvent = { ...toCaseEvent(event), digest: eventDigest(event) };
    const stored = context.case ?? blankCase(event.contractId, event.caseId);
    const identity = eventIdentityKey(caseEvent);
    const seen = stored.events.find((e) => eventIdentityKey(e) === identity);
    if (seen !== undefined) {
      // Seen after its idempotency record expired: the case item kept its digest.
      if (seen.digest !== undefined && seen.digest !== caseEvent.digest) return rejectConflicting(event, parked, 'applied', now);
      // Still a duplicate. A parked copy is just cleared.
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
    const source = sourceOf(event);
    const sources = stored.sources.includes(source) ? stored.sources : [...stored.sources, source];
    const progress = await progressCase(store, runtime, {
      contract,
      caseRecord: { ...stored, events: [...stored.events, caseEvent], sources },
      now,
      eventAdded: true,
      lags,
    });
    const booked = creditsBookedMinor(progress.writes);
    const applied: EventOutcome =
      progress.breachesDeclared === 0 && booked === 0
        ? APPLIED
        : { kind: 'applied', breachesDeclared: progress.breachesDeclared, creditsBookedMinor: booked };
    return commitOutcome([...processed(event, parked, APPLIED, now), ...progress.writes], applied);
  }

  async function attempt(event: AftercareEventV1, parked: ParkedRecord | null, lags: ArrivalLags): Promise<Attempt<EventOutcome>> {
    const now = clock.now();
    const caseId = isCaseEvent(event) ? event.caseId : null;
    const context = await store.readEventContext({ ...identityOf(event), contractId: event.contractId, caseId });
    const waitingForContract = parked !== null && context.processed?.outcome === 'parked';
    if (context.processed !== null && !waitingForContract) {
      const { digest, outcome } = context.processed;
      const conflicting = parked === null && digest !== null && digest !== eventDigest(event);
      return conflicting ? rejectConflicting(event, null, outcome, now) : { kind: 'done', value: DUPLICATE };
    }
    const skew = clockSkewReason(parseInstant(event.occurredAt), parked?.receivedAt ?? now);
    if (skew !== null) return reject(event, parked, skew, now);
    if (event.type === 'contract.registered') return register(event, context, parked, now);
    const { contract } = context;
    if (contract === null) {
      return parked === null ? park(event, now) : { kind: 'done', value: { kind: 'parked' } };
    }
    if (event.type === 'contract.termination_requested') return terminate(event, contract, parked, now);
    return applyCaseEvent(event, { ...context, contract }, parked, now, lags);
  }

  return {
    apply: (event, parked, lags) => retryOnConflict(`event ${describeIdentity(identityOf(event))}`, () => attempt(event, parked, lags)),
  };
}
