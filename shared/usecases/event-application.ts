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
import type { CaseEvent } from '#domain/model.ts';
import type { ContractRecord, EventContext, ParkedRecord, Store, StoreWrite } from '#store/store.ts';
import { MAX_TRANSACTION_ITEMS } from '#store/transaction.ts';
import { blankCase, creditsBookedMinor, progressCase } from './case-progress.ts';
import { retryOnConflict, type Attempt } from './conflict-retry.ts';
import { eventRejectedNotice } from './notice-factory.ts';
import { outcomeOfFailure } from '../outcomes.ts';
import { byOccurrence, type ParkedGroup } from './parked-groups.ts';
import type { Clock, EventOutcome } from './ports.ts';
import { contractStartsAt, yearIndexOf, type CatalogRuntime } from './runtime.ts';

export interface EventApplier {
  /** `parked`: the parked record when the event waited for its contract and is applied now. */
  apply(event: AftercareEventV1, parked: ParkedRecord | null): Promise<EventOutcome>;
  /** Applies one group of parked events (parked-groups.ts) if their contract is registered by now. */
  applyParkedGroup(group: ParkedGroup): Promise<ParkedGroupOutcome>;
  /** Records a parked event as rejected with the reason and removes it from the parked set (no notice: the caller alerts). */
  expireParked(parked: ParkedRecord, reason: string): Promise<void>;
}

/** What a group of parked events came to. `waiting`: its contract is still not registered. */
export interface ParkedGroupOutcome {
  readonly applied: number;
  readonly rejected: number;
  readonly waiting: number;
  readonly breachesDeclared: number;
  readonly creditsBookedMinor: number;
}

const NOTHING_APPLIED: ParkedGroupOutcome = { applied: 0, rejected: 0, waiting: 0, breachesDeclared: 0, creditsBookedMinor: 0 };

type TerminationEvent = Extract<AftercareEventV1, { type: 'contract.termination_requested' }>;
type RegistrationEvent = Extract<AftercareEventV1, { type: 'contract.registered' }>;

