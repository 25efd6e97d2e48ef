/**
 * Events parked until their contract registers (docs/design.md#order-and-duplicates): the parked record, and the port that reads
 * a contract's parked events and the overdue ones. Parking and unparking go through the transaction.
 */
import type { Instant } from '#domain/time.ts';

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

export interface ParkedRef {
  readonly contractId: string;
  readonly occurredAt: Instant;
  readonly source: string;
  readonly eventId: string;
}

export interface ParkedEventRepository {
  /** Parked events of one contract, oldest occurrence first. */
  readParkedOf(contractId: string): Promise<ParkedRecord[]>;
  readParked(refs: readonly ParkedRef[]): Promise<ParkedRecord[]>;
  /** Parked events received at least a day before `now` (the attention index, eventually consistent). */
  overdueParked(now: Instant): Promise<ParkedRef[]>;
}
