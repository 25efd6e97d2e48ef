/**
 * Applies one pool or loan event (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools): a pool registered, units added, removed or consumed, a
 * demonstration loan started, a unit returned. Each attempt reads the pool, decides and commits once
 * (the units' versions guard every draw and return); a lost race is re-read and decided again. A
 * refused event is recorded in the pool's partition with its reason and alerted, never dropped.
 */
import { eventIdentityKey } from '#domain/model.ts';
import {
  drawRefusal,
  namedDrawRefusal,
  returnRefusal,
  unitsChangeRefusal,
  type PoolTerms,
} from '#domain/pools.ts';
import { addDays, parseInstant, startOfLocalDate, type Instant } from '#domain/time.ts';
import { eventDigest } from '#events/digest.ts';
import { toMoneyMinor } from '#events/mapping.ts';
import { contractIdOfEvent } from '#events/owners.ts';
import { MAX_UNITS_PER_EVENT } from '#events/limits.ts';
import type { LoanReturnedV1, LoanStartedV1, PoolEventV1, PoolRegisteredV1, PoolUnitsChangedV1 } from '#events/schemas.ts';
import { identityOf } from '#events/source.ts';
import type { PoolEventContext, PoolRepository } from '#store/pool-repository.ts';
import type { PoolState, PoolWrite, StoreWrite, Transaction, UnitRecord } from '#store/store.ts';
import { retryOnConflict, type Attempt } from './conflict-retry.ts';
import { LoanNotArrivedError } from '../errors.ts';
import { clockSkewReason } from './event-application.ts';
import { eventRejectedNotice } from './notice-factory.ts';
import { withRisk } from './pool-changes.ts';
import type { Clock, EventOutcome } from './ports.ts';
import type { CatalogRuntime } from './runtime.ts';

export type PoolApplicationStore = PoolRepository & Transaction;

export interface PoolApplier {
  apply(event: PoolEventV1): Promise<EventOutcome>;
}

const APPLIED: EventOutcome = { kind: 'applied' };
const DUPLICATE: EventOutcome = { kind: 'duplicate' };

type Decision = { readonly refused: string } | { readonly writes: readonly StoreWrite[] };

