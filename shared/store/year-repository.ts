/**
 * The contract year and its credit ledger: the year's declared breaches and bookings, the ledger
 * entries that booked them, and the port that reads years. Both are written through the transaction.
 */
import type { BreachRecord } from '#domain/credits.ts';
import type { Kpi } from '#domain/model.ts';
import type { Instant } from '#domain/time.ts';
import type { OverflowState } from './overflow.ts';

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
   * Credit notices of the year wait until it has settled (docs/design.md#order-and-duplicates, `noticeSettleMinutes`).
   */
  readonly changedAt: Instant | null;
  readonly version: number;
  /** Adapter bookkeeping, as on a case record: where a large year's breaches live. */
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

export interface YearRepository {
  /** Year records of one contract; missing years are absent from the result. */
  readYears(contractId: string, yearIndexes: readonly number[]): Promise<YearRecord[]>;
}
