/**
 * Applies one valid event to the store (docs/design.md#4-contracts, docs/design.md#5-cases-clocks-breaches-credits, docs/design.md#6-the-event-contract-v1): registration, termination, case events,
 * parking for unregistered contracts and recorded rejections. Each attempt reads, decides and commits
 * once; a lost race is re-read and re-applied. Used by intake, and by the sweep for parked events.
 */
import type { TerminationRight } from '#domain/credits.ts';
import { creditsOfYear } from '#domain/statement.ts';
import { contractEndsAt, decideTermination, holdsAt } from '#domain/terms.ts';
import { decideAmendment } from '#domain/amendments.ts';
import { lifecycleDateWithTermination, nextLifecycleDate } from '#domain/lifecycle.ts';
import { addDays, localDateAt } from '#domain/time.ts';
import type { SuppressionRepository } from '#store/delivery-feedback-repository.ts';
import { parseInstant, type Instant, type LocalDate } from '#domain/time.ts';
// Not the `#events/v1.ts` barrel: it would bundle the zod schemas (and toJSONSchema) into the sweep.
import { toAmendmentRequest, toContractTerms, toDigestedCaseEvent } from '#events/mapping.ts';
import type { CaseEventV1, ContractBoundEventV1 } from '#events/schemas.ts';
import { describeIdentity, identityOf, sourceOf } from '#events/source.ts';
import { eventDigest } from '#events/digest.ts';
import { eventIdentityKey } from '#domain/model.ts';
import type { CaseRecord, StoredCaseEvent } from '#store/case-repository.ts';
import type { ContractRecord } from '#store/contract-repository.ts';
import type { ParkedEventRepository, ParkedRecord } from '#store/parked-event-repository.ts';
import type { EventContext, ProcessedEventRepository } from '#store/processed-event-repository.ts';
import type { CommitResult, StoreWrite, Transaction } from '#store/store.ts';
import type { YearRecord, YearRepository } from '#store/year-repository.ts';
import { MAX_TRANSACTION_ITEMS, planWrites } from '#store/transaction.ts';
import { outcomeOfFailure } from '../outcomes.ts';
import { ConfigurationError } from '../errors.ts';
import type { PoolRepository } from '#store/pool-repository.ts';
import { caseDrawWrites, isDrawEvent, registrationPoolWrites } from './pool-draws.ts';
import type { ArrivalLags } from './arrival-lags.ts';
import { blankCase, creditsBookedMinor, progressCase } from './case-progress.ts';
import { retryOnConflict, type Attempt } from './conflict-retry.ts';
import { eventRejectedNotice, terminationConfirmedNotice } from './notice-factory.ts';
import { byOccurrence, type ParkedGroup } from './parked-groups.ts';
import type { Clock, EventOutcome } from './ports.ts';
import { contractStartsAt, yearIndexOf, type CatalogRuntime } from './runtime.ts';
import { decideVisit } from './visit-application.ts';