export function makePoolApplier(deps: { store: PoolApplicationStore; runtime: CatalogRuntime; clock: Clock }): PoolApplier {
  const { store, runtime, clock } = deps;

  function processed(event: PoolEventV1, outcome: EventOutcome, now: Instant): StoreWrite {
    return {
      kind: 'processedEvent',
      replaces: 'nothing',
      record: {
        ...identityOf(event),
        digest: eventDigest(event),
        contractId: contractIdOfEvent(event),
        poolId: event.poolId,
        outcome: outcome.kind === 'rejected' ? 'rejected' : 'applied',
        reason: outcome.kind === 'rejected' ? outcome.reason : null,
        at: now,
      },
    };
  }

  async function commit(writes: readonly StoreWrite[], outcome: EventOutcome): Promise<Attempt<EventOutcome>> {
    const result = await store.commit(writes);
    if (result === 'conflict') return { kind: 'conflict' };
    return { kind: 'done', value: result === 'duplicate' ? DUPLICATE : outcome };
  }

  /** The refusal in the pool's partition and its alert, once per identity and body; `withProcessed` false for a conflicting duplicate. */
  function reject(event: PoolEventV1, reason: string, now: Instant, withProcessed = true): Promise<Attempt<EventOutcome>> {
    const outcome: EventOutcome = { kind: 'rejected', reason };
    const { source, eventId } = identityOf(event);
    const digest = eventDigest(event);
    const contractId = contractIdOfEvent(event);
    const writes: StoreWrite[] = [
      ...(withProcessed ? [processed(event, outcome, now)] : []),
      { kind: 'pool', write: { kind: 'rejected', record: { poolId: event.poolId, contractId, source, eventId, digest, type: event.type, reason, at: now } } },
    ];
    // The alert names the pool where the event names no contract, and then belongs to no contract partition.
    const alert = eventRejectedNotice({ contractId: contractId ?? `none (pool ${event.poolId})`, source, eventId, digest, eventType: event.type, reason }, now);
    writes.push({ kind: 'notice', notice: contractId === null ? { ...alert, contractId: null } : alert });
    return commit(writes, outcome);
  }

  const risk = (state: PoolState, changes: PoolWrite[], now: Instant, cause: string): StoreWrite[] =>
    withRisk(state, changes, { now, targetAvailability: runtime.targetAvailability, cause });

  function register(event: PoolRegisteredV1, context: PoolEventContext, now: Instant): Decision | 'duplicate' {
    const existing = context.state.pool;
    if (existing !== null) {
      const by = existing.registeredBy;
      const { source, eventId } = identityOf(event);
      if (by.source === source && by.eventId === eventId && by.digest === eventDigest(event)) return 'duplicate';
      return { refused: `pool ${event.poolId} is already registered` };
    }
    const known = context.state.units.find((unit) => event.units.includes(unit.unitId));
    if (known !== undefined) return { refused: `unit ${known.unitId} is already registered in pool ${event.poolId}` };
    const exclusive = event.kind === 'exclusive' && event.contractId !== undefined && event.upFrontFee !== undefined;
    const terms: PoolTerms = {
      poolId: event.poolId,
      kind: event.kind,
      location: event.location,
      holds: event.holds,
      exclusiveTo:
        exclusive && event.contractId !== undefined && event.upFrontFee !== undefined
          ? {
              contractId: event.contractId,
              upFrontFee: { minor: toMoneyMinor(event.upFrontFee.amount, event.upFrontFee.currency), currency: event.upFrontFee.currency },
            }
          : null,
      registeredAt: parseInstant(event.occurredAt),
    };
    const writes: StoreWrite[] = [
      { kind: 'pool', write: { kind: 'pool', record: { terms, registeredBy: { ...identityOf(event), digest: eventDigest(event) }, belowTarget: false, version: 0 } } },
      ...event.units.map((unitId): StoreWrite => ({
        kind: 'pool',
        write: { kind: 'unit', record: { poolId: event.poolId, unitId, status: 'available', loanStartedAt: null, version: 0 } },
      })),
    ];
    if (terms.exclusiveTo !== null) {
      writes.push({ kind: 'pool', write: { kind: 'entitlement', record: { poolId: event.poolId, contractId: terms.exclusiveTo.contractId, since: now } } });
    }
    return { writes };
  }

  function changeUnits(event: PoolUnitsChangedV1, state: PoolState & { pool: NonNullable<PoolState['pool']> }, now: Instant): Decision {
    const change = { added: event.added ?? [], removed: event.removed ?? [], consumed: event.consumed ?? [] };
    const items = change.added.length + change.removed.length + 2 * change.consumed.length;
    if (items > MAX_UNITS_PER_EVENT) {
      return { refused: `one change may write at most ${MAX_UNITS_PER_EVENT} units (a consumed unit counts twice: its loan ends); send it in parts` };
    }
    const refusal = unitsChangeRefusal(event.poolId, state.units, change);
    if (refusal !== null) return { refused: refusal };
    const at = parseInstant(event.occurredAt);
    const unit = (unitId: string): UnitRecord => state.units.find((u) => u.unitId === unitId) as UnitRecord;
    const changes: PoolWrite[] = [
      ...change.added.map((unitId): PoolWrite => ({
        kind: 'unit',
        record: { poolId: event.poolId, unitId, status: 'available', loanStartedAt: null, version: 0 },
      })),
      ...change.removed.map((unitId): PoolWrite => ({ kind: 'unit', record: { ...unit(unitId), status: 'retired', loanStartedAt: null } })),
    ];
    for (const unitId of change.consumed) {
      const held = unit(unitId);
      changes.push({ kind: 'unit', record: { ...held, status: 'retired', loanStartedAt: null } });
      const loan = state.loans.find((l) => l.unitId === unitId && l.endedAt === null);
      if (loan !== undefined) changes.push({ kind: 'loan', record: { ...loan, endedAt: Math.max(at, loan.startedAt), endedBy: 'consumed' } });
    }
    const cause =
      change.removed.length > 0
        ? `unit ${change.removed.join(', ')} retired`
        : change.consumed.length > 0
          ? `unit ${change.consumed.join(', ')} consumed`
          : `unit ${change.added.join(', ')} added`;
    return { writes: risk(state, changes, now, cause) };
  }

  function startLoan(event: LoanStartedV1, context: PoolEventContext, pool: NonNullable<PoolState['pool']>, now: Instant): Decision {
    const contractId = event.contractId ?? null;
    if (contractId !== null && context.contract === null) return { refused: `contract ${contractId} is not registered` };
    const refusal =
      drawRefusal(pool.terms, contractId, context.contract?.terms.pools ?? []) ?? namedDrawRefusal(event.poolId, context.state.units, event.unitId);
    if (refusal !== null) return { refused: refusal };
    const at = parseInstant(event.occurredAt);
    const dueAt = startOfLocalDate(addDays(event.dueDate, 1), event.timeZone);
    if (dueAt <= at) return { refused: `dueDate ${event.dueDate} is not after the loan starts` };
    const unit = context.state.units.find((u) => u.unitId === event.unitId) as UnitRecord;
    const changes: PoolWrite[] = [
      { kind: 'unit', record: { ...unit, status: 'out', loanStartedAt: at } },
      {
        kind: 'loan',
        record: {
          poolId: event.poolId,
          unitId: event.unitId,
          startedAt: at,
          contractId,
          caseId: null,
          borrower: { ...event.borrower },
          dueAt,
          timeZone: event.timeZone,
          endedAt: null,
          endedBy: null,
          version: 0,
        },
      },
    ];
    return { writes: risk(context.state, changes, now, `unit ${event.unitId} lent to ${event.borrower.name}`) };
  }

  function returnLoan(event: LoanReturnedV1, state: PoolState, now: Instant): Decision {
    const at = parseInstant(event.occurredAt);
    const inPool = state.units.find((u) => u.unitId === event.unitId)?.status === 'available';
    if (inPool && !state.loans.some((l) => l.unitId === event.unitId && l.startedAt <= at)) {
      // Case events, which draw units, come on the other queue: a return can be taken before its draw.
      throw new LoanNotArrivedError(
        `unit ${event.unitId} of pool ${event.poolId} is not out on loan and no loan of it started by ${event.occurredAt}: the draw it ends may not have arrived yet`,
      );
    }
    const refusal = returnRefusal(event.poolId, state.units, event.unitId);
    if (refusal !== null) return { refused: refusal };
    const unit = state.units.find((u) => u.unitId === event.unitId) as UnitRecord;
    const loan = state.loans.find((l) => l.unitId === event.unitId && l.endedAt === null);
    if (loan !== undefined && at < loan.startedAt) {
      return { refused: `unit ${event.unitId} is returned before its loan started (${new Date(loan.startedAt).toISOString()})` };
    }
    const changes: PoolWrite[] = [{ kind: 'unit', record: { ...unit, status: 'available', loanStartedAt: null } }];
    if (loan !== undefined) changes.push({ kind: 'loan', record: { ...loan, endedAt: at, endedBy: 'returned' } });
    return { writes: risk(state, changes, now, `unit ${event.unitId} returned after ${Math.round((at - (loan?.startedAt ?? at)) / 86_400_000)} days`) };
  }

  async function attempt(event: PoolEventV1): Promise<Attempt<EventOutcome>> {
    const now = clock.now();
    const context = await store.readPoolEvent({ ...identityOf(event), poolId: event.poolId, contractId: contractIdOfEvent(event) });
    if (context.processed !== null) {
      const { digest, outcome } = context.processed;
      if (digest === null || digest === eventDigest(event)) return { kind: 'done', value: DUPLICATE };
      const { source, eventId } = identityOf(event);
      return reject(event, `conflicting duplicate: event ${eventId} from source ${source} was already ${outcome} with a different body`, now, false);
    }
    const skew = clockSkewReason(parseInstant(event.occurredAt), now);
    if (skew !== null) return reject(event, skew, now);
    let decision: Decision | 'duplicate';
    if (event.type === 'pool.registered') {
      decision = register(event, context, now);
    } else {
      const { pool } = context.state;
      if (pool === null) {
        decision = { refused: `pool ${event.poolId} is not registered` };
      } else if (event.type === 'pool.units_changed') {
        decision = changeUnits(event, { ...context.state, pool }, now);
      } else if (event.type === 'loan.started') {
        decision = startLoan(event, context, pool, now);
      } else {
        decision = returnLoan(event, context.state, now);
      }
    }
    if (decision === 'duplicate') return { kind: 'done', value: DUPLICATE };
    if ('refused' in decision) return reject(event, decision.refused, now);
    return commit([processed(event, APPLIED, now), ...decision.writes], APPLIED);
  }

  return {
    apply: (event) => retryOnConflict(`pool event ${eventIdentityKey(identityOf(event))}`, () => attempt(event)),
  };
}