const DUPLICATE: EventOutcome = { kind: 'duplicate' };
const APPLIED: EventOutcome = { kind: 'applied' };

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
    if (event.type === 'contract.registered') return register(event, context, parked, now);
    const { contract } = context;
    if (contract === null) {
      return parked === null ? park(event, now) : { kind: 'done', value: { kind: 'parked' } };
    }
    if (event.type === 'contract.termination_requested') return terminate(event, contract, parked, now);
    return applyCaseEvent(event, { ...context, contract }, parked, now);
  }

  /**
   * One attempt at the parked events of one case: all of them added, one evaluation at `now`, one commit
   * of the case with every idempotency record and unpark. Past 100 items the clears that follow the case
   * write go in further commits: after a crash in between, the retry finds those events in the case and
   * only clears them.
   */
  async function applyCaseGroup(contractId: string, caseId: string, parked: readonly ParkedRecord[]): Promise<Attempt<ParkedGroupOutcome>> {
    const now = clock.now();
    const first = parked[0] as ParkedRecord;
    const context = await store.readEventContext({ eventId: first.eventId, contractId, caseId });
    const { contract } = context;
    if (contract === null) return { kind: 'done', value: { ...NOTHING_APPLIED, waiting: parked.length } };
    const stored = context.case ?? blankCase(contractId, caseId);
    const known = new Set(stored.events.map((e) => e.eventId));
    const startsAt = contractStartsAt(contract.terms);
    const endsAt = contractEndsAt(contract.terms, contract.termination);
    const added: CaseEvent[] = [];
    const clears: StoreWrite[][] = [];
    let rejected = 0;
    for (const record of parked) {
      const event = record.event as CaseEventV1;
      if (known.has(event.eventId)) {
        clears.push(processed(event, record, APPLIED, now));
        continue;
      }
      const caseEvent = toCaseEvent(event);
      if (caseEvent.type === 'case.opened' && (caseEvent.occurredAt < startsAt || (endsAt !== null && caseEvent.occurredAt >= endsAt))) {
        const refused = await reject(event, record, `case opened outside the contract's active period`, now);
        if (refused.kind === 'conflict') return refused;
        rejected += 1;
        continue;
      }
      known.add(caseEvent.eventId);
      added.push(caseEvent);
      clears.push(processed(event, record, APPLIED, now));
    }
    const progress =
      added.length === 0
        ? null
        : await progressCase(store, runtime, { contract, caseRecord: { ...stored, events: [...stored.events, ...added] }, now, eventAdded: true });
    const head = progress?.writes ?? [];
    for (const chunk of inTransactions(head, clears)) {
      // Duplicate: another writer applied some of them meanwhile. Either way re-read what is still parked.
      if ((await store.commit(chunk)) !== 'committed') return { kind: 'conflict' };
    }
    return {
      kind: 'done',
      value: {
        applied: parked.length - rejected,
        rejected,
        waiting: 0,
        breachesDeclared: progress?.breachesDeclared ?? 0,
        creditsBookedMinor: creditsBookedMinor(head),
      },
    };
  }

  async function applyRequest(record: ParkedRecord): Promise<Attempt<ParkedGroupOutcome>> {
    const result = await attempt(record.event as AftercareEventV1, record);
    if (result.kind === 'conflict') return result;
    const outcome = result.value;
    return {
      kind: 'done',
      value: {
        ...NOTHING_APPLIED,
        applied: outcome.kind === 'applied' || outcome.kind === 'duplicate' ? 1 : 0,
        rejected: outcome.kind === 'rejected' ? 1 : 0,
        waiting: outcome.kind === 'parked' ? 1 : 0,
      },
    };
  }

  function applyParkedGroup(group: ParkedGroup): Promise<ParkedGroupOutcome> {
    let parked = group.parked;
    let reread = false;
    return retryOnConflict(`parked ${group.id} of contract ${group.contractId}`, async () => {
      if (reread) parked = (await store.readParked(parked)).sort(byOccurrence);
      reread = true;
      const first = parked[0];
      if (first === undefined) return { kind: 'done', value: NOTHING_APPLIED };
      return group.caseId === null ? applyRequest(first) : applyCaseGroup(group.contractId, group.caseId, parked);
    });
  }

  async function expireParked(record: ParkedRecord, reason: string): Promise<void> {
    const event = record.event as AftercareEventV1;
    const now = clock.now();
    const { eventId, contractId, type } = event;
    // Duplicate: applied or expired meanwhile; nothing else can make this commit fail.
    await store.commit([
      ...processed(event, record, { kind: 'rejected', reason }, now),
      { kind: 'rejected', record: { contractId, eventId, type, reason, at: now } },
    ]);
  }

  /** A rule deep inside the application that refuses the event (`RuleRefusalError`) records it as rejected, like any refusal. */
  async function apply(event: AftercareEventV1, parked: ParkedRecord | null): Promise<EventOutcome> {
    try {
      return await retryOnConflict(`event ${event.eventId}`, () => attempt(event, parked));
    } catch (error) {
      const outcome = outcomeOfFailure(error);
      if (outcome.kind !== 'reject') throw error;
      return retryOnConflict(`rejection of event ${event.eventId}`, () => reject(event, parked, outcome.reason, clock.now()));
    }
  }

  return {
    apply,
    applyParkedGroup,
    expireParked,
  };
}

/** The case's writes first, then the clears (pairs kept together), at most 100 items a transaction. */
function inTransactions(head: readonly StoreWrite[], clears: readonly StoreWrite[][]): StoreWrite[][] {
  const chunks: StoreWrite[][] = [];
  let current: StoreWrite[] = [...head];
  for (const pair of clears) {
    if (current.length > 0 && current.length + pair.length > MAX_TRANSACTION_ITEMS) {
      chunks.push(current);
      current = [];
    }
    current.push(...pair);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
