/**
 * The store port the use cases depend on: reads shaped by the access patterns of docs/data-model.md
 * and one atomic commit of state changes, idempotency records and outbox notices.
 */
import type { BreachRecord } from '#domain/credits.ts';
import type { CaseEvent, ContractTerms, Kpi, Locale, Termination } from '#domain/model.ts';
import type { Instant, LocalDate } from '#domain/time.ts';
import type { NoticePayload, NoticeType } from '#notices/types.ts';
import type { OverflowState } from './overflow.ts';

/** `version` is the version the record had when read: 0 for a record that does not exist yet. */
export interface ContractRecord {
  readonly terms: ContractTerms;
  readonly termination: Termination | null;
  readonly registeredAt: Instant;
  /** The `contract.registered` that created it: a late duplicate (or a conflicting one) is recognised by it. */
  readonly registeredBy: EventRef;
  readonly lastAdvancedDate: LocalDate | null;
  readonly nextLifecycleDate: LocalDate | null;
  readonly version: number;
}

/**
 * An event as the store remembers it: its identity (source, eventId; DESIGN §5) and the digest of its
 * body (`eventDigest`), null when an item written before digests were kept does not have one.
 */
export interface EventRef {
  readonly source: string;
  readonly eventId: string;
  readonly digest: string | null;
}

/** A case event kept in its case item, with the digest of the event it came from (absent: not known). */
export type StoredCaseEvent = CaseEvent & { readonly digest?: string };

/** A clock whose outcome is decided: met in time, or a declared breach. */
export interface DecidedClock {
  readonly deadline: Instant;
  readonly breached: boolean;
  readonly stoppedAt: Instant | null;
  readonly creditPercent: number;
}

export interface CaseRecord {
  readonly contractId: string;
  readonly caseId: string;
  readonly events: readonly StoredCaseEvent[];
  readonly warned: readonly Kpi[];
  readonly decided: Readonly<Partial<Record<Kpi, DecidedClock>>>;
  readonly nextAttentionAt: Instant | null;
  /** The sources whose events the case holds: their lateness holds its running clocks (DESIGN §5). */
  readonly sources: readonly string[];
  readonly version: number;
  /**
   * Adapter bookkeeping, opaque to the use cases: where a long case's events live (overflow leaves,
   * shared/store/overflow.ts). Absent for an ordinary case; carried along when a record is spread.
   */
  readonly overflow?: OverflowState;
}

export interface YearBreach extends BreachRecord {
  readonly stoppedAt: Instant | null;
}

export interface YearRecord {
  readonly contractId: string;
  readonly yearIndex: number;
  /** Declared breaches whose deadline lies in this year. */
  readonly breaches: readonly YearBreach[];
  /** Credit booked so far per breach key (sum of its ledger entries); absent = 0. */
  readonly booked: Readonly<Record<string, number>>;
  /** Sequence number of the last ledger entry of this year. */
  readonly ledgerSeq: number;
  /** Breach keys that already had a `credit.issued` notice. */
  readonly creditNoticesIssued: readonly string[];
  /** `since` of every termination right already notified with `credit.cap_reached`. */
  readonly rightsNotified: readonly Instant[];
  /**
   * When its breaches or bookings last changed; null for a year never changed since this was recorded.
   * Credit notices of the year wait until it has settled (DESIGN §5, `noticeSettleMinutes`).
   */
  readonly changedAt: Instant | null;
  readonly version: number;
  /** Adapter bookkeeping, as on {@link CaseRecord}: where a large year's breaches live. */
  readonly overflow?: OverflowState;
}

export type LedgerReason = 'breach_declared' | 'breach_withdrawn' | 'recomputed';

export interface LedgerRecord {
  readonly contractId: string;
  readonly yearIndex: number;
  readonly seq: number;
  readonly caseId: string;
  readonly kpi: Kpi;
  /** Positive for a credit, negative for a reversal. */
  readonly amountMinor: number;
  readonly bookedAt: Instant;
  readonly why: LedgerReason;
}

export type NoticeAudience = 'customer' | 'operations';

export interface NoticeRecord {
  /** Deterministic: the same cause always yields the same id. */
  readonly id: string;
  /** Null for operations notices not tied to a contract. */
  readonly contractId: string | null;
  readonly type: NoticeType;
  readonly audience: NoticeAudience;
  /** Recipient snapshot for customer notices; null for operations (the notifier knows the operator). */
  readonly to: string | null;
  readonly locale: Locale | null;
  readonly payload: NoticePayload;
  readonly createdAt: Instant;
  /** Not sent before this instant (a credit notice waiting for its year to settle); absent: at once. */
  readonly sendFrom?: Instant;
}

