/**
 * The store's ports, one per aggregate (docs/data-model.md "Where a new item type goes"): contracts
 * (contract-repository.ts), cases (case-repository.ts), years and their ledger (year-repository.ts),
 * parked events (parked-event-repository.ts), processed events (processed-event-repository.ts), the
 * contract's partition (contract-partition.ts), notices (notice-repository.ts). Writes of every aggregate
 * meet in one atomic commit here: state changes, idempotency records and outbox notices together.
 * A use case asks for the ports it uses; `Store` is all of them, as the one DynamoDB adapter implements them.
 */
import type { CaseRecord, CaseRepository } from './case-repository.ts';
import type { ContractPartitionReader } from './contract-partition.ts';
import type { ContractRecord } from './contract-repository.ts';
import type { NoticeRecord } from './notice-repository.ts';
import type { ParkedEventRepository, ParkedRecord, ParkedRef } from './parked-event-repository.ts';
import type { ProcessedEventRecord, ProcessedEventRepository, RejectedRecord } from './processed-event-repository.ts';
import type { QuarantineRecord, RetriedItemRef } from './retried-items.ts';
import type { PoolWrite } from './pool-repository.ts';
import type { LedgerRecord, YearRecord, YearRepository } from './year-repository.ts';

// The records of every aggregate, for what maps them all (items.ts, transaction.ts, the memory store).
export type { CaseRecord, CaseRef, CaseRepository, DecidedClock, StoredCaseEvent } from './case-repository.ts';
export type { ContractPartition, ContractPartitionReader } from './contract-partition.ts';
export type { ContractRecord, ContractRepository, EventRef } from './contract-repository.ts';
export type { NoticeAudience, NoticeRecord } from './notice-repository.ts';
export type { ParkedEventRepository, ParkedRecord, ParkedRef } from './parked-event-repository.ts';
export type {
  EventContext,
  EventContextRequest,
  ProcessedEventRecord,
  ProcessedEventRepository,
  ProcessedOutcome,
  RejectedRecord,
} from './processed-event-repository.ts';
export type { QuarantineRecord, RetriedItemRef, RetriedKind } from './retried-items.ts';
export type { EntitlementRecord, LoanRecord, PoolRecord, PoolRejectedRecord, PoolState, PoolWrite, RefusedDrawRecord, UnitRecord } from './pool-repository.ts';
export type { LedgerReason, LedgerRecord, YearBreach, YearRecord, YearRepository } from './year-repository.ts';

/** An entry of the attention index, named by the item that carries it. */
export type AttentionEntry =
  | { readonly kind: 'case'; readonly contractId: string; readonly caseId: string }
  | { readonly kind: 'parked'; readonly ref: ParkedRef }
  | { readonly kind: 'lifecycle'; readonly contractId: string };

/** One element of an atomic commit. Versioned records are written as `version + 1`, on condition. */
export type StoreWrite =
  /** `replaces: 'parked'` when the event was parked before and is applied now. */
  | { readonly kind: 'processedEvent'; readonly record: ProcessedEventRecord; readonly replaces: 'nothing' | 'parked' }
  | { readonly kind: 'contract'; readonly record: ContractRecord }
  | { readonly kind: 'contractAbsent'; readonly contractId: string }
  | { readonly kind: 'case'; readonly record: CaseRecord }
  | { readonly kind: 'year'; readonly record: YearRecord }
  | { readonly kind: 'ledger'; readonly entry: LedgerRecord }
  | { readonly kind: 'notice'; readonly notice: NoticeRecord }
  | { readonly kind: 'park'; readonly record: ParkedRecord }
  | { readonly kind: 'unpark'; readonly record: ParkedRecord }
  /** Written once: a rejection already recorded for this identity and digest makes the commit a duplicate. */
  | { readonly kind: 'rejected'; readonly record: RejectedRecord }
  | { readonly kind: 'quarantine'; readonly record: QuarantineRecord }
  /** Removes a quarantine record (the item was re-driven). */
  | { readonly kind: 'release'; readonly item: RetriedItemRef }
  /** Takes an item out of the attention index (nothing else of it changes); it fails when the item is gone. */
  | { readonly kind: 'unattend'; readonly entry: AttentionEntry }
  /** A pool's record, unit, loan, entitlement or refusal (pool-repository.ts). */
  | { readonly kind: 'pool'; readonly write: PoolWrite };

/**
 * committed: every write landed. duplicate: the event was already processed (or the parked event already
 * applied, or this rejection already recorded); nothing was written. conflict: a record changed since it was read; nothing was written.
 */
export type CommitResult = 'committed' | 'duplicate' | 'conflict';

/** The write side shared by every aggregate: the transactional outbox. */
export interface Transaction {
  /** All writes in one transaction, or none. */
  commit(writes: readonly StoreWrite[]): Promise<CommitResult>;
  /** Creates the notice unless one with its id exists; false when it did. */
  createNoticeOnce(notice: NoticeRecord): Promise<boolean>;
}

/** Every port of the table but the ones with adapters of their own (notices, lifecycle, sources, failures). */
export interface Store
  extends ProcessedEventRepository,
    CaseRepository,
    YearRepository,
    ParkedEventRepository,
    ContractPartitionReader,
    Transaction {}
