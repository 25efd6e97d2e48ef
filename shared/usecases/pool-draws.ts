/**
 * The pool side of contract and case events (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools): a registration entitles its contract to the
 * pools it names; `case.replacement_requested` with a pool reserves a unit for the case at once (an
 * empty pool is refused and alerted: the replacement KPI is at risk); `case.replacement_delivered` names
 * the unit that left. A refused draw is recorded with its reason, and the case event still applies: the
 * replacement clock runs (and breaches) as before. Returns writes; commits nothing.
 */
import {
  drawRefusal,
  emptyPoolReason,
  namedDrawRefusal,
  unitToDraw,
} from '#domain/pools.ts';
import { parseInstant, type Instant } from '#domain/time.ts';
import type { CaseReplacementDeliveredV1, CaseReplacementRequestedV1 } from '#events/schemas.ts';
import { identityOf } from '#events/source.ts';
import { eventDigest } from '#events/digest.ts';
import type { PoolRepository } from '#store/pool-repository.ts';
import type { ContractRecord, LoanRecord, PoolState, PoolWrite, StoreWrite, UnitRecord } from '#store/store.ts';
import { eventRejectedNotice } from './notice-factory.ts';
import { withRisk } from './pool-changes.ts';
import { poolExhaustedNotice } from './pool-notices.ts';
import type { CatalogRuntime } from './runtime.ts';

type DrawEvent = CaseReplacementRequestedV1 | CaseReplacementDeliveredV1;

export function isDrawEvent(event: { type: string; poolId?: string }): event is DrawEvent {
  return (event.type === 'case.replacement_requested' || event.type === 'case.replacement_delivered') && event.poolId !== undefined;
}

/** The entitlements a registration writes, and the risk alerts of the shared pools it joins. */
export async function registrationPoolWrites(
  pools: PoolRepository | undefined,
  runtime: CatalogRuntime,
  contract: ContractRecord,
  now: Instant,
): Promise<StoreWrite[]> {
  const { contractId, pools: named = [] } = contract.terms;
  const writes: StoreWrite[] = [];
  for (const poolId of named) {
    const entitlement: PoolWrite = { kind: 'entitlement', record: { poolId, contractId, since: now } };
    const state = pools === undefined ? null : await pools.readPool(poolId);
    if (state === null || state.pool === null) {
      writes.push({ kind: 'pool', write: entitlement });
      continue;
    }
    writes.push(
      ...withRisk(state, [entitlement], {
        now,
        targetAvailability: runtime.targetAvailability,
        cause: `contract ${contractId} is now entitled to the pool`,
      }),
    );
  }
  return writes;
}

function openLoanOf(state: PoolState, contractId: string, caseId: string): LoanRecord | undefined {
  return state.loans.find((loan) => loan.endedAt === null && loan.contractId === contractId && loan.caseId === caseId);
}

function unitRecord(state: PoolState, unitId: string): UnitRecord {
  const unit = state.units.find((u) => u.unitId === unitId);
  if (unit === undefined) throw new RangeError(`unit ${unitId} is not in pool`);
  return unit;
}

/** The writes of a draw (or reservation) for a case: the unit out, the loan started, the risk. */
function drawWrites(state: PoolState, unit: UnitRecord, contractId: string, caseId: string, at: Instant): PoolWrite[] {
  return [
    { kind: 'unit', record: { ...unit, status: 'out', loanStartedAt: at } },
    {
      kind: 'loan',
      record: {
        poolId: unit.poolId,
        unitId: unit.unitId,
        startedAt: at,
        contractId,
        caseId,
        borrower: null,
        dueAt: null,
        endedAt: null,
        endedBy: null,
        version: 0,
      },
    },
  ];
}

/**
 * The pool writes of a replacement request or delivery that names a pool: a reservation or draw, or
 * the refusal recorded with its reason (and `ops.pool_exhausted` for an empty pool at a request).
 */
