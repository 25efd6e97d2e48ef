/**
 * What the store remembers of each event it handled: the idempotency record (applied, parked or
 * rejected) and a rejection. The port reads an event's record together with the contract and the case
 * it addresses, in one round trip (the intake's first read).
 */
import type { Instant } from '#domain/time.ts';
import type { CaseRecord } from './case-repository.ts';
import type { ContractRecord } from './contract-repository.ts';

export type ProcessedOutcome = 'applied' | 'parked' | 'rejected';

export interface ProcessedEventRecord {
  readonly source: string;
  readonly eventId: string;
  /** Digest of the event body that was processed: the same identity with another digest conflicts. */
  readonly digest: string | null;
  /** Null for a pool or loan event that names no contract. */
  readonly contractId: string | null;
  /** The pool a pool or loan event belongs to (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools). */
  readonly poolId?: string;
  readonly outcome: ProcessedOutcome;
  readonly reason: string | null;
  readonly at: Instant;
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

export interface ProcessedEventRepository {
  /** The idempotency record, the contract and (for case events) the case: one round trip. */
  readEventContext(request: EventContextRequest): Promise<EventContext>;
}
