/**
 * The pool aggregate (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools): a pool's terms, its units (each its own item, so a draw is a
 * conditional write of one unit and two contracts can never take the same one), its loans, the
 * contracts entitled to it, refused draws and refused pool events. A pool is shared across contract
 * partitions, so it lives in a partition of its own; every pool is listed in one registry partition.
 * Written through the transaction (store.ts) as `{ kind: 'pool', write }`, with what changed with it.
 */
import type { Customer } from '#domain/model.ts';
import type { Entitlement, Loan, PoolTerms, UnitStatus } from '#domain/pools.ts';
import type { Instant } from '#domain/time.ts';
import type { ContractRecord, EventRef } from './contract-repository.ts';
import type { ProcessedEventRecord } from './processed-event-repository.ts';

/** `version` is the version read: 0 for a record that does not exist yet (written on `attribute_not_exists`). */
export interface PoolRecord {
  readonly terms: PoolTerms;
  readonly registeredBy: EventRef;
  /** Whether the pool's availability was below the target when last checked: `ops.pool_risk` is raised on the way down. */
  readonly belowTarget: boolean;
  readonly version: number;
}

export interface UnitRecord {
  readonly poolId: string;
  readonly unitId: string;
  readonly status: UnitStatus;
  /** The loan holding it while `out` (its start). */
  readonly loanStartedAt: Instant | null;
  readonly version: number;
}

export interface LoanRecord extends Loan {
  readonly version: number;
}

export interface EntitlementRecord extends Entitlement {
  readonly poolId: string;
}

/** A draw the rules refused (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools): the event that asked for it still applies to its case. */
export interface RefusedDrawRecord {
  readonly poolId: string;
  readonly contractId: string | null;
  readonly caseId: string | null;
  readonly source: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly reason: string;
  readonly at: Instant;
}

/** A pool or loan event the rules refused, kept in the pool's partition (one per identity and body). */
export interface PoolRejectedRecord {
  readonly poolId: string;
  readonly contractId: string | null;
  readonly source: string;
  readonly eventId: string;
  readonly digest: string;
  readonly type: string;
  readonly reason: string;
  readonly at: Instant;
}

/** One element of a commit that belongs to a pool. Versioned records are written as `version + 1`, on condition. */
export type PoolWrite =
  | { readonly kind: 'pool'; readonly record: PoolRecord }
  | { readonly kind: 'unit'; readonly record: UnitRecord }
  | { readonly kind: 'loan'; readonly record: LoanRecord }
  | { readonly kind: 'entitlement'; readonly record: EntitlementRecord }
  | { readonly kind: 'refusedDraw'; readonly record: RefusedDrawRecord }
  /** Written once: a rejection already recorded for this identity and digest makes the commit a duplicate. */
  | { readonly kind: 'rejected'; readonly record: PoolRejectedRecord };

/** Everything of one pool, strongly consistent. */
export interface PoolState {
  readonly pool: PoolRecord | null;
  readonly units: readonly UnitRecord[];
  readonly loans: readonly LoanRecord[];
  readonly entitled: readonly EntitlementRecord[];
  readonly refused: readonly RefusedDrawRecord[];
  readonly rejected: readonly PoolRejectedRecord[];
}

export interface PoolEventContext {
  readonly processed: ProcessedEventRecord | null;
  /** The contract the event names, when it names one. */
  readonly contract: ContractRecord | null;
  readonly state: PoolState;
}

export interface PoolRepository {
  /** A pool with its units, loans, entitlements, refusals. */
  readPool(poolId: string): Promise<PoolState>;
  /** A pool event's idempotency record, the contract it names and its pool. */
  readPoolEvent(request: { source: string; eventId: string; poolId: string; contractId: string | null }): Promise<PoolEventContext>;
  /** Every registered pool (the registry partition), by id. */
  listPools(): Promise<PoolRecord[]>;
}

export const EMPTY_POOL: PoolState = { pool: null, units: [], loans: [], entitled: [], refused: [], rejected: [] };

/** The borrower a loan's notices go to: its own, or the contract's customer. */
export function borrowerOf(loan: Loan, contract: ContractRecord | null): Customer | null {
  return loan.borrower ?? contract?.terms.customer ?? null;
}