export type ProcessedOutcome = 'applied' | 'parked' | 'rejected';

export interface ProcessedEventRecord {
  readonly source: string;
  readonly eventId: string;
  /** Digest of the event body that was processed: the same identity with another digest conflicts. */
  readonly digest: string | null;
  readonly contractId: string;
  readonly outcome: ProcessedOutcome;
  readonly reason: string | null;
  readonly at: Instant;
}

export interface ParkedRecord {
  readonly contractId: string;
  readonly source: string;
  readonly eventId: string;
  readonly caseId: string | null;
  readonly occurredAt: Instant;
  /** The event exactly as it was parsed, applied later through the normal path. */
  readonly event: unknown;
  readonly receivedAt: Instant;
}

/** One per (identity, digest): a conflicting duplicate is a rejection of its own, next to the original's. */
export interface RejectedRecord {
  readonly contractId: string;
  readonly source: string;
  readonly eventId: string;
  readonly digest: string;
  readonly type: string;
  readonly reason: string;
  readonly at: Instant;
}

/**
 * What the sweep and the lifecycle retry and may set aside (DESIGN §5): a due case (`id` = caseId), the
 * parked events of one case or one parked request (`id` = `case:<caseId>` or `event:<source>#<eventId>`), or a
 * contract's lifecycle (`id` = `lifecycle`).
 */
export type RetriedKind = 'case' | 'parked' | 'lifecycle';

export interface RetriedItemRef {
  readonly kind: RetriedKind;
  readonly contractId: string;
  readonly id: string;
}

/** An item set aside after failing too often: out of the attention index, with the reason, in its contract's partition. */
export interface QuarantineRecord extends RetriedItemRef {
  readonly reason: string;
  /** Failures counted before it was set aside. */
  readonly attempts: number;
  readonly at: Instant;
}

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
  | { readonly kind: 'unattend'; readonly entry: AttentionEntry };

/**
 * committed: every write landed. duplicate: the event was already processed (or the parked event already
 * applied, or this rejection already recorded); nothing was written. conflict: a record changed since it was read; nothing was written.
 */
export type CommitResult = 'committed' | 'duplicate' | 'conflict';

export interface EventContextRequest {
  readonly source: string;
  readonly eventId: string;
  readonly contractId: string;
  readonly caseId: string | null;
}

export interface EventContext {
  readonly processed: ProcessedEventRecord | null;
  readonly contract: ContractRecord | null;
  readonly case: CaseRecord | null;
}

export interface CaseRef {
  readonly contractId: string;
  readonly caseId: string;
}

export interface ParkedRef {
  readonly contractId: string;
  readonly occurredAt: Instant;
  readonly source: string;
  readonly eventId: string;
}

export interface ContractPartition {
  readonly contract: ContractRecord | null;
  readonly cases: readonly CaseRecord[];
  readonly years: readonly YearRecord[];
  readonly ledger: readonly LedgerRecord[];
  readonly notices: readonly (NoticeRecord & { readonly state: string })[];
  readonly parked: readonly ParkedRecord[];
  readonly rejected: readonly RejectedRecord[];
  readonly quarantined: readonly QuarantineRecord[];
}

export interface Store {
  /** The idempotency record, the contract and (for case events) the case: one round trip. */
  readEventContext(request: EventContextRequest): Promise<EventContext>;
  /** Year records of one contract; missing years are absent from the result. */
  readYears(contractId: string, yearIndexes: readonly number[]): Promise<YearRecord[]>;
  /** Cases with their contracts; a ref whose case or contract is missing is left out. */
  readCases(refs: readonly CaseRef[]): Promise<{ contract: ContractRecord; case: CaseRecord }[]>;
  /** Parked events of one contract, oldest occurrence first. */
  readParkedOf(contractId: string): Promise<ParkedRecord[]>;
  readParked(refs: readonly ParkedRef[]): Promise<ParkedRecord[]>;
  /** Cases whose next attention instant is at or before `now` (the attention index, eventually consistent). */
  dueCases(now: Instant): Promise<CaseRef[]>;
  /** Parked events received at least a day before `now` (the attention index, eventually consistent). */
  overdueParked(now: Instant): Promise<ParkedRef[]>;
  /** Every item of one contract (the statement): a single paginated Query on its partition. */
  readContractPartition(contractId: string): Promise<ContractPartition>;
  /** All writes in one transaction, or none. */
  commit(writes: readonly StoreWrite[]): Promise<CommitResult>;
  /** Creates the notice unless one with its id exists; false when it did. */
  createNoticeOnce(notice: NoticeRecord): Promise<boolean>;
}