export interface EventApplier {
  /**
   * `parked`: the parked record when the event waited for its contract and is applied now. `lags`: the
   * sources' lateness the case is evaluated with (the caller read it, with this event's own lateness).
   */
  apply(event: ContractBoundEventV1, parked: ParkedRecord | null, lags: ArrivalLags): Promise<EventOutcome>;
  /** Applies one group of parked events (parked-groups.ts) if their contract is registered by now, with the sources' lateness. */
  applyParkedGroup(group: ParkedGroup, lags: ArrivalLags): Promise<ParkedGroupOutcome>;
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

type TerminationEvent = Extract<ContractBoundEventV1, { type: 'contract.termination_requested' }>;
type RegistrationEvent = Extract<ContractBoundEventV1, { type: 'contract.registered' }>;
type AmendmentEvent = Extract<ContractBoundEventV1, { type: 'contract.amended' }>;

const DUPLICATE: EventOutcome = { kind: 'duplicate' };
const APPLIED: EventOutcome = { kind: 'applied' };
const CONFLICT: Attempt<EventOutcome> = { kind: 'conflict' };

/** docs/design.md#order-and-duplicates: an `occurredAt` more than this after the event arrived is the sender's clock, not an occurrence. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;

/** Why the event is refused as clock skew, or null: `arrivedAt` is when intake received it. */
export function clockSkewReason(occurredAt: Instant, arrivedAt: Instant): string | null {
  const ahead = occurredAt - arrivedAt;
  return ahead > MAX_CLOCK_SKEW_MS ? `occurredAt is ${Math.ceil(ahead / 60_000)} minutes in the future: clock skew` : null;
}

function isCaseEvent(event: ContractBoundEventV1): event is CaseEventV1 {
  return event.type.startsWith('case.');
}

/** The ports applying an event reads and writes through (intake, the sweep's parked events, a re-drive). */
export type EventApplicationStore = ProcessedEventRepository & YearRepository & ParkedEventRepository & Transaction;

export function makeEventApplier(deps: {
  store: EventApplicationStore;
  runtime: CatalogRuntime;
  clock: Clock;
  /** Lifts an amended contact's suppression (docs/design.md#12-contract-changes-and-billing); without it nothing is lifted. */
  suppressions?: Pick<SuppressionRepository, 'releaseSuppression'>;
  /** The pools (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools): entitlements at registration, draws at replacement events that name a pool. */
  pools?: PoolRepository;
}): EventApplier {
  const { store, runtime, clock, pools } = deps;

  /**
   * A replacement event that names a pool draws (or is refused) in a transaction of its own, before the
   * case event applies: the draw is keyed by the case, so a retry after a crash in between finds the
   * case's loan and draws nothing more, and the case's change keeps its whole transaction budget.
   * Callers ask `isDrawEvent` first: most case events draw nothing, and need not wait for this.
   */
  async function drawFirst(event: CaseEventV1, contract: ContractRecord, now: Instant): Promise<'drawn' | 'conflict'> {
    if (!isDrawEvent(event)) return 'drawn';
    if (pools === undefined) throw new ConfigurationError('a replacement names a pool, but this intake has no pool repository');
    const writes = await caseDrawWrites(pools, runtime, { contract, event, now });
    if (writes.length === 0) return 'drawn';
    return (await store.commit(writes)) === 'conflict' ? 'conflict' : 'drawn';
  }

  /**
   * The idempotency record (identity and digest) and, for a parked event, the removal of its parked item.
   * `digest`: the event's, when the caller has it already.
   */
  function processed(
    event: ContractBoundEventV1,
    parked: ParkedRecord | null,
    outcome: EventOutcome,
    now: Instant,
    digest = eventDigest(event),
  ): StoreWrite[] {
    const reason = outcome.kind === 'rejected' ? outcome.reason : null;
    const kind = outcome.kind === 'rejected' ? 'rejected' : outcome.kind === 'parked' ? 'parked' : 'applied';
    // Written out, not spread: a spread's copy here gave each of a million records its own hidden class (≈ 300 B more each).
    const { source, eventId } = identityOf(event);
    const record = {
      source,
      eventId,
      digest,
      contractId: event.contractId,
      outcome: kind,
      reason,
      at: now,
    } as const;
    return parked === null
      ? [{ kind: 'processedEvent', record, replaces: 'nothing' }]
      : [{ kind: 'processedEvent', record, replaces: 'parked' }, { kind: 'unpark', record: parked }];
  }

  /** `then`, not an async function: one frame fewer per commit, and one commits for every event. */
  function commitOutcome(writes: readonly StoreWrite[], outcome: EventOutcome): Promise<Attempt<EventOutcome>> {
    return store.commit(writes).then((result) => attemptOf(result, outcome));
  }

  /** The rejected record (identity and digest), written once per identity and digest. */
  function rejectedRecord(event: ContractBoundEventV1, reason: string, now: Instant): Extract<StoreWrite, { kind: 'rejected' }> {
    const { contractId, type } = event;
    return { kind: 'rejected', record: { contractId, ...identityOf(event), digest: eventDigest(event), type, reason, at: now } };
  }

  /** The rejected record and its alert, once per identity and digest. */
  function rejection(event: ContractBoundEventV1, reason: string, now: Instant): StoreWrite[] {
    const rejected = rejectedRecord(event, reason, now);
    const { contractId, source, eventId, digest, type } = rejected.record;
    return [rejected, { kind: 'notice', notice: eventRejectedNotice({ contractId, source, eventId, digest, eventType: type, reason }, now) }];
  }

  function reject(event: ContractBoundEventV1, parked: ParkedRecord | null, reason: string, now: Instant): Promise<Attempt<EventOutcome>> {
    const outcome: EventOutcome = { kind: 'rejected', reason };
    return commitOutcome([...processed(event, parked, outcome, now), ...rejection(event, reason, now)], outcome);
  }

  /**
   * docs/design.md#order-and-duplicates: the same identity with another body is not ignored. It is recorded as rejected and alerted,
   * the state and the original's idempotency record unchanged; its own redelivery is then a duplicate (the
   * rejected record exists). A parked copy is cleared.
   */
  function rejectConflicting(event: ContractBoundEventV1, parked: ParkedRecord | null, seen: string, now: Instant): Promise<Attempt<EventOutcome>> {
    const { source, eventId } = identityOf(event);
    const reason = `conflicting duplicate: event ${eventId} from source ${source} was already ${seen} with a different body`;
    const outcome: EventOutcome = { kind: 'rejected', reason };
    const clearParked = parked === null ? [] : processed(event, parked, outcome, now);
    return commitOutcome([...clearParked, ...rejection(event, reason, now)], outcome);
  }

  function park(event: ContractBoundEventV1, now: Instant): Promise<Attempt<EventOutcome>> {
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

  async function register(event: RegistrationEvent, context: EventContext, parked: ParkedRecord | null, now: Instant): Promise<Attempt<EventOutcome>> {
    if (context.contract !== null) {
      const by = context.contract.registeredBy;
      if (by.source === sourceOf(event) && by.eventId === event.eventId) {
        // Seen after its idempotency record expired: the registration kept its digest.
        if (by.digest === null || by.digest === eventDigest(event)) return { kind: 'done', value: DUPLICATE };
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
    const poolWrites = await registrationPoolWrites(pools, runtime, contract, now);
    return commitOutcome([...processed(event, parked, APPLIED, now), { kind: 'contract', record: contract }, ...poolWrites], APPLIED);
  }

  /** The right held at the request, from the year holding it and the one before (a right outlives its year). */
  function terminationRightAt(contract: ContractRecord, years: readonly YearRecord[], at: Instant): TerminationRight | null {
    const { terms } = contract;
    const levelOf = (key: string) => runtime.level(key);
    const rights = years.map((year) => creditsOfYear(terms, levelOf, year.yearIndex, year.breaches).terminationRight);
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

  /**
   * docs/design.md#12-contract-changes-and-billing: contact and pools at once, fee, level and renewal terms from a year that
   * has not begun. An email in the amendment lifts that address's suppression first: releasing is idempotent, and
   * the amendment is already decided, so a crash before the commit only repeats it on the redelivery.
   */
  async function amend(event: AmendmentEvent, contract: ContractRecord, parked: ParkedRecord | null, now: Instant): Promise<Attempt<EventOutcome>> {
    const request = toAmendmentRequest(event);
    const { terms, termination } = contract;
    const seen = (terms.changes ?? []).find((change) => change.source === request.source && change.eventId === request.eventId);
    // Seen after its idempotency record expired: the contract kept the change.
    if (seen !== undefined) return { kind: 'done', value: DUPLICATE };
    if (request.serviceLevel !== undefined && !runtime.hasLevel(request.serviceLevel)) {
      return reject(event, parked, `service level "${request.serviceLevel}" is not in the catalog`, now);
    }
    const decision = decideAmendment({ terms, termination, contractEndsAt: contractEndsAt(terms, termination), request });
    if (!decision.accepted) return reject(event, parked, decision.reason, now);
    const email = request.customer?.email;
    if (email !== undefined && deps.suppressions !== undefined) await deps.suppressions.releaseSuppression(email);
    const amended: ContractRecord = { ...contract, terms: decision.terms };
    // Pools newly entitled count in their risk from now on, as at a registration. A pool left keeps its
    // entitlement item (its history still counts); draws follow the contract's list (terms.pools).
    const before = new Set(terms.pools ?? []);
    const added = (decision.terms.pools ?? []).filter((poolId) => !before.has(poolId));
    const poolWrites =
      added.length === 0 ? [] : await registrationPoolWrites(pools, runtime, { ...amended, terms: { ...amended.terms, pools: added } }, now);
    return commitOutcome(
      [
        ...processed(event, parked, APPLIED, now),
        { kind: 'contract', record: { ...amended, nextLifecycleDate: lifecycleDateAfterAmendment(amended, now) } },
        ...poolWrites,
      ],
      APPLIED,
    );
  }

  async function applyCaseEvent(
    event: CaseEventV1,
    occurredAt: Instant,
    contract: ContractRecord,
    caseRecord: CaseRecord | null,
    parked: ParkedRecord | null,
    now: Instant,
    lags: ArrivalLags,
  ): Promise<Attempt<EventOutcome>> {
    const digest = eventDigest(event);
    const stored = caseRecord ?? blankCase(event.contractId, event.caseId);
    const source = sourceOf(event);
    const seen = storedEvent(stored.events, source, event.eventId);
    if (seen !== undefined) {
      // Seen after its idempotency record expired: the case item kept its digest.
      if (seen.digest !== undefined && seen.digest !== digest) return rejectConflicting(event, parked, 'applied', now);
      // Still a duplicate. A parked copy is just cleared.
      return parked === null ? { kind: 'done', value: DUPLICATE } : commitOutcome(processed(event, parked, APPLIED, now), DUPLICATE);
    }
    let visitCostMinor = 0;
    if (event.type === 'case.visit_reported') {
      const visit = decideVisit(event, contract, stored.events, runtime);
      if (visit.kind === 'rejected') return reject(event, parked, visit.reason, now);
      // The same visit under another event id: recorded as processed, applied once.
      if (visit.kind === 'duplicate') return commitOutcome(processed(event, parked, APPLIED, now), DUPLICATE);
      visitCostMinor = visit.costMinor;
    }
    const caseEvent = toDigestedCaseEvent(event, digest, visitCostMinor, occurredAt);
    if (caseEvent.type === 'case.opened') {
      const { terms, termination } = contract;
      const startsAt = contractStartsAt(terms);
      const endsAt = contractEndsAt(terms, termination);
      if (caseEvent.occurredAt < startsAt || (endsAt !== null && caseEvent.occurredAt >= endsAt)) {
        return reject(event, parked, `case opened outside the contract's active period`, now);
      }
    }
    if (isDrawEvent(event) && (await drawFirst(event, contract, now)) === 'conflict') return { kind: 'conflict' };
    // `concat`, not a spread: V8 gives an array built by spreading room for 17 elements (≈ 130 B more), and
    // a case keeps these for its life.
    const sources = stored.sources.includes(source) ? stored.sources : stored.sources.concat([source]);
    const progress = await progressCase(store, runtime, {
      contract,
      caseRecord: { ...stored, events: stored.events.concat([caseEvent]), sources },
      now,
      eventAdded: true,
      lags,
      timeDecisions: 'sweep',
    });
    const booked = creditsBookedMinor(progress.writes);
    const applied: EventOutcome =
      progress.breachesDeclared === 0 && booked === 0
        ? APPLIED
        : { kind: 'applied', breachesDeclared: progress.breachesDeclared, creditsBookedMinor: booked };
    // The case's writes pushed onto the idempotency record's array, not both spread into a third.
    const writes = processed(event, parked, APPLIED, now, digest);
    writes.push(...progress.writes);
    return await commitOutcome(writes, applied);
  }

  async function attempt(event: ContractBoundEventV1, parked: ParkedRecord | null, lags: ArrivalLags): Promise<Attempt<EventOutcome>> {
    const now = clock.now();
    const caseId = isCaseEvent(event) ? event.caseId : null;
    const context = await store.readEventContext({ source: sourceOf(event), eventId: event.eventId, contractId: event.contractId, caseId });
    const waitingForContract = parked !== null && context.processed?.outcome === 'parked';
    if (context.processed !== null && !waitingForContract) {
      const { digest, outcome } = context.processed;
      const conflicting = parked === null && digest !== null && digest !== eventDigest(event);
      return conflicting ? rejectConflicting(event, null, outcome, now) : { kind: 'done', value: DUPLICATE };
    }
    const occurredAt = parseInstant(event.occurredAt);
    const skew = clockSkewReason(occurredAt, parked?.receivedAt ?? now);
    if (skew !== null) return reject(event, parked, skew, now);
    if (event.type === 'contract.registered') return register(event, context, parked, now);
    const { contract } = context;
    if (contract === null) {
      return parked === null ? park(event, now) : { kind: 'done', value: { kind: 'parked' } };
    }
    if (event.type === 'contract.termination_requested') return terminate(event, contract, parked, now);
    if (event.type === 'contract.amended') return amend(event, contract, parked, now);
    // Awaited, not returned: an async function handed a promise to settle with takes two more microtasks and a job to adopt it.
    return await applyCaseEvent(event, occurredAt, contract, context.case, parked, now, lags);
  }

  /**
   * One attempt at the parked events of one case: all of them added, one evaluation at `now` (with the
   * sources' lateness), one commit of the case with as many idempotency records and unparks as fit.
   * Past 100 planned items the clears that follow the case write go in further commits: after a crash
   * in between, the retry finds those events in the case and only clears them. Each event is checked as
   * on its own: clock skew, a conflicting duplicate of an event the case holds, a case opened outside
   * the contract's active period are recorded as rejected first.
   */
  async function applyCaseGroup(
    contractId: string,
    caseId: string,
    parked: readonly ParkedRecord[],
    lags: ArrivalLags,
  ): Promise<Attempt<ParkedGroupOutcome>> {
    const now = clock.now();
    const first = parked[0] as ParkedRecord;
    const context = await store.readEventContext({ source: first.source, eventId: first.eventId, contractId, caseId });
    const { contract } = context;
    if (contract === null) return { kind: 'done', value: { ...NOTHING_APPLIED, waiting: parked.length } };
    const stored = context.case ?? blankCase(contractId, caseId);
    const known = new Map(stored.events.map((e) => [eventIdentityKey(e), e]));
    const startsAt = contractStartsAt(contract.terms);
    const endsAt = contractEndsAt(contract.terms, contract.termination);
    const added: StoredCaseEvent[] = [];
    const sources = [...stored.sources];
    const clears: StoreWrite[][] = [];
    let rejected = 0;
    const refuse = async (refusal: Promise<Attempt<EventOutcome>>): Promise<boolean> => {
      const refused = await refusal;
      if (refused.kind === 'conflict') return false;
      rejected += 1;
      return true;
    };
    for (const record of parked) {
      const event = record.event as CaseEventV1;
      const digest = eventDigest(event);
      const identity = eventIdentityKey(event);
      const seen = known.get(identity);
      if (seen !== undefined) {
        if (seen.digest !== undefined && seen.digest !== digest) {
          if (!(await refuse(rejectConflicting(event, record, 'applied', now)))) return { kind: 'conflict' };
        } else {
          clears.push(processed(event, record, APPLIED, now));
        }
        continue;
      }
      const occurredAt = parseInstant(event.occurredAt);
      const skew = clockSkewReason(occurredAt, record.receivedAt);
      const outside = event.type === 'case.opened' && (occurredAt < startsAt || (endsAt !== null && occurredAt >= endsAt));
      const reason = skew ?? (outside ? `case opened outside the contract's active period` : null);
      if (reason !== null) {
        if (!(await refuse(reject(event, record, reason, now)))) return { kind: 'conflict' };
        continue;
      }
      if (isDrawEvent(event) && (await drawFirst(event, contract, now)) === 'conflict') return { kind: 'conflict' };
      let visitCostMinor = 0;
      if (event.type === 'case.visit_reported') {
        const visit = decideVisit(event, contract, added.length === 0 ? stored.events : stored.events.concat(added), runtime);
        if (visit.kind === 'rejected') {
          if (!(await refuse(reject(event, record, visit.reason, now)))) return { kind: 'conflict' };
          continue;
        }
        if (visit.kind === 'duplicate') {
          clears.push(processed(event, record, APPLIED, now));
          continue;
        }
        visitCostMinor = visit.costMinor;
      }
      const caseEvent = toDigestedCaseEvent(event, digest, visitCostMinor);
      known.set(identity, caseEvent);
      added.push(caseEvent);
      const source = sourceOf(event);
      if (!sources.includes(source)) sources.push(source);
      clears.push(processed(event, record, APPLIED, now));
    }
    const progress =
      added.length === 0
        ? null
        : await progressCase(store, runtime, {
            contract,
            caseRecord: {
              ...stored,
              events: stored.events.concat(added),
              sources: sources.length === stored.sources.length ? stored.sources : stored.sources.concat(sources.slice(stored.sources.length)),
            },
            now,
            eventAdded: true,
            lags,
            timeDecisions: 'sweep',
          });
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

  async function applyRequest(record: ParkedRecord, lags: ArrivalLags): Promise<Attempt<ParkedGroupOutcome>> {
    const result = await attempt(record.event as ContractBoundEventV1, record, lags);
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

  function applyParkedGroup(group: ParkedGroup, lags: ArrivalLags): Promise<ParkedGroupOutcome> {
    let parked = group.parked;
    let reread = false;
    return retryOnConflict(`parked ${group.id} of contract ${group.contractId}`, async () => {
      if (reread) parked = (await store.readParked(parked)).sort(byOccurrence);
      reread = true;
      const first = parked[0];
      if (first === undefined) return { kind: 'done', value: NOTHING_APPLIED };
      return group.caseId === null ? applyRequest(first, lags) : applyCaseGroup(group.contractId, group.caseId, parked, lags);
    });
  }

  async function expireParked(record: ParkedRecord, reason: string): Promise<void> {
    const event = record.event as ContractBoundEventV1;
    const now = clock.now();
    // The rejected record as any rejection writes it, without its own alert: the daily ops.parked_events
    // lists the expiries (one contract's events must not become one email each). Duplicate: applied or
    // expired meanwhile; nothing else can make this commit fail.
    await store.commit([...processed(event, record, { kind: 'rejected', reason }, now), rejectedRecord(event, reason, now)]);
  }

  /**
   * A rule deep inside the application that refuses the event (`RuleRefusalError`) records it as rejected, like any refusal.
   * A `catch`, not an async function's try: one frame fewer per event.
   */
  function apply(event: ContractBoundEventV1, parked: ParkedRecord | null, lags: ArrivalLags): Promise<EventOutcome> {
    const identity = describeIdentity(identityOf(event));
    return retryOnConflict(`event ${identity}`, () => attempt(event, parked, lags)).catch((error: unknown) => {
      const outcome = outcomeOfFailure(error);
      if (outcome.kind !== 'reject') throw error;
      return retryOnConflict(`rejection of event ${identity}`, () => reject(event, parked, outcome.reason, clock.now()));
    });
  }

  return {
    apply,
    applyParkedGroup,
    expireParked,
  };
}

/** What a commit of an attempt that came to `outcome` makes of it: a conflict is retried, a duplicate was applied before. */
function attemptOf(result: CommitResult, outcome: EventOutcome): Attempt<EventOutcome> {
  if (result === 'conflict') return CONFLICT;
  return { kind: 'done', value: result === 'duplicate' ? DUPLICATE : outcome };
}

/** The case's stored event of this identity, if any (a loop, not `find` with a closure: this runs per event). */
function storedEvent(events: readonly StoredCaseEvent[], source: string, eventId: string): StoredCaseEvent | undefined {
  for (const e of events) if (e.eventId === eventId && sourceOf(e) === source) return e;
  return undefined;
}

/**
 * The next lifecycle date once the terms changed: a reminder of the amended terms, or an end they bring, may come
 * before the date already planned. Dates before the amendment's day are not planned (their day has passed).
 */
function lifecycleDateAfterAmendment(contract: ContractRecord, now: Instant): LocalDate | null {
  const planned = contract.nextLifecycleDate;
  if (planned === null) return null;
  const { terms } = contract;
  const yesterday = addDays(localDateAt(now, terms.timeZone), -1);
  const after = contract.lastAdvancedDate !== null && contract.lastAdvancedDate > yesterday ? contract.lastAdvancedDate : yesterday;
  const subject = { terms, level: NO_LEVEL, termination: contract.termination, breaches: [], outcomes: [] };
  const amended = nextLifecycleDate(subject, after);
  return amended < planned ? amended : planned;
}

/** The planner needs no level to find dates when there are no breaches (credits and rights come from breaches). */
const NO_LEVEL = {
  key: '',
  name: { nb: '', en: '' },
  kpis: {},
  byPriority: {},
  creditCapPercent: 0,
  terminationWindowDays: 0,
  liabilityCapPercent: 0,
  warnAtPercent: 0,
} as const;

/** Transaction items a write becomes (a case or year brings its overflow leaves; shared/store/transaction.ts). */
const plannedItems = (writes: readonly StoreWrite[]): number => planWrites('', writes).length;

/**
 * The case's writes first, then the clears (pairs kept together), at most 100 planned items a
 * transaction. The case's writes are one change and fit by the catalog's transaction budget
 * (shared/config/transaction-budget.ts); the clears are plain items, one each.
 */
function inTransactions(head: readonly StoreWrite[], clears: readonly StoreWrite[][]): StoreWrite[][] {
  const chunks: StoreWrite[][] = [];
  let current: StoreWrite[] = [...head];
  let items = head.length === 0 ? 0 : plannedItems(head);
  for (const pair of clears) {
    const size = plannedItems(pair);
    if (current.length > 0 && items + size > MAX_TRANSACTION_ITEMS) {
      chunks.push(current);
      current = [];
      items = 0;
    }
    current.push(...pair);
    items += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
