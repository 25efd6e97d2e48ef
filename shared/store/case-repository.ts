/**
 * The case aggregate: a case's record with its events and decided clocks, and the port that reads due
 * cases with their contracts. A case is written through the transaction (store.ts).
 */
import type { CaseEvent, Kpi } from '#domain/model.ts';
import type { Instant } from '#domain/time.ts';
import type { ContractRecord } from './contract-repository.ts';
import type { OverflowState } from './overflow.ts';

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
  /** The sources whose events the case holds: their lateness holds its running clocks (docs/design.md#order-and-duplicates). */
  readonly sources: readonly string[];
  readonly version: number;
  /**
   * Adapter bookkeeping, opaque to the use cases: where a long case's events live (overflow leaves,
   * shared/store/overflow.ts). Absent for an ordinary case; carried along when a record is spread.
   */
  readonly overflow?: OverflowState;
}

export interface CaseRef {
  readonly contractId: string;
  readonly caseId: string;
}

export interface CaseRepository {
  /** Cases with their contracts; a ref whose case or contract is missing is left out. */
  readCases(refs: readonly CaseRef[]): Promise<{ contract: ContractRecord; case: CaseRecord }[]>;
  /** Cases whose next attention instant is at or before `now` (the attention index, eventually consistent). */
  dueCases(now: Instant): Promise<CaseRef[]>;
}