export async function caseDrawWrites(
  pools: PoolRepository,
  runtime: CatalogRuntime,
  input: { readonly contract: ContractRecord; readonly event: DrawEvent; readonly now: Instant },
): Promise<StoreWrite[]> {
  const { contract, event, now } = input;
  const poolId = event.poolId as string;
  const { contractId } = contract.terms;
  const { caseId } = event;
  const at = parseInstant(event.occurredAt);
  const state = await pools.readPool(poolId);
  const { source, eventId } = identityOf(event);
  const refuse = (reason: string, exhausted: boolean): StoreWrite[] => {
    const writes: StoreWrite[] = [
      {
        kind: 'pool',
        write: { kind: 'refusedDraw', record: { poolId, contractId, caseId, source, eventId, eventType: event.type, reason, at: now } },
      },
    ];
    if (exhausted && state.pool !== null) {
      const units = state.units.filter((unit) => unit.status !== 'retired').length;
      const out = state.units.filter((unit) => unit.status === 'out').length;
      writes.push({
        kind: 'notice',
        notice: poolExhaustedNotice({ pool: state.pool.terms, contractId, caseId, units, out, requestedAt: at, eventIdentity: `${source}#${eventId}`, createdAt: now }),
      });
    } else {
      const rejection = { contractId, source, eventId, digest: eventDigest(event), eventType: event.type, reason: `draw refused (the case event applies): ${reason}` };
      writes.push({ kind: 'notice', notice: eventRejectedNotice(rejection, now) });
    }
    return writes;
  };
  if (state.pool === null) return refuse(`pool ${poolId} is not registered`, false);
  const refusal = drawRefusal(state.pool.terms, contractId, contract.terms.pools ?? []);
  if (refusal !== null) return refuse(refusal, false);
  const risk = (changes: PoolWrite[], cause: string): StoreWrite[] =>
    withRisk(state, changes, { now, targetAvailability: runtime.targetAvailability, cause });
  const held = openLoanOf(state, contractId, caseId);
  const named = event.type === 'case.replacement_delivered' ? event.unitId : undefined;

  // A delivery taken after the return of the unit it delivered (the return came on the other queue): nothing more to draw.
  const returnedSince = state.loans.some(
    (loan) =>
      loan.contractId === contractId && loan.caseId === caseId && loan.endedBy !== 'swapped' && loan.endedAt !== null && loan.endedAt >= at &&
      (named === undefined || loan.unitId === named),
  );
  if (held === undefined && returnedSince) return [];
  if (held !== undefined) {
    // The case already holds a unit of this pool (reserved at the request): a delivery of that unit changes nothing.
    if (named === undefined || named === held.unitId) return [];
    const namedRefusal = namedDrawRefusal(poolId, state.units, named);
    if (namedRefusal !== null) return refuse(namedRefusal, false);
    const reserved = unitRecord(state, held.unitId);
    return risk(
      [
        { kind: 'loan', record: { ...held, endedAt: at, endedBy: 'swapped' } },
        { kind: 'unit', record: { ...reserved, status: 'available', loanStartedAt: null } },
        ...drawWrites(state, unitRecord(state, named), contractId, caseId, at),
      ],
      `unit ${named} delivered for case ${caseId}`,
    );
  }
  if (named !== undefined) {
    const namedRefusal = namedDrawRefusal(poolId, state.units, named);
    if (namedRefusal !== null) return refuse(namedRefusal, false);
    return risk(drawWrites(state, unitRecord(state, named), contractId, caseId, at), `unit ${named} drawn for case ${caseId}`);
  }
  const unit = unitToDraw(state.units);
  if (unit === null) return refuse(emptyPoolReason(poolId, state.units), event.type === 'case.replacement_requested');
  return risk(drawWrites(state, unitRecord(state, unit.unitId), contractId, caseId, at), `unit ${unit.unitId} drawn for case ${caseId}`);
}
